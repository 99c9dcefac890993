"""The price of one unit of measure from the price of a quantity: "A 400 g jar costs $5.20:
how much per kilo?", "Un sachet de 250 g coûte 3,20 € : quel est le prix au kilo ?".

Contract: :func:`solve_unit_price` answers only when the message states exactly one quantity
with a unit of measure (a mass, a volume, a length) and exactly one sum of money (a currency
sign or word, or the number after "costs" / "coûte"), no other number, and its question asks
for the price of one unit of the same kind ("per kilo", "au kilo", "le litre", "the price per
metre"). The answer divides the sum by the quantity expressed in the asked unit, exactly.
Otherwise None, and a one-step reader never multiplies the two numbers: a price "per kilo"
asked is a rate.

The other way round ("Tea is $40 per kilo: how much for 250 g?"), the sum of money is a
price per unit ("18 € le kilo", "$18 a kilo"), the quantity may be in another unit of the
same kind, and the question asks what it costs: the price times the quantity expressed in the
unit of the price.
"""

from __future__ import annotations

import re
from fractions import Fraction

from eclair.answer.percentproblem import question_part
from eclair.answer.units import Quantity, read_quantities, unit_named
from eclair.answer.worked import WorkedAnswer, checks_for, number_text

_NUM = r"\d+(?:\.\d+)?"
# "$5.20", "5,20 €", "3.20 euros", "costs 5.20" (a pound is a mass here, never a currency)
_MONEY = re.compile(
    rf"(?P<pre>[$€£])\s?(?P<a>{_NUM})|(?<![\w.])(?P<b>{_NUM})\s?(?P<post>€|\$|£|euros?\b|dollars?\b)"
    rf"|\b(?:costs?|priced at|coute|coutent|vaut|valent|sold for|vendue?s? )\s(?P<c>{_NUM})(?!\.?\d)(?!\s?[a-z%€$£])"
)
_UNIT_WORDS = (
    r"(?P<unit>kilos?|kilogram\w*|kg|grams?|grammes?|g|litres?|liters?|l|centilitres?|cl|millilitres?|ml|"
    r"metres?|meters?|m|centimetres?|cm|pounds?|lb|ounces?|oz)\b"
)
# what the question asks the price of: "per kilo", "au kilo", "le litre", "a pound", "for one metre"
ASKS_UNIT_PRICE = re.compile(
    r"\b(?:per|par|au|a|le|la|l'|the|for one|for 1|pour un|pour une|pour 1) ?" + _UNIT_WORDS
)
# "$40 per kilo", "40 € le kilo": the price of one unit, right after the sum of money
_PRICE_PER = re.compile(r"\s?(?:per|par|au|a|le|la|l'|the) ?" + _UNIT_WORDS)
_KINDS = frozenset({"mass", "volume", "length"})
_SYMBOL = {"$": "$", "€": "€", "£": "£", "euro": "€", "euros": "€", "dollar": "$", "dollars": "$"}
_SYMBOL |= {"pound": "£", "pounds": "£"}


_ASKS_COST = re.compile(
    r"\b(?:how much|what (?:does|do|will|would) \w+(?: \w+)? cost|combien|quel (?:est le )?prix|cost|coute\w*|pay|paie|payer)\b"
)


def mixes_units(message: str, lang: str) -> bool:
    """Whether the message measures one kind in two units ("40 € per kilo … 250 g"): numbers
    that are then multiplied or divided as they stand give a wrong answer."""
    text, quantities, _ = read_quantities(message, lang)
    units = {q.unit for q in quantities if q.unit.kind in _KINDS}
    units |= {u for m in ASKS_UNIT_PRICE.finditer(text) if (u := unit_named(m["unit"], lang)) is not None}
    kinds = [u.kind for u in units]
    return len(kinds) != len(set(kinds))


def solve_unit_price(message: str, lang: str) -> WorkedAnswer | None:
    """The price of one asked unit, or of a quantity at a price per unit (module docstring)."""
    if len(message) > 300:
        return None
    text = read_quantities(message, lang)[0]
    sums = list(_MONEY.finditer(text))
    if len(sums) != 1:
        return None
    money = sums[0]
    # the sum of money read, the quantities are read without it ("30 €" is no unit of length)
    _, quantities, _ = read_quantities(text[: money.start()] + " price " + text[money.end() :], lang)
    if per := _PRICE_PER.match(text, money.end()):
        return _cost_at(text, money, per, quantities, lang)
    asked = ASKS_UNIT_PRICE.search(question_part(text))
    if asked is None:
        return None
    target = unit_named(asked["unit"], lang)
    measured = [q for q in quantities if q.unit.kind in _KINDS]
    if target is None or len(measured) != 1 or measured[0].unit.kind != target.kind:
        return None
    quantity = measured[0]
    price = Fraction(money["a"] or money["b"] or money["c"])
    numbers = re.findall(rf"(?<![\w.]){_NUM}", text)
    if len(numbers) != 2:  # the quantity and the sum, nothing else (coverage)
        return None
    amount = quantity.value * quantity.unit.factor / target.factor
    if not amount:
        return None
    result = price / amount
    symbol = _SYMBOL.get(money["pre"] or "", "") or _SYMBOL.get(money["post"] or "", "")
    value = number_text(result, lang, sig=6)
    shown = (
        (f"{symbol}{value}" if symbol in ("$", "£") else f"{value} {symbol}")
        if lang == "en"
        else f"{value} {symbol}"
    )
    names = target.fr if lang == "fr" else target.en
    line = (
        f"{number_text(price, lang)} ÷ {number_text(amount, lang)} {names[amount != 1]} = {value}: "
        f"{shown.strip()} per {names[0]}."
        if lang == "en"
        else f"{number_text(price, lang)} ÷ {number_text(amount, lang)} {names[amount != 1]} = {value} : "
        f"{shown.strip()} le {names[0]}."
    )
    return WorkedAnswer(line, checks_for(result), (price, quantity.value))


def _cost_at(
    text: str, money: re.Match[str], per: re.Match[str], quantities: list[Quantity], lang: str
) -> WorkedAnswer | None:
    unit = unit_named(per["unit"], lang)
    quantities = [q for q in quantities if not (q.unit == unit and q.value == 1)]
    measured = [q for q in quantities if q.unit.kind in _KINDS]
    question = question_part(text)
    if (
        unit is None
        or len(measured) != 1
        or measured[0].unit.kind != unit.kind
        or not _ASKS_COST.search(question)
    ):
        return None
    if len(re.findall(rf"(?<![\w.]){_NUM}", text)) != 2:
        return None  # the price and the quantity, nothing else (coverage)
    quantity = measured[0]
    price = Fraction(money["a"] or money["b"] or money["c"])
    amount = quantity.value * quantity.unit.factor / unit.factor
    result = price * amount
    symbol = _SYMBOL.get(money["pre"] or "", "") or _SYMBOL.get(money["post"] or "", "")
    value = number_text(result, lang, sig=8)
    shown = f"{symbol}{value}" if lang == "en" and symbol in ("$", "£") else f"{value} {symbol}".strip()
    names = unit.fr if lang == "fr" else unit.en
    line = f"{number_text(price, lang)} × {number_text(amount, lang)} {names[amount != 1]} = {value}"
    return WorkedAnswer(
        f"{line}: {shown}." if lang == "en" else f"{line} : {shown}.",
        checks_for(result),
        (price, quantity.value),
    )
