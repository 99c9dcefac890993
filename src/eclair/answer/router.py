"""The router: which path answers a user turn.

Contract: :func:`decide` looks at the last user message of a conversation (and the
conversation's language) and returns a :class:`Decision`:

1. ``premise``: the question applies arithmetic to a non-number or rests on a false fact
   (:mod:`eclair.answer.premise`); the reply says what is wrong.
2. ``date``: a date computation (:mod:`eclair.answer.dates`).
3. ``calculator``: a unit conversion (:mod:`eclair.answer.units`), an arithmetic
   expression in symbols or words (:mod:`eclair.answer.mathtext`, also inside a request:
   "can you work out … for me?") or a word problem (:mod:`eclair.answer.wordproblem`, which
   first tries percentages, :mod:`~eclair.answer.percentproblem`, and multi-step stories,
   :mod:`~eclair.answer.storyproblem`), computed exactly; hostile expressions are refused
   with the reason. A colon after a word ends a lead-in ("Quick one: 5 × 3").
4. ``knowledge``: a factual question (:mod:`eclair.answer.intent`), to be answered from
   documents (the knowledge base, or a text pasted in the conversation) or abstained on.
5. ``model``: everything else (greetings, writing, brainstorming, advice).

A question longer than :data:`MAX_QUESTION_CHARS` is not read by any rule: it goes to the
model (a text to read or write, not a question a tool or a lookup answers), so the time the
rules take is bounded whatever the message holds.

Tool replies (1-3) are computed here, synchronously, in about a millisecond; they carry
``checks``, the values a correct earlier answer would contain, which pushback uses to
re-verify. Every rule is about a *kind* of question, in English and French; none names a
particular question. The router never calls the model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Literal

from eclair.answer.area import solve_area
from eclair.answer.charges import solve_charges
from eclair.answer.clocktime import solve_clock
from eclair.answer.context import drop_trailing_remark, split_question
from eclair.answer.dates import interpret_date
from eclair.answer.facts import fold1
from eclair.answer.intent import classify_intent, is_text_request
from eclair.answer.language import Lang, conversation_language, detect_language
from eclair.answer.mathtext import interpret
from eclair.answer.numbertheory import PLACES, read_number_question, round_number
from eclair.answer.numfmt import format_number
from eclair.answer.numwords import words_to_digits
from eclair.answer.phrasing import say
from eclair.answer.premise import check_premise
from eclair.answer.proportion import solve_proportion
from eclair.answer.rates import solve_rate
from eclair.answer.reading import Reading, asked_count, read_message
from eclair.answer.sharing import solve_grouping, solve_sharing
from eclair.answer.throughput import solve_throughput
from eclair.answer.toolreply import ToolReply, calculation_reply
from eclair.answer.unitprice import solve_unit_price
from eclair.answer.units import describe, interpret_conversion, read_quantities, unit_named
from eclair.answer.unitsum import solve_fill, solve_unit_sum
from eclair.answer.wordproblem import solve_word_problem
from eclair.engine.protocol import ChatMessage

DecisionRoute = Literal["calculator", "date", "premise", "knowledge", "model"]


@dataclass(frozen=True, slots=True)
class Decision:
    route: DecisionRoute
    lang: Lang
    # The question to answer (the last user message, or its question part).
    question: str
    reply: ToolReply | None = None
    # Text the user provided in the same message ("<article> Question: …").
    document: str = ""
    # An open question ("why…", "how does…"): when no document or pack speaks of its subject,
    # the model explains rather than abstaining.
    open: bool = False


# ------------------------------------------------------------------ routing


# A colon after a word ends a lead-in ("Quick one: 5 × 3"); after a number it divides. A
# dash after a number is a minus ("(310 - 25) * 4"). A dash's leading spaces are matched from
# the first of them only: tried from each space of a long run, ``\s+[-–—]`` would rescan the
# rest of the run every time (quadratic).
_SEGMENT = re.compile(
    r"(?<=[.!?;])\s+|,\s+(?=\D)|(?<!\s)\s+(?=(?:then|and then|and finally|finally|puis|et puis|ensuite|enfin)\s)|(?<=[^\W\d_])\s*:\s+|(?<![\s\d)])\s+[-–—]\s+|\n+"
)


# The longest question the rules read (tools, intent, pushback, documents); the longest in
# the evaluation suites has under 200 characters.
MAX_QUESTION_CHARS = 1000


def readable(question: str) -> bool:
    """Whether ``question`` is short enough for the rules to read (:data:`MAX_QUESTION_CHARS`)."""
    return len(question) <= MAX_QUESTION_CHARS


def answer_with_tools(text: str, lang: Lang, today: date, reading: Reading | None = None) -> ToolReply | None:
    """A tool's complete answer to ``text``, or None when no tool applies (or ``text`` is too
    long to be a question, :func:`readable`).

    The whole message is tried first; then its sentences and clauses one by one, so that
    "Hey, what is 6 times 7? Just curious." is still a calculation. Several calculations in
    one message get one line each. Coverage: a reading that leaves out a number of the message
    (:meth:`Reading.unaccounted`) does not answer it, and a message that asks two questions is
    answered only when each of them is.
    """
    if not readable(text):
        return None
    reading = reading or read_message(text, lang)
    if sum(1 for s in _SEGMENT.split(text) if s and s.strip().endswith("?")) >= 2:
        # "Is 2100 a leap year? How many days will it have?": one answer per question.
        return _answer_clauses(text, lang, today, every_question=True)
    segments = [s for s in _SEGMENT.split(text) if s and s.strip()]
    later = (words_to_digits(fold1(s), lang) for s in segments[1:])
    # "7 divided by 3, rounded to the hundredth": the whole read as one calculation would drop
    # the rounding, which has no number of its own.
    if any(_ROUNDS.match(c) or _SCALES.match(c) for c in later) and (
        chained := _answer_clauses(text, lang, today)
    ):
        return chained
    whole = _answer_one(text, lang, today)
    if whole is not None and whole.used is not None and reading.unaccounted(whole.used):
        whole = None  # it read one clause as if it were the message
    if whole is not None and not (whole.reason or "").startswith("refused:"):
        return whole
    # A refusal of the whole message may come from reading clauses as one ("1 divisé par 4,
    # divisé par 2": "," is no number); the clauses read one by one may all be computable.
    found = _answer_clauses(text, lang, today) or whole
    if found is None and (rewritten := _plainer(text, lang)) is not None:
        # the same question with its anaphora resolved or its glosses dropped: every number of
        # the message is still in it, so coverage holds
        return answer_with_tools(rewritten, lang, today)
    return found


_ANAPHOR = re.compile(r"\b(?:that|this|it|ca|cela|ceci)\b")
_SENTENCE_END = re.compile(r"(?<=[.!;])\s+")
# (spaces taken from the first of a run only: from each, a long run would be rescanned)
_GLOSS = re.compile(r"(?<!\s)\s*\([^()\d]{1,30}\)")


# A precision said inside the clause it rounds: "la racine carrée de 30 avec trois décimales".
_INLINE_ROUND = re.compile(
    r"(?<![,\s])\s+(?:avec|with|to|à|a|en|in)\s+(?P<k>\d+|une?|deux|trois|quatre|one|two|three|four)\s+"
    r"(?:decimal places?|decimals?|décimales?|decimales?|chiffres? après la virgule|chiffres? apres la virgule)\b",
    re.I,
)


def _plainer(text: str, lang: Lang) -> str | None:
    """``text`` with what a tool cannot read made plain, or None when nothing changes: a gloss in
    parentheses ("5 pouces (inches)") is dropped; a closing question about "that" ("A recipe needs
    750 mL of milk. How many litres is that?") names the one quantity stated before it."""
    if _GLOSS.search(text):
        return _GLOSS.sub("", text)
    if inline := _INLINE_ROUND.search(text):
        # as a clause of its own, which the rounding reader applies to the result before it
        places = words_to_digits(inline["k"].lower(), lang)
        clause = (
            f", rounded to {places} decimal places" if lang == "en" else f", arrondi à {places} décimales"
        )
        return f"{text[: inline.start()]}{clause}{text[inline.end() :]}"
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s]
    if len(sentences) < 2 or not _ANAPHOR.search(fold1(sentences[-1])):
        return None
    _, quantities, bare = read_quantities(" ".join(sentences[:-1]), lang)
    if len(quantities) != 1 or bare:
        return None
    quantity = quantities[0]
    amount = format_number(quantity.value, lang)[0]
    name = (quantity.unit.en if lang == "en" else quantity.unit.fr)[quantity.value != 1]
    folded = fold1(sentences[-1])
    match = _ANAPHOR.search(folded)
    assert match is not None
    last = sentences[-1]
    return f"{last[: match.start()]}{amount} {name}{last[match.end() :]}"


