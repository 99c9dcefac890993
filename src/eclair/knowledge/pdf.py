"""The text of a PDF, with bounded work: hostile page trees and text bombs end early.

Contract:
- :func:`pdf_text` returns the text of each page as pypdf extracts it, stripped, pages joined
  by a blank line. A file pypdf cannot read raises :class:`~eclair.errors.InvalidRequest`
  (``invalid_pdf``), an encrypted one too (``encrypted_file``).
- With ``max_pages``, the page tree is counted before pypdf flattens it, visiting at most
  about ``2 × max_pages`` entries: a 2 KB PDF can list 40,000 pages (one page object listed
  again and again, or page-tree nodes that list their child twice), which pypdf would flatten
  whole and extract 40,000 times. A tree with more pages, or that many entries without
  reaching them (cycles, empty nodes), raises :class:`~eclair.errors.PayloadTooLarge`
  (``document_too_large``) before any page is read.
- With ``max_chars``, extraction stops as soon as the text read so far passes it, inside a
  page too (pypdf calls a visitor for each piece of text it finds), and raises the same
  error: a 36 KB PDF can draw millions of characters. The count is of the text before
  normalisation, which is never shorter than what would be stored.
- Pages that show the same content streams under the same resources and rotation (the
  same page object listed twice, say) have the same text, so it is extracted once.

Not bounded here: the time pypdf takes to parse one content stream. The extraction sandbox
(:mod:`eclair.knowledge.sandbox`) runs this in a worker process under a timeout.
"""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING, Any

from eclair.errors import EclairError, InvalidRequest, PayloadTooLarge

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader

log = logging.getLogger(__name__)

MAX_TREE_DEPTH = 100  # pypdf's own limit on nested page-tree nodes


class _TooMuchText(Exception):
    """Raised from pypdf's text visitor to stop a page's extraction at the character cap."""


def too_much_text(filename: str, max_chars: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"{filename!r} holds more than {max_chars:,} characters of text (max_document_chars)",
        param="file",
        code="document_too_large",
    )


def pdf_text(
    data: bytes, filename: str, *, max_pages: int | None = None, max_chars: int | None = None
) -> str:
    """The text of a PDF's pages (see module docstring)."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InvalidRequest(f"{filename!r} is encrypted", param="file", code="encrypted_file")
        if max_pages is not None:
            _check_page_count(reader, max_pages, filename)
        pages = _page_texts(reader, filename, max_chars)
    except EclairError:
        raise
    except Exception as exc:  # untrusted input: any parser failure means "not a readable PDF"
        log.debug("pdf extraction failed for %s", filename, exc_info=True)
        raise InvalidRequest(f"{filename!r} is not a readable PDF", param="file", code="invalid_pdf") from exc
    return "\n\n".join(pages)


def _check_page_count(reader: PdfReader, limit: int, filename: str) -> None:
    """Refuse a page tree with more than ``limit`` pages, walking it as pypdf would (a node
    with ``/Type /Pages``, or with ``/Kids`` and no type, is a node; other dictionaries are
    pages) but stopping at the limit instead of flattening it first."""
    from pypdf.generic import ArrayObject, DictionaryObject

    budget = 2 * limit + 64  # entries visited: empty nodes and cycles end here too
    pages = 0
    stack: list[Any] = [iter([reader.root_object.get("/Pages")])]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        budget -= 1
        if budget < 0:
            raise PayloadTooLarge(
                f"{filename!r} has a page tree of more than {2 * limit + 64:,} entries (max_pdf_pages)",
                param="file",
                code="document_too_large",
            )
        node = entry.get_object()
        if not isinstance(node, DictionaryObject) or not node:
            continue
        # indexing resolves an indirect /Type, get() would not
        kind = node["/Type"] if "/Type" in node else ("/Pages" if "/Kids" in node else "/Page")  # noqa: SIM401
        if kind == "/Pages":
            if len(stack) > MAX_TREE_DEPTH:
                raise ValueError("page tree too deep")
            kids = node.get("/Kids")
            kids = None if kids is None else kids.get_object()
            if isinstance(kids, ArrayObject):
                stack.append(iter(kids))
        elif kind == "/Page":
            pages += 1
            if pages > limit:
                raise PayloadTooLarge(
                    f"{filename!r} has more than {limit:,} pages (max_pdf_pages)",
                    param="file",
                    code="document_too_large",
                )


def _identity(value: Any) -> object:
    """What makes two PDF values the same object: the reference, else the parsed object."""
    from pypdf.generic import ArrayObject, IndirectObject

    if isinstance(value, IndirectObject):
        return (value.idnum, value.generation)
    if isinstance(value, ArrayObject):
        return tuple(_identity(item) for item in value)
    return id(value)  # the reader keeps every page, hence this object, alive while we read


def _page_key(page: PageObject) -> tuple[object, ...]:
    """Pages with equal keys have the same text."""
    raw = {name: page.raw_get(name) if name in page else None for name in ("/Contents", "/Resources")}
    rotate = page.get("/Rotate")
    return (
        _identity(raw["/Contents"]),
        _identity(raw["/Resources"]),
        None if rotate is None else int(rotate.get_object()),
    )


def _page_texts(reader: PdfReader, filename: str, max_chars: int | None) -> list[str]:
    texts: list[str] = []
    seen: dict[tuple[object, ...], str] = {}
    total = 0
    for page in reader.pages:
        key = _page_key(page)
        text = seen.get(key)
        if text is None:
            remaining = None if max_chars is None else max_chars - total
            text = seen[key] = _extract(page, remaining, filename, max_chars)
        total += len(text) + 2
        if max_chars is not None and total > max_chars + 2:
            raise too_much_text(filename, max_chars)
        texts.append(text)
    return texts


def _extract(page: PageObject, remaining: int | None, filename: str, max_chars: int | None) -> str:
    """One page's text; with ``remaining``, stop as soon as the page draws more than that."""
    if remaining is None or max_chars is None:
        return (page.extract_text() or "").strip()
    drawn = 0

    def count(text: str, *_: object) -> None:
        nonlocal drawn
        drawn += len(text)
        if drawn > remaining:
            raise _TooMuchText

    try:
        return (page.extract_text(visitor_text=count) or "").strip()
    except _TooMuchText:
        raise too_much_text(filename, max_chars) from None
