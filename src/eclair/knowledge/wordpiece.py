"""BERT's uncased WordPiece tokenizer in plain Python, for the MiniLM sentence encoder.

Contract: :meth:`WordPiece.encode` gives the same ids as Hugging Face's ``BertTokenizer``
with ``do_lower_case=True`` (lowercase, accents stripped, punctuation and CJK characters
split off, greedy longest-match-first word pieces with ``##`` continuations, ``[UNK]`` for
words longer than 100 characters or with no match), wrapped in ``[CLS]`` … ``[SEP]`` and
truncated to ``max_length`` ids. It needs only the model's ``vocab.txt``.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

_MAX_WORD_CHARS = 100


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def _is_control(char: str) -> bool:
    if char in "\t\n\r":
        return False
    return unicodedata.category(char) in ("Cc", "Cf")


def basic_tokens(text: str) -> list[str]:
    """BERT's BasicTokenizer: clean, lowercase, strip accents, split punctuation and CJK."""
    cleaned: list[str] = []
    for char in text:
        code = ord(char)
        if code == 0 or code == 0xFFFD or _is_control(char):
            continue
        if char.isspace():
            cleaned.append(" ")
        elif _is_cjk(code):
            cleaned.extend((" ", char, " "))
        else:
            cleaned.append(char)
    tokens: list[str] = []
    for word in "".join(cleaned).split():
        word = unicodedata.normalize("NFD", word.lower())
        word = "".join(c for c in word if unicodedata.category(c) != "Mn")
        current: list[str] = []
        for char in word:
            if _is_punctuation(char):
                if current:
                    tokens.append("".join(current))
                    current = []
                tokens.append(char)
            else:
                current.append(char)
        if current:
            tokens.append("".join(current))
    return tokens


class WordPiece:
    """Vocabulary-driven word-piece splitting (see module docstring)."""

    def __init__(self, vocab: dict[str, int]):
        self.vocab = vocab
        self.unk = vocab["[UNK]"]
        self.cls = vocab["[CLS]"]
        self.sep = vocab["[SEP]"]
        self.pad = vocab.get("[PAD]", 0)
        self._cache: dict[str, list[int]] = {}

    @classmethod
    def from_file(cls, path: Path) -> WordPiece:
        lines = path.read_text(encoding="utf-8").splitlines()
        return cls({token: index for index, token in enumerate(lines)})

    def _pieces(self, word: str) -> list[int]:
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        if len(word) > _MAX_WORD_CHARS:
            return [self.unk]
        ids: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = self.vocab.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                ids = [self.unk]
                break
            ids.append(found)
            start = end
        if len(self._cache) < 100_000:
            self._cache[word] = ids
        return ids

    def encode(self, text: str, max_length: int = 256) -> list[int]:
        ids = [self.cls]
        for token in basic_tokens(text):
            ids.extend(self._pieces(token))
            if len(ids) >= max_length - 1:
                break
        return [*ids[: max_length - 1], self.sep]