def _answer_clauses(text: str, lang: Lang, today: date, *, every_question: bool = False) -> ToolReply | None:
    segments = [s for s in _SEGMENT.split(text) if s and s.strip()]
    if len(segments) < 2 or len(segments) > 8:
        return None
    replies: list[ToolReply] = []
    answered: list[str] = []  # the clauses the replies read
    restated: list[str] = []  # statements whose numbers an answered clause must say again
    for segment in segments:
        reply = None
        if not replies and (start := _START.match(words_to_digits(fold1(segment), lang))):
            # "Take 600, subtract 120, then…": the number the steps work on
            value = Fraction(start["n"])
            replies.append(
                ToolReply(
                    "calculator",
                    start["n"],
                    value=value,
                    expression=start["n"],
                    used=(value,),
                    reason="start",
                )
            )
            continue
        if not replies and (start := _START_CALCULATION.match(words_to_digits(fold1(segment), lang))):
            first = _answer_one(start["calculation"], lang, today)
            if first is not None and first.value is not None and not first.abstained:
                replies.append(first)
                continue
        if replies and replies[-1].value is not None:
            # "3 fois 4, plus 2": the clause works on the result before it.
            reply = _continue(replies[-1], segment, lang)
            if reply is not None:
                replies.pop()  # the chain is one calculation: "(12 ÷ 4 + 9) × 2 = 24"
        if reply is None and replies and _carries_on(segment, lang):
            # "…, plus log base 10 of 1000" that could not be chained: answering the clause on its
            # own would leave the "plus" unread (coverage)
            return None
        if (
            reply is None
            and every_question
            and replies
            and (about := _about_previous(segment, answered, lang))
        ):
            reply = _answer_one(about, lang, today)  # "…? If not, what is its smallest factor?"
        reply = reply or _answer_one(segment, lang, today)
        if (
            reply is not None
            and reply.used is not None
            and read_message(segment, lang).unaccounted(reply.used)
        ):
            reply = None
        if reply is not None:
            replies.append(reply)
            answered.append(segment)
        elif _is_context(segment, lang) and not every_question and not replies:
            restated.append(segment)  # (context comes before the question it is restated in)
        elif _is_numeric(segment, lang) or (every_question and segment.strip().endswith("?")):
            # Coverage: a clause with a number or an operation that no tool read means the
            # message is not what the other clauses' answers say; no tool answers it.
            return None
    if restated and not (
        all(a.rstrip().endswith("?") for a in answered) and _says_again(restated, answered, lang)
    ):
        return None  # a number of the context that no question answered said again (coverage)
    if not replies or any(r.reason == "start" for r in replies):
        return None  # a starting number that no step worked on answers nothing
    if len(replies) == 1:
        return replies[0]
    checks = tuple(c for r in replies for c in r.checks)
    reasons = "; ".join(r.reason for r in replies if r.reason) or None
    return ToolReply(replies[0].route, "\n".join(r.text for r in replies), checks, reasons)


