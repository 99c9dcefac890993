"""Operation words as users misspell them ("multipied", "subtarct", "conbien").

Contract: :func:`repair_operation_words` takes folded text and replaces each word one edit
(a letter added, dropped, changed, or two neighbours swapped) from an operation word of the
message's language with that word, when the word has six letters or more and is not itself
one of the words' other forms; a number followed by the infinitive ("8,4 diviser par 0,7")
divides. Nothing else changes.
"""

from __future__ import annotations

import re

# Words of an operation that users misspell ("multipied", "subtarct", "conbien"): a word one edit
# away from one of them (a letter added, dropped, changed or two swapped) is read as it, when it
# is long enough that the edit cannot make another word; "8,4 diviser par 0,7" divides.
_OPERATION_WORDS = {
    "en": ("divided", "multiplied", "subtract"),
    "fr": ("combien", "divise", "multiplie", "soustrait"),
}
# (their other forms are words, not misspellings)
_OPERATION_FORMS = frozenset(
    [
        "divide",
        "divides",
        "divider",
        "divined",
        "dividend",
        "multiply",
        "multiplies",
        "multiplier",
        "subtracts",
        "combine",
        "diviser",
        "divisez",
        "divises",
        "divisee",
        "divisent",
        "multiplier",
        "multipliez",
        "multiplies",
        "multipliee",
        "soustrais",
        "soustraire",
        "soustraits",
        "soustraite",
    ]
)
_AFTER_NUMBER_INFINITIVE = re.compile(r"(?<=\d)\s+(divis|multipli)(?:er|ez)\s+par\b")


def _one_edit(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def repair_operation_words(text: str, lang: str) -> str:
    """``text`` (folded) with misspelt operation words read as meant (see the module docstring)."""
    known = _OPERATION_WORDS["fr" if lang == "fr" else "en"]

    def repair(m: re.Match[str]) -> str:
        word = m[0]
        if len(word) < 6 or word in known or word in _OPERATION_FORMS:
            return word
        return next((w for w in known if _one_edit(word, w)), word)

    text = _AFTER_NUMBER_INFINITIVE.sub(lambda m: f" {m[1]}e par", text)
    return re.sub(r"[a-z]+", repair, text)
