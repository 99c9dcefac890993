"""The one way Éclair folds text for matching: lower case, accents off, typographic marks
straightened.

Contract:
- :func:`fold` is for comparing words: case-folded (``ß`` → ``ss``), combining marks removed,
  the typographic apostrophe ``’`` and the minus sign ``−`` replaced by their ASCII forms.
  With ``compatible=True`` compatibility forms are flattened too (``ﬁ`` → ``fi``, ``m²`` →
  ``m2``): right for words of documents, wrong for expressions, where ``²`` means squared.
  Its length may differ from the input's.
- :func:`fold_aligned` keeps one output character per input character, so that a span found
  in the folded text is the same span in the original (what citation offsets and the
  router's clause spans need): each character is lowered and reduced to its base letter.
"""

from __future__ import annotations

import unicodedata

_MARKS = str.maketrans({"’": "'", "‘": "'", "\u2212": "-"})


def fold(text: str, *, compatible: bool = False) -> str:
    """Lower case without accents (see the module docstring); length may change."""
    decomposed = unicodedata.normalize("NFKD" if compatible else "NFD", text.casefold().translate(_MARKS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_aligned(text: str) -> str:
    """Lower case without accents, one output character per input character."""
    out = []
    for ch in text:
        low = ch.lower()
        base = unicodedata.normalize("NFD", low)[0] if len(low) == 1 else ch
        out.append(base.translate(_MARKS))
    return "".join(out)
