"""Sums, differences, multiples and quotients of quantities, given in one unit: "3 miles plus 2
kilometres, in kilometres", "Combien font 6 fois 250 millilitres, en litres ?", "Un marathon fait
42,195 km : combien de mètres reste-t-il si on retire 195 mètres ?", "How many 330 ml cans does
a 2 litre jug fill?".

Contract: :func:`solve_unit_sum` returns a :class:`~eclair.answer.worked.WorkedAnswer` only when the message holds two
quantities of one kind (lengths, masses, volumes, durations…) joined by one operation word
("plus", "and", "minus", "retire", "enlève", "take away"), or one quantity times a number
("6 fois 250 mL", "3 × 2 km", a count of things of one size: "4 bidons de 5 L", "6 jars of
250 g"), and names the unit of the answer ("in km", "en litres",
"how many metres", "combien de mètres"); every number of the message is one of these
(coverage). Values are exact (:class:`fractions.Fraction`); temperatures are left alone (a sum of
temperatures is not a temperature). Otherwise None.

:func:`solve_fill` answers how many things of one size a quantity fills or makes ("How many
330 ml cans can a 2 litre jug fill?", "Combien de portions de 150 g dans un fromage de 1,2 kg
?"): exactly two quantities of one kind and no other number, the size being the one that "how
many" / "combien de" asks about; the answer is the number of whole ones and what is left over.
"""

from __future__ import annotations

import re
from fractions import Fraction

from eclair.answer.numfmt import format_number
from eclair.answer.sharing import NEEDED
from eclair.answer.units import Quantity, Unit, read_quantities, unit_named
from eclair.answer.worked import WorkedAnswer, quantity_text
from eclair.knowledge import lexical

_TARGET = re.compile(
    r"\b(?:in|into|en|expressed in|exprime en|exprimee? en|how many|combien de|combien d'|as)\s+(?P<unit>[a-z0-9/²³'-]+(?:\s[a-z]+)?)"
)
_ADD = re.compile(r"\b(?:plus|and|et|add|ajoute\w*|\+)\s")
_SUB = re.compile(r"\b(?:minus|moins|take away|subtract\w*|retire\w*|enleve\w*|ote\w*|remove\w*)\b|\s-\s")
_TIMES = re.compile(r"(?<![\w.])(?P<n>\d+(?:\.\d+)?)\s*(?:times|fois|x|×|\*)\s*(?=\d)")
# "4 bidons de 5 L", "6 jars of 250 g": a count of things, then the size of each
_COUNT_OF = re.compile(
    r"(?<![\w.,])(?P<n>\d+)\s{1,3}[a-z][a-z'-]{1,20}(?:\s{1,3}[a-z][a-z'-]{1,20})?\s{1,3}(?:of|de|d')\s{0,3}(?=\d)"
)


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
    times = _TIMES.search(text) or _COUNT_OF.search(text)
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


# "how many 330 ml cans", "combien de verres de 25 cl": what is asked about, with its size
_ASKED_SIZE = re.compile(
    r"\b(?:how many|combien de|combien d')\s{1,3}(?:[a-z][a-z'-]{1,20}\s{1,3}(?:full\s{1,3}|pleins?\s{1,3})?"
    r"(?:of|de|d')\s{0,3})?(?P<n>\d+(?:\.\d+)?)\s?(?P<unit>[a-z]{1,12})"
)
# (the asked number is stated last, after "=": the result of the working before it)
_FILL_TEXTS = {
    "en": (
        "{total} ÷ {size} = {whole}.",
        "{total} ÷ {size} ≈ {ratio}: {rest} left over, so the number of whole ones = {whole}.",
        "{total} ÷ {size} ≈ {ratio}, so the number needed = {needed}.",
    ),
    "fr": (
        "{total} ÷ {size} = {whole}.",
        "{total} ÷ {size} ≈ {ratio} : il reste {rest}, donc le nombre d'unités complètes = {whole}.",
        "{total} ÷ {size} ≈ {ratio}, donc le nombre nécessaire = {needed}.",
    ),
}


