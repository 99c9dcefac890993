// The page's client for the app API (/api): JSON calls with the CSRF token, the answer stream
// (server-sent events over a POST, read with fetch), and uploads with progress (XHR).

let csrfToken = null;

export class ApiError extends Error {
  constructor(status, error) {
    super((error && error.message) || `HTTP ${status}`);
    this.status = status;
    this.code = error && error.code;
  }
}

export function setCsrf(token) {
  csrfToken = token || null;
}

function headers(extra) {
  const h = { Accept: "application/json", ...extra };
  if (csrfToken) h["X-CSRF-Token"] = csrfToken;
  return h;
}

async function fail(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  throw new ApiError(response.status, body && body.error);
}

export async function api(method, path, body) {
  const init = { method, headers: headers(body === undefined ? {} : { "Content-Type": "application/json" }), credentials: "same-origin" };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(path, init);
  if (!response.ok) await fail(response);
  if (response.status === 204) return null;
  return response.json();
}

/** Fire a request that outlives the page (keepalive), e.g. when it is being closed. */
export function keepalive(method, path) {
  fetch(path, { method, keepalive: true, credentials: "same-origin", headers: headers({}) }).catch(() => {});
}

/**
 * POST a JSON body and call onEvent(event) for each `data: {...}` frame of the answer stream.
 * Resolves when the stream ends; rejects with AbortError when `signal` aborts it.
 */
export async function stream(path, body, onEvent, signal) {
  const response = await fetch(path, {
    method: "POST",
    headers: headers({ "Content-Type": "application/json", Accept: "text/event-stream" }),
    body: JSON.stringify(body),
    credentials: "same-origin",
    signal,
  });
  if (!response.ok) await fail(response);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let pending = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    pending += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = pending.indexOf("\n\n")) >= 0) {
      const frame = pending.slice(0, cut);
      pending = pending.slice(cut + 2);
      const data = frame.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart()).join("\n");
      if (data && data !== "[DONE]") onEvent(JSON.parse(data));
    }
  }
}

/** Upload one file as multipart/form-data; onProgress(fraction) while the bytes go out. */
export function upload(path, file, fields, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.setRequestHeader("Accept", "application/json");
    if (csrfToken) xhr.setRequestHeader("X-CSRF-Token", csrfToken);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(xhr.status, body && body.error));
    };
    xhr.onerror = () => reject(new ApiError(0, null));
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.append(key, value);
    form.append("file", file, file.name);
    xhr.send(form);
  });
}
