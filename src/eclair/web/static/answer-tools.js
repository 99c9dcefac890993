// The tools under a message: copy, ‹ n/m › between versions (regenerated answers, edited
// questions: kept by the server), 👍/👎 with an optional comment, read aloud with the
// browser's own offline voices (speechSynthesis, never a network voice), and the
// conversation's export (Markdown, JSON).

import { api } from "./api.js";
import { lang, t } from "./i18n.js";
import { $, h, icon, toast, copyText } from "./ui.js";

const path = (conversation) => `/api/conversations/${encodeURIComponent(conversation.id)}`;

export function copyButton(message) {
  const label = h("span", { text: t("msg.copy") });
  const button = h("button", { type: "button", class: "copy" }, icon("copy"), label);
  button.addEventListener("click", async () => {
    await copyText(message.content);
    label.textContent = t("msg.copied");
    setTimeout(() => (label.textContent = t("msg.copy")), 1500);
  });
  return button;
}

// -- versions ----------------------------------------------------------------------------

/** ‹ n/m › for a message that starts a branch with other versions; `shown(detail)` gets the
 * conversation once the server has brought the chosen version back. */
export function versionNav(conversation, message, shown, onError) {
  if (!conversation || !message.versions || message.versions < 2) return null;
  const n = message.version || message.versions;
  const go = async (number) => {
    try {
      shown(await api("POST", `${path(conversation)}/versions`, { seq: message.seq, number }));
    } catch (error) {
      onError(error);
    }
  };
  const label = t("ver.of").replace("{n}", n).replace("{m}", message.versions);
  return h(
    "span",
    { class: "versions", role: "group", "aria-label": t("ver.label") },
    h("button", { type: "button", class: "ver-prev", "aria-label": t("ver.prev"), title: t("ver.prev"), disabled: n <= 1, onclick: () => go(n - 1) }, "‹"),
    h("span", { class: "ver-count", "aria-live": "polite", text: label }),
    h("button", { type: "button", class: "ver-next", "aria-label": t("ver.next"), title: t("ver.next"), disabled: n >= message.versions, onclick: () => go(n + 1) }, "›"),
  );
}

// -- feedback ----------------------------------------------------------------------------

export function feedbackButtons(conversation, message, onError) {
  if (!conversation || !message.id || message.status === "streaming") return null;
  const box = h("span", { class: "feedback" });
  const rate = async (rating, comment = "") => {
    try {
      message.feedback = await api("PUT", `${path(conversation)}/messages/${encodeURIComponent(message.id)}/feedback`, { rating, comment });
      paint();
      return true;
    } catch (error) {
      onError(error);
      return false;
    }
  };
  const up = h("button", { type: "button", class: "thumb up", title: t("fb.up"), "aria-label": t("fb.up"), onclick: () => rate(1) }, icon("up"));
  const down = h("button", { type: "button", class: "thumb down", title: t("fb.down"), "aria-label": t("fb.down") }, icon("down"));
  down.addEventListener("click", async () => {
    if (await rate(-1, (message.feedback && message.feedback.comment) || "")) openComment();
  });
  const openComment = () => {
    if (box.querySelector(".fb-form")) return;
    const area = h("textarea", { rows: "2", maxlength: "2000", "aria-label": t("fb.comment"), placeholder: t("fb.comment") });
    area.value = (message.feedback && message.feedback.comment) || "";
    const form = h(
      "form",
      { class: "fb-form" },
      area,
      h("button", { type: "submit", class: "primary", text: t("fb.send") }),
      h("button", { type: "button", text: t("msg.cancel"), onclick: () => form.remove() }),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (await rate(-1, area.value)) {
        form.remove();
        toast(t("fb.thanks"));
      }
    });
    box.after(form);
    area.focus();
  };
  const paint = () => {
    const rating = message.feedback ? message.feedback.rating : 0;
    up.setAttribute("aria-pressed", String(rating > 0));
    down.setAttribute("aria-pressed", String(rating < 0));
  };
  paint();
  box.append(up, down);
  return box;
}

// -- read aloud (offline voices only) ----------------------------------------------------

/** The browser's voices that run on this device for the page's language (never a
 * network voice: their text would leave the machine). */
export function offlineVoices(language = lang()) {
  if (!("speechSynthesis" in window)) return [];
  return window.speechSynthesis.getVoices().filter((v) => v.localService && v.lang.toLowerCase().startsWith(language));
}

let speaking = null; // the button of the message being read

export function readAloudButton(message) {
  if (!("speechSynthesis" in window) || !message.content) return null;
  const label = h("span", { text: t("msg.read") });
  const button = h("button", { type: "button", class: "read-aloud", "aria-pressed": "false" }, icon("speaker"), label);
  button.addEventListener("click", () => {
    const synth = window.speechSynthesis;
    const wasMine = speaking === button;
    if (speaking) {
      synth.cancel();
      stopped(speaking);
    }
    if (wasMine) return;
    const voice = offlineVoices()[0];
    if (!voice) {
      toast(t("msg.noVoice"));
      return;
    }
    const utterance = new SpeechSynthesisUtterance(plainText(message.content));
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.onend = () => stopped(button);
    utterance.onerror = () => stopped(button);
    speaking = button;
    button.setAttribute("aria-pressed", "true");
    label.textContent = t("msg.stopReading");
    synth.speak(utterance);
  });
  return button;
}

function stopped(button) {
  if (speaking === button) speaking = null;
  button.setAttribute("aria-pressed", "false");
  button.querySelector("span").textContent = t("msg.read");
}

/** What a voice should say: the text without Markdown marks or citation numbers. */
export function plainText(markdown) {
  return markdown
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/\[(\d+)\]/g, "")
    .replace(/[*_`#>]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

// -- export ------------------------------------------------------------------------------

export function renderExport(conversation) {
  const box = $("export");
  box.hidden = !conversation;
  if (!conversation) return;
  $("export-md").href = `${path(conversation)}/export?format=markdown`;
  $("export-json").href = `${path(conversation)}/export?format=json`;
}
