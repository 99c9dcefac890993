"""Sentences and chunks as character spans of a document's stored text.

Contract:
- Every span is ``(start, end)`` into the text it was computed from, with no leading or
  trailing whitespace: ``text[start:end]`` *is* the sentence or chunk, byte for byte. The
  grounding step relies on this to quote sources verbatim.
- :func:`split_sentences` cuts at sentence-final punctuation followed by a capital, digit,
  quote or bracket, and at blank lines and line breaks between list items and headings; it
  does not cut after common abbreviations ("M.", "Dr.", "e.g.", "etc."), initials ("J. K.")
  or inside numbers ("3.5", "1.000").
- :func:`chunk_spans` packs whole sentences into chunks of at most ``max_chars`` (a longer
  sentence is cut at whitespace), prefers to close a chunk at a paragraph end, and starts
  each chunk with the last ``overlap`` sentences of the previous one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eclair.knowledge.lexical import wordset

Span = tuple[int, int]

# A candidate sentence end: terminal punctuation, optional closing quotes/brackets, spaces,
# then something that can start a sentence. A match starts only at the first mark of a run,
# else a long run of dots is rescanned from each of its marks (quadratic).
_END = re.compile(r"""(?<![.!?…])([.!?…]+)["'»”’)\]]*(?=\s+["'«“‘(\[]?[\dA-ZÀ-ÖØ-Þ])""")
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_LINE = re.compile(r"\n")
_ABBREVIATIONS = wordset(
    """
    mr mrs ms dr prof st mt jr sr vs etc eg ie cf al approx fig no nos vol ed eds p pp
    m mm mme mlle mgr me pr ex env ch art av bd
    jan feb mar apr jun jul aug sep sept oct nov dec janv fevr avr juil
    """
)
# A line that stands alone: a heading, a list item, a table row.
_STANDALONE_LINE = re.compile(r"^\s*(?:#{1,6}\s|[-*•+]\s|\d{1,3}[.)]\s|\|)")


@dataclass(frozen=True, slots=True)
class ChunkSpan:
    """One chunk: its position in the document, and the span of its text."""

    index: int
    start: int
    end: int


def _strip(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the '.' at ``dot`` ends an abbreviation or an initial rather than a sentence."""
    word_start = dot
    while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot].replace(".", "").lower()
    if not word:
        return False
    if len(word) == 1 and text[word_start].isupper():
        return True  # an initial: "J. K. Rowling"
    return word in _ABBREVIATIONS or "." in text[word_start:dot]  # "e.g", "U.S"


def _line_breaks(text: str, start: int, end: int) -> list[int]:
    """Offsets inside ``text[start:end]`` where a single line break also ends a sentence:
    around headings and list items, and after a line that ends with no punctuation."""
    cuts: list[int] = []
    for m in _LINE.finditer(text, start, end):
        # the last visible character before this break, found backwards: copying the text
        # from ``start`` for each line was quadratic in the lines of a paragraph
        last = m.start()
        while last > start and text[last - 1].isspace():
            last -= 1
        before = text[last - 1] if last > start else ""
        line_start = text.rfind("\n", start, m.start()) + 1
        next_end = text.find("\n", m.end(), end)
        next_line = text[m.end() : end if next_end < 0 else next_end]
        this_line = text[max(line_start, start) : m.start()]
        if (
            _STANDALONE_LINE.match(this_line)
            or _STANDALONE_LINE.match(next_line)
            or (before and before[-1] not in ",;:-–(" and not before[-1].isalnum())
            or (before and before[-1].isalnum() and next_line[:1].isupper() and len(this_line) < 60)
        ):
            cuts.append(m.end())
    return cuts


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentence spans of ``text[start:end]``, as offsets into ``text``."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    para_start = start
    boundaries = [m for m in _PARAGRAPH.finditer(text, start, end)]
    # where each paragraph break ends, by where it starts: a scan per paragraph was quadratic
    next_start = {m.start(): m.end() for m in boundaries}
    for para_end in [*(m.start() for m in boundaries), end]:
        cuts = [
            m.end()
            for m in _END.finditer(text, para_start, para_end)
            if not (text[m.end(1) - 1] == "." and _is_abbreviation(text, m.end(1) - 1))
        ]
        cuts += _line_breaks(text, para_start, para_end)
        piece_start = para_start
        for cut in sorted(set(cuts)):
            span = _strip(text, piece_start, cut)
            if span:
                spans.append(span)
            piece_start = cut
        span = _strip(text, piece_start, para_end)
        if span:
            spans.append(span)
        para_start = next_start.get(para_end, para_end)
    return spans


def paragraph_ends(text: str) -> set[int]:
    """Offsets where a paragraph's text ends (before a blank line, or at the end)."""
    ends = {m.start() for m in _PARAGRAPH.finditer(text)}
    ends.add(len(text))
    # each end moved back over the spaces before it: ``len(text[:e].rstrip())`` copied the
    # text before every paragraph (quadratic in the paragraphs of a long document)
    return {_strip_end(text, e) for e in ends}


def _strip_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _cut_long(text: str, span: Span, max_chars: int) -> list[Span]:
    """Cut one over-long sentence into pieces of at most ``max_chars``, at whitespace."""
    pieces: list[Span] = []
    start, end = span
    while end - start > max_chars:
        cut = text.rfind(" ", start + max_chars // 2, start + max_chars)
        cut = cut if cut > start else start + max_chars
        piece = _strip(text, start, cut)
        if piece:
            pieces.append(piece)
        start = cut
    last = _strip(text, start, end)
    if last:
        pieces.append(last)
    return pieces


def chunk_spans(text: str, *, max_chars: int = 900, overlap: int = 1) -> list[ChunkSpan]:
    """Chunks of whole sentences, each at most ``max_chars`` long (see module docstring)."""
    sentences: list[Span] = []
    for span in split_sentences(text):
        sentences.extend(_cut_long(text, span, max_chars) if span[1] - span[0] > max_chars else [span])
    if not sentences:
        return []
    para_ends = paragraph_ends(text)
    chunks: list[ChunkSpan] = []
    first = 0
    while first < len(sentences):
        last = first
        while (
            last + 1 < len(sentences)
            and sentences[last + 1][1] - sentences[first][0] <= max_chars
            # close early at a paragraph end once the chunk is reasonably full
            and not (
                sentences[last][1] in para_ends and sentences[last][1] - sentences[first][0] >= max_chars // 2
            )
        ):
            last += 1
        chunks.append(ChunkSpan(len(chunks), sentences[first][0], sentences[last][1]))
        if last + 1 >= len(sentences):
            break
        first = _next_first(sentences, first, last, overlap, max_chars, para_ends)
    return chunks


def _next_first(
    sentences: list[Span], first: int, last: int, overlap: int, max_chars: int, para_ends: set[int]
) -> int:
    """Where the next chunk starts: ``overlap`` sentences back, unless the previous chunk
    ended a paragraph or the overlap would leave no room for a new sentence."""
    following = last + 1
    if overlap <= 0 or sentences[last][1] in para_ends:
        return following
    candidate = max(first + 1, following - overlap)
    if sentences[following][1] - sentences[candidate][0] > max_chars:
        return following
    return candidate