# The number a chain of steps starts from: "Take 600", "Start with 12", "Prends 35", "Pars de 7".
_START_VERB = (
    r"^\s*(?:take|start with|begin with|think of|pick|prends|prenez|pars de|partez de|on part de|commence par|"
    r"commencez par|choisis|choisissez)\s+(?:the number |le nombre )?"
)
_START = re.compile(_START_VERB + r"(?P<n>-?\d+(?:\.\d+)?)\s*[.!]?\s*$")
# ... or from a calculation of its own: "Take 7 times 8, subtract 6, then…"
_START_CALCULATION = re.compile(_START_VERB + r"(?P<calculation>-?\d[^,;]{2,60}?)\s*[.!]?\s*$")
# A clause that carries on the previous computation: "plus 2", "then divide by 4", "puis ajoute 3",
# "add 9 to the result", "then double everything", "le tout au carré", "arrondi au centième".
_THEN = r"^\s*(?:(?:and|then|and then|et|puis|ensuite|et puis|et ensuite|finally|enfin)\s+)*"
_IT = r"(?:\s+(?:it|that|this|everything|the result|the total|the whole thing|le tout|le resultat|ca|cela|tout))?"
_CONTINUES = re.compile(
    _THEN
    + r"(?:(?P<add>plus|add|ajoute[rz]?|additionne[rz]?)|(?P<sub>minus|subtract|take away|moins|retire[rz]?|"
    r"enleve[rz]?|soustrai[st]|soustraire|soustrayez)|(?P<mul>times|multiplied by|multiply (?:it |that |this |the result )?by|"
    r"fois|multiplie[rz]?(?:-le|-la)? (?:le |ca |cela |le tout |le resultat )?par|(?:le tout |le resultat )?multiplie par)|"
    r"(?P<div>divided by|over|divide (?:it |that |this |the result )?by|"
    r"divise[rz]?(?:-le|-la)? (?:le |ca |cela |le tout |le resultat )?par|(?:le tout |le resultat )?divise par))\s+(?P<rest>\S.*?)"
    r"(?:\s+(?:to|from|au|a|du|de) (?:it|that|this|the result|the total|le resultat|ca|cela|celui-ci))?\s*[?.!]*\s*$"
)
_PUT = r"(?:le tout |le resultat |on met |met[sz]? (?:le tout |le resultat |ca )?)?"
_SCALES = re.compile(
    _THEN
    + r"(?:(?P<double>double[rz]?|doubles)|(?P<triple>triple[rz]?|triples)|(?P<quadruple>quadruple[rz]?)|"
    r"(?P<half>halve|(?:take )?half(?: of)?|(?:prends? )?la moitie(?: de)?)|(?P<square>square|"
    + _PUT
    + r"au carre)|"
    r"(?P<cube>cube|" + _PUT + r"au cube))" + _IT + r"(?:\s+(?:again|encore))?\s*[?.!]*\s*$"
)
_SCALE_OPS = {
    "double": "* 2",
    "triple": "* 3",
    "quadruple": "* 4",
    "half": "/ 2",
    "square": "^ 2",
    "cube": "^ 3",
}
_ROUNDS = re.compile(
    _THEN
    + r"(?:(?:rounded|round(?: it| that| the result)?|arrondi[rse]?|arrondie|arrondis(?:sez)?(?: le| le resultat)?)"
    r"\s+|(?=(?:to|a|au|à) (?:the nearest|\d+ (?:decimal|decimale|chiffre))|au (?:dixieme|centieme|millieme) pres))"
    r"(?:to |a |au |à )?(?:the nearest |l'|la plus proche )?(?P<to>whole number|integer|unit|unite|tenth|dixieme|"
    r"hundredth|centieme|thousandth|millieme|(?P<k>\d+) (?:decimal places?|decimals?|decimales?|chiffres? apres la virgule)|"
    # "to the nearest gram": a whole number of the unit ("the nearest ten" is another rounding)
    r"(?P<unit>(?!ten\b|tens\b|hundred|thousand|dizaine|centaine|millier)[a-z]+))"
    r"(?:\s+pres)?\s*[?.!]*\s*$"
)
_SYMBOL = {"add": "+", "sub": "-", "mul": "*", "div": "/"}


