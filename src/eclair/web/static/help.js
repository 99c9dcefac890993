// The help page shows one language: the page's choice (kept by the chat page), the browser's,
// or the one picked with the links at the top. Without JavaScript both are shown.

import { lang, setLanguage } from "./i18n.js";

function show(code) {
  document.documentElement.lang = code;
  document.documentElement.dataset.help = code;
  for (const article of document.querySelectorAll("article.help")) article.hidden = article.lang !== code;
}

function applyTheme() {
  const saved = localStorage.getItem("eclair.theme");
  if (saved === "light" || saved === "dark") document.documentElement.dataset.theme = saved;
}

applyTheme();
const wanted = location.hash === "#fr" || location.hash === "#en" ? location.hash.slice(1) : lang();
show(wanted);
window.addEventListener("hashchange", () => {
  const code = location.hash.slice(1);
  if (code === "fr" || code === "en") {
    setLanguage(code);
    show(code);
  }
});
