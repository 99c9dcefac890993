// Small DOM helpers shared by the page's modules. Text always goes in through textContent.

export const $ = (id) => document.getElementById(id);

export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

let toastTimer = null;

/**
 * Show a short message. `action` ({label, run}) adds one button (e.g. Undo) that runs it and
 * closes the message; `ms` is how long it stays.
 */
export function toast(message, { action = null, ms = 4000 } = {}) {
  const box = $("toast");
  box.replaceChildren(h("span", { text: message }));
  if (action) {
    box.appendChild(
      h("button", {
        type: "button",
        class: "toast-action",
        text: action.label,
        onclick: () => {
          box.hidden = true;
          action.run();
        },
      }),
    );
  }
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    box.hidden = true;
  }, ms);
}

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = h("textarea", { class: "sr-only" });
    area.value = text;
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

export function formatNumber(value, digits, locale) {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(value);
}

/** Two significant digits for small quantities (energy, carbon): 0.00042, 0.013, 1.2, 35. */
export function formatSmall(value, locale) {
  if (value === 0) return "0";
  return new Intl.NumberFormat(locale, { maximumSignificantDigits: 2 }).format(value);
}

export function formatDuration(ms, locale) {
  if (ms < 1000) return `${formatNumber(ms, 0, locale)} ms`;
  return `${formatNumber(ms / 1000, 1, locale)} s`;
}

const SVG = "http://www.w3.org/2000/svg";

/** An icon from the page's inline sprite (#i-NAME). */
export function icon(name, small = true) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", small ? "i small" : "i");
  svg.setAttribute("aria-hidden", "true");
  const use = document.createElementNS(SVG, "use");
  use.setAttribute("href", `#i-${name}`);
  svg.appendChild(use);
  return svg;
}
