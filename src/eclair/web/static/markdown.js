// A small, safe markdown renderer for model output and user messages.
//
// Safety contract: text is never parsed as HTML. The renderer reads the markdown source as
// plain text and builds DOM nodes itself with createElement/textContent, so every character of
// the input, "<script>" included, ends up escaped as text. Only these elements are ever built:
// p, br, h1-h6 (shown as h3-h6), strong, em, del, code, pre, blockquote, ul, ol, li, hr, a, and
// button.cite (citation chips). The only attributes set are: href (http: and https: URLs only,
// re-serialised by the URL parser), rel, target, class, and data-cite / data-lang (plain
// strings). There are no images (![alt](src) renders its alt text), no raw HTML, no event
// handlers, and no style attributes. Nesting depth is capped.

const MAX_DEPTH = 6;
const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]{0,20})[^\n]*$/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;
const ITEM = /^( {0,8})([-*+]|\d{1,9}[.)])\s+(.*)$/;
const AUTOLINK = /^https?:\/\/[^\s<>"'`]+/i;
const LINK = /^\[([^\]\n]{1,1000})\]\(\s*<?([^\s()<>]{1,2000})>?(?:\s+"[^"\n]*")?\s*\)/;
const IMAGE = /^!\[([^\]\n]{0,1000})\]\(\s*<?([^\s()<>]{0,2000})>?(?:\s+"[^"\n]*")?\s*\)/;
const CITATION = /^\[(\d{1,3})\]/;
const ESCAPABLE = "\\`*_{}[]()#+-.!>~|";

/** The URL as the browser would use it, if and only if it is an absolute http(s) URL. */
export function safeHref(raw) {
  let url;
  try {
    url = new URL(String(raw).trim());
  } catch {
    return null;
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
}

function el(tag, className) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}

// -- inline ------------------------------------------------------------------------------

function findClosing(text, delimiter, from) {
  let i = from;
  while (i < text.length) {
    const at = text.indexOf(delimiter, i);
    if (at < 0) return -1;
    if (text[at - 1] !== "\\" && !/\s/.test(text[at - 1] || "")) return at;
    i = at + 1;
  }
  return -1;
}

function renderInline(text, parent, opts, depth) {
  let buffer = "";
  const flush = () => {
    if (buffer) parent.appendChild(document.createTextNode(buffer));
    buffer = "";
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const rest = text.slice(i);
    if (ch === "\\" && i + 1 < text.length && ESCAPABLE.includes(text[i + 1])) {
      buffer += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === "`") {
      const run = /^`+/.exec(rest)[0];
      const end = text.indexOf(run, i + run.length);
      if (end > 0) {
        flush();
        const code = el("code");
        code.textContent = text.slice(i + run.length, end).replace(/^ (.+) $/, "$1");
        parent.appendChild(code);
        i = end + run.length;
        continue;
      }
    }
    if (ch === "!" && text[i + 1] === "[") {
      const image = IMAGE.exec(rest);
      if (image) {
        buffer += image[1]; // images are never loaded: keep the alt text only
        i += image[0].length;
        continue;
      }
    }
    if (ch === "[") {
      const cite = CITATION.exec(rest);
      const n = cite ? Number(cite[1]) : 0;
      if (cite && n >= 1 && n <= (opts.citations || 0)) {
        flush();
        const chip = el("button", "cite");
        chip.type = "button";
        chip.dataset.cite = String(n);
        chip.textContent = String(n);
        parent.appendChild(chip);
        i += cite[0].length;
        continue;
      }
      const link = LINK.exec(rest);
      if (link) {
        const href = opts.inLink ? null : safeHref(link[2]);
        flush();
        if (href && depth < MAX_DEPTH) {
          const a = el("a");
          a.href = href;
          a.rel = "noopener noreferrer nofollow";
          a.target = "_blank";
          renderInline(link[1], a, { ...opts, inLink: true }, depth + 1);
          parent.appendChild(a);
        } else {
          renderInline(link[1], parent, opts, depth + 1);
        }
        i += link[0].length;
        continue;
      }
    }
    if ((ch === "h" || ch === "H") && !opts.inLink && !/[\w/]/.test(text[i - 1] || "")) {
      const auto = AUTOLINK.exec(rest);
      if (auto) {
        const raw = auto[0].replace(/[.,;:!?'")\]]+$/, "");
        const href = safeHref(raw);
        if (href) {
          flush();
          const a = el("a");
          a.href = href;
          a.rel = "noopener noreferrer nofollow";
          a.target = "_blank";
          a.textContent = raw;
          parent.appendChild(a);
          i += raw.length;
          continue;
        }
      }
    }
    if ((ch === "*" || ch === "_" || ch === "~") && depth < MAX_DEPTH) {
      const double = text[i + 1] === ch;
      const delimiter = double ? ch + ch : ch;
      // "snake_case" and "2*3*4" are not emphasis.
      const before = text[i - 1] || "";
      const wordInside =
        ch === "_" ? /[\p{L}\p{N}]/u.test(before) : /\d/.test(before) && /\d/.test(text[i + delimiter.length] || "");
      const opens = !/\s/.test(text[i + delimiter.length] || " ");
      if ((ch !== "~" || double) && opens && !wordInside) {
        const end = findClosing(text, delimiter, i + delimiter.length);
        const after = text[end + delimiter.length] || "";
        const closesWord = ch === "_" && /[\p{L}\p{N}]/u.test(after);
        if (end > i + delimiter.length && !closesWord) {
          flush();
          const tag = ch === "~" ? "del" : double ? "strong" : "em";
          const node = el(tag);
          renderInline(text.slice(i + delimiter.length, end), node, opts, depth + 1);
          parent.appendChild(node);
          i = end + delimiter.length;
          continue;
        }
      }
    }
    buffer += ch;
    i += 1;
  }
  flush();
}

function renderLines(lines, parent, opts, depth) {
  lines.forEach((line, index) => {
    if (index > 0) parent.appendChild(el("br"));
    renderInline(line.replace(/\s+$/, ""), parent, opts, depth);
  });
}

// -- blocks ------------------------------------------------------------------------------

function startsBlock(line) {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || ITEM.test(line);
}

function renderBlocks(lines, parent, opts, depth) {
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i += 1;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const body = [];
      i += 1;
      while (i < lines.length && !new RegExp(`^ {0,3}${fence[1][0]}{${fence[1].length},}\\s*$`).test(lines[i])) {
        body.push(lines[i]);
        i += 1;
      }
      i += 1; // the closing fence (absent while an answer is still streaming)
      const pre = el("pre");
      const code = el("code");
      if (fence[2]) pre.dataset.lang = fence[2];
      code.textContent = body.join("\n");
      pre.appendChild(code);
      parent.appendChild(pre);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const node = el(`h${Math.min(6, heading[1].length + 2)}`);
      renderInline(heading[2], node, opts, depth);
      parent.appendChild(node);
      i += 1;
      continue;
    }
    if (RULE.test(line)) {
      parent.appendChild(el("hr"));
      i += 1;
      continue;
    }
    if (QUOTE.test(line)) {
      const inner = [];
      while (i < lines.length && QUOTE.test(lines[i])) {
        inner.push(QUOTE.exec(lines[i])[1]);
        i += 1;
      }
      const quote = el("blockquote");
      if (depth < MAX_DEPTH) renderBlocks(inner, quote, opts, depth + 1);
      else renderLines(inner, quote, opts, depth);
      parent.appendChild(quote);
      continue;
    }
    const item = ITEM.exec(line);
    if (item) {
      i = renderList(lines, i, parent, opts, depth);
      continue;
    }
    const paragraph = [];
    while (i < lines.length && lines[i].trim() && !(paragraph.length && startsBlock(lines[i]))) {
      paragraph.push(lines[i].trim());
      i += 1;
    }
    const p = el("p");
    renderLines(paragraph, p, opts, depth);
    parent.appendChild(p);
  }
}

function renderList(lines, start, parent, opts, depth) {
  const first = ITEM.exec(lines[start]);
  const indent = first[1].length;
  const ordered = /\d/.test(first[2]);
  const list = el(ordered ? "ol" : "ul");
  let i = start;
  while (i < lines.length) {
    const item = ITEM.exec(lines[i]);
    if (!item || item[1].length !== indent || /\d/.test(item[2]) !== ordered) break;
    const content = [item[3]];
    i += 1;
    while (i < lines.length) {
      const next = lines[i];
      const nested = ITEM.exec(next);
      if (nested && nested[1].length <= indent) break;
      if (!next.trim()) {
        const following = lines[i + 1] || "";
        if (/^\s+\S/.test(following) && !(ITEM.exec(following) && ITEM.exec(following)[1].length <= indent)) {
          content.push("");
          i += 1;
          continue;
        }
        break;
      }
      if (!nested && !/^\s/.test(next) && startsBlock(next)) break;
      content.push(next.replace(new RegExp(`^ {0,${indent + 4}}`), ""));
      i += 1;
    }
    const li = el("li");
    if (depth < MAX_DEPTH && content.some((c, k) => k > 0 && ITEM.test(c))) {
      renderBlocks(content, li, opts, depth + 1);
      const only = li.children.length && li.firstElementChild.tagName === "P" ? li.firstElementChild : null;
      if (only) li.replaceChild(unwrap(only), only);
    } else {
      renderLines(content, li, opts, depth);
    }
    list.appendChild(li);
  }
  if (ordered) {
    const startNumber = parseInt(first[2], 10);
    if (startNumber !== 1 && Number.isFinite(startNumber)) list.start = startNumber;
  }
  parent.appendChild(list);
  return i;
}

function unwrap(p) {
  const fragment = document.createDocumentFragment();
  while (p.firstChild) fragment.appendChild(p.firstChild);
  return fragment;
}

/**
 * Render markdown source as a DocumentFragment of whitelisted elements.
 * opts.citations: how many citations the answer has ([1]..[n] become chips).
 */
export function renderMarkdown(source, opts = {}) {
  const fragment = document.createDocumentFragment();
  const text = String(source ?? "").replace(/\r\n?/g, "\n").replace(/\u0000/g, "\uFFFD");
  renderBlocks(text.split("\n"), fragment, { citations: opts.citations || 0 }, 0);
  return fragment;
}

/** Plain text (for user messages): line breaks kept, nothing interpreted. */
export function renderPlain(source) {
  const fragment = document.createDocumentFragment();
  const p = el("p");
  String(source ?? "").split("\n").forEach((line, index) => {
    if (index > 0) p.appendChild(el("br"));
    p.appendChild(document.createTextNode(line));
  });
  fragment.appendChild(p);
  return fragment;
}
