"""What a problem read by rules gives back, and how it writes its numbers.

Contract: a :class:`WorkedAnswer` is the reply's text (the working shown, then the result),
``checks`` — the result as the reply must state it, in English and French forms — and
``used``, every number of the message the working used, which the router's coverage check
compares with the message's own numbers. Each reader of everyday problems (proportions,
throughput, sums of quantities, shares, charges, areas) returns one, so the router treats
them alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from eclair.answer.numfmt import format_number
from eclair.answer.units import Unit

# A currency after an amount (folded text): the one list the readers of money problems share.
CURRENCY = r"(?:[€£$]|euros?\b|eur\b|dollars?\b|pounds?\b|gbp\b|usd\b|chf\b|francs?\b)"


@dataclass(frozen=True, slots=True)
class WorkedAnswer:
    text: str
    checks: tuple[str, ...]
    used: tuple[Fraction, ...]


def number_text(value: Fraction, lang: str, sig: int = 6) -> str:
    """``value`` as the reply writes it in ``lang``."""
    return format_number(value, lang, sig=sig)[0]


def quantity_text(value: Fraction, unit: Unit, lang: str) -> str:
    """ "6,5 mètres", "1 square foot": a value with its unit's name, singular or plural."""
    names = unit.fr if lang == "fr" else unit.en
    return f"{number_text(value, lang)} {names[value != 1]}"


def checks_for(*values: Fraction, sig: int = 6) -> tuple[str, ...]:
    """Each value as an English then a French reply would state it."""
    return tuple(number_text(v, lang, sig) for v in values for lang in ("en", "fr"))
