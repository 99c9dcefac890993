"""Plain text out of uploaded files: txt, md, html, pdf.

Contract:
- :func:`extract_text` returns the text that the knowledge base stores whole and that
  every chunk offset and citation points into. It is NFC-normalised, uses ``\\n`` line
  ends, has no NUL or other control characters, no trailing spaces on lines and at most one
  blank line in a row.
- The format is chosen from the file name's extension, then from the content (``%PDF-``,
  an HTML tag) when the extension says nothing; anything else is refused with
  :class:`~eclair.errors.InvalidRequest` (code ``unsupported_file_type``), as are files that
  cannot be decoded or hold no text (a scanned PDF without a text layer).
- Markdown is reduced to its text (heading marks, emphasis, link targets, code fences
  removed) so that quotes read as prose. HTML goes through trafilatura (main content, no
  navigation or boilerplate), with a plain tag-stripping fallback for pages too small for
  trafilatura's heuristics. PDF pages are joined with a blank line.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from pathlib import PurePath

from eclair.errors import InvalidRequest
from eclair.knowledge.htmlscan import html_events
from eclair.knowledge.lexical import wordset
from eclair.knowledge.pdf import pdf_text, too_much_text

log = logging.getLogger(__name__)

FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
}
SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(FORMATS)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Matched from the first space of a run only: tried from each space of a long run that no
# newline ends, the run would be rescanned to its end every time (quadratic).
_TRAILING_SPACE = re.compile(r"(?<![ \t\u00a0])[ \t\u00a0]++\n")
_BLANK_LINES = re.compile(r"\n{3,}")


def detect_format(filename: str, data: bytes) -> str:
    """``txt``, ``md``, ``html`` or ``pdf``; raises InvalidRequest for anything else."""
    suffix = PurePath(filename).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        return "pdf"
    if re.match(rb"(?i)<(!doctype html|html|head|body)\b", head):
        return "html"
    if not suffix and b"\x00" not in head:
        return "txt"
    raise InvalidRequest(
        f"unsupported file type {suffix or '(none)'!r} for {filename!r}: "
        f"supported are {', '.join(SUPPORTED_EXTENSIONS)}",
        param="file",
        code="unsupported_file_type",
    )


def extract_text(
    data: bytes, filename: str, *, max_pages: int | None = None, max_chars: int | None = None
) -> str:
    """The normalised plain text of a file (see module docstring). With ``max_chars``, a file
    whose text is longer is refused (413 ``document_too_large``), a PDF as soon as it passes
    the cap; with ``max_pages``, a PDF of more pages is refused before any page is read
    (:mod:`eclair.knowledge.pdf`)."""
    kind = detect_format(filename, data)
    if kind == "pdf":
        raw = _pdf_text(data, filename, max_pages=max_pages, max_chars=max_chars)
    else:
        decoded = _decode(data, filename)
        raw = {"txt": lambda t: t, "md": markdown_text, "html": html_text}[kind](decoded)
    if max_chars is not None and len(raw) > max_chars:
        raise too_much_text(filename, max_chars)
    text = tables_as_sentences(normalize(raw))
    if not text:
        raise InvalidRequest(f"{filename!r} contains no text", param="file", code="empty_file")
    if max_chars is not None and len(text) > max_chars:
        raise too_much_text(filename, max_chars)
    return text


_ROW = re.compile(r"^[ \t]*\|(.*)\|[ \t]*$")
_RULE = re.compile(r"^[ \t]*(?:\|[ \t]*)?:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*(?:\|[ \t]*)?$")
_LETTER = re.compile(r"[^\W\d_]")
# a label, a leader of dots (or "…"), a value: "Passengers carried in 2025 ........ 438,950"
_LEADER = re.compile(
    r"(?P<indent>[ \t]{0,8})(?P<label>[^\s.…][^\n.…]{0,80}?)[ \t]*(?:\.{4,}|…{2,})[ \t]*(?P<value>[^\s.…][^\n]{0,80})$"
)


def tables_as_sentences(text: str) -> str:
    """Tables written with pipes (Markdown, and HTML tables as the HTML reader writes them)
    rewritten as one sentence per row that names its columns: the header row's
    ``| Bike type | Minimum age |`` and the row ``| E-bike | 18 |`` become
    "E-bike (bike type): minimum age 18." A row read alone then says what its figures are, which a quote
    must (a bare "| E-bike | 18 |" answers nothing), and rows are separate sentences, so one
    row's figure is never quoted for another's. A table without a header rule keeps its cells
    joined by ";". A line with a leader of dots ("Child single ....... GBP 4.20") becomes
    "Child single: GBP 4.20." Lines that are neither are left as they are."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if leader := _LEADER.match(lines[i]):
            # "Child single ........... GBP 4.20": a label, dots, its value. The dots are no full
            # stop: read as one, they would give this value to the next line's label.
            out.append(f"{leader['indent']}{leader['label']}: {leader['value'].rstrip('.')}.")
            i += 1
            continue
        if aligned := _aligned_table(lines, i):
            # "  Year    Litres produced / ----  ---- / 2024    171,500": a plain-text table
            taken, rows = aligned
            out.extend(_table_rows(rows))
            i += taken
            continue
        if not _ROW.match(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        block: list[str] = []
        while i < len(lines) and (_ROW.match(lines[i]) or _RULE.match(lines[i])):
            block.append(lines[i])
            i += 1
        for table in _split_by_width(block):  # two tables written back to back
            out.extend(_table_rows(table))
    return "\n".join(out)


_YEAR_CELL = re.compile(r"(?:1[5-9]|20)\d\d")
_DASH_RULE = re.compile(r"^[ \t]*-{2,}(?:[ \t]+-{2,})+[ \t]*$")
_GAP = re.compile(r"[ \t]{2,}")
_MIN_ALIGNED_ROWS = 2


def _pipe(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "/") for c in cells) + " |"


