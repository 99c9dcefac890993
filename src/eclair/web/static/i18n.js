// French and English strings of the page. The language follows the browser unless the user
// picked one (kept in localStorage). Elements carry data-i18n="key" (text),
// data-i18n-placeholder, data-i18n-title or data-i18n-aria (attributes).

const STRINGS = {
  en: {
    "app.tagline": "Sovereign assistant, on your own hardware",
    "nav.new": "New chat",
    "nav.search": "Search conversations",
    "nav.empty": "No conversations yet",
    "nav.noMatch": "No match",
    "nav.documents": "Documents",
    "nav.keys": "API keys",
    "nav.logout": "Log out",
    "nav.menu": "Conversations",
    "nav.theme": "Switch light/dark",
    "nav.lang": "Français",
    "conv.rename": "Rename",
    "conv.delete": "Delete",
    "conv.deleteConfirm": "Delete this conversation?",
    "conv.untitled": "New conversation",
    "chat.placeholder": "Message Éclair…",
    "chat.keys": "Enter to send, Shift+Enter for a new line, Esc to stop",
    "chat.suggest1": "What is 17 × 23?",
    "chat.suggest2": "What day is it today?",
    "chat.suggest3": "Explain photosynthesis in two sentences",
    "chat.suggestDocs": "Drop a PDF here and ask about it",
    "chat.send": "Send",
    "chat.stop": "Stop",
    "chat.welcome": "Hello! What can I do for you?",
    "chat.welcomeHint": "Éclair runs entirely on this machine: your conversations and documents never leave it.",
    "chat.dropHint": "Drop files to add them to your documents",
    "chat.model": "Model",
    "msg.copy": "Copy",
    "msg.copied": "Copied",
    "msg.edit": "Edit",
    "msg.regenerate": "Regenerate",
    "msg.save": "Save and send",
    "msg.cancel": "Cancel",
    "msg.interrupted": "stopped",
    "msg.error": "failed",
    "msg.you": "You",
    "badge.route.calculator": "calculator",
    "badge.route.date": "date",
    "badge.route.premise": "premise check",
    "badge.route.knowledge": "documents",
    "badge.route.model": "model",
    "badge.route.abstain": "abstained",
    "badge.ttft": "first token",
    "badge.speed": "tok/s",
    "cite.title": "Source",
    "cite.quote": "Quoted passage",
    "cite.document": "In the document",
    "cite.missing": "This document is no longer available.",
    "cite.open": "Open the whole article (offline)",
    "packs.title": "Encyclopedias",
    "packs.hint": "Offline knowledge packs (Kiwix ZIM files) answer general questions, with citations. Install one with: eclair knowledge pull NAME",
    "packs.empty": "No encyclopedia installed",
    "packs.articles": "articles",
    "packs.path": "Path of a .zim file on the server",
    "packs.add": "Install",
    "packs.checking": "Checking the whole file…",
    "docs.title": "Documents",
    "docs.hint": "Drop .txt, .md, .html or .pdf files here, or choose them. Only you can see them.",
    "docs.choose": "Choose files",
    "docs.collection": "Collection",
    "docs.empty": "No documents yet",
    "docs.delete": "Delete",
    "docs.shared": "shared",
    "docs.chunks": "passages",
    "docs.uploaded": "added",
    "docs.unavailable": "Documents are not available on this server.",
    "keys.title": "API keys",
    "keys.hint": "Keys let programs use the OpenAI-compatible API at /v1 as you (Authorization: Bearer …).",
    "keys.name": "Key name",
    "keys.create": "Create key",
    "keys.once": "Copy this key now: it will not be shown again.",
    "keys.revoke": "Revoke",
    "keys.revoked": "revoked",
    "keys.empty": "No keys yet",
    "login.title": "Log in to Éclair",
    "login.name": "Name",
    "login.password": "Password",
    "login.submit": "Log in",
    "login.failed": "Wrong name or password.",
    "login.hint": "No account yet? The server's operator creates one with: eclair users add NAME",
    "close": "Close",
    "error.network": "The server cannot be reached.",
  },
  fr: {
    "app.tagline": "L'assistant souverain, sur votre propre matériel",
    "nav.new": "Nouvelle discussion",
    "nav.search": "Rechercher dans les discussions",
    "nav.empty": "Aucune discussion pour l'instant",
    "nav.noMatch": "Aucun résultat",
    "nav.documents": "Documents",
    "nav.keys": "Clés d'API",
    "nav.logout": "Se déconnecter",
    "nav.menu": "Discussions",
    "nav.theme": "Basculer clair/sombre",
    "nav.lang": "English",
    "conv.rename": "Renommer",
    "conv.delete": "Supprimer",
    "conv.deleteConfirm": "Supprimer cette discussion ?",
    "conv.untitled": "Nouvelle discussion",
    "chat.placeholder": "Écrire à Éclair…",
    "chat.keys": "Entrée pour envoyer, Maj+Entrée pour aller à la ligne, Échap pour arrêter",
    "chat.suggest1": "Combien font 17 × 23 ?",
    "chat.suggest2": "Quel jour sommes-nous ?",
    "chat.suggest3": "Explique la photosynthèse en deux phrases",
    "chat.suggestDocs": "Déposez un PDF ici et posez vos questions",
    "chat.send": "Envoyer",
    "chat.stop": "Arrêter",
    "chat.welcome": "Bonjour ! Que puis-je faire pour vous ?",
    "chat.welcomeHint": "Éclair fonctionne entièrement sur cette machine : vos discussions et vos documents ne la quittent jamais.",
    "chat.dropHint": "Déposez des fichiers pour les ajouter à vos documents",
    "chat.model": "Modèle",
    "msg.copy": "Copier",
    "msg.copied": "Copié",
    "msg.edit": "Modifier",
    "msg.regenerate": "Régénérer",
    "msg.save": "Enregistrer et envoyer",
    "msg.cancel": "Annuler",
    "msg.interrupted": "interrompu",
    "msg.error": "échec",
    "msg.you": "Vous",
    "badge.route.calculator": "calculatrice",
    "badge.route.date": "date",
    "badge.route.premise": "vérification",
    "badge.route.knowledge": "documents",
    "badge.route.model": "modèle",
    "badge.route.abstain": "abstention",
    "badge.ttft": "premier jeton",
    "badge.speed": "jetons/s",
    "cite.title": "Source",
    "cite.quote": "Passage cité",
    "cite.document": "Dans le document",
    "cite.missing": "Ce document n'est plus disponible.",
    "cite.open": "Ouvrir l'article entier (hors ligne)",
    "packs.title": "Encyclopédies",
    "packs.hint": "Les paquets de connaissances hors ligne (fichiers ZIM de Kiwix) répondent aux questions générales, avec leurs sources. Pour en installer un : eclair knowledge pull NOM",
    "packs.empty": "Aucune encyclopédie installée",
    "packs.articles": "articles",
    "packs.path": "Chemin d'un fichier .zim sur le serveur",
    "packs.add": "Installer",
    "packs.checking": "Vérification du fichier entier…",
    "docs.title": "Documents",
    "docs.hint": "Déposez ici des fichiers .txt, .md, .html ou .pdf, ou choisissez-les. Vous seul les voyez.",
    "docs.choose": "Choisir des fichiers",
    "docs.collection": "Collection",
    "docs.empty": "Aucun document pour l'instant",
    "docs.delete": "Supprimer",
    "docs.shared": "partagé",
    "docs.chunks": "passages",
    "docs.uploaded": "ajouté",
    "docs.unavailable": "Les documents ne sont pas disponibles sur ce serveur.",
    "keys.title": "Clés d'API",
    "keys.hint": "Les clés permettent à des programmes d'utiliser l'API compatible OpenAI (/v1) en votre nom (Authorization: Bearer …).",
    "keys.name": "Nom de la clé",
    "keys.create": "Créer une clé",
    "keys.once": "Copiez cette clé maintenant : elle ne sera plus affichée.",
    "keys.revoke": "Révoquer",
    "keys.revoked": "révoquée",
    "keys.empty": "Aucune clé pour l'instant",
    "login.title": "Connexion à Éclair",
    "login.name": "Nom",
    "login.password": "Mot de passe",
    "login.submit": "Se connecter",
    "login.failed": "Nom ou mot de passe incorrect.",
    "login.hint": "Pas encore de compte ? L'administrateur du serveur en crée un avec : eclair users add NOM",
    "close": "Fermer",
    "error.network": "Le serveur est injoignable.",
  },
};

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
  for (const el of root.querySelectorAll("[data-i18n-title]")) {
    el.title = t(el.dataset.i18nTitle);
    el.setAttribute("aria-label", t(el.dataset.i18nTitle));
  }
}
