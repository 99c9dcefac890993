// Dialogs and side features: citations (quote + document), documents (list, upload with
// progress, drag-and-drop), API keys. Everything user-provided is set with textContent.

import { api, upload, ApiError } from "./api.js";
import { t, lang } from "./i18n.js";
import { $, h, toast, copyText, formatNumber } from "./ui.js";

// -- citations ---------------------------------------------------------------------------

export function documentIdOf(citation) {
  if (citation.document_id) return citation.document_id;
  const chunk = String(citation.chunk_id || "");
  return chunk.includes(":") ? chunk.slice(0, chunk.lastIndexOf(":")) : chunk;
}

export async function openCitation(citation) {
  const dialog = $("citation");
  $("citation-source").textContent = citation.source || "";
  $("citation-quote").textContent = citation.quote || "";
  const box = $("citation-document");
  box.replaceChildren(h("span", { class: "muted", text: "…" }));
  // a pack's article opens in the page's own reader: only a local /kb/ link is followed
  const local = typeof citation.url === "string" && citation.url.startsWith("/kb/") ? citation.url : "";
  $("citation-open").hidden = !local;
  if (local) $("citation-open").href = local;
  else $("citation-open").removeAttribute("href");
  if (!dialog.open) dialog.showModal();
  try {
    // a pack's article (offline encyclopedia) or one of the user's documents
    const doc = local
      ? await api("GET", `/api/knowledge/articles${local.slice("/kb".length)}`)
      : await api("GET", `/api/documents/${encodeURIComponent(documentIdOf(citation))}/text`);
    const text = doc.text || "";
    const start = Math.max(0, Math.min(text.length, Number(citation.start) || 0));
    const end = Math.max(start, Math.min(text.length, Number(citation.end) || start));
    const mark = h("mark", { text: text.slice(start, end) });
    box.replaceChildren(document.createTextNode(text.slice(0, start)), mark, document.createTextNode(text.slice(end)));
    mark.scrollIntoView({ block: "center" });
  } catch {
    box.replaceChildren(h("span", { class: "muted", text: t("cite.missing") }));
  }
}

// -- documents ---------------------------------------------------------------------------

let documentsEnabled = true;

export function setDocumentsEnabled(enabled) {
  documentsEnabled = enabled;
  $("open-documents").hidden = !enabled;
}

export async function refreshDocuments() {
  const list = $("document-list");
  let docs = [];
  try {
    docs = (await api("GET", "/api/documents")).data;
  } catch (error) {
    list.replaceChildren();
    $("documents-empty").textContent = error instanceof ApiError && error.status === 503 ? t("docs.unavailable") : error.message;
    $("documents-empty").hidden = false;
    return;
  }
  $("documents-empty").textContent = t("docs.empty");
  $("documents-empty").hidden = docs.length > 0;
  list.replaceChildren(
    ...docs.map((doc) =>
      h(
        "li",
        { dataset: { id: doc.id } },
        documentDetails(doc),
        doc.shared
          ? h("span", { class: "muted small", text: t("docs.shared") })
          : h("button", {
              type: "button",
              class: "ghost",
              text: t("docs.delete"),
              onclick: async () => {
                try {
                  await api("DELETE", `/api/documents/${encodeURIComponent(doc.id)}`);
                } catch (error) {
                  toast(error.message);
                }
                refreshDocuments();
              },
            }),
      ),
    ),
  );
}

/** A document's name (cut to fit, whole on hover) that opens onto its details: the whole
 * name, wrapped, so that two long names that start alike can be told apart. */
function documentDetails(doc) {
  const added = new Date(doc.created_at * 1000).toLocaleString(lang(), { dateStyle: "medium", timeStyle: "short" });
  const fact = (label, value) => [h("dt", { text: t(label) }), h("dd", { text: value })];
  return h(
    "details",
    { class: "doc-details" },
    h("summary", { title: doc.filename }, h("span", { class: "name", text: doc.filename })),
    h(
      "dl",
      {},
      fact("docs.name", doc.filename),
      fact("docs.collection", doc.collection),
      fact("docs.size", formatBytes(doc.bytes, lang())),
      fact("docs.chunks", formatNumber(doc.chunks, 0, lang())),
      fact("docs.added", added),
    ),
  );
}

function formatBytes(bytes, locale) {
  if (bytes < 1024) return `${formatNumber(bytes, 0, locale)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, 1, locale)} KB`;
  return `${formatNumber(bytes / (1024 * 1024), 1, locale)} MB`;
}

// -- knowledge packs (offline encyclopedias) --------------------------------------------

let canManagePacks = false;

export function setPackAdmin(allowed) {
  canManagePacks = allowed;
  $("pack-form").hidden = !allowed;
}