def _aligned_table(lines: list[str], i: int) -> tuple[int, list[str]] | None:
    """A table whose columns are aligned with spaces, starting at ``lines[i]`` (its header): the
    number of lines it takes and its rows written with pipes, or None. Its columns are given by
    a rule of dashes under the header ("----  -----"), or, without one, by runs of two spaces or
    more that split the header and at least two rows, each holding a figure, into as many cells
    (the header may leave the first column unnamed)."""
    header = lines[i]
    if not header.strip() or "|" in header or _LEADER.match(header):
        return None
    if i + 1 < len(lines) and _DASH_RULE.match(lines[i + 1]):
        starts = [m.start() for m in re.finditer(r"-+", lines[i + 1])]
        j = i + 2
        rows: list[list[str]] = []
        while j < len(lines) and lines[j].strip():
            line = lines[j]
            rows.append(
                [line[a:b].strip() for a, b in zip(starts, [*starts[1:], len(line) + 1], strict=True)]
            )
            j += 1
        if not rows:
            return None
        names = [header[a:b].strip() for a, b in zip(starts, [*starts[1:], len(header) + 1], strict=True)]
        return j - i, [_pipe(names), _pipe(["---"] * len(names)), *(_pipe(r) for r in rows)]
    names = _GAP.split(header.strip())
    j = i + 1
    rows = []
    while j < len(lines) and lines[j].strip():
        cells = _GAP.split(lines[j].strip())
        if len(cells) < 2 or not any(c.isdigit() for c in lines[j]):
            break
        rows.append(cells)
        j += 1
    if (
        len(rows) < _MIN_ALIGNED_ROWS
        or len({len(r) for r in rows}) != 1
        or (j < len(lines) and lines[j].strip())
    ):
        return None
    width = len(rows[0])
    if len(names) == width - 1:
        names = ["", *names]  # "            Half day    Full day" over "Hybrid bike   GBP 18   GBP 28"
    if len(names) != width or width < 2:
        return None
    return j - i, [_pipe(names), _pipe(["---"] * width), *(_pipe(r) for r in rows)]


def _cells(line: str) -> list[str]:
    match = _ROW.match(line)
    return [c.strip() for c in (match.group(1) if match else line).split("|")]


