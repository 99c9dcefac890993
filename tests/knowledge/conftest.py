"""Fixtures for the knowledge base: a fresh base in a temporary data dir, the main database on
SQLite and (``ECLAIR_TEST_POSTGRES_URL`` set) PostgreSQL, and a PDF maker."""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from eclair.knowledge.base import KnowledgeBase
from tests.conftest import postgres_schema


@pytest.fixture
async def kb(tmp_path: Path, database_url: str) -> AsyncIterator[KnowledgeBase]:
    """A fresh base, on SQLite and on PostgreSQL: the knowledge base behaves the same on both."""
    base = KnowledgeBase(tmp_path / "data", database_url=database_url, dense=False)
    yield base
    await base.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The main database's URL: SQLite in the data dir, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'eclair.db'}"
        return
    with postgres_schema("kb") as url:
        yield url


def make_pdf(lines: list[str]) -> bytes:
    """A minimal one-page text PDF (Helvetica, WinAnsi so French accents survive)."""

    def escape(text: str) -> bytes:
        return text.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    content = (
        b"BT /F1 11 Tf 14 TL 56 780 Td " + b" ".join(b"(" + escape(line) + b") '" for line in lines) + b" ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    return write_pdf(objects)


# -- hostile and large PDFs, built by hand -----------------------------------------------

_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def write_pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (numbered from 1; object 1 is the catalog) with its xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(content: bytes, compress: bool = False) -> bytes:
    if compress:
        content = zlib.compress(content, 9)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream"
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


def repeated_page_pdf(count: int = 40_000) -> bytes:
    """One page object that the page tree's ``/Kids`` lists ``count`` times."""
    return write_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + b" ".join([b"3 0 R"] * count) + b"] /Count %d >>" % count,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            _stream(b"BT /F1 12 Tf 72 720 Td (Hello hostile world) Tj ET"),
            _FONT,
        ]
    )


def page_tree_pdf(depth: int = 15) -> bytes:
    """Under 2 KB, ``2**depth`` pages: each ``/Pages`` node lists the next one twice."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        child = level + 3  # the next node, or the page under the last node
        objects.append(
            b"<< /Type /Pages /Kids [%d 0 R %d 0 R] /Count %d >>" % (child, child, 2 ** (depth - level))
        )
    page = len(objects) + 1
    objects += [
        b"<< /Type /Page /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> >>"
        % (page + 1, page + 2),
        _stream(b"BT /F1 12 Tf 72 720 Td (Hello hostile world) Tj ET"),
        _FONT,
    ]
    return write_pdf(objects)


def wordy_pdf(repeats: int = 60_000) -> bytes:
    """About 12 KB, one page that draws 3.3 million characters (a compressed content stream)."""
    line = b"(lorem ipsum dolor sit amet consectetur adipiscing elit) Tj T* "
    return write_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            _stream(b"BT /F1 8 Tf 12 TL 10 780 Td " + line * repeats + b"ET", compress=True),
            _FONT,
        ]
    )


def book_pdf(pages: int, lines: int = 50) -> bytes:
    """An honest document: ``pages`` distinct pages of ``lines`` lines of prose each."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", _FONT]
    kids = []
    for number in range(pages):
        text = b" ".join(
            b"(Page %d, line %d: the harbour ferry leaves at nine and returns at six.) '" % (number, line)
            for line in range(lines)
        )
        objects.append(_stream(b"BT /F1 9 Tf 11 TL 40 800 Td " + text + b" ET", compress=True))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
            b" /Resources << /Font << /F1 3 0 R >> >> >>" % len(objects)
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), pages)
    return write_pdf(objects)