def _carries_on(clause: str, lang: Lang) -> bool:
    """Whether ``clause`` works on a result before it ("plus 3", "then double it", "arrondi…")."""
    folded = words_to_digits(fold1(clause), lang)
    return bool(_CONTINUES.match(folded) or _SCALES.match(folded) or _ROUNDS.match(folded))


def _wrapped(expression: str) -> str:
    """``expression`` in parentheses, unless it already is wholly inside one pair."""
    expression = expression.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", expression):
        return expression
    depth = 0
    for i, ch in enumerate(expression):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and i < len(expression) - 1:
            return f"({expression})"
    return expression if expression.startswith("(") else f"({expression})"


# What a step calls the result before it, in the words of one who does the steps: "divide what
# you get by 8", "divide the whole thing by 10", "multiplie ce que tu obtiens par 3" say "the result"
_PREVIOUS_RESULT = re.compile(
    r"\b(?:what (?:you|we|i) (?:get|got|have|now have|end up with)|what you've got|the whole (?:thing|lot)|"
    r"everything|all of (?:it|that)|ce que (?:tu obtiens|vous obtenez|j'obtiens|on obtient|tu as|vous avez|"
    r"tu trouves|vous trouvez)|le tout|tout (?:ca|cela))\b"
)


def _the_result(m: re.Match[str]) -> str:
    return "le resultat" if m[0].startswith(("ce que", "le tout", "tout")) else "the result"