_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")


def _only_ones(text: str, quantities: list[Quantity]) -> bool:
    """Whether every number of ``text`` that no quantity holds is a 1 ("from one jug")."""
    rest = [Fraction(n) for n in _NUMBER.findall(text)]
    for q in quantities:
        if q.value in rest:
            rest.remove(q.value)
    return all(n == 1 for n in rest)


# the thing "how many" counts ("how many crates", "combien de seaux pleins")
_ASKED_THING = re.compile(r"\b(?:how many|combien de|combien d')\s{0,3}(?P<noun>[a-z][a-z'-]{2,20})")
_QUANTITY = r"(?P<n>\d+(?:\.\d+)?)\s?-?(?P<unit>[a-z]{1,12})\b"
# what says a thing's size: "crates hold 20 kg", "un seau de 10 litres", "330 mL cans"
_SIZE_AFTER = r"(?:\s+(?:each|chacune?|only|seulement))?\s+(?:hold|holds|contain|contains|take|takes|of|de|d'|contient|contiennent|tiennent|font|fait)\s+(?:up to\s+|jusqu'a\s+)?"


def _size_of_asked_thing(text: str, lang: str) -> tuple[Unit | None, Fraction] | None:
    """The size said of the thing "how many" counts, elsewhere in the message ("Our crates
    hold 20 kg each. How many crates…?"): one size only, else None."""
    asked = _ASKED_THING.search(text)
    if asked is None or unit_named(asked["noun"], lang) is not None:
        return None
    stem = re.escape(lexical.stem(asked["noun"]))
    noun = rf"{stem}[a-z]{{0,3}}"
    sizes = {
        (m["unit"], m["n"])
        for pattern in (rf"\b{noun}{_SIZE_AFTER}{_QUANTITY}", rf"{_QUANTITY}\s+{noun}\b")
        for m in re.finditer(pattern, text)
        if m.start() != asked.start("noun") and unit_named(m["unit"], lang) is not None
    }
    if len(sizes) != 1:
        return None
    unit, number = sizes.pop()
    return unit_named(unit, lang), Fraction(number)


def solve_fill(message: str, lang: str) -> WorkedAnswer | None:
    """How many things of the asked size the other quantity fills (see the module docstring)."""
    if len(message) > 300:
        return None
    text, quantities, bare = read_quantities(message, lang)
    # ("one 3-litre jug": a single thing of that size is that quantity)
    if len(quantities) != 2 or (bare and not _only_ones(text, quantities)):
        return None
    asked = _ASKED_SIZE.search(text)
    if asked is not None:
        unit = unit_named(asked["unit"], lang)
        size_value = Fraction(asked["n"])
    elif (said := _size_of_asked_thing(text, lang)) is not None:
        unit, size_value = said
    else:
        return None
    sizes = [q for q in quantities if unit is not None and q.unit == unit and q.value == size_value]
    if len(sizes) != 1:
        return None
    size = sizes[0]
    total = quantities[1] if quantities[0] is size else quantities[0]
    if total.unit.kind != size.unit.kind or size.unit.kind == "temperature" or not size.value:
        return None
    ratio = (total.value * total.unit.factor) / (size.value * size.unit.factor)
    whole = ratio.numerator // ratio.denominator
    rest = (ratio - whole) * size.value
    exact, partial, short = _FILL_TEXTS["fr" if lang == "fr" else "en"]
    # "how many 2 kg bags are needed for 9 kg": all of it must go in, so one more for the rest
    needed = whole + (rest != 0) if NEEDED.search(text) else None
    template = exact if rest == 0 else short if needed is not None else partial
    text_out = template.format(
        needed=needed,
        total=quantity_text(total.value, total.unit, lang),
        size=quantity_text(size.value, size.unit, lang),
        ratio=format_number(ratio, lang, sig=6)[0],
        whole=whole,
        rest=quantity_text(rest, size.unit, lang),
    )
    answer = needed if needed is not None else whole
    return WorkedAnswer(text_out, (str(answer),), (total.value, size.value))