def _table_rows(block: list[str]) -> list[str]:
    header: list[str] | None = None
    rows: list[list[str]] = []
    for n, line in enumerate(block):
        if _RULE.match(line):
            if n == 1 and rows:
                header = rows.pop()
            continue
        rows.append(_cells(line))
    if header is None and len(rows) >= 3 and _looks_like_header(rows[0], rows[1:]):
        header = rows.pop(0)  # an HTML table's first row of labels, with no header rule
    if header is not None:
        # a header is a common noun inside the row's sentence ("Minimum age" → "minimum age"),
        # not a name; "Depart Harbour Point" keeps its name, "VAT" stays an acronym
        header = [h[:1].lower() + h[1:] if h[1:2].islower() else h for h in header]
    sentences: list[str] = []
    for row in rows:
        cells = [c for c in row]
        if not any(cells):
            continue
        if header is None or len(header) != len(cells):
            sentences.append("; ".join(c for c in cells if c) + ".")
            continue
        pairs = [f"{h} {c}".strip() for h, c in zip(header, cells, strict=True) if c]
        if (
            cells[0]
            and _LETTER.search(cells[0])
            and len(header) > 2
            and all(_YEAR_CELL.fullmatch(h) for h in header[1:])
        ):
            # years as columns: one sentence per year, "Members (2024): 412.", so that a
            # quote of one year never states the other's figure
            label = f"{cells[0]} ({header[0]})" if header[0] else cells[0]
            sentences.extend(f"{label} ({h}): {c}." for h, c in zip(header[1:], cells[1:], strict=True) if c)
            continue
        years = [k for k, h in enumerate(header) if k and _YEAR_CELL.fullmatch(h)]
        if cells[0] and _LETTER.search(cells[0]) and years:
            # some columns are years: one sentence per year, then the other columns
            label = f"{cells[0]} ({header[0]})" if header[0] else cells[0]
            sentences.extend(f"{label} ({header[k]}): {cells[k]}." for k in years if cells[k])
            rest = [
                f"{h} {c}".strip()
                for k, (h, c) in enumerate(zip(header, cells, strict=True))
                if k and k not in years and c
            ]
            if rest:
                sentences.append(f"{label}: {'; '.join(rest)}.")
            continue
        if _LETTER.search(cells[0]) and cells[0]:
            # a row named by its first cell: "E-bike (bike type): maximum loan 7 days; minimum age 18."
            rest = [f"{h} {c}".strip() for h, c in zip(header[1:], cells[1:], strict=True) if c]
            label = f"{cells[0]} ({header[0]})" if header[0] else cells[0]
            sentences.append(f"{label}: {'; '.join(rest)}." if rest else f"{label}.")
        else:
            sentences.append("; ".join(pairs) + ".")
    return sentences


def _split_by_width(block: list[str]) -> list[list[str]]:
    """Consecutive rows with as many cells each (a rule goes with the rows around it)."""
    tables: list[list[str]] = []
    width = -1
    for line in block:
        if _RULE.match(line):
            if tables:
                tables[-1].append(line)
            continue
        cells = len(_cells(line))
        if cells != width or not tables:
            tables.append([])
            width = cells
        tables[-1].append(line)
    return tables


def _looks_like_header(first: list[str], rest: list[list[str]]) -> bool:
    """A first row of labels (or years) above rows of the same width that hold figures."""
    labels = all(c and (_YEAR_CELL.fullmatch(c) or not any(ch.isdigit() for ch in c)) for c in first)
    return (
        labels
        and all(len(row) == len(first) for row in rest)
        and all(any(ch.isdigit() for c in row[1:] for ch in c) for row in rest)
    )


