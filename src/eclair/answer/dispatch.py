"""One text, the tools in turn: the first that reads it answers it.

Contract: :func:`answer_one` tries the premise checks, then the date, clock, rate, throughput,
unit, proportion, area, charge, sharing, unit-sum, number-theory, arithmetic and word-problem
readers on one text (a whole message or one of its clauses) and returns the first complete
:class:`~eclair.answer.toolreply.ToolReply`, with the numbers it used when the reader says
them (the router checks coverage with them). No reader sees more than the text it is given.
"""

from __future__ import annotations

import re
from datetime import date

from eclair.answer.area import solve_area
from eclair.answer.charges import solve_charges
from eclair.answer.clocktime import solve_clock
from eclair.answer.dates import interpret_date
from eclair.answer.facts import fold1
from eclair.answer.language import Lang
from eclair.answer.mathtext import MathAnswer, interpret
from eclair.answer.numbertheory import read_number_question
from eclair.answer.numfmt import format_number
from eclair.answer.premise import check_premise
from eclair.answer.proportion import solve_proportion
from eclair.answer.rates import solve_rate
from eclair.answer.reading import asked_count, without_scene
from eclair.answer.sharing import solve_grouping, solve_sharing
from eclair.answer.throughput import solve_throughput
from eclair.answer.toolreply import ToolReply, calculation_reply
from eclair.answer.unitprice import solve_unit_price
from eclair.answer.units import describe, interpret_conversion, unit_named
from eclair.answer.unitsum import solve_fill, solve_unit_sum
from eclair.answer.wordproblem import solve_word_problem

_DAY_NAMES = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "weekend",
        "weekday",
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
    ]
)


def _counts_other_than_time(text: str, lang: Lang) -> bool:
    """ "How many cookies in 5 days?" counts cookies: the date tool, which would say what day it is
    in 5 days, does not answer it."""
    words = asked_count(fold1(text))
    if not words:
        return False
    for word in words:  # "how many whole weeks", "combien de jours ouvrés"
        unit = unit_named(word, lang) or unit_named(word, "en")
        if (unit is not None and unit.kind == "time" and len(word) > 2) or word.rstrip("s") in _DAY_NAMES:
            return False
    return True


# A calculation asked inside a longer sentence: "my uncle asked me what 48 × 15 is",
# "elle m'a demandé combien font 64 × 25"; what comes before it holds no number.
_ASKED_FRAME = re.compile(
    r"\b(?:combien (?:font|fait|vaut|valent|donnent|donne)|(?:what|how much) (?:is|are|makes?|does|do|equals?)|what(?= \d)|"
    r"calcule[rz]?|calculate|compute|work out)\b",
    re.IGNORECASE,
)


def _asked_inside(text: str, lang: Lang) -> MathAnswer | None:
    frame = _ASKED_FRAME.search(text)
    if frame is None or frame.start() == 0 or any(c.isdigit() for c in text[: frame.start()]):
        return None
    return interpret(text[frame.start() :], lang)


def answer_one(text: str, lang: Lang, today: date) -> ToolReply | None:
    """The first tool that reads ``text`` whole and answers it, tried in order (premise checks,
    dates, clock times, rates, conversions, proportions, areas, charges, sharing, sums of
    units, number questions, arithmetic, word problems), or None."""
    if issue := check_premise(text, lang):
        negations = ("not", "never", "no ", "cannot", "n'", "ne ", "pas", "jamais")
        return ToolReply("premise", issue.message, negations, reason=f"false premise: {issue.reason}")
    text = without_scene(text)  # "at 7:25", "she is 43 years old": the scene, not the problem
    if not _counts_other_than_time(text, lang) and (dated := interpret_date(text, lang, today)):
        return ToolReply("date", dated.text, tuple(fold1(c) for c in dated.checks))
    if clock := solve_clock(text, lang):
        return ToolReply("date", clock.text, clock.checks, used=clock.used)
    if rate := solve_rate(text, lang):
        return ToolReply("calculator", rate.text, rate.checks, reason="rate read by rules")
    if work := solve_throughput(text, lang):
        return ToolReply("calculator", work.text, work.checks, reason="rate read by rules", used=work.used)
    if conversion := interpret_conversion(text, lang):
        checks: tuple[str, ...] = ()
        if conversion.result is not None:
            checks = tuple({format_number(conversion.result, lg, sig=6)[0] for lg in ("en", "fr")})
        reason = None if conversion.error is None else conversion.error
        text = describe(conversion, lang)
        # the result, for a clause that rounds it ("…in grams, to the nearest gram")
        return ToolReply(
            "calculator",
            text,
            checks,
            reason=reason,
            value=conversion.result,
            exact=False,
            shown=text.rstrip("."),
        )
    if scaled := solve_proportion(text, lang):
        return ToolReply(
            "calculator", scaled.text, scaled.checks, reason="proportion read by rules", used=scaled.used
        )
    if area := solve_area(text, lang):
        return ToolReply("calculator", area.text, area.checks, reason="area read by rules", used=area.used)
    if charged := solve_charges(text, lang):
        return ToolReply(
            "calculator", charged.text, charged.checks, reason="charges read by rules", used=charged.used
        )
    if shared := solve_grouping(text, lang) or solve_sharing(text, lang):
        return ToolReply(
            "calculator", shared.text, shared.checks, reason="division read by rules", used=shared.used
        )
    if summed := solve_unit_sum(text, lang) or solve_fill(text, lang) or solve_unit_price(text, lang):
        return ToolReply("calculator", summed.text, summed.checks, used=summed.used)
    if number := read_number_question(text, lang):
        return ToolReply("calculator", number.text, number.checks, used=number.used)
    if math := interpret(text, lang) or _asked_inside(text, lang):
        return calculation_reply(math, lang)
    if problem := solve_word_problem(text, lang):
        solved = calculation_reply(problem, lang)
        # (the numbers it used go with it: coverage holds for word problems too)
        return ToolReply(
            solved.route, solved.text, solved.checks, reason="word problem read by rules", used=solved.used
        )
    return None
