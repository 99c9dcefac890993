// Documents in the message box: the paperclip (and a drop on the page) uploads files into the
// open conversation, whose attached documents show as chips above the box (whole name on
// hover, × to detach). The first chip says what Éclair searches: all of the user's documents
// (the default scope), or only the files attached here once there are some; the installed
// encyclopedias follow as chips of their own. Attachments are kept on the server (the
// conversation's `documents`) and the server answers from them alone.

import { api } from "./api.js";
import { packTitleList } from "./badges.js";
import { t } from "./i18n.js";
import { uploadFiles, onDroppedFiles } from "./panels.js";
import { $, h, icon } from "./ui.js";

let ctx = { conversation: () => null, ensureConversation: async () => null, changed: () => {}, error: () => {} };
let names = new Map(); // document id -> file name

export function configureAttach(given) {
  ctx = { ...ctx, ...given };
}

async function refreshNames() {
  try {
    names = new Map((await api("GET", "/api/documents")).data.map((d) => [d.id, d.filename]));
  } catch {
    // documents unavailable: chips show what they can
  }
}

async function setDocuments(conversation, documents) {
  const updated = await api("PATCH", `/api/conversations/${encodeURIComponent(conversation.id)}`, { documents });
  ctx.changed(updated);
  renderChips();
}

export async function attachFiles(files) {
  if (!files.length) return;
  let conversation;
  try {
    conversation = await ctx.ensureConversation();
  } catch (error) {
    return ctx.error(error);
  }
  const added = await uploadFiles(files);
  if (!added.length) return;
  for (const doc of added) names.set(doc.id, doc.filename);
  const current = (ctx.conversation() || conversation).documents || [];
  try {
    await setDocuments(ctx.conversation() || conversation, [...current, ...added.map((d) => d.id)]);
  } catch (error) {
    ctx.error(error);
  }
}

export function renderChips() {
  const conversation = ctx.conversation();
  const attached = ((conversation && conversation.documents) || []).filter((id) => names.has(id));
  const scoped = attached.length > 0;
  const all = h(
    "span",
    { class: "chip scope-all", title: t(scoped ? "attach.onlyHint" : "attach.allHint") },
    icon("doc"),
    h("span", { text: t(scoped ? "attach.only" : "attach.all") }),
  );
  const packs = packTitleList().map((title) =>
    h("span", { class: "chip scope-pack", title: t("attach.packHint") }, h("span", { class: "chip-name", text: title })),
  );
  const chips = attached.map((id) => {
    const name = names.get(id);
    return h(
      "span",
      { class: "chip", dataset: { id } },
      h("span", { class: "chip-name", text: name, title: name }),
      h("button", {
        type: "button",
        class: "chip-remove",
        "aria-label": `${t("attach.remove")}: ${name}`,
        title: t("attach.remove"),
        text: "×",
        onclick: () => setDocuments(conversation, attached.filter((other) => other !== id)).catch(ctx.error),
      }),
    );
  });
  $("scope").replaceChildren(all, ...chips, ...packs);
}

export function bindAttach() {
  $("attach-input").addEventListener("change", (event) => {
    const files = [...event.target.files];
    event.target.value = "";
    attachFiles(files);
  });
  onDroppedFiles(attachFiles);
}

/** At sign-in: whether this server takes documents, and the names of the user's documents. */
export async function startAttach(enabled) {
  $("attach").hidden = !enabled;
  $("scope").hidden = !enabled;
  if (!enabled) return;
  await refreshNames();
  renderChips();
}