def normalize(text: str) -> str:
    """Line ends, Unicode form, control characters and blank lines, as stored."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = unicodedata.normalize("NFC", text).replace("\ufeff", "")
    text = _CONTROL.sub("", text)
    text = _TRAILING_SPACE.sub("\n", text + "\n")
    return _BLANK_LINES.sub("\n\n", text).strip()


def _decode(data: bytes, filename: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise InvalidRequest(
            f"{filename!r} looks binary, not text", param="file", code="unsupported_file_type"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Legacy Western-European files: cp1252 decodes every byte that matters here.
        return data.decode("cp1252", errors="replace")


# A link target: no "(" but a balanced pair ("…/Foo_(bar)").
_URL = r"(?:[^()]|\([^()]*\))*+"
# Where an italic span may open.
_STAR = r"(?<![\w*])\*(?=\S)"
_UNDERSCORE = r"(?<![\w_])_(?=\S)"
# Every rule is linear in the text's length: a rule is tried at each position, so no scan
# may run on past where the next attempt would start its own, or a run of openers with no
# closer ("**a **a **a…", "[[[…", "<<<…") is rescanned from each of them (quadratic). Hence
# link texts hold no "[" nor URLs a second unbalanced "(", tags hold no "<", emphasis
# does not run over an opener of its own kind, and a heading's closing marks are read by a
# loop that never backs up.
_MD_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^```.*$|^~~~.*$", re.M), ""),  # code fences (their content is kept)
    (re.compile(r"^ {0,3}#{1,6}[ \t]+((?:[ \t#]*+[^ \t#\n])*+)[ \t#]*$", re.M), r"\1"),  # ATX headings
    (re.compile(r"^ {0,3}(?:[-*_][ \t]*+){3,}$", re.M), ""),  # thematic breaks
    (re.compile(r"^ {0,3}(=+|-+)[ \t]*$", re.M), ""),  # setext underlines
    (re.compile(r"^ {0,3}>[ \t]?", re.M), ""),  # block quotes
    (re.compile(rf"!\[([^\[\]]*)\]\({_URL}\)"), r"\1"),  # images -> alt text
    (re.compile(rf"\[([^\[\]]+)\]\({_URL}\)"), r"\1"),  # links -> text
    (re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]"), r"\1"),  # reference links
    (re.compile(r"^ {0,3}\[[^\[\]]+\]:\s+\S.*$", re.M), ""),  # link definitions
    (re.compile(r"(\*\*|__)(?=\S)((?:(?!\1(?=\S)).)+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(rf"{_STAR}((?:(?!{_STAR}).)+?)(?<=\S)\*(?![\w*])"), r"\1"),  # italic *x*
    (re.compile(rf"{_UNDERSCORE}((?:(?!{_UNDERSCORE}).)+?)(?<=\S)_(?![\w_])"), r"\1"),  # italic _x_
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
    (re.compile(r"<[^<>\n]+>"), ""),  # inline HTML tags
]


def markdown_text(source: str) -> str:
    """Markdown reduced to readable text; list markers are kept (they help sentence splits)."""
    text = source
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return html.unescape(text)


_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head"})
_BLOCK = wordset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table section article header footer blockquote pre dd dt title"
)
_SPACES = re.compile(r"\s+")


def _strip_tags(source: str) -> str:
    """All visible text of a page: blocks on their own lines, spaces collapsed. The events
    come from :mod:`eclair.knowledge.htmlscan`, linear in the page's length (``HTMLParser``
    is quadratic on unterminated tags)."""
    parts: list[str] = []
    skipping = 0
    for kind, value in html_events(source):
        if kind == "data":
            if not skipping:
                parts.append(_SPACES.sub(" ", value))
        elif value in _SKIP:
            skipping = skipping + 1 if kind == "start" else max(0, skipping - 1)
        elif value in _BLOCK:
            parts.append("\n\n")
    lines = (line.strip() for line in "".join(parts).split("\n"))
    return "\n".join(lines)


def html_text(source: str) -> str:
    """Main text of an HTML page (trafilatura), or all its visible text as a fallback."""
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - trafilatura is a dependency
        return _strip_tags(source)
    extracted = trafilatura.extract(
        source, include_comments=False, include_tables=True, favor_recall=True, output_format="txt"
    )
    fallback = _strip_tags(source)
    # trafilatura drops pages it finds too small; keep whichever kept more of the text.
    if not extracted or len(extracted) < 0.5 * len(normalize(fallback)):
        return fallback
    return str(extracted)


def _pdf_text(
    data: bytes, filename: str, *, max_pages: int | None = None, max_chars: int | None = None
) -> str:
    # bounded page walk and early stop live in their own module
    return pdf_text(data, filename, max_pages=max_pages, max_chars=max_chars)
