// The conversation's messages on the page: rendering (Markdown for answers, plain text for
// questions), each message's tools, editing a question, and following a streamed answer.
// app.js owns the state and the sending; it hands them over with configureThread.

import { t } from "./i18n.js";
import { renderMarkdown, renderPlain } from "./markdown.js";
import { openCitation } from "./panels.js";
import { $, h, icon, copyText } from "./ui.js";
import { badge } from "./badges.js";
import { copyButton, feedbackButtons, readAloudButton, versionNav } from "./answer-tools.js";
import { toolTrail } from "./approval.js";

let state = null;
let actions = { send: () => {}, regenerate: () => {}, showDetail: () => {}, handleError: () => {} };

/** `shared`: app.js's state (messages, conversation, controller, follow); `given`: send,
 * regenerate, showDetail, handleError. */
export function configureThread(shared, given) {
  state = shared;
  actions = { ...actions, ...given };
}

let welcomeNode = null;

export function setWelcome(node) {
  welcomeNode = node;
}

export function renderMessages() {
  const views = state.messages.map((message, index) => messageView(message, index));
  welcomeNode.hidden = views.length > 0;
  $("messages").replaceChildren(welcomeNode, ...views);
}

function citationsOf(message) {
  return (message.eclair && Array.isArray(message.eclair.citations) && message.eclair.citations) || [];
}

function renderBubble(message, bubble) {
  const content = message.role === "assistant" ? renderMarkdown(message.content, { citations: citationsOf(message).length }) : renderPlain(message.content);
  bubble.replaceChildren(content);
  for (const pre of bubble.querySelectorAll("pre")) {
    const copy = h("button", { type: "button", class: "copy-code", text: t("msg.copy") });
    copy.addEventListener("click", async () => {
      await copyText(pre.querySelector("code").textContent);
      copy.textContent = t("msg.copied");
    });
    pre.appendChild(copy);
  }
}

function messageView(message, index) {
  const view = h("article", { class: `message ${message.role}${message.status === "streaming" ? " streaming" : ""}`, dataset: { id: message.id || "" } });
  const bubble = h("div", { class: "bubble" });
  renderBubble(message, bubble);
  bubble.addEventListener("click", (event) => {
    const chip = event.target.closest("button.cite");
    if (!chip) return;
    const citation = citationsOf(message)[Number(chip.dataset.cite) - 1];
    if (citation) openCitation(citation);
  });
  const meta = h("div", { class: "meta" });
  const busy = Boolean(state.controller);
  const versions = busy ? null : versionNav(state.conversation, message, actions.showDetail, actions.handleError);
  if (message.role === "assistant") {
    meta.append(...[badge(message), versions].filter(Boolean));
    if (!busy) {
      meta.append(...[feedbackButtons(state.conversation, message, actions.handleError), readAloudButton(message), copyButton(message)].filter(Boolean));
      if (index === state.messages.length - 1) {
        meta.appendChild(h("button", { type: "button", class: "regenerate", onclick: () => actions.regenerate() }, icon("redo"), t("msg.regenerate")));
      }
    }
  } else if (!busy) {
    if (versions) meta.appendChild(versions);
    meta.appendChild(copyButton(message));
    if (message.id) meta.appendChild(h("button", { type: "button", class: "edit-button", onclick: () => startEdit(view, message) }, icon("pencil"), t("msg.edit")));
  }
  view.append(...[bubble, toolTrail(message), meta].filter(Boolean));
  message.view = { bubble, view };
  return view;
}

function startEdit(view, message) {
  const area = h("textarea", { "aria-label": t("msg.edit") });
  area.value = message.content;
  const save = h("button", { type: "button", class: "primary", text: t("msg.save") });
  const cancel = h("button", { type: "button", text: t("msg.cancel"), onclick: renderMessages });
  save.addEventListener("click", () => {
    const content = area.value.trim();
    if (content) actions.send(content, message.id);
  });
  area.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      save.click();
    }
    if (event.key === "Escape") renderMessages();
  });
  view.replaceChildren(h("div", { class: "edit" }, area, h("div", {}, cancel, save)));
  area.focus();
}

let frame = 0;
export function updateStreaming(message) {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    if (message.view) renderBubble(message, message.view.bubble);
    scrollToEnd(false);
  });
}

// Follow the answer unless the user has scrolled up to read: `state.follow` is set when an
// answer starts and cleared only by the user's own scrolling (growth of the text never clears
// it, so a fast answer that lands in one frame is still brought into view).
export function scrollToEnd(force) {
  const box = $("messages");
  if (force) state.follow = true;
  if (state.follow) box.scrollTop = box.scrollHeight;
}

export function trackScroll() {
  const box = $("messages");
  let last = box.scrollTop;
  box.addEventListener("scroll", () => {
    const atEnd = box.scrollHeight - box.scrollTop - box.clientHeight < 48;
    if (atEnd) state.follow = true;
    else if (box.scrollTop < last) state.follow = false; // the user went up
    last = box.scrollTop;
  });
}
