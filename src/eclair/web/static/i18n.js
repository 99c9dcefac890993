// French and English strings of the page. The language follows the browser unless the user
// picked one (kept in localStorage). Elements carry data-i18n="key" (text),
// data-i18n-placeholder, data-i18n-title or data-i18n-aria (attributes).

import en from "./strings-en.js";
import fr from "./strings-fr.js";

const STRINGS = { en, fr };

export const LANGUAGES = Object.keys(STRINGS);
let current = pickLanguage();

function pickLanguage() {
  const saved = localStorage.getItem("eclair.lang");
  if (saved && STRINGS[saved]) return saved;
  const wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || "en"];
  for (const tag of wanted) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (STRINGS[base]) return base;
  }
  return "en";
}

export function lang() {
  return current;
}

export function t(key) {
  return (STRINGS[current] && STRINGS[current][key]) || STRINGS.en[key] || key;
}

export function setLanguage(code) {
  if (!STRINGS[code]) return;
  current = code;
  localStorage.setItem("eclair.lang", code);
  applyTranslations(document);
}

export function applyTranslations(root) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-aria]")) el.setAttribute("aria-label", t(el.dataset.i18nAria));
  for (const el of root.querySelectorAll("[data-i18n-title]")) {
    el.title = t(el.dataset.i18nTitle);
    el.setAttribute("aria-label", t(el.dataset.i18nTitle));
  }
}
