"""The area of a rectangle given by its two sides: "6,5 m sur 4 m : quelle surface en m² ?",
"a room 12 ft by 10 ft: how many square metres?".

Contract: :func:`solve_area` answers when the message holds exactly two lengths joined by
"by", "sur", "x", "×" or "par", no other number, and asks for an area ("area", "surface",
"superficie", "square …", "m²"). The product is given in the area unit asked for, else in
the square of the first length's unit. Units come from :mod:`eclair.answer.units` (the one
table); values are exact. Anything else gives None.
"""

from __future__ import annotations

import re

from eclair.answer.numfmt import format_number
from eclair.answer.units import Unit, read_quantities, unit_named
from eclair.answer.worked import WorkedAnswer, quantity_text

_AREA_ASKED = re.compile(r"\b(?:area|surface|superficie|square|carres?|floor space)\b|m2|m²|ft2|ft²")
_BY = re.compile(r"^\s{0,3}(?:by|sur|x|×|\*|par|times)\s{0,3}$")
_TARGET = re.compile(r"\b(?:in|into|en|how many|combien de|combien d')\s+(?P<unit>[a-z0-9²'-]+(?:\s[a-z]+)?)")
_SQUARE_OF = {"m": "m2", "cm": "cm2", "mm": "mm2", "km": "km2", "ft": "ft2", "mi": "mi2"}


def solve_area(message: str, lang: str) -> WorkedAnswer | None:
    """See the module docstring."""
    if len(message) > 300:
        return None
    text, quantities, bare = read_quantities(message, lang)
    if bare or len(quantities) != 2 or not _AREA_ASKED.search(text):
        return None
    first, second = quantities
    if first.unit.kind != "length" or second.unit.kind != "length":
        return None
    # the two sides are written next to each other: "4.2 m by 3.5 m"
    spans = [m.span() for m in re.finditer(r"(?<![\w.])\d+(?:\.\d+)?", text)]
    if len(spans) != 2:
        return None
    if not _BY.match(re.sub(r"^\s*[a-z²]+\s*", " ", text[spans[0][1] : spans[1][0]])):
        return None
    square_metres = first.value * first.unit.factor * second.value * second.unit.factor
    target: Unit | None = None
    if asked := _TARGET.search(text):
        target = unit_named(asked["unit"], lang) or unit_named(asked["unit"].split()[0], lang)
    if target is None or target.kind != "area":
        target = unit_named(_SQUARE_OF.get(first.unit.key, "m2"), "en")
    if target is None:
        return None
    result = square_metres / target.factor
    sides = (
        f"{quantity_text(first.value, first.unit, lang)} × {quantity_text(second.value, second.unit, lang)}"
    )
    line = f"{sides} = {quantity_text(result, target, lang)}"
    checks = tuple(format_number(result, lg, sig=6)[0] for lg in ("en", "fr"))
    return WorkedAnswer(f"{line}.", checks, (first.value, second.value))
