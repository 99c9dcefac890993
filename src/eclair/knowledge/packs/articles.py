"""Reading a pack's article: its text for answers, and its page for the reader.

Contract:
- :func:`article_text` turns an article's HTML into plain text in reading order: the title's
  lead paragraphs first, then each section as its heading followed by its paragraphs and list
  items, paragraphs separated by a blank line. Tables, infoboxes' cells, footnote marks,
  figures, scripts and styles are left out, and so are the trailing sections that hold no
  prose (see also, references, notes, external links, bibliography — FR and EN). The HTML
  is read with :func:`eclair.knowledge.htmlscan.html_events`: linear in the page's length.
- :func:`paragraph_spans` gives the ``(start, end)`` offsets of those paragraphs in the text,
  lead first, so a citation's quote is exactly ``text[start:end]``.
- :func:`safe_page` is what ``GET /kb/{pack}/{path}`` serves: the page reduced to an
  allow-list of tags and attributes by ``nh3`` (no script, no event handler, no style
  attribute, no form), links and images only relative or ``data:`` — the server adds a
  Content-Security-Policy that forbids any other origin, so reading an article makes no
  request outside this machine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import nh3

from eclair.knowledge.htmlscan import html_events
from eclair.text.fold import fold

_SKIP = frozenset(
    {"table", "sup", "figure", "figcaption", "nav", "footer", "math", "style", "script", "noscript", "aside"}
)
_BLOCKS = frozenset({"p", "li", "dd", "dt", "blockquote"})
_HEADINGS = frozenset({"h2", "h3", "h4"})
_NO_PROSE = frozenset(
    fold(h)
    for h in (
        "See also", "References", "Notes", "External links", "Further reading", "Bibliography", "Sources",
        "Voir aussi", "Références", "Notes et références", "Liens externes", "Bibliographie", "Articles connexes",
    )
)  # fmt: skip
_SPACES = re.compile(r"\s+")

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "div", "dl", "dt", "em", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "q", "s", "section",
    "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    "details", "summary", "title", "head", "body", "html", "meta",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "meta": {"charset"},
}
# Only relative URLs and inline images: every absolute scheme but data is removed by nh3.
_SCHEMES = {"data"}


@dataclass(frozen=True, slots=True)
class ArticleText:
    title: str
    text: str
    paragraphs: tuple[tuple[int, int], ...]  # (start, end) of each paragraph, lead first
    lead_paragraphs: int  # how many of them come before the first section


def _clean(parts: list[str]) -> str:
    return _SPACES.sub(" ", "".join(parts)).strip()


def article_text(page: str, title: str = "") -> ArticleText:
    """The article's prose (see module docstring)."""
    blocks: list[tuple[str, str]] = []  # ("lead" | "heading" | "text", text)
    skipping = 0
    current: list[str] | None = None
    kind = ""
    seen_heading = False
    in_h1 = False
    for event, value in html_events(page):
        if event == "start":
            if value in _SKIP:
                skipping += 1
            elif value == "h1":
                in_h1 = True
            elif value in _HEADINGS and not skipping:
                current, kind = [], "heading"
            elif value in _BLOCKS and not skipping and current is None:
                current, kind = [], "text"
        elif event == "end":
            if value in _SKIP:
                skipping = max(0, skipping - 1)
            elif value == "h1":
                in_h1 = False
            elif current is not None and (value in _HEADINGS if kind == "heading" else value in _BLOCKS):
                text = _clean(current)
                if text:
                    if kind == "heading":
                        seen_heading = True
                    blocks.append((kind if kind == "heading" or seen_heading else "lead", text))
                current = None
        elif current is not None and not skipping and not in_h1:
            current.append(value)
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    lead = 0
    position = 0
    dropping = False
    for kind, text in blocks:
        if kind == "heading":
            dropping = fold(text) in _NO_PROSE
            if dropping:
                continue
        elif dropping:
            continue
        if out:
            out.append("\n\n")
            position += 2
        out.append(text)
        if kind != "heading":
            spans.append((position, position + len(text)))
            lead += kind == "lead"
        position += len(text)
    return ArticleText(title, "".join(out), tuple(spans), lead)


# ZIM files name their language in ISO 639-3 ("fra", "eng"); a page's ``lang`` wants BCP 47.
_LANG_TAGS = {"fra": "fr", "eng": "en", "deu": "de", "spa": "es", "ita": "it", "por": "pt", "nld": "nl"}


def page_language(language: str) -> str | None:
    """The ``lang`` of a pack's pages, from the pack's (first) language; None if unusable."""
    first = language.split(",")[0].strip().lower()
    tag = _LANG_TAGS.get(first, first)
    return tag if re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{1,8})*", tag) else None


def safe_page(page: str, language: str | None = None) -> str:
    """The page as the reader serves it (see module docstring), in ``language`` when given
    (the ``lang`` of its ``<html>``: screen readers pronounce it in that language)."""
    cleaned = _allowed(page)
    if language is None:
        return cleaned
    opening = re.match(r"\s*<html(?=[\s>])", cleaned)
    if opening:
        return f'{cleaned[: opening.end()]} lang="{language}"{cleaned[opening.end() :]}'
    return f'<html lang="{language}">{cleaned}'


def _allowed(page: str) -> str:
    return nh3.clean(
        page,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
