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
  if (!dialog.open) dialog.showModal();
  try {
    const doc = await api("GET", `/api/documents/${encodeURIComponent(documentIdOf(citation))}/text`);
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
        h("span", { class: "name", text: doc.filename, title: doc.filename }),
        h("span", { class: "muted small", text: `${doc.collection} · ${formatNumber(doc.chunks, 0, lang())} ${t("docs.chunks")}` }),
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

export function uploadFiles(files) {
  if (!documentsEnabled) {
    toast(t("docs.unavailable"));
    return;
  }
  const collection = $("collection").value.trim() || "default";
  for (const file of files) {
    const bar = h("progress", { max: "1", value: "0" });
    const status = h("span", { class: "muted", text: "0 %" });
    const row = h("div", { class: "upload" }, h("span", { text: file.name, title: file.name }), bar, status);
    $("uploads").appendChild(row);
    upload("/api/documents", file, { collection }, (fraction) => {
      bar.value = fraction;
      status.textContent = `${Math.round(fraction * 100)} %`;
    })
      .then(() => {
        bar.value = 1;
        status.textContent = t("docs.uploaded");
        row.classList.add("done");
        if ($("documents").open) refreshDocuments();
        setTimeout(() => row.remove(), 4000);
      })
      .catch((error) => {
        row.classList.add("failed");
        status.textContent = error.status === 0 ? t("error.network") : error.message;
        setTimeout(() => row.remove(), 10000);
      });
  }
}

export function bindDocuments() {
  $("open-documents").addEventListener("click", () => {
    $("documents").showModal();
    refreshDocuments();
  });
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
    uploadFiles([...event.dataTransfer.files]);
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
