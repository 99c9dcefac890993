"""Sums, differences and multiples of quantities, given in one unit: "3 miles plus 2 kilometres,
in kilometres", "Combien font 6 fois 250 millilitres, en litres ?", "Un marathon fait
42,195 km : combien de mètres reste-t-il si on retire 195 mètres ?".

Contract: :func:`solve_unit_sum` returns a :class:`~eclair.answer.worked.WorkedAnswer` only when the message holds two
quantities of one kind (lengths, masses, volumes, durations…) joined by one operation word
("plus", "and", "minus", "retire", "enlève", "take away"), or one quantity times a number
("6 fois 250 mL", "3 × 2 km"), and names the unit of the answer ("in km", "en litres",
"how many metres", "combien de mètres"); every number of the message is one of these
(coverage). Values are exact (:class:`fractions.Fraction`); temperatures are left alone (a sum of
temperatures is not a temperature). Otherwise None.
"""

from __future__ import annotations

import re
from fractions import Fraction

from eclair.answer.numfmt import format_number
from eclair.answer.units import read_quantities, unit_named
from eclair.answer.worked import WorkedAnswer, quantity_text

_TARGET = re.compile(
    r"\b(?:in|into|en|expressed in|exprime en|exprimee? en|how many|combien de|combien d'|as)\s+(?P<unit>[a-z0-9/²³'-]+(?:\s[a-z]+)?)"
)
_ADD = re.compile(r"\b(?:plus|and|et|add|ajoute\w*|\+)\s")
_SUB = re.compile(r"\b(?:minus|moins|take away|subtract\w*|retire\w*|enleve\w*|ote\w*|remove\w*)\b|\s-\s")
_TIMES = re.compile(r"(?<![\w.])(?P<n>\d+(?:\.\d+)?)\s*(?:times|fois|x|×|\*)\s*(?=\d)")


def solve_unit_sum(message: str, lang: str) -> WorkedAnswer | None:
    """The sum, difference or multiple asked for, in the unit asked (see the module docstring)."""
    if len(message) > 300:
        return None
    text, quantities, bare = read_quantities(message, lang)
    targets = [unit_named(m["unit"], lang) for m in _TARGET.finditer(text)]
    target = next((t for t in targets if t is not None), None)
    if target is None or not quantities or any(q.unit.kind != target.kind for q in quantities):
        return None
    if target.kind == "temperature":
        return None
    times = _TIMES.search(text)
    if len(quantities) == 1 and times and bare == 1:
        factor = Fraction(times["n"])
        base = quantities[0].value * quantities[0].unit.factor * factor
        shown = f"{format_number(factor, lang)[0]} × {quantity_text(quantities[0].value, quantities[0].unit, lang)}"
        used: tuple[Fraction, ...] = (factor, quantities[0].value)
    elif len(quantities) == 2 and not bare:
        add, sub = bool(_ADD.search(text)), bool(_SUB.search(text))
        if add == sub:
            return None
        first, second = quantities
        sign = 1 if add else -1
        base = first.value * first.unit.factor + sign * second.value * second.unit.factor
        shown = f"{quantity_text(first.value, first.unit, lang)} {'+' if add else '−'} {quantity_text(second.value, second.unit, lang)}"
        used = (first.value, second.value)
    else:
        return None
    result = base / target.factor
    answer = quantity_text(result, target, lang)
    checks = tuple({format_number(result, lg, sig=6)[0] for lg in ("en", "fr")})
    return WorkedAnswer(f"{shown} = {answer}.", checks, used)