def _continue(previous: ToolReply, clause: str, lang: Lang) -> ToolReply | None:
    """The clause applied to the previous calculation, as one calculation, or None when it is
    not such a clause."""
    assert previous.value is not None
    folded = _PREVIOUS_RESULT.sub(_the_result, words_to_digits(fold1(clause), lang))
    value = previous.value
    operand = (
        _wrapped(previous.expression) if previous.expression else str(value) if value >= 0 else f"({value})"
    )
    if rounding := _ROUNDS.match(folded):
        places = int(rounding["k"]) if rounding["k"] else 0 if rounding["unit"] else PLACES[rounding["to"]]
        if places > 12:
            return None
        rounded = round_number(value, places, lang)
        shown = previous.shown or rounded.text.split(" ≈ ")[0]
        return ToolReply("calculator", f"{shown} ≈ {rounded.text.split(' ≈ ')[-1]}", rounded.checks)
    if not previous.exact:
        return None
    if scale := _SCALES.match(folded):
        expression = f"{operand} {next(_SCALE_OPS[k] for k in _SCALE_OPS if scale[k])}"
    elif match := _CONTINUES.match(folded):
        symbol = next(_SYMBOL[name] for name in _SYMBOL if match[name])
        expression = f"{operand} {symbol} {match['rest']}"
    else:
        return None
    math = interpret(expression, lang)
    if math is None or math.error is not None:
        return None
    return calculation_reply(math, lang)


_OPERATION_WORD = re.compile(
    r"[+*/×÷=^%]|(?<![a-z])(?:plus|minus|times|divided|multiplied|moins|fois|divise|multiplie|sqrt|racine|"
    r"square|carre|cube|percent|pourcent|double|triple|halve|moitie|round|rounded|arrondi|arrondis)(?![a-z])"
)


# "If not,", "Sinon,": the condition of a follow-up question on the number before it
_FOLLOW_UP = re.compile(
    r"^\s*(?:(?:and |et )?(?:if (?:not|so|it isn't|it is not|it is|yes)|otherwise|sinon|si oui|si non|"
    r"si ce n'est pas le cas|dans ce cas)\s*,?\s*)?(?P<rest>.+)$",
    re.IGNORECASE,
)
_ITS = re.compile(r"\b(?:its|son|sa|ses)\s+(?P<phrase>[^?.!,;]{3,60}?)\s*(?P<end>[?.!]*)\s*$", re.IGNORECASE)


def _about_previous(segment: str, answered: list[str], lang: Lang) -> str | None:
    """A follow-up question whose "its" is the one number of the question before it, said
    again ("Is 143 prime? If not, what is its smallest prime factor?" asks "…factor of 143"),
    or None when the question before does not hold exactly one number."""
    if not answered or re.search(r"\d", segment):
        return None
    numbers = [n for n in read_message(answered[-1], lang).numbers if not n.year]
    rest = _FOLLOW_UP.match(segment)["rest"]  # type: ignore[index]
    its = _ITS.search(rest)
    if len(numbers) != 1 or its is None:
        return None
    number = format_number(numbers[0].value, lang)[0]
    start = its.start()
    if lang == "fr":
        article = {"son": "le", "sa": "la", "ses": "les"}[its[0].split()[0].lower()]
        phrase = f"{article} {its['phrase']} de {number}"
    else:
        phrase = f"the {its['phrase']} of {number}"
    return f"{rest[:start]}{phrase}{its['end'] or '?'}"


