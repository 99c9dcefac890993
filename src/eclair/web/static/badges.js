// How an answer was made, in plain words: one short label under each answer ("computed",
// "from your documents", "from <encyclopedia>", "not sure — declined", "written by the model —
// unchecked") that opens a popover with the details (times, speed where a model generated,
// energy in readable units). Reads the answer's `eclair` object (route, abstained, citations,
// timing, energy: see eclair/answer/types.py) and never changes it.

import { api } from "./api.js";
import { lang, t } from "./i18n.js";
import { $, h, formatDuration, formatNumber } from "./ui.js";

const packTitles = new Map(); // pack name -> its title ("Wikipédia (FR)")

/** Learn the installed packs' titles, for "from <title>" (quietly: packs are optional). */
export async function loadPackTitles() {
  try {
    for (const pack of (await api("GET", "/api/knowledge/packs")).data) packTitles.set(pack.name, pack.title);
  } catch {
    // no packs, or no knowledge base: answers from packs then show the pack's name
  }
}

/** The installed packs' titles, for the message box's scope chips. */
export function packTitleList() {
  return [...packTitles.values()];
}

/** The label's key and, for a pack, its title: what made this answer. */
export function howMade(info) {
  const route = (info && info.route) || "model";
  if (route === "calculator" || route === "date") return { key: "computed" };
  if (route === "premise") return { key: "premise" };
  if (route === "abstain" || (info && info.abstained)) return { key: "declined" };
  if (route === "knowledge") {
    const pack = ((info && info.citations) || []).map((c) => c.pack).find(Boolean);
    if (pack) return { key: "pack", title: packTitles.get(pack) || pack };
    return { key: "documents" };
  }
  return { key: "model" };
}

export function howMadeLabel(info) {
  const made = howMade(info);
  return made.key === "pack" ? t("how.pack").replace("{title}", made.title) : t(`how.${made.key}`);
}

// -- readable energy -------------------------------------------------------------------------

const LED_W = 10; // a household LED bulb

// one significant digit: these are orders of magnitude, not measurements to compare closely
function significant(value, locale) {
  return new Intl.NumberFormat(locale, { maximumSignificantDigits: 1 }).format(value);
}

/** "≈ 0.003 Wh", "≈ 0.9 mWh": a unit that keeps the number readable (Wh down to 0.001). */
export function readableEnergy(wh, locale = lang()) {
  if (wh >= 0.001) return `≈ ${significant(wh, locale)} Wh`;
  if (wh >= 0.000001) return `≈ ${significant(wh * 1000, locale)} mWh`;
  return `≈ ${significant(wh * 1_000_000, locale)} µWh`;
}

/** "like an LED bulb for 1 s": how long a 10 W bulb burns on the same energy. */
export function ledComparison(wh, locale = lang()) {
  const seconds = (wh * 3600) / LED_W;
  let span;
  if (seconds >= 60) span = `${significant(seconds / 60, locale)} min`;
  else if (seconds >= 1) span = `${significant(seconds, locale)} s`;
  else if (seconds >= 0.001) span = `${significant(seconds * 1000, locale)} ms`;
  else return t("energy.ledUnder");
  return t("energy.led").replace("{time}", span);
}

export function readableCarbon(grams, locale = lang()) {
  if (grams >= 1) return `≈ ${significant(grams, locale)} g CO₂e`;
  if (grams >= 0.001) return `≈ ${significant(grams * 1000, locale)} mg CO₂e`;
  return `≈ ${significant(grams * 1_000_000, locale)} µg CO₂e`;
}

// -- the label and its popover -----------------------------------------------------------

/** The label under an answer (a button that opens the details), or null while it streams. */
export function badge(message) {
  if (message.status === "streaming") return null;
  const info = message.eclair;
  const parts = [];
  if (info) parts.push(h("span", { class: "route", dataset: { how: howMade(info).key }, text: howMadeLabel(info) }));
  if (message.status === "interrupted") parts.push(h("span", { class: "stopped", text: t("msg.interrupted") }));
  if (message.status === "error") parts.push(h("span", { class: "stopped", text: t("msg.error") }));
  if (!parts.length) return null;
  if (!info) return h("span", { class: "badge" }, ...parts);
  const button = h(
    "button",
    { type: "button", class: "badge", "aria-haspopup": "dialog", "aria-expanded": "false", "aria-controls": "answer-details", title: t("how.details") },
    ...parts,
  );
  button.addEventListener("click", () => openDetails(button, message));
  return button;
}

function row(label, value) {
  return [h("dt", { text: t(label) }), h("dd", { text: value })];
}

export function detailsOf(message) {
  const info = message.eclair || {};
  const locale = lang();
  const timing = info.timing || {};
  const facts = [];
  if (message.model) facts.push(row("details.model", message.model === "eclair" ? t("model.eclair") : message.model));
  if (typeof timing.ttft_ms === "number") facts.push(row("details.first", formatDuration(timing.ttft_ms, locale)));
  if (typeof timing.total_ms === "number") facts.push(row("details.total", formatDuration(timing.total_ms, locale)));
  // speed means something only where a model wrote the text word by word
  if (howMade(info).key === "model" && typeof timing.tokens_per_s === "number") {
    facts.push(row("details.speed", `${formatNumber(timing.tokens_per_s, 1, locale)} ${t("details.tokps")}`));
  }
  const energy = info.energy;
  if (energy && typeof energy.wh === "number") {
    facts.push(row("details.energy", `${readableEnergy(energy.wh, locale)}, ${ledComparison(energy.wh, locale)}`));
    if (typeof energy.gco2e === "number") facts.push(row("details.carbon", readableCarbon(energy.gco2e, locale)));
  }
  const sources = (info.citations || []).length;
  if (sources) facts.push(row("details.sources", formatNumber(sources, 0, locale)));
  return facts;
}

let opener = null;

function openDetails(button, message) {
  const pop = $("answer-details");
  const made = howMade(message.eclair);
  $("answer-details-title").textContent = howMadeLabel(message.eclair);
  $("answer-details-why").textContent = t(`why.${made.key}`);
  $("answer-details-facts").replaceChildren(...detailsOf(message).flat());
  if (opener) opener.setAttribute("aria-expanded", "false");
  opener = button;
  pop.showPopover();
  button.setAttribute("aria-expanded", "true");
  place(pop, button);
  $("answer-details-close").focus();
}

function place(pop, button) {
  const anchor = button.getBoundingClientRect();
  const width = pop.offsetWidth;
  const height = pop.offsetHeight;
  const left = Math.max(8, Math.min(anchor.left, window.innerWidth - width - 8));
  const below = anchor.bottom + 6;
  const top = below + height > window.innerHeight - 8 ? Math.max(8, anchor.top - height - 6) : below;
  pop.style.left = `${left}px`;
  pop.style.top = `${top}px`;
}

export function bindBadges() {
  const pop = $("answer-details");
  $("answer-details-close").addEventListener("click", () => pop.hidePopover());
  pop.addEventListener("toggle", (event) => {
    if (event.newState === "closed" && opener) {
      opener.setAttribute("aria-expanded", "false");
      if (pop.contains(document.activeElement) || document.activeElement === document.body) opener.focus();
      opener = null;
    }
  });
}
