"""A message read clause by clause, when no tool reads it whole.

Contract: :data:`SEGMENT` cuts a message into clauses (sentences, comma clauses, "then …",
a lead-in before a colon, a dash). :func:`answer_clauses` answers each clause with
:func:`~eclair.answer.dispatch.answer_one` and joins the answers, where a clause may carry on
the result before it ("3 fois 4, plus 2", "then round it to the hundredth", "le tout au
carré", "take 600, subtract 120"), a follow-up's "its" is the number of the question before it,
and a statement before the question counts only when the question says its numbers again.
Coverage: a clause with a number or an operation that nothing read makes the whole message
unanswered (None), never half-answered. :func:`plainer` rewrites what a tool cannot read
(a gloss in parentheses, a precision inside a clause, "how many litres is that?").
"""

from __future__ import annotations

import re
from datetime import date
from fractions import Fraction

from eclair.answer.dispatch import answer_one
from eclair.answer.facts import fold1
from eclair.answer.language import Lang
from eclair.answer.mathtext import interpret
from eclair.answer.numbertheory import PLACES, round_number
from eclair.answer.numfmt import format_number
from eclair.answer.numwords import words_to_digits
from eclair.answer.reading import read_message
from eclair.answer.toolreply import ToolReply, calculation_reply
from eclair.answer.units import read_quantities

# A colon after a word ends a lead-in ("Quick one: 5 × 3"); after a number it divides. A
# dash after a number is a minus ("(310 - 25) * 4"). A dash's leading spaces are matched from
# the first of them only: tried from each space of a long run, ``\s+[-–—]`` would rescan the
# rest of the run every time (quadratic).
SEGMENT = re.compile(
    r"(?<=[.!?;])\s+|,\s+(?=\D)|(?<!\s)\s+(?=(?:then|and then|and finally|finally|puis|et puis|ensuite|enfin)\s)|(?<=[^\W\d_])\s*:\s+|(?<![\s\d)])\s+[-–—]\s+|\n+"
)


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


def plainer(text: str, lang: Lang) -> str | None:
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
    if len(sentences) >= 2 and _ASKS_THE_RESULT.match(fold1(sentences[-1])):
        # "The worksheet says 5/8 - 1/6. What do I get?": the one calculation said before
        before = " ".join(sentences[:-1])
        found = [m[0].rstrip(" .,") for m in _WRITTEN_CALCULATION.finditer(before) if _OPERATOR.search(m[0])]
        others = before.replace(found[0], " ") if len(found) == 1 else before
        if len(found) == 1 and not _DIGITS.search(words_to_digits(fold1(others), lang)):
            return f"Combien font {found[0]} ?" if lang == "fr" else f"What is {found[0]}?"
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


# A closing question that asks for the result of what was said before, and nothing else
_ASKS_THE_RESULT = re.compile(
    r"^\s*(?:so |alors |and |et )?(?:what(?:'s| is) (?:the )?(?:answer|result)|what do (?:i|you|we) get|"
    r"quel(?:le)? est (?:le resultat|la reponse|la solution)|(?:ca|cela) (?:fait|donne) combien|"
    r"combien (?:ca|cela) (?:fait|donne))\s*[?.!]*\s*$"
)
# a calculation written with digits and operators ("5/8 - 1/6", "(12 - 4) × 3"); possessive, so
# that a long run is scanned once (what ends it, a full stop or a blank, is trimmed after)
_WRITTEN_CALCULATION = re.compile(r"[(\d][\d\s.,/()+×÷*^−-]*+")
_OPERATOR = re.compile(r"[+×÷*/^−]|\d\s+-\s*\d")
_DIGITS = re.compile(r"\d")


