"""A price per unit times a quantity, plus fixed charges: "£40 to hire the van plus £0.35
per mile: how much for a 120-mile trip?", "9,99 € par mois : combien sur un an ?".

Contract: :func:`solve_charges` answers when the message states exactly one price per unit
("£0.35 per mile", "9,99 € par mois", "$25 a month") and asks what something costs
("how much", "combien", "what do I pay") for a quantity of that unit: a number before the
unit ("a 120-mile trip", "pour 6 mois") or, for a price per period, one larger period asked
for ("sur un an", "in a year": 12 months, 52 weeks, 365 days, 7 days, 24 hours, 60 minutes).
Every other number must be an amount of money (a call-out fee, a joining fee), which is
added. Anything else — a second price per unit, a number of another kind, a quantity in
another unit, a period that does not divide evenly (a month of weeks) — gives None.

Coverage by construction: the answer uses every number of the message and shows the sum.
"""

from __future__ import annotations

import re
from fractions import Fraction

from eclair.answer.mathtext import prepare_text
from eclair.answer.numfmt import format_number
from eclair.answer.worked import CURRENCY, WorkedAnswer

_NUM = r"\d+(?:\.\d+)?"
_CUR = CURRENCY
_MONEY = re.compile(rf"(?:[€£$]\s?(?P<a>{_NUM})|(?<![\w.])(?P<b>{_NUM})\s?{_CUR})")
_PER = r"\s{1,3}(?:per|par|a|an|each|every|the|le|la|l'|de l'|du|/)\s{0,3}"
_UNIT_WORD = r"(?P<unit>[^\W\d_][\w-]*)"
_ASKS = re.compile(
    r"\b(?:how much|combien|what (?:do|does|did|will|would) (?:i|we|you|it|they) (?:pay|cost)|what is the (?:total|cost|price)|"
    r"quel (?:est le )?(?:prix|montant|cout|total))\b"
)
_NUMBER = re.compile(rf"(?<![\w.]){_NUM}")

# the periods a price per period is asked over: larger period → smaller → how many
_PERIODS = {
    ("year", "month"): 12, ("year", "week"): 52, ("year", "day"): 365, ("week", "day"): 7,
    ("day", "hour"): 24, ("hour", "minute"): 60,
}  # fmt: skip
_PERIOD_WORDS = {
    "year": "year", "years": "year", "an": "year", "ans": "year", "annee": "year", "annees": "year",
    "month": "month", "months": "month", "mois": "month", "week": "week", "weeks": "week",
    "semaine": "week", "semaines": "week", "day": "day", "days": "day", "jour": "day", "jours": "day",
    "night": "night", "nights": "night", "nuit": "night", "nuits": "night",
    "hour": "hour", "hours": "hour", "heure": "hour", "heures": "hour", "h": "hour",
    "minute": "minute", "minutes": "minute", "min": "minute",
}  # fmt: skip
_ONE_PERIOD = re.compile(
    r"\b(?:over|in|for|per|during|sur|en|pour|pendant|par)\s{1,3}(?:a|an|one|un|une|1|the first|la premiere|"
    r"le premier|the whole|toute l'|tout l')\s{0,3}(?P<period>year|month|week|day|an|annee|mois|semaine|jour)\b"
)


def _n(value: Fraction, lang: str) -> str:
    return format_number(value, lang, sig=10)[0]


def _unit_key(word: str) -> str:
    word = word.lower()
    if word in _PERIOD_WORDS:
        return _PERIOD_WORDS[word]
    return re.sub(r"(?:es|s)$", "", word)


def solve_charges(message: str, lang: str) -> WorkedAnswer | None:
    """See the module docstring."""
    if len(message) > 400:
        return None
    text = prepare_text(message, lang)
    if not _ASKS.search(text) or "%" in text:
        return None
    rates = [
        (m, unit)
        for m in _MONEY.finditer(text)
        if (after := re.match(_PER + _UNIT_WORD, text[m.end() :])) and (unit := after["unit"])
    ]
    if len(rates) != 1:
        return None
    rate_match, unit_word = rates[0]
    rate = Fraction(rate_match["a"] or rate_match["b"])
    unit = _unit_key(unit_word)
    quantity: Fraction | None = None
    used_spans = [rate_match.span()]
    # "a 120-mile trip", "pour 6 mois", "3 hours of work": a number before the unit
    for m in re.finditer(rf"(?<![\w.])(?P<n>{_NUM})[\s-]{{1,3}}(?P<w>[^\W\d_][\w]*)", text):
        if m.start() >= rate_match.start() and m.start() < rate_match.end():
            continue
        if _unit_key(m["w"]) == unit:
            if quantity is not None:
                return None  # two quantities of the unit: which one is asked is not said
            quantity = Fraction(m["n"])
            used_spans.append(m.span("n"))
    shown_quantity: str | None = None
    if quantity is None:
        period = _ONE_PERIOD.search(text, rate_match.end())
        factor = _PERIODS.get((_PERIOD_WORDS.get(period["period"], ""), unit)) if period else None
        if factor is None:
            return None
        quantity = Fraction(factor)
        shown_quantity = str(factor)
    fixed = [
        Fraction(m["a"] or m["b"])
        for m in _MONEY.finditer(text)
        if not any(a <= m.start() < b for a, b in used_spans)
    ]
    # every number of the message is the rate, the quantity or a fixed amount of money
    numbers = [m for m in _NUMBER.finditer(text)]
    money_spans = [m.span() for m in _MONEY.finditer(text)]
    for m in numbers:
        if not any(a <= m.start() < b for a, b in [*used_spans, *money_spans]):
            return None
    total = sum(fixed, Fraction(0)) + rate * quantity
    terms = [_n(v, lang) for v in fixed] + [f"{_n(rate, lang)} × {shown_quantity or _n(quantity, lang)}"]
    line = f"{' + '.join(terms)} = {_n(total, lang)}"
    checks = tuple(format_number(total, lg, sig=10)[0] for lg in ("en", "fr"))
    used = (*fixed, rate, *(() if shown_quantity else (quantity,)))
    return WorkedAnswer(f"{line}.", checks, used)
