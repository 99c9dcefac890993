"""Amounts in proportion: "a recipe for 4 people needs 300 g of flour: how much for 10?".

Contract: :func:`solve_proportion` takes one message and returns a :class:`~eclair.answer.worked.WorkedAnswer`
when it states exactly three numbers: two counts of one thing (people, portions, kg, bottles:
the same word or unit after each) and one amount of something else (300 g, 7.50 €) stated with
one of them, and asks how much of that amount goes with the other count ("how much", "how many
kilos", "combien de farine"). The answer is amount × other ÷ base, in the amount's unit or the
unit asked (:mod:`eclair.answer.units`, the one table of units). The base count is the one
stated in the amount's clause ("pour 4 personnes demande 300 g"), or else the one not in the
question's clause; when the clauses do not tell, no answer.

Anything else gives None: a fourth number, two counts of different things, a question that
asks for a count rather than the amount. Coverage is by construction (three numbers, all used).
"""

from __future__ import annotations

import re
from fractions import Fraction

from eclair.answer.numfmt import format_number
from eclair.answer.units import Unit, read_quantities, unit_named
from eclair.answer.worked import WorkedAnswer

_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?")
_WORD_AFTER = re.compile(r"\s{0,3}([a-z€$£][\w'-]*|[€$£])")
_MONEY = {"€", "$", "£", "eur", "euro", "euros", "gbp", "usd", "dollar", "dollars", "pound", "pounds"}
_ASKS = re.compile(r"\b(?:how much|how many|combien|quelle quantite|what quantity|what amount)\b")
# the people or portions a recipe or an order is for: "serves 6", "pour 8 personnes", "on sera 20"
_SERVING = "(servings)"
_SERVINGS = {
    "people", "person", "guest", "serving", "portion", "personne", "convive", "invite", "part", "adult", "child",
    "enfant", "adulte", "kid",
}  # fmt: skip
_SERVED = re.compile(
    r"\b(?:serves|serve|feeds|for|pour|sera|serons|seront|serez|will be|are|be|we're)\s{1,3}$"
)
_ASKED_UNIT = re.compile(r"\b(?:how many|combien de|combien d'|en|in)\s?([a-z][\w'-]*)")


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith(("s", "x")) else word


def _n(value: Fraction, lang: str) -> str:
    return format_number(value, lang, sig=6)[0]


def _unit(word: str, lang: str) -> Unit | None:
    return unit_named(word, lang) or unit_named(word, "en")


def solve_proportion(message: str, lang: str) -> WorkedAnswer | None:
    """See the module docstring."""
    if len(message) > 400:
        return None
    text = read_quantities(message, lang)[0]
    if not _ASKS.search(text):
        return None
    numbers = list(_NUMBER.finditer(text))
    if len(numbers) != 3:
        return None
    words = []
    for m in numbers:
        after = _WORD_AFTER.match(text, m.end())
        word = _stem(after[1]) if after else ""
        if _stem(word) in _SERVINGS or (
            _SERVED.search(text[max(0, m.start() - 16) : m.start()])
            and not _unit(word, lang)
            and word not in _MONEY
        ):
            word = _SERVING  # "serves 6", "for 15 people", "on sera 20": counts of one thing
        words.append(word)
    # the two counts of one thing, and the amount
    pairs = [(i, j) for i in range(3) for j in range(i + 1, 3) if words[i] and words[i] == words[j]]
    if len(pairs) != 1:
        return None
    i, j = pairs[0]
    k = 3 - i - j
    amount_word = words[k]
    if not amount_word or amount_word == words[i]:
        return None
    amount_unit = _unit(amount_word, lang)
    money = amount_word in _MONEY
    if amount_unit is None and not money:
        return None
    # the base count is the one stated in the amount's clause; the other, in the question's
    clause = [len(re.findall(r"[,.!?;:]\s", text[: m.start()])) for m in numbers]
    asked_in = [len(re.findall(r"[,.!?;:]\s", text[: m.start()])) for m in _ASKS.finditer(text)]
    if (clause[i] == clause[k]) != (clause[j] == clause[k]):
        base, other = (i, j) if clause[i] == clause[k] else (j, i)
    elif (clause[i] in asked_in) != (clause[j] in asked_in):
        base, other = (j, i) if clause[i] in asked_in else (i, j)
    else:
        return None  # which count goes with the amount is not said by the clauses: no guess
    asked = _ASKED_UNIT.search(text, numbers[other].start() if other > k else 0)
    target = _unit(asked[1], lang) if asked else None
    if asked and _stem(asked[1]) == words[i]:
        return None  # asks for a count of the counted thing, not the amount
    values = [Fraction(m[0]) for m in numbers]
    if values[base] == 0:
        return None
    result = values[k] * values[other] / values[base]
    shown_unit = amount_word if money else numbers[k].string[numbers[k].end() :].split()[0].rstrip("?.!,;:")
    line = f"{_n(values[k], lang)} {shown_unit} × {_n(values[other], lang)} ÷ {_n(values[base], lang)} = {_n(result, lang)} {shown_unit}"
    checks = [_n(result, "en"), _n(result, "fr")]
    if (
        target is not None
        and amount_unit is not None
        and target.kind == amount_unit.kind
        and target.key != amount_unit.key
    ):
        converted = result * amount_unit.factor / target.factor
        name = (target.en if lang == "en" else target.fr)[converted != 1]
        line += f" = {_n(converted, lang)} {name}"
        checks += [_n(converted, "en"), _n(converted, "fr")]
    return WorkedAnswer(f"{line}.", tuple(checks), tuple(values))