def answer_clauses(text: str, lang: Lang, today: date, *, every_question: bool = False) -> ToolReply | None:
    """The message answered clause by clause (see the module docstring), or None when a clause
    with a number or an operation is left unread (coverage)."""
    segments = [s for s in SEGMENT.split(text) if s and s.strip()]
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
        if not replies and (scaled := _START_SCALED.match(words_to_digits(fold1(segment), lang))):
            factor = "/ 2" if scaled["half"] else "* 2" if scaled["double"] else "* 3"
            number = scaled["n"].replace(",", "") if lang == "en" else scaled["n"]  # "4,500"
            first = answer_one(f"{number} {factor}", lang, today)
            if first is not None and first.value is not None and not first.abstained:
                replies.append(first)
                answered.append(segment)
                continue
        if not replies and (start := _START_CALCULATION.match(words_to_digits(fold1(segment), lang))):
            first = answer_one(start["calculation"], lang, today)
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
            reply = answer_one(about, lang, today)  # "…? If not, what is its smallest factor?"
        reply = reply or answer_one(segment, lang, today)
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
# ... or from a number scaled first: "Halve 4,500, add ten…", "Double 35, then…"
_START_SCALED = re.compile(
    r"^\s*(?:(?P<half>halve|(?:take )?half of|prends? la moitie de|divise[rz]? par deux)|(?P<double>double[rz]?)|"
    r"(?P<triple>triple[rz]?))\s+(?P<n>-?\d{1,3}(?:,\d{3})+(?!\d)|-?\d+(?:\.\d+)?)\s*[.!]?\s*$"
)
# The step says what to do with the result in a question about it: "tell me what that result is
# minus 40", "dis-moi combien fait ce résultat moins 40" is "minus 40"
_ASKED_OF_RESULT = re.compile(
    r"^(\s*(?:(?:and|then|and then|et|puis|ensuite|et puis)\s+)*)(?:(?:tell me|say|give me|dis-moi|dites-moi|donne-moi)\s+)?"
    r"(?:what|combien (?:fait|font|donne)|ce que (?:fait|donne|vaut))\s+(?:that|this|the|ce|le|cette)\s+"
    r"(?:result|number|total|resultat|nombre)(?:\s+(?:is|would be|becomes|makes))?\s+"
)
# A clause that carries on the previous computation: "plus 2", "then divide by 4", "puis ajoute 3",
# "add 9 to the result", "then double everything", "le tout au carré", "arrondi au centième".
_THEN = r"^\s*(?:(?:and|then|and then|et|puis|ensuite|et puis|et ensuite|finally|enfin)\s+)*"
_IT = r"(?:\s+(?:it|that|this|everything|the result|the total|the whole thing|le tout|le resultat|ca|cela|tout))?"
_CONTINUES = re.compile(
    _THEN
    + r"(?:(?P<add>plus|add|ajoute[rz]?|additionne[rz]?)|(?P<sub>minus|subtract|take away|moins|retire[rz]?|"
    r"enleve[rz]?|retranche[rz]?|ote[rz]?|soustrai[st]|soustraire|soustrayez)|(?P<mul>times|multiplied by|multiply (?:it |that |this |the result )?by|"
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
    r"\b(?:what(?:ever)? (?:you|we|i) (?:get|got|have|now have|end up with)|what you've got|the (?:whole )?(?:thing|lot)|"
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
    folded = _ASKED_OF_RESULT.sub(r"\1", folded)
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
        and any(not n.year and not n.context for n in reading.numbers)  # ("In 2024," holds a date)
        and not _OPERATION_WORD.search(reading.digits)
    )


def _says_again(statements: list[str], answered: list[str], lang: Lang) -> bool:
    """Every number of ``statements`` is said again in the clauses that were answered: "It
    starts on 3 May and lasts 60 days. What date is 60 days after 3 May?" reads them all."""
    said = {n.value for a in answered for n in read_message(a, lang).numbers}
    return all(
        n.value in said
        for s in statements
        for n in read_message(s, lang).numbers
        if not n.year and not n.context
    )


def _is_numeric(text: str, lang: Lang) -> bool:
    """A clause with a quantity or an operation ("In 2024," holds a date, not a quantity)."""
    reading = read_message(text, lang)
    return any(not n.year and not n.context for n in reading.numbers) or bool(
        _OPERATION_WORD.search(reading.digits)
    )


def works_on_result(text: str, lang: Lang) -> bool:
    """Whether a clause after the first rounds or scales the result before it ("7 divided by 3,
    rounded to the hundredth"): read whole, the message would drop that clause."""
    segments = [s for s in SEGMENT.split(text) if s and s.strip()]
    later = (words_to_digits(fold1(s), lang) for s in segments[1:])
    return any(_ROUNDS.match(c) or _SCALES.match(c) for c in later)
