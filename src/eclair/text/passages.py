"""Passages and citations: what retrieval finds and what an answer quotes.

They live here, below both :mod:`eclair.knowledge` (which finds passages) and
:mod:`eclair.answer` (which cites them), so that neither package imports the other for them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Passage:
    """A retrieved chunk of a document, with character offsets into that document's text."""

    chunk_id: str
    source: str
    text: str
    start: int
    end: int
    score: float = 0.0
    document_id: str = ""
    collection: str = "default"
    # A passage of a knowledge pack's article: the pack's name and the article's local link
    # (``/kb/{pack}/{path}``); empty for the user's documents.
    pack: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class Citation:
    """A verbatim quote backing an answer. ``start``/``end`` index the source document."""

    source: str
    chunk_id: str
    quote: str
    start: int
    end: int
    pack: str = ""  # set for a knowledge pack's article: its pack, and its local link
    url: str = ""
