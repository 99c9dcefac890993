"""Successive percentage changes: "A price of $250 rises by 20% and then falls by 20%. What is
the price now?", "Un manteau à 180 € soldé à −30 %, puis une remise supplémentaire de 10 % : prix
final ?", "Increase 80 by 15%, then by 15% again", "two discounts of 10%: what is the total
discount?".

Contract: :func:`solve_percent_chain` returns a :class:`~eclair.answer.mathtext.MathAnswer`
only when the message states a starting amount (or asks only for the overall rate), then two
changes or more, each a percentage with a direction word (up: "rises", "increase", "augmente",
"hausse"; down: "falls", "comes down", "discount", "off", "remise", "réduction", "soldé à −"),
"again" / "encore" repeating the change before it; and asks for the final amount or the total
change. Each change applies to the result of the one before, as shops and banks apply them.
Every number of the message is one of these; anything else gives None (coverage), and the
expression keeps every percentage written so that the router's coverage check sees them.
"""

from __future__ import annotations

import re
from fractions import Fraction

from eclair.answer.calculator import CalcError, calculate
from eclair.answer.mathtext import MathAnswer, prepare_text

_NUM = r"\d+(?:\.\d+)?"
_UP = (
    r"(?:rises?|rose|goes up|went up|increases?|increased|is increased|raised?|up|grows?|gains?|gained|gagne[rz]?|"
    r"augmente[rz]?|augmentee?s?|"
    r"augmentation|hausse|monte|majore[es]?|majoration)"
)
_DOWN = (
    r"(?:falls?|fell|goes down|went down|comes down|came down|drops?|dropped|decreases?|decreased|reduced|cut|"
    r"loses|lost|lose|perd|perdu|"
    r"discount(?:ed)?|off|baisse[rz]?|baissee?|diminue[rz]?|diminuee?|remise|reduction|rabais|solde[es]?|"
    r"soldee?s?|ristourne)"
)
# a change: direction word, a few words at most, then the rate ("falls by 20%", "remise
# supplémentaire de 10 %", "soldé à -30 %", "increase 80 by 15%"); or the rate then "off"
_CHANGE = re.compile(
    rf"\b(?P<dir>{_UP}|{_DOWN})\b(?:\s+[$€£]?(?P<start>{_NUM})(?!\s?%))?(?:\s+[a-z'-]+){{0,3}}?\s+"
    rf"(?:by |de |of |a |à )?(?P<sign>[-−+])?\s?(?P<rate>{_NUM})\s?%"
    rf"|(?<![\d.])(?P<rate2>{_NUM})\s?%\s+(?P<dir2>off|de remise|de reduction|de rabais|de moins|de plus)\b"
    # a rate with its sign and no word: "on m'applique -20 % en caisse", "+5 % au 1er janvier"
    rf"|(?<![\w.])(?P<sign3>[-−+])\s?(?P<rate3>{_NUM})\s?%"
)
# "…, then again": the change before, once more (with no rate of its own)
_AGAIN = re.compile(
    r"^[\s,]*(?:and|then|et|puis)(?: then)?\s+(?:again|once more|encore une fois|a nouveau|de nouveau)\b"
)
_START = re.compile(
    rf"(?:price of|costs?|priced at|starts? at|worth|vaut|coute|co[uû]tant|prix de|a|à|of|de|is|est)\s+[$€£]?\s?"
    rf"(?P<n>{_NUM})(?!\s?%)"
)
_ASKS_FINAL = re.compile(
    r"\b(?:price now|final price|new price|what is the price|what's the price|how much (?:is it|does it cost|now)|"
    r"what do you get|what(?:'s| is) the (?:result|value)|final (?:value|amount)|prix final|nouveau prix|"
    r"combien (?:coute|vaut|fait|ca fait)|quel est le prix|que vaut|resultat|combien obtient|"
    # what the buyer pays: "how much will we pay?", "combien vais-je payer ?"
    r"how much (?:do|will|would|did|should) (?:i|we|you|they) (?:pay|spend)|(?:je|on|nous) (?:paie|paye|paierai|payons) combien|"
    r"combien (?:je |on |nous )?(?:paie|paye|payons|vais-je payer|dois-je payer|je dois payer|a payer)|au final|in the end|"
    r"what (?:do|will|would|did|should) (?:i|we|you|they) (?:pay|spend)|what does (?:it|that|the \w+) cost(?: now)?|"
    r"(?:costs?|worth|vaut|coute) (?:now|today|maintenant|aujourd'hui))"
)
_ASKS_TOTAL = re.compile(
    r"\b(?:total (?:discount|reduction|change|increase|decrease)|overall (?:discount|change|increase|decrease)|"
    r"remise totale|reduction totale|baisse totale|hausse totale|augmentation totale|variation totale|"
    r"net (?:change|discount|increase|decrease|effect)|(?:overall|in total|altogether|au total|en tout)\b[^.?!]{0,40}"
    r"\b(?:change|discount|increase|decrease|reduction|remise|reduction|baisse|hausse|variation))"
)
_ASKS_REDUCTION = re.compile(r"\b(?:discount|reduction|remise|rabais|baisse|decrease|ristourne)\b")
_DOWN_WORDS = re.compile(rf"{_DOWN}|de remise|de reduction|de rabais|de moins")


def solve_percent_chain(message: str, lang: str) -> MathAnswer | None:
    """The final amount, or the total rate, of successive percentage changes (module docstring)."""
    if len(message) > 500:
        return None
    text = prepare_text(message, lang)
    steps: list[tuple[str, str]] = []  # (sign, rate)
    used: list[str] = []
    start: str | None = None
    for m in _CHANGE.finditer(text):
        rate = m["rate"] or m["rate2"] or m["rate3"]
        word = m["dir"] or m["dir2"] or ""
        down = bool(_DOWN_WORDS.fullmatch(word)) or (m["sign"] or m["sign3"]) in ("-", "−")
        steps.append(("-" if down else "+", rate))
        used.append(rate)
        if m["start"]:
            start = start or m["start"]
            used.append(m["start"])
        if _AGAIN.match(text[m.end() :]):
            steps.append(steps[-1])
    if len(steps) < 2:
        return None
    total = bool(_ASKS_TOTAL.search(text))
    if not total and not _ASKS_FINAL.search(text):
        return None
    remaining = re.findall(rf"(?<![\d.]){_NUM}", text)
    for number in used:
        if number in remaining:
            remaining.remove(number)
    if start is None and not total:
        found = next((m["n"] for m in _START.finditer(text) if m["n"] in remaining), None)
        if found is None:
            return None
        start = found
        remaining.remove(found)
    if remaining:
        return None  # a number no step reads: coverage
    factors = " * ".join(f"(1 {sign} {rate}%)" for sign, rate in steps)
    # a total discount is stated as positive; a "net change" keeps its sign (−4 % is a fall)
    signed = total and not _ASKS_REDUCTION.search(text)
    expression = (
        f"({factors} - 1) * 100" if signed else f"(1 - {factors}) * 100" if total else f"{start} * {factors}"
    )
    try:
        result = calculate(expression)
        if total and not signed and result.value.q < Fraction(0):
            expression = f"({factors} - 1) * 100"  # an overall increase, stated as positive
            result = calculate(expression)
    except CalcError as err:
        return MathAnswer(expression, error=err)
    return MathAnswer(expression, result)
