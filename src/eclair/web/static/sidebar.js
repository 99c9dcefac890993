// The conversation list: grouped by date (pinned, today, yesterday, last 7 days, older), an
// archived view, and each conversation's menu (rename, pin, archive, delete). The menu button
// is always reachable (keyboard, touch), not only on hover. Deleting waits 10 s with an Undo
// in the toast; the deletion is sent then, or when the page goes away, whichever comes first.

import { api, keepalive } from "./api.js";
import { t } from "./i18n.js";
import { $, h, icon, toast } from "./ui.js";

export const UNDO_MS = 10_000;

const list = {
  items: [],
  query: "",
  archived: false, // showing the archived conversations instead of the others
  pending: new Map(), // id -> timer of a deletion that can still be undone
};

let hooks = {
  activeId: () => null,
  open: () => {},
  deleted: () => {},
  restored: () => {},
  changed: () => {},
  error: () => {},
};

/** Wire the list to the page: what is open, and what to do when a conversation is opened,
 * deleted (its deletion undone) or changed. */
export function configureSidebar(given) {
  hooks = { ...hooks, ...given };
}

export function setQuery(query) {
  list.query = query;
}

export async function refreshConversations() {
  const params = new URLSearchParams();
  if (list.query) params.set("q", list.query);
  if (list.archived) params.set("archived", "true");
  const query = params.toString() ? `?${params}` : "";
  try {
    list.items = (await api("GET", `/api/conversations${query}`)).data;
  } catch (error) {
    return hooks.error(error);
  }
  renderConversations();
}

export function forget() {
  list.items = [];
  renderConversations();
}

// -- grouping ------------------------------------------------------------------------------

const DAY_MS = 24 * 3600 * 1000;

/** The group key of a conversation: pinned first, then by its last activity, in local time. */
export function groupOf(conversation, now = new Date()) {
  if (conversation.pinned && !conversation.archived) return "pinned";
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const at = new Date(conversation.updated_at).getTime();
  if (at >= midnight) return "today";
  if (at >= midnight - DAY_MS) return "yesterday";
  if (at >= midnight - 6 * DAY_MS) return "week";
  return "older";
}

const GROUPS = ["pinned", "today", "yesterday", "week", "older"];

export function renderConversations() {
  const box = $("conversations");
  const shown = list.items.filter((c) => !list.pending.has(c.id));
  const sections = [];
  if (list.archived) {
    sections.push(section("archived", shown));
  } else {
    for (const group of GROUPS) {
      const members = shown.filter((c) => groupOf(c) === group);
      if (members.length) sections.push(section(group, members));
    }
  }
  box.replaceChildren(...sections);
  const empty = $("conversations-empty");
  empty.textContent = list.query ? t("nav.noMatch") : list.archived ? t("nav.noArchived") : t("nav.empty");
  empty.hidden = shown.length > 0;
  const toggle = $("toggle-archived");
  toggle.querySelector("span").textContent = list.archived ? t("nav.backToList") : t("nav.archived");
  toggle.setAttribute("aria-pressed", String(list.archived));
}

function section(group, members) {
  const heading = h("h2", { class: "group-title", id: `group-${group}`, text: t(`group.${group}`) });
  const items = h("ul", { class: "conversation-group", "aria-labelledby": `group-${group}` }, ...members.map(item));
  return h("section", { class: "group", dataset: { group } }, heading, items);
}

function item(conversation) {
  const title = conversation.title || t("conv.untitled");
  const active = hooks.activeId() === conversation.id;
  const row = h("li", { class: active ? "active" : "", dataset: { id: conversation.id } });
  const open = h(
    "button",
    { type: "button", class: "open", title, "aria-current": active ? "page" : null, onclick: () => hooks.open(conversation.id) },
    conversation.pinned ? icon("pin") : null,
    h("span", { text: title }),
  );
  const more = h(
    "button",
    { type: "button", class: "more", title: t("conv.actions"), "aria-label": `${t("conv.actions")}: ${title}`, "aria-haspopup": "menu", "aria-expanded": "false" },
    icon("dots"),
  );
  more.addEventListener("click", (event) => {
    event.stopPropagation();
    toggleMenu(row, more, conversation);
  });
  row.append(open, more);
  return row;
}

// -- the menu of one conversation ----------------------------------------------------------

let openMenu = null;

