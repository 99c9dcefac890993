"""Two overlapping groups inside a whole ("40 hikers: 22 carry poles, 15 a map, 8 both: how many
have neither?"), read by rules and computed by inclusion–exclusion.

Contract: :func:`solve_overlap` returns a :class:`~eclair.answer.mathtext.MathAnswer` only for a
message with exactly four numbers, one of which is said of *both* groups ("8 have both", "8
ont les deux", "both poles and a map: 8"), the largest being the whole, and a question that
asks for *neither* group ("neither", "ni … ni", "aucun des deux") → ``whole − (a + b − both)``.
The numbers must be consistent (both ≤ each group, the union within the whole); otherwise None.
"""

from __future__ import annotations

import re

from eclair.answer.calculator import CalcError, calculate
from eclair.answer.mathtext import MathAnswer, prepare_text
from eclair.answer.percentproblem import question_part

_NUMBER = re.compile(r"(?<![\w.,])\d+(?![\w.,]\d)")
# the number said of both groups: "8 have both", "8 ont les deux", "both: 8", "8 of them do both"
# (on text whose blanks are single spaces; a leading space makes each try end at once on a run)
_BOTH_AFTER = re.compile(r" (?:[a-z']+ ){0,4}?(?:both|les deux|aux deux|des deux)\b")
_BOTH_BEFORE = re.compile(r"\b(?:both|les deux|aux deux)\b[^.\d]{0,30}$")
_NEITHER = re.compile(
    r"\b(?:neither|none of (?:the two|them|both)|ni\b.{1,40}\bni\b|aucun(?:e)? des deux|ni l'un ni l'autre)"
)
_WORDS_BACK = re.compile(r"\b(les|aux|des) 2\b(?!\s?\d|[.,]\d)")


def solve_overlap(message: str, lang: str) -> MathAnswer | None:
    """The count a two-group overlap problem asks for, or None (see the module docstring)."""
    if len(message) > 600:
        return None
    # ("les deux" is a word, not a number of the problem)
    text = _WORDS_BACK.sub(
        r"\1 deux",
        re.sub(r"\s+", " ", prepare_text(message, lang)),
    )
    question = question_part(text)
    if not question or re.search(r"\d", question):
        return None
    if not _NEITHER.search(question):
        return None
    statement = text.replace(question, " ")
    matches = list(_NUMBER.finditer(statement))
    if len(matches) != 4:
        return None
    both = [
        m
        for m in matches
        if _BOTH_AFTER.match(statement, m.end()) or _BOTH_BEFORE.search(statement[: m.start()])
    ]
    if len(both) != 1:
        return None
    values = [int(m[0]) for m in matches]
    whole = max(values)
    if values.count(whole) != 1 or both[0][0] == str(whole):
        return None
    shared = int(both[0][0])
    a, b = (v for m, v in zip(matches, values, strict=True) if m is not both[0] and v != whole)
    if not (shared <= min(a, b) and a + b - shared <= whole):
        return None
    expression = f"{whole} - ({a} + {b} - {shared})"
    try:
        return MathAnswer(expression, calculate(expression))
    except CalcError:
        return None