export async function refreshPacks() {
  let packs = [];
  try {
    packs = (await api("GET", "/api/knowledge/packs")).data;
  } catch (error) {
    $("pack-list").replaceChildren(h("li", { class: "muted", text: error.message }));
    return;
  }
  $("pack-list").replaceChildren(
    ...(packs.length ? [] : [h("li", { class: "muted", text: t("packs.empty") })]),
    ...packs.map((pack) =>
      h(
        "li",
        {},
        h("span", { class: "name", text: pack.title, title: `${pack.title} (${pack.name})` }),
        h("span", {
          class: "muted small",
          text: `${pack.language} · ${formatNumber(pack.articles, 0, lang())} ${t("packs.articles")}${pack.date ? ` · ${pack.date}` : ""}`,
        }),
        canManagePacks
          ? h("button", {
              type: "button",
              class: "ghost",
              text: t("docs.delete"),
              onclick: async () => {
                try {
                  await api("DELETE", `/api/knowledge/packs/${encodeURIComponent(pack.name)}`);
                } catch (error) {
                  toast(error.message);
                }
                refreshPacks();
              },
            })
          : h("span", { class: "muted small", text: t("docs.shared") }),
      ),
    ),
  );
}

function bindPacks() {
  $("pack-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = event.target.querySelector("button");
    button.disabled = true;
    toast(t("packs.checking"));
    try {
      await api("POST", "/api/knowledge/packs", { path: $("pack-path").value.trim() });
      $("pack-path").value = "";
    } catch (error) {
      toast(error.message);
    } finally {
      button.disabled = false;
    }
    refreshPacks();
  });
}

/** Upload files with a progress row each; resolves to the documents that were added. */
export async function uploadFiles(files) {
  if (!documentsEnabled) {
    toast(t("docs.unavailable"));
    return [];
  }
  const collection = $("collection").value.trim() || "default";
  const uploads = [];
  for (const file of files) {
    const bar = h("progress", { max: "1", value: "0" });
    const status = h("span", { class: "muted", text: "0 %" });
    const row = h("div", { class: "upload" }, h("span", { text: file.name, title: file.name }), bar, status);
    $("uploads").appendChild(row);
    const sent = upload("/api/documents", file, { collection }, (fraction) => {
      bar.value = fraction;
      status.textContent = `${Math.round(fraction * 100)} %`;
    })
      .then((document) => {
        bar.value = 1;
        status.textContent = t("docs.uploaded");
        row.classList.add("done");
        if ($("documents").open) refreshDocuments();
        setTimeout(() => row.remove(), 4000);
        return document;
      })
      .catch((error) => {
        row.classList.add("failed");
        status.textContent = error.status === 0 ? t("error.network") : error.message;
        setTimeout(() => row.remove(), 10000);
        return null;
      });
    uploads.push(sent);
  }
  return (await Promise.all(uploads)).filter(Boolean);
}

// Files dropped on the page go here: the message box attaches them to the conversation.
let dropped = (files) => uploadFiles(files);

export function onDroppedFiles(handler) {
  dropped = handler;
}

export function bindDocuments() {
  $("open-documents").addEventListener("click", () => {
    $("documents").showModal();
    refreshDocuments();
    refreshPacks();
  });
  bindPacks();
  $("file-input").addEventListener("change", (event) => {
    uploadFiles([...event.target.files]);
    event.target.value = "";
  });
  let depth = 0;
  const hasFiles = (event) => event.dataTransfer && [...event.dataTransfer.types].includes("Files");
  window.addEventListener("dragenter", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth += 1;
    $("drop").hidden = false;
  });
  window.addEventListener("dragover", (event) => {
    if (hasFiles(event)) event.preventDefault();
  });
  window.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) $("drop").hidden = true;
  });
  window.addEventListener("drop", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth = 0;
    $("drop").hidden = true;
    dropped([...event.dataTransfer.files]);
  });
}

// -- API keys ----------------------------------------------------------------------------

async function refreshKeys() {
  const keys = await api("GET", "/api/keys");
  $("key-list").replaceChildren(
    ...(keys.length ? [] : [h("li", { class: "muted", text: t("keys.empty") })]),
    ...keys.map((key) =>
      h(
        "li",
        {},
        h("span", { class: "name", text: key.name }),
        h("code", { class: "small", text: `${key.prefix}…` }),
        key.revoked_at
          ? h("span", { class: "muted small", text: t("keys.revoked") })
          : h("button", {
              type: "button",
              class: "ghost",
              text: t("keys.revoke"),
              onclick: async () => {
                await api("DELETE", `/api/keys/${encodeURIComponent(key.id)}`);
                refreshKeys();
              },
            }),
      ),
    ),
  );
}

export function bindKeys() {
  $("open-keys").addEventListener("click", () => {
    $("key-secret").hidden = true;
    $("keys").showModal();
    refreshKeys().catch((error) => toast(error.message));
  });
  $("key-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const created = await api("POST", "/api/keys", { name: $("key-name").value });
      $("key-secret-value").textContent = created.secret;
      $("key-secret").hidden = false;
      $("key-name").value = "";
      copyText(created.secret);
      refreshKeys();
    } catch (error) {
      toast(error.message);
    }
  });
}

export function bindDialogs() {
  for (const button of document.querySelectorAll("dialog .close")) {
    button.addEventListener("click", () => button.closest("dialog").close());
  }
}