def _is_context(segment: str, lang: Lang) -> bool:
    """A statement before the question, with numbers but no operation ("The course starts on
    3 May and lasts 60 days."): context, which the question may say again in full."""
    reading = read_message(segment, lang)
    return (
        not segment.rstrip().endswith("?")
        and any(not n.year for n in reading.numbers)  # ("In 2024," holds a date, not a quantity)
        and not _OPERATION_WORD.search(reading.digits)
    )


def _says_again(statements: list[str], answered: list[str], lang: Lang) -> bool:
    """Every number of ``statements`` is said again in the clauses that were answered: "It
    starts on 3 May and lasts 60 days. What date is 60 days after 3 May?" reads them all."""
    said = {n.value for a in answered for n in read_message(a, lang).numbers}
    return all(n.value in said for s in statements for n in read_message(s, lang).numbers if not n.year)


def _is_numeric(text: str, lang: Lang) -> bool:
    """A clause with a quantity or an operation ("In 2024," holds a date, not a quantity)."""
    reading = read_message(text, lang)
    return any(not n.year for n in reading.numbers) or bool(_OPERATION_WORD.search(reading.digits))


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


def _answer_one(text: str, lang: Lang, today: date) -> ToolReply | None:
    if issue := check_premise(text, lang):
        negations = ("not", "never", "no ", "cannot", "n'", "ne ", "pas", "jamais")
        return ToolReply("premise", issue.message, negations, reason=f"false premise: {issue.reason}")
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
    if math := interpret(text, lang):
        return calculation_reply(math, lang)
    if problem := solve_word_problem(text, lang):
        solved = calculation_reply(problem, lang)
        # (the numbers it used go with it: coverage holds for word problems too)
        return ToolReply(
            solved.route, solved.text, solved.checks, reason="word problem read by rules", used=solved.used
        )
    return None


def last_user_message(messages: Sequence[ChatMessage]) -> str | None:
    for message in reversed(messages):
        if message.role == "user":
            return message.content
    return None


def decide(messages: Sequence[ChatMessage], today: date) -> Decision:
    """Route the conversation's last user turn (see the module docstring)."""
    conversation_lang = conversation_language(messages)
    content = last_user_message(messages)
    if content is None or not messages or messages[-1].role != "user":
        return Decision("model", conversation_lang, content or "")
    document, question = split_question(content)
    question = drop_trailing_remark(question)
    lang = detect_language(question, conversation_lang)
    if not readable(question):
        return Decision("model", lang, question, None, document)
    reading = read_message(question, lang)
    if is_text_request(reading.folded) and not reading.compute:
        # "Donne-moi 3 conseils pour économiser 20 %": its numbers belong to the text asked for
        return Decision("model", lang, question, None, document)
    if reply := answer_with_tools(question, lang, today, reading):
        return Decision(reply.route, lang, question, reply, document)
    if not document and reading.numeric():
        # Numeric at heart but no tool read all of it: neither the model nor the documents
        # may guess the value.
        reply = ToolReply(
            "calculator", say("calc.unread", lang), abstained=True, reason="no tool read every number"
        )
        return Decision("calculator", lang, question, reply, document)
    if reading.intent != "model":
        return Decision("knowledge", lang, question, None, document, open=reading.intent == "open")
    return Decision("model", lang, question, None, document)


def warm_up() -> None:
    """Load data files and compile patterns now rather than on the first question."""
    today = date(2000, 1, 1)
    for text, lang in (
        ("square root of a goat", "en"),
        ("how much do bull eggs weigh", "en"),
        ("when did Napoleon walk on the Moon", "en"),
        ("how many seconds in 3 hours", "en"),
        ("combien de centimètres dans 2 mètres", "fr"),
        ("what day was 1 May 2000", "en"),
        ("17 × 23", "en"),
        ("bonjour", "fr"),
    ):
        answer_with_tools(text, lang, today)  # type: ignore[arg-type]
        classify_intent(text)
