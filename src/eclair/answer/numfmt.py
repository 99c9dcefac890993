"""Numbers as a person writes them, in English or French.

Contract: :func:`format_number` turns an exact :class:`~fractions.Fraction` into text and says
whether the text is exact. Integers print in full (up to :data:`MAX_SHOWN_DIGITS` digits, then
in scientific notation), terminating decimals print exactly, anything else is rounded to a
number of significant digits and flagged approximate. French uses a decimal comma; neither
language groups thousands, so a number can be copied into another tool as is.
:func:`parse_decimal` is the inverse for user input ("12.5", "12,5", "1,000", "1 000").
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

MAX_SHOWN_DIGITS = 100
MAX_EXACT_DECIMALS = 12

_THIN_SPACES = "\u00a0\u202f\u2009"


def _is_terminating(q: Fraction) -> bool:
    den = q.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    return den == 1


def _decimal_places(q: Fraction) -> int:
    """Digits after the point of a terminating decimal."""
    den, twos, fives = q.denominator, 0, 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    return max(twos, fives)


def _plain(d: Decimal) -> str:
    """A Decimal without exponent and without trailing zeros after the point."""
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _localise(text: str, lang: str) -> str:
    return text.replace(".", ",") if lang == "fr" else text


def _scientific(q: Fraction, lang: str, sig: int) -> str:
    sign = "-" if q < 0 else ""
    q = abs(q)
    exp = len(str(q.numerator)) - len(str(q.denominator))
    if Fraction(10) ** exp > q:
        exp -= 1
    mantissa = q / Fraction(10) ** exp
    with localcontext() as ctx:
        ctx.prec = sig
        m = Decimal(mantissa.numerator) / Decimal(mantissa.denominator)
        m = +m
    if m >= 10:  # rounding carried over, e.g. 9.99995 -> 10.0000
        m /= 10
        exp += 1
    return f"{sign}{_localise(_plain(m), lang)} × 10^{exp}"


def round_significant(q: Fraction, sig: int) -> Decimal:
    """``q`` rounded to ``sig`` significant digits (half-even), as a Decimal."""
    if q == 0:
        return Decimal(0)
    with localcontext() as ctx:
        ctx.prec = max(sig + 10, 40)
        d = Decimal(q.numerator) / Decimal(q.denominator)
        magnitude = d.copy_abs().adjusted()
        quantum = Decimal(1).scaleb(magnitude - sig + 1)
        return d.quantize(quantum, rounding=ROUND_HALF_EVEN)


def format_number(q: Fraction, lang: str = "en", *, exact: bool = True, sig: int = 10) -> tuple[str, bool]:
    """Text for ``q`` and whether that text is exactly ``q``.

    ``exact=False`` says ``q`` itself is already an approximation (e.g. a square root).
    """
    if q.denominator == 1:
        digits = len(str(abs(q.numerator)))
        if digits <= MAX_SHOWN_DIGITS:
            return str(q.numerator), exact
        return _scientific(q, lang, sig), False
    if exact and _is_terminating(q) and _decimal_places(q) <= MAX_EXACT_DECIMALS:
        with localcontext() as ctx:
            ctx.prec = 200
            d = Decimal(q.numerator) / Decimal(q.denominator)
        if len(_plain(d).lstrip("-").replace(".", "").lstrip("0")) <= MAX_SHOWN_DIGITS:
            return _localise(_plain(d), lang), True
    magnitude = abs(q)
    if magnitude >= Fraction(10) ** 15 or (magnitude and magnitude < Fraction(1, 10**9)):
        return _scientific(q, lang, sig), False
    rounded = round_significant(q, sig)
    # Do not show more decimals than a person would for a large number.
    return _localise(_plain(rounded), lang), False


def format_fraction(q: Fraction) -> str | None:
    """``"1/3"`` for a small non-decimal fraction, else None."""
    if q.denominator == 1 or _is_terminating(q) or q.denominator > 1000 or abs(q.numerator) > 10**6:
        return None
    return f"{q.numerator}/{q.denominator}"


_GROUPED_COMMA = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_GROUPED_SPACE = re.compile(rf"^\d{{1,3}}(?:[ {_THIN_SPACES}]\d{{3}})+(?:[.,]\d+)?$")
_GROUPED_DOT = re.compile(r"^\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?$|^\d{1,3}(?:\.\d{3})+,\d+$")


# "1.000" in French: a thousand written the German way, or one with three decimals typed with
# a dot? Both are common, and they differ by a factor of 1000.
_AMBIGUOUS_FR = re.compile(r"(?<![\d.,])[1-9]\d{0,2}\.\d{3}(?![\d.,])")


def has_ambiguous_number(text: str, lang: str) -> bool:
    """Whether ``text`` holds a number whose value depends on a guess about its separator."""
    return lang == "fr" and bool(_AMBIGUOUS_FR.search(text))


def parse_decimal(text: str, lang: str = "en") -> Fraction:
    """Exact value of a written number: ``12.5``, ``12,5`` (decimal comma in French, and in
    English when it cannot be a thousands separator), ``1,000`` (English grouping),
    ``1 000``, ``1.000.000`` or ``1.234,5`` (French grouping). Raises ValueError otherwise."""
    t = text.strip()
    if _GROUPED_SPACE.match(t):
        t = re.sub(rf"[ {_THIN_SPACES}]", "", t)
    elif _GROUPED_DOT.match(t):
        t = t.replace(".", "")
    if _GROUPED_COMMA.match(t) and lang != "fr":
        t = t.replace(",", "")
    t = t.replace(",", ".")
    if not re.fullmatch(r"\d*\.?\d+(?:[eE][+-]?\d{1,4})?|\d+\.", t):
        raise ValueError(f"not a number: {text!r}")
    return Fraction(t)


def magnitude_digits(q: Fraction) -> float:
    """Rough count of decimal digits of ``q`` (log10 of its size), cheap for huge values."""
    num, den = abs(q.numerator), q.denominator
    if num == 0:
        return 0.0
    return (num.bit_length() - den.bit_length()) * math.log10(2)