function closeMenu(focusBack = false) {
  if (!openMenu) return;
  const { menu, button } = openMenu;
  openMenu = null;
  menu.remove();
  button.setAttribute("aria-expanded", "false");
  if (focusBack) button.focus();
}

function toggleMenu(row, button, conversation) {
  const wasOpen = openMenu && openMenu.button === button;
  closeMenu();
  if (wasOpen) return;
  const entry = (name, label, run) =>
    h("button", { type: "button", role: "menuitem", class: `menu-${name}`, onclick: () => (closeMenu(), run()) }, icon(name), h("span", { text: label }));
  const menu = h(
    "div",
    { class: "menu", role: "menu", "aria-label": t("conv.actions") },
    entry("pencil", t("conv.rename"), () => startRename(row, conversation)),
    conversation.archived ? null : entry("pin", conversation.pinned ? t("conv.unpin") : t("conv.pin"), () => patch(conversation, { pinned: !conversation.pinned })),
    entry("archive", conversation.archived ? t("conv.unarchive") : t("conv.archive"), () => patch(conversation, { archived: !conversation.archived })),
    entry("trash", t("conv.delete"), () => remove(conversation)),
  );
  menu.addEventListener("keydown", (event) => {
    const entries = [...menu.querySelectorAll("[role=menuitem]")];
    const at = entries.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.stopPropagation();
      closeMenu(true);
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      entries[(at + step + entries.length) % entries.length].focus();
    }
  });
  row.after(h("li", { class: "menu-row" }, menu));
  openMenu = { menu: menu.parentElement, button };
  button.setAttribute("aria-expanded", "true");
  menu.querySelector("[role=menuitem]").focus();
}

document.addEventListener("click", (event) => {
  if (openMenu && !openMenu.menu.contains(event.target)) closeMenu();
});

async function patch(conversation, change) {
  try {
    const updated = await api("PATCH", `/api/conversations/${encodeURIComponent(conversation.id)}`, change);
    hooks.changed(updated);
    if ("archived" in change) toast(change.archived ? t("conv.archivedToast") : t("conv.unarchivedToast"));
  } catch (error) {
    hooks.error(error);
  }
  await refreshConversations();
}

function startRename(row, conversation) {
  const input = h("input", { maxlength: "200", "aria-label": t("conv.rename") });
  input.value = conversation.title;
  row.replaceChildren(input);
  input.focus();
  input.select();
  let done = false;
  const finish = async (save) => {
    if (done) return;
    done = true;
    const title = input.value.trim();
    if (save && title && title !== conversation.title) {
      try {
        hooks.changed(await api("PATCH", `/api/conversations/${encodeURIComponent(conversation.id)}`, { title }));
      } catch (error) {
        hooks.error(error);
      }
    }
    refreshConversations();
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") finish(true);
    if (event.key === "Escape") {
      event.stopPropagation();
      finish(false);
    }
  });
  input.addEventListener("blur", () => finish(true));
}

// -- deleting, with undo -------------------------------------------------------------------

function path(id) {
  return `/api/conversations/${encodeURIComponent(id)}`;
}

function remove(conversation) {
  const wasOpen = hooks.activeId() === conversation.id;
  list.pending.set(
    conversation.id,
    setTimeout(() => commitDelete(conversation.id), UNDO_MS),
  );
  if (wasOpen) hooks.deleted(conversation.id);
  renderConversations();
  toast(t("conv.deleted"), {
    ms: UNDO_MS,
    action: {
      label: t("conv.undo"),
      run: () => {
        clearTimeout(list.pending.get(conversation.id));
        list.pending.delete(conversation.id);
        renderConversations();
        if (wasOpen) hooks.restored(conversation.id);
      },
    },
  });
}

async function commitDelete(id) {
  if (!list.pending.delete(id)) return;
  try {
    await api("DELETE", path(id));
  } catch (error) {
    if (error.status !== 404) hooks.error(error);
  }
  refreshConversations();
}

/** Send the deletions still waiting for their undo delay (the page is going away). */
export function flushDeletes() {
  for (const [id, timer] of list.pending) {
    clearTimeout(timer);
    keepalive("DELETE", path(id));
  }
  list.pending.clear();
}

export function isPendingDelete(id) {
  return list.pending.has(id);
}

export function bindSidebar() {
  window.addEventListener("pagehide", flushDeletes);
  $("toggle-archived").addEventListener("click", () => {
    list.archived = !list.archived;
    refreshConversations();
  });
}
