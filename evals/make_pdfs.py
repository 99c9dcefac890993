"""Build the PDF sample documents of the evaluation suite from their text sources.

Usage: ``python evals/make_pdfs.py`` (from the repository root; no dependency).

Each ``evals/pdf-src/NAME.txt`` becomes ``evals/docs/NAME.pdf``: a plain, text-based PDF
(standard Helvetica fonts, WinAnsi encoding so French accents survive, A4 pages) written
by hand, byte for byte deterministic so the committed files can be regenerated and compared.
Source syntax: ``# `` starts a title, ``## `` a heading, a blank line separates paragraphs,
every other line is a paragraph line (wrapped to the page width).
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

EVALS = Path(__file__).resolve().parent
PAGE_W, PAGE_H = 595, 842  # A4 in points
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 56, 64, 64
WRAP = 92  # characters per body line at 10 pt Helvetica

# (font resource, size, leading, space before) per line kind.
STYLES = {
    "title": ("F2", 17, 24, 0),
    "heading": ("F2", 12, 18, 8),
    "body": ("F1", 10, 14, 0),
    "gap": ("F1", 10, 7, 0),
}


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def layout(source: str) -> list[tuple[str, str]]:
    """Turn the source text into (style, line) pairs, paragraphs wrapped."""
    lines: list[tuple[str, str]] = []
    for raw in source.splitlines():
        text = raw.strip()
        if not text:
            lines.append(("gap", ""))
        elif text.startswith("## "):
            lines.append(("heading", text[3:]))
        elif text.startswith("# "):
            lines.append(("title", text[2:]))
        else:
            lines.extend(("body", part) for part in textwrap.wrap(text, WRAP))
    return lines


def paginate(lines: list[tuple[str, str]]) -> list[bytes]:
    """Content streams, one per page."""
    pages: list[bytes] = []
    ops: list[bytes] = []
    y = PAGE_H - MARGIN_TOP
    for style, text in lines:
        font, size, leading, before = STYLES[style]
        if y - before - leading < MARGIN_BOTTOM:
            pages.append(b"\n".join(ops))
            ops, y = [], PAGE_H - MARGIN_TOP
            if style == "gap":
                continue
        y -= before + leading
        if text:
            ops.append(
                b"BT /%s %d Tf %d %d Td (%s) Tj ET" % (font.encode(), size, MARGIN_X, y, _escape(text))
            )
    if ops:
        pages.append(b"\n".join(ops))
    return pages


def build_pdf(source: str, title: str) -> bytes:
    pages = paginate(layout(source))
    n = len(pages)
    # Object numbers: 1 catalog, 2 pages, 3-4 fonts, 5 info, then (page, content) pairs.
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (6 + 2 * i) for i in range(n)), n),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title (%s) /Producer (evals/make_pdfs.py) >>" % _escape(title),
    ]
    for i, content in enumerate(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>" % (PAGE_W, PAGE_H, 7 + 2 * i)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content) + 1, content))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def main() -> int:
    for source in sorted((EVALS / "pdf-src").glob("*.txt")):
        text = source.read_text(encoding="utf-8")
        first = next((line[2:] for line in text.splitlines() if line.startswith("# ")), source.stem)
        target = EVALS / "docs" / f"{source.stem}.pdf"
        target.write_bytes(build_pdf(text, first))
        print(f"wrote {target.relative_to(EVALS.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
