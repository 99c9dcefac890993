"""Writing a knowledge pack: a ZIM file of HTML articles with libzim's full-text index.

Contract: :func:`write_pack` writes ``articles`` (title, path, lead, sections) as one HTML
entry each, in the layout of Kiwix's Wikipedia packs (``<h1>`` title, lead paragraphs,
then ``<h2>`` sections; links between articles relative), with the metadata Kiwix readers
and :func:`eclair.knowledge.packs.zimfile.read_pack_info` read (``Name``, ``Title``,
``Language`` as ISO 639-3, ``Date``, ``Creator``, ``Publisher``, ``Description``) and a main
page listing the articles. Xapian full-text and title indexes are built in the pack's
language unless ``fulltext=False`` (a pack readable through titles only).

Éclair reads packs made by Kiwix; this writer exists so that tests and benchmarks build
real ZIM files (and so that a user can turn their own notes into a pack).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from libzim.writer import Creator, Hint, Item, StringProvider  # type: ignore[import-untyped]

ISO639_3 = {"en": "eng", "fr": "fra", "de": "deu", "es": "spa", "it": "ita"}


@dataclass(frozen=True, slots=True)
class Article:
    """One article: ``path`` is its URL path in the pack (``Victor_Hugo``)."""

    path: str
    title: str
    lead: str
    sections: tuple[tuple[str, str], ...] = ()
    links: tuple[str, ...] = ()
    redirects: tuple[str, ...] = field(default=())


class _HtmlItem(Item):  # type: ignore[misc]
    def __init__(self, path: str, title: str, content: str, *, front: bool = True):
        super().__init__()
        self._path, self._title, self._content, self._front = path, title, content, front

    def get_path(self) -> str:
        return self._path

    def get_title(self) -> str:
        return self._title

    def get_mimetype(self) -> str:
        return "text/html"

    def get_contentprovider(self) -> StringProvider:
        return StringProvider(self._content)

    def get_hints(self) -> dict[object, bool]:
        return {Hint.FRONT_ARTICLE: self._front}


def article_html(article: Article, titles: dict[str, str] | None = None) -> str:
    """The article as a Kiwix-style HTML page."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>{esc(article.title)}</title></head><body>",
        f"<h1>{esc(article.title)}</h1>",
        f"<p>{esc(article.lead)}</p>",
    ]
    for heading, text in article.sections:
        parts.append(f"<h2>{esc(heading)}</h2><p>{esc(text)}</p>")
    if article.links:
        items = "".join(
            f"<li><a href='{esc(link)}'>{esc((titles or {}).get(link, link.replace('_', ' ')))}</a></li>"
            for link in article.links
        )
        parts.append(f"<h2>See also</h2><ul>{items}</ul>")
    parts.append("</body></html>")
    return "".join(parts)


def write_pack(
    path: Path,
    articles: Iterable[Article],
    *,
    name: str,
    title: str,
    language: str,
    description: str = "",
    day: date | None = None,
    fulltext: bool = True,
    workers: int = 2,
) -> Path:
    """Write ``articles`` to a new ZIM file at ``path`` (see module docstring)."""
    articles = list(articles)
    titles = {a.path: a.title for a in articles}
    lang3 = ISO639_3.get(language, language)
    path.parent.mkdir(parents=True, exist_ok=True)
    creator = Creator(str(path)).config_nbworkers(workers).config_verbose(False)
    if fulltext:
        creator.config_indexing(True, lang3)
    with creator:
        creator.set_mainpath("index")
        for key, value in (
            ("Name", name),
            ("Title", title),
            ("Language", lang3),
            ("Date", (day or date.today()).isoformat()),
            ("Creator", "Éclair"),
            ("Publisher", "Éclair"),
            ("Description", description or title),
        ):
            creator.add_metadata(key, value)
        for article in articles:
            creator.add_item(_HtmlItem(article.path, article.title, article_html(article, titles)))
            for alias in article.redirects:
                creator.add_redirection(
                    alias, alias.replace("_", " "), article.path, {Hint.FRONT_ARTICLE: False}
                )
        index = "".join(
            f"<li><a href='{html.escape(a.path)}'>{html.escape(a.title)}</a></li>" for a in articles[:1000]
        )
        creator.add_item(
            _HtmlItem(
                "index",
                title,
                f"<html><body><h1>{html.escape(title)}</h1><ul>{index}</ul></body></html>",
                front=False,
            )
        )
    return path
