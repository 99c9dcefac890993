// The user's settings, kept on the server (/api/me/preferences): custom instructions (the
// system message of their conversations), the model new conversations start with, the
// page's language and theme. The language and theme are also kept in localStorage, so the
// page starts in them before it has asked the server.

import { api } from "./api.js";
import { lang, setLanguage, t } from "./i18n.js";
import { $, h, toast } from "./ui.js";

let preferences = { instructions: "", default_model: "", language: "auto", theme: "auto" };
let onChange = () => {};

export function preferredModel() {
  return preferences.default_model || null;
}

/** Apply a theme choice: "light", "dark" or "auto" (the system's). */
export function applyThemeChoice(theme) {
  if (theme === "light" || theme === "dark") {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem("eclair.theme", theme);
  } else {
    delete document.documentElement.dataset.theme;
    localStorage.removeItem("eclair.theme");
  }
}

function applyLanguageChoice(language) {
  if ((language === "fr" || language === "en") && language !== lang()) {
    setLanguage(language);
    return true;
  }
  return false;
}

/** Read the user's preferences and apply them; `changed()` re-renders what depends on them. */
export async function loadPreferences(changed) {
  onChange = changed;
  try {
    preferences = await api("GET", "/api/me/preferences");
  } catch {
    return; // an old server or a key without access: the page's own defaults stay
  }
  if (preferences.theme !== "auto") applyThemeChoice(preferences.theme);
  if (applyLanguageChoice(preferences.language)) onChange();
}

function fillForm(models) {
  $("pref-instructions").value = preferences.instructions;
  $("pref-model").replaceChildren(
    h("option", { value: "", text: t("settings.serverDefault") }),
    ...models.map((id) => h("option", { value: id, text: id === "eclair" ? t("model.eclair") : `${id} — ${t("model.raw")}` })),
  );
  $("pref-model").value = models.includes(preferences.default_model) ? preferences.default_model : "";
  $("pref-language").value = preferences.language;
  $("pref-theme").value = preferences.theme;
}

export function bindSettings(models) {
  $("open-settings").addEventListener("click", () => {
    fillForm(models());
    $("settings").showModal();
  });
  $("settings-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {
      instructions: $("pref-instructions").value,
      default_model: $("pref-model").value,
      language: $("pref-language").value,
      theme: $("pref-theme").value,
    };
    try {
      preferences = await api("PATCH", "/api/me/preferences", body);
    } catch (error) {
      toast(error.message);
      return;
    }
    applyThemeChoice(preferences.theme);
    if (preferences.language === "auto") localStorage.removeItem("eclair.lang");
    applyLanguageChoice(preferences.language);
    $("settings").close();
    toast(t("settings.saved"));
    onChange();
  });
}
