"""Work done at a steady rate: "36 pages per minute: how many minutes for 900 pages?".

Contract: :func:`solve_throughput` takes one message and returns a :class:`~eclair.answer.worked.WorkedAnswer`
when it states one rate of anything per unit of time ("42 pages per minute", "25 litres par
minute", "60 words a minute") and exactly one other number, and asks for the other side of the
rate:

- a duration ("how many minutes", "how long", "combien de temps") for an amount of the rated
  thing ("900 pages", "un bassin de 2 000 litres"): amount ÷ rate, in the unit asked;
- an amount of the rated thing ("how many pages", "combien de litres") in a duration ("in
  15 minutes", "en 2 heures"): rate × duration.

Anything else gives None: a second rate, a number that measures something else, a question
that asks for neither side. Coverage is by construction (two numbers, both used). Distances
and speeds are :mod:`eclair.answer.rates`' (its own units and display). Time units come from
:mod:`eclair.answer.units`, the one table of units.
"""

from __future__ import annotations

import re
from fractions import Fraction

from eclair.answer.numfmt import format_number
from eclair.answer.reading import asked_count
from eclair.answer.units import Unit, read_quantities, unit_named
from eclair.answer.worked import WorkedAnswer

_NUM = r"\d+(?:\.\d+)?"
# "42 pages per minute", "25 litres par minute", "60 words a minute", "12 bottles every hour"
_RATE = re.compile(
    rf"(?<![\w.])(?P<n>{_NUM}) (?P<what>[a-z][\w'-]*) (?:per|par|an?|every|each|chaque|toutes les|a la|à la|/) ?"
    r"(?P<unit>[a-z]+)\b"
)
_NUMBER = re.compile(rf"(?<![\w.]){_NUM}")
_ASKS_DURATION = re.compile(r"\bhow long\b|\bhow much time\b|\bcombien de temps\b")


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith(("s", "x")) else word


def _time_unit(word: str, lang: str) -> Unit | None:
    unit = unit_named(word, lang) or unit_named(word, "en")
    # the whole word must name the unit ("minutes", not "m" of "mille")
    if unit is None or unit.kind != "time" or not re.fullmatch(r"[a-z]+", word):
        return None
    names = {*unit.en, *unit.fr, unit.key}
    return unit if word in names or _stem(word) in {_stem(n) for n in names} else None


def _n(value: Fraction, lang: str) -> str:
    return format_number(value, lang, sig=6)[0]


def solve_throughput(message: str, lang: str) -> WorkedAnswer | None:
    """See the module docstring."""
    if len(message) > 400:
        return None
    text = read_quantities(message, lang)[0]  # folded, numbers as digits
    rates = [m for m in _RATE.finditer(text) if _time_unit(m["unit"], lang)]
    numbers = list(_NUMBER.finditer(text))
    if len(rates) == 1 and len(numbers) == 3:
        return _fill(text, rates[0], numbers, lang)
    if len(rates) != 1 or len(numbers) != 2:
        return None
    rate = rates[0]
    per = _time_unit(rate["unit"], lang)
    assert per is not None
    what = _stem(rate["what"])
    if _time_unit(rate["what"], lang) or what in ("km", "kilometre", "kilometer", "mile", "metre", "meter"):
        return None  # a duration per unit, or a speed: not a throughput
    other = next(m for m in numbers if m.start() != rate.start())
    after = re.match(r"\s*(?:-\s*)?([a-z][\w'-]*)", text[other.end() :])
    if after is None:
        return None
    value, speed = Fraction(other[0]), Fraction(rate["n"])
    if speed == 0:
        return None
    asked = asked_count(text)
    asked_word = asked[0] if asked else ""
    rate_shown = f"{_n(speed, lang)} {rate['what']}/{(per.en if lang == 'en' else per.fr)[0]}"
    if _stem(after[1]) == what and (_ASKS_DURATION.search(text) or _time_unit(asked_word, lang)):
        unit = _time_unit(asked_word, lang) or per
        duration = value / speed * per.factor / unit.factor
        name = (unit.en if lang == "en" else unit.fr)[duration != 1]
        line = f"{_n(value, lang)} {after[1]} ÷ {rate_shown} = {_n(duration, lang)} {name}"
        return WorkedAnswer(f"{line}.", (_n(duration, "en"), _n(duration, "fr")), (value, speed))
    spent = _time_unit(after[1], lang)
    if spent is not None and asked_word and _stem(asked_word) == what:
        amount = speed * value * spent.factor / per.factor
        name = (spent.en if lang == "en" else spent.fr)[value != 1]
        line = f"{rate_shown} × {_n(value, lang)} {name} = {_n(amount, lang)} {rate['what']}"
        return WorkedAnswer(f"{line}.", (_n(amount, "en"), _n(amount, "fr")), (value, speed))
    return None


_FULL = re.compile(r"\b(?:full|fill|filled|plein|pleine|remplir|rempli|remplie)\b")
_ALREADY = re.compile(r"\b(?:already|deja)\b[^.,;]{0,24}$")


def _fill(text: str, rate: re.Match[str], numbers: list[re.Match[str]], lang: str) -> WorkedAnswer | None:
    """ "holds 200 litres, already has 35, fills at 15 litres per hour: how long until
    full?": what is missing, divided by the rate. Both amounts are of the rated thing, and only
    the one said to be there already is what the container holds now."""
    per = _time_unit(rate["unit"], lang)
    if per is None or not _FULL.search(text) or not (_ASKS_DURATION.search(text) or asked_count(text)):
        return None
    asked = asked_count(text)
    unit = _time_unit(asked[0], lang) if asked else per
    if unit is None:
        return None
    what = _stem(rate["what"])
    amounts = [m for m in numbers if m.start() != rate.start()]
    for m in amounts:
        after = re.match(r"\s*([a-z][\w'-]*)", text[m.end() :])
        if after is None or _stem(after[1]) != what:
            return None
    already = [m for m in amounts if _ALREADY.search(text[max(0, m.start() - 40) : m.start()])]
    if len(already) != 1:
        return None
    current = already[0]
    capacity = next(m for m in amounts if m is not current)
    full, now, speed = Fraction(capacity[0]), Fraction(current[0]), Fraction(rate["n"])
    if speed <= 0 or full <= now:
        return None
    duration = (full - now) / speed * per.factor / unit.factor
    name = (unit.en if lang == "en" else unit.fr)[duration != 1]
    rate_shown = f"{_n(speed, lang)} {rate['what']}/{(per.en if lang == 'en' else per.fr)[0]}"
    line = f"({_n(full, lang)} − {_n(now, lang)}) {rate['what']} ÷ {rate_shown} = {_n(duration, lang)} {name}"
    return WorkedAnswer(f"{line}.", (_n(duration, "en"), _n(duration, "fr")), (full, now, speed))
