"""A tool's complete answer, and the reply to a calculation.

Contract: :class:`ToolReply` is what the calculator, date and premise tools answer with (its text,
the values a correct earlier answer would hold for pushback, and what coverage needs: the
numbers used, the exact value and expression a following clause may work on).
:func:`calculation_reply` turns the calculator's reading of a message
(:class:`eclair.answer.mathtext.MathAnswer`) into one, refusals included, with their reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Literal

from eclair.answer import calculator
from eclair.answer.calculator import CalcError
from eclair.answer.language import Lang
from eclair.answer.mathtext import MathAnswer, render
from eclair.answer.numfmt import format_fraction, format_number
from eclair.answer.phrasing import say

ToolRoute = Literal["calculator", "date", "premise"]


@dataclass(frozen=True, slots=True)
class ToolReply:
    """A complete answer computed by a tool."""

    route: ToolRoute
    text: str
    # Values (folded, lower case) whose presence in an earlier answer means it said the same.
    checks: tuple[str, ...] = ()
    reason: str | None = None
    # The exact result of a calculation, which a following clause may work on ("…, plus 2").
    value: Fraction | None = None
    # Whether ``value`` is exact; an approximate one is only rounded by a following clause.
    exact: bool = True
    # The calculation behind ``value``, in calculator syntax and as shown ("12 / 4", "12 ÷ 4").
    expression: str | None = None
    shown: str | None = None
    # No tool could read the request: the reply says so, and the answer is an abstention.
    abstained: bool = False
    # The numbers the tool's reading used, when it reports them (the coverage invariant).
    used: tuple[Fraction, ...] | None = None


# ------------------------------------------------------------------ calculator replies


def _pretty(expression: str) -> str:
    return re.sub(r"\s+", " ", expression.replace("*", " × ").replace("/", " ÷ ")).strip()


def _calc_error(err: CalcError, expression: str, lang: Lang) -> ToolReply:
    code = err.code
    if code == "too_large":
        text = say("calc.too_large", lang, max_digits=calculator.MAX_DIGITS)
    elif code == "too_deep":
        text = say("calc.too_deep", lang, max_depth=calculator.MAX_DEPTH)
    elif code in ("too_long", "timeout", "attribute"):
        text = say(f"calc.{code}", lang)
    elif code == "div_zero":
        text = say("calc.div_zero", lang, expr=_pretty(expression))
    elif code == "negative_root":
        value = Fraction(err.detail) if re.fullmatch(r"-?\d+(?:/\d+)?", err.detail) else None
        if value is None:
            text = say("calc.domain", lang, detail=err.detail)
        else:
            root = calculator.calculate(f"sqrt({-value})").value
            text = say(
                "calc.negative_root",
                lang,
                value=format_number(value, lang)[0],
                imag=format_number(root.q, lang, exact=root.exact)[0],
            )
    elif code == "domain":
        key = "domain.factorial" if "factorial" in err.detail else "domain.modulo"
        text = say("calc.domain", lang, detail=say(key, lang))
    elif code == "name":
        text = say("calc.name", lang, name=err.detail)
    elif code == "ambiguous" and err.detail.startswith("fraction "):
        text = say("calc.ambiguous_fraction", lang, fraction=err.detail.removeprefix("fraction "))
    elif code == "ambiguous":
        text = say("calc.ambiguous", lang, expr=_pretty(expression))
    elif err.detail == "missing )":
        text = say("calc.missing_paren", lang)
    elif err.detail in ("end of expression", "empty"):
        text = say("calc.incomplete", lang)
    else:
        text = say("calc.syntax", lang, detail=err.detail or expression[:20])
    return ToolReply(
        "calculator", text, ("cannot", "won't", "undefined", "ne calcule", "pas"), reason=f"refused: {code}"
    )


def calculation_reply(answer: MathAnswer, lang: Lang) -> ToolReply:
    reply = _calculation_reply(answer, lang)
    calculation = answer.calculation
    if calculation is not None:
        claimed = () if answer.claimed is None else (answer.claimed,)
        reply = replace(reply, used=(*calculator.operands(calculation.tree), *claimed))
    if answer.error is None and calculation is not None and not answer.claimed:
        shown = render(calculation.tree, lang)
        return replace(
            reply,
            value=calculation.value.q,
            exact=calculation.value.exact,
            expression=answer.expression,
            shown=shown,
        )
    return reply


def _calculation_reply(answer: MathAnswer, lang: Lang) -> ToolReply:
    if answer.error is not None or answer.calculation is None:
        assert answer.error is not None
        return _calc_error(answer.error, answer.expression, lang)
    value = answer.calculation.value
    shown, exact = format_number(value.q, lang, exact=value.exact)
    checks = tuple(
        {
            format_number(value.q, "en", exact=value.exact)[0],
            format_number(value.q, "fr", exact=value.exact)[0],
        }
    )
    if answer.percentage_of:
        part, whole = (format_number(Fraction(x), lang)[0] for x in answer.percentage_of)
        return ToolReply(
            "calculator", say("calc.percentage_of", lang, part=part, whole=whole, value=shown), checks
        )
    if answer.percent_change:
        old, new = (format_number(Fraction(x), lang)[0] for x in answer.percent_change)
        direction = say(f"calc.change_{'up' if value.q > 0 else 'down' if value.q < 0 else 'none'}", lang)
        rate = format_number(abs(value.q), lang, exact=value.exact)[0]
        # A fall is stated as a positive rate, so the formula subtracts the new value.
        formula = f"({new} − {old}) ÷ {old} × 100" if value.q >= 0 else f"({old} − {new}) ÷ {old} × 100"
        text = say(
            "calc.percent_change", lang, old=old, new=new, direction=direction, rate=rate, formula=formula
        )
        rates = (format_number(abs(value.q), lg, exact=value.exact)[0] for lg in ("en", "fr"))
        return ToolReply("calculator", text, (*checks, *rates))
    expr = render(answer.calculation.tree, lang)
    if answer.claimed is not None:
        close = abs(answer.claimed - value.q) < Fraction(1, 10**6)
        right = answer.claimed == value.q or (not value.exact and close)
        claimed = format_number(answer.claimed, lang)[0]
        key = "calc.claim_right" if right else "calc.claim_wrong"
        equals = "=" if exact else "≈"
        text = say(key, lang, expr=expr, equals=equals, value=shown, claimed=claimed)
        return ToolReply("calculator", text, checks)
    fraction = format_fraction(value.q) if value.exact else None
    if fraction:
        text = say("calc.fraction", lang, expr=expr, fraction=fraction, value=shown)
        checks = (*checks, fraction)
    else:
        text = say("calc.exact" if exact else "calc.approx", lang, expr=expr, value=shown)
    return ToolReply("calculator", text, checks)
