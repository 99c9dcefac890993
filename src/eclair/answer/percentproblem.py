"""Percentage word problems, in English or French, read by rules and computed exactly.

Contract: :func:`solve_percent_problem` returns a :class:`MathAnswer` for a question about
one quantity and one rate, or about two values and the change between them, and None
otherwise. The kinds, recognised by their wording and never by a particular question:

- a change by a rate: a discount or sale ("25% off", "soldé à -30 %", "remise"), a rise or
  a fall ("increase", "perd 5 %", "baisse"), a tax or a tip ("VAT", "TVA", "pourboire").
  The question part decides what is asked: the resulting value ("sale price", "TTC",
  "how many are left", "nouveau prix") → ``X ± p%``; the change itself ("how much tax",
  "combien de TVA", "how much do I save") → ``p% of X``; the value before the change
  ("original price", "prix HT" from a price "TTC") → ``X ÷ (1 ± p%)``;
- a share with no change word ("40% of the 30 pupils are girls: how many girls?") → ``p% of X``;
- a change between two values with a question in percent ("from 2,000 to 2,150: by what
  percent?") → ``(B − A) ÷ A × 100``, answered as an increase or a decrease;
- a part of a whole with a question in percent ("27 out of 72: what percentage?") →
  ``A ÷ B × 100``.

The number may be the value *after* the change ("I paid 45 after a 25% discount", "rose by
20% to 60", "120 € TTC"): the value before is then worked back (``X ÷ (1 ± p%)``) and the
change is that times the rate; a question about the value after is not read. A comparison
("20% more than 50") is a change of the number that follows it; when the number comes first
("60, which is 20% more than last year") the problem is not read. A charge (tax, fees, impôts)
with a question about what is kept is deducted. "25% of what number is 20" is not read here
(:mod:`~eclair.answer.mathtext` reads it as ``20 ÷ 25%``).

Anything else — two rates, a third number, a rise and a fall in the same problem, no
question — gives None, and the message goes on to the other routes. No number is used that
the message does not contain.
"""

from __future__ import annotations

import re

from eclair.answer.calculator import CalcError, calculate
from eclair.answer.mathtext import MathAnswer, prepare_text

_NUM = r"\d+(?:\.\d+)?"
_RATE = re.compile(rf"(?<![\w.])([-+]\s?)?({_NUM})\s?%")
_PLAIN = re.compile(rf"(?<![\w.])({_NUM})(?![\w%]|\.\d|\s?%|\s?(?:percent|per cent)\b)")
_ASKS = re.compile(
    r"\?|\b(?:how|what|what's|which|combien|quel|quelle|quels|quelles|calcule\w*|calculate|compute|"
    r"find|trouve\w*|donne-moi|tell me)\b"
)
_ASKS_PERCENT = re.compile(r"%|\bpercent(?:age)?\b|\bper cent\b|\bpourcentage\b")

_DOWN = re.compile(
    r"\b(?:discount\w*|off|sale|reduced|reduction|rebate|markdown|decrease[sd]?|declin\w*|drop\w*|falls?|"
    r"fell|loses?|lost|losing|loss|cut|remise|soldes?|rabais|reduit\w*|promo\w*|baisse\w*|diminu\w*|"
    r"perd\w*|perte|chute\w*|recul\w*|(?:go|goes|went|gone|going) down|spen[dt]s?|spending|depense\w*|"
    r"(?:less|fewer|lower|smaller|cheaper) than|de moins qu(?:e|')|moins cher\w* qu(?:e|'))\b"
)
_UP = re.compile(
    r"\b(?:(?:go|goes|went|gone|going) up|increase[sd]?|rise[sn]?|rose|raise[sd]?|grows?|grew|grown|growth|gains?|gained|hike\w*|tax|taxes|"
    r"vat|tip|gratuity|interest|markup|surcharge|augment\w*|hausse\w*|majore\w*|majoration|tva|taxe\w*|"
    r"pourboire|interets?|croissance|progress\w*|"
    r"(?:more|greater|higher|bigger|larger) than|de plus qu(?:e|')|plus cher\w* qu(?:e|'))\b"
)
# The question asks for the change itself ("how much tax", "combien de TVA", "how much do I save").
_ASKS_AMOUNT = re.compile(
    r"\b(?:how much|how many|what(?:'s| is| was)?|which|combien|(?:quel|quelle)(?: est)?|le montant)(?:[\s']+(?!price|prix|cost|total|including|with|avec|plus|ttc)[\w%.-]+){0,3}?[\s']+"
    r"(?:tax|taxes|vat|discount|tip|reduction|saving|savings|interest|tva|taxe|remise|pourboire|rabais|"
    r"interets?|economie|augmentation|hausse|baisse|perte)\b"
    # "gagner" is "to earn" as often as "to gain": "combien je gagne" asks for the new pay.
    r"|\b(?:save|saved|saving|economis\w*|lose|lost|losing|perd\w*|gain|gained|spen[dt]|depense\w*)\b"
    r"|\b(?:en moins|en plus|fewer|cheaper)\b"
)
# The change named as a noun ("how much tax", "combien de remise") settles what is asked.
_ASKS_AMOUNT_NOUN = re.compile(
    r"\b(?:tax|taxes|vat|discount|tip|reduction|saving|savings|interest|tva|taxe|remise|pourboire|rabais|"
    r"interets?|economie|augmentation|hausse|baisse|perte|en moins|en plus|fewer|cheaper)\b"
)
_ASKS_RESULT = re.compile(
    r"\b(?:sale|new|final|discounted|reduced|current|resulting|full) (?:price|cost|amount|value|total)\b|"
    r"\b(?:left|remain\w*|now|after|reste\w*|restant\w*|maintenant|nouveau|nouvelle|final\w*|ttc|"
    r"toutes taxes|including|included|total|en tout|au total|paie|paye|payer|pay|cost|costs|coute\w*|"
    r"become|becomes|devient|deviendra|solde|soldee)\b"
)
_ASKS_ORIGINAL = re.compile(
    r"\b(?:original|initial\w*|before|avant|de depart|d'origine|hors taxes?|ht|pre-tax|excluding|"
    r"without (?:the )?(?:tax|vat|tip)|sans (?:la )?(?:tva|taxe|remise))\b"
)
# "from 2000 to 2150", "de 50 € à 60 €", "passé de 12 à 15"
_FROM_TO = re.compile(
    rf"\b(?:from|de|d')\s?[$€£]?\s?({_NUM})(?:\s?[^\s\d]+)?\s(?:to|a|up to|down to|jusqu'a)\s[$€£]?\s?({_NUM})\b"
)
YEAR = re.compile(r"\b(?:in|en|since|depuis|year|annee)\s(?:1\d{3}|20\d{2})\b")
# "it was 50 last year and is 60 now", "il coûtait 20 €, il coûte maintenant 25 €"
_WAS_NOW = re.compile(
    rf"\b(?:was|were|used to be|cost|etait|valait|coutait|faisait)\s(?:[a-z']+\s){{0,2}}?[$€£]?\s?({_NUM})\b"
    rf".*?\b(?:is|are|now|today|costs|est|vaut|coute|fait|maintenant|aujourd'hui)\s(?:[a-z']+\s){{0,3}}?"
    rf"[$€£]?\s?({_NUM})\b"
)
_ASKS_CHANGE = re.compile(
    r"\b(?:increase|decrease|change|rise|drop|fall|grow|grew|go up|went up|go down|went down|up|down|"
    r"augment\w*|hausse|baisse|diminu\w*|variation|evolution|progress\w*|recul\w*)\b"
)
# "20% more than 50": the base is the number that follows; when it comes before, it is the result.
_COMPARED = re.compile(
    r"\b(?:(?:more|greater|higher|bigger|larger|less|fewer|lower|smaller|cheaper) than|de (?:plus|moins) qu(?:e|')|"
    r"(?:plus|moins) cher\w* qu(?:e|'))"
)
# "25% of what number", "20 % de combien": the base is the unknown, not a given number.
_OF_UNKNOWN = re.compile(r"%\s*(?:of|de|d')\s*(?:what|which|quel\w*|combien|quoi)\b")
_WHOLE_MARK = re.compile(r"(?:\bout of|\bof|\bsur|\bparmi|\bamong|\bon|\bde|\bd')\s*(?:\w+\s)?\s*$")


def question_part(text: str) -> str:
    """The sentence (or, in a single sentence, the last clause) that asks the question."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()]
    asking = [s for s in sentences if _ASKS.search(s)]
    if not asking:
        return ""
    last = asking[-1]
    if len(sentences) == 1 and "," in last:
        tail = last.rsplit(",", 1)[1]
        if _ASKS.search(tail):
            return tail
    return last


def _percent_text(message: str, lang: str) -> str:
    text = prepare_text(message, lang)
    return re.sub(r"\s?\b(?:percent|per cent)\b", "%", text)


def solve_percent_problem(message: str, lang: str) -> MathAnswer | None:
    """The calculation a percentage word problem asks for (see the module docstring)."""
    if len(message) > 600:
        return None
    text = _percent_text(message, lang)
    question = question_part(text)
    if not question or YEAR.search(text):
        return None
    rates = list(_RATE.finditer(text))
    plain = [m[1] for m in _PLAIN.finditer(text)]
    if not rates:
        if len(plain) != 2 or not _ASKS_PERCENT.search(question):
            return None
        return _change_or_share(text, plain, question)
    if len(rates) != 1 or len(plain) != 1 or _OF_UNKNOWN.search(text):
        return None
    compared = _COMPARED.search(text)
    if compared and next(_PLAIN.finditer(text)).start() < compared.start():
        # "60, which is 20% more than last year": the number is the result, not the base.
        return None
    sign, rate, base = (rates[0][1] or "").strip(), rates[0][2], plain[0]
    down = bool(_DOWN.search(text)) or sign == "-"
    # "gagne 5 %" is a rise; "je gagne 2500 €" is a pay, not a change.
    up = bool(_UP.search(text) or _GAINS_RATE.search(text)) or sign == "+"
    if _ASKS_KEPT.search(question):
        if _CHARGE.search(text):
            down, up = True, False  # "I earn 3000 and pay 22% tax: how much do I keep?"
        elif up:
            return None  # a rise, and a question about what is left: not read
    if down and up:
        return None
    asks_result = bool(_ASKS_RESULT.search(question))
    if not (down or up):
        # A share: "40% of the 30 pupils are girls: how many girls?" (a "new price" needs a change)
        return None if asks_result else _compute(f"{rate}% * {base}")
    op = "-" if down else "+"
    statement = text.replace(question, " ")
    if _given_after_change(statement, base):
        # "I paid 45 after a 25% discount", "rose by 20% to 60", "120 € TTC": the number
        # is the value *after* the change, so the base is worked back from it.
        before = f"{base} / (1 {op} {rate}%)"
        if _ASKS_AMOUNT.search(question) and not asks_result:
            return _compute(f"{before} * {rate}%")
        if _ASKS_ORIGINAL.search(question) or _ASKS_PAST.search(question):
            return _compute(before)
        return None
    if _ASKS_ORIGINAL.search(question) and not asks_result:
        return _compute(f"{base} / (1 {op} {rate}%)")
    if _ASKS_AMOUNT.search(question) and not re.search(
        r"\b(?:left|remain\w*|reste\w*|restant\w*)\b", question
    ):
        if asks_result and not _ASKS_AMOUNT_NOUN.search(question):
            return None  # "how much do I lose now?": the change, or what is left? Not guessed.
        return _compute(f"{rate}% * {base}")
    if asks_result or re.search(r"\b(?:how much|combien|what|quel|quelle)\b", question):
        if re.search(r"\b(?:ttc|toutes taxes comprises|tax included|including tax)\b", statement) and up:
            return None  # the price already includes the tax: a question we do not read
        return _compute(f"{base} {op} {rate}%")
    return None


_MONEY = r"[$€£]?\s?"
_CHANGE_VERB = (
    r"\b(?:rose|risen|rises?|fell|fallen|falls?|dropped|drops?|increased|decreased|grew|grown|went up|went down|"
    r"climbed|jumped|augmente\w*|baisse\w*|passe\w*|monte\w*|chute\w*|diminue\w*|grimpe\w*)"
)
_INCLUDED = re.compile(
    r"\b(?:ttc|toutes taxes comprises|tax included|including (?:the )?(?:tax|vat|tip)|taxes? incluses?|"
    r"tva (?:comprise|incluse))\b"
)
_GAINS_RATE = re.compile(r"\bgagne\w* (?:de )?\d+(?:\.\d+)?\s?%")
# What is kept after a charge is taken: "how much do I keep", "combien me reste-t-il".
_ASKS_KEPT = re.compile(r"\b(?:left|remain\w*|keep|kept|net|take home|reste\w*|restant\w*|garde\w*)\b")
_CHARGE = re.compile(
    r"\b(?:tax|taxes|income tax|fees?|commission|charges|impots?|frais|cotisations?|prelevements?)\b"
)
# The question asks for a past value ("how much was it?", "combien était-il ?").
_ASKS_PAST = re.compile(r"\b(?:was|were|etait|valait|coutait|faisait)\b")


def _given_after_change(statement: str, base: str) -> bool:
    """Whether the statement gives ``base`` as the value after the change."""
    n = rf"{_MONEY}{re.escape(base)}(?!\d|\.\d)"
    return bool(
        _INCLUDED.search(statement)
        or re.search(
            rf"\b(?:paid|pays?|paye\w*|ended up|ends? up|now costs?|costs? now|is now|est maintenant|"
            rf"coute maintenant|vaut maintenant|desormais)\s(?:[a-z']+\s){{0,2}}?{n}",
            statement,
        )
        or re.search(rf"{_CHANGE_VERB}(?:\s\S+){{0,4}}?\s(?:to|a|jusqu'a|pour atteindre)\s{n}", statement)
        or re.search(
            rf"(?<![\d.]){re.escape(base)}\s?(?:[$€£]|euros?|dollars?)?\s(?:[a-z']+\s){{0,2}}?(?:after|apres)\b",
            statement,
        )
        or re.search(
            rf"\bwith (?:the |a )?(?:\S+ )?(?:vat|tax|tip),? (?:the )?(?:price|total|bill|it) (?:is|was|comes to|costs?) {n}",
            statement,
        )
    )


# after the second number of "32 pupils and 12 cycle": what says it counts some of the first
_PART_AFTER = re.compile(
    r"\s{0,3}(?:of them|of those|of these|among them|d'entre (?:eux|elles)|parmi (?:eux|elles|ceux-ci|celles-ci)|"
    r"(?:are|were|is|was|have|had|do|did|can|will|sont|ont|font|vont|peuvent)\b|"
    r"(?<![^\W\d_])[^\W\d_]{2,30}ed\b|(?<![^\W\d_])[^\W\d_]{3,30}(?:ent|aient)\b)"
)
_NOUN_AFTER = re.compile(r"\s{0,3}([^\W\d_]{3,40})")


def _is_part_of(text: str, numbers: list[re.Match[str]]) -> bool:
    """Whether the second of two numbers counts some of the things the first counts: a noun
    after the first, then "of them", a verb or the same noun after the second, and no more."""
    first, second = numbers
    if float(second[0]) > float(first[0]):
        return False
    noun = _NOUN_AFTER.match(text, first.end())
    if noun is None:
        return False
    after = _NOUN_AFTER.match(text, second.end())
    return bool(_PART_AFTER.match(text, second.end())) or (after is not None and after[1] == noun[1])


def _change_or_share(text: str, plain: list[str], question: str) -> MathAnswer | None:
    span = _FROM_TO.search(text)
    if span is None and _ASKS_CHANGE.search(question):
        span = _WAS_NOW.search(text)
    if span:
        old, new = span[1], span[2]
        try:
            calculation = calculate(f"({new} - {old}) / {old} * 100")
        except CalcError as err:
            return MathAnswer(f"({new} - {old}) / {old} * 100", error=err)
        return MathAnswer(f"({new} - {old}) / {old} * 100", calculation, percent_change=(old, new))
    # "27 out of 72", "27 sur 72", "of the 72 pupils, 27 passed": the whole follows "of"/"sur".
    marked = [bool(_WHOLE_MARK.search(text[: m.start()])) for m in _PLAIN.finditer(text)]
    if marked == [False, True]:
        part, whole = plain
    elif marked == [True, False]:
        whole, part = plain
    elif marked == [False, False] and (numbers := list(_PLAIN.finditer(text))) and _is_part_of(text, numbers):
        whole, part = plain  # "45 adhérents et 18 viennent en train", "40 guests, 14 of them vegetarian"
    else:
        return None
    if _NEGATED.search(question) and not _NEGATED.search(text.replace(question, " ")):
        # "Of 60 buses, 51 ran on time: what percentage did not?": the rest of the whole
        expression = f"({whole} - {part}) / {whole} * 100"
        try:
            return MathAnswer(expression, calculate(expression))
        except CalcError as err:
            return MathAnswer(expression, error=err)
    expression = f"{part} / {whole} * 100"
    try:
        return MathAnswer(expression, calculate(expression), percentage_of=(part, whole))
    except CalcError as err:
        return MathAnswer(expression, error=err)


# A question about the part that did *not* do what the statement says
_NEGATED = re.compile(
    r"\b(?:not|never|didn't|don't|doesn't|haven't|hasn't|wasn't|weren't|aren't|isn't|failed to|pas|jamais)\b|n't\b"
)


def _compute(expression: str) -> MathAnswer | None:
    try:
        return MathAnswer(expression, calculate(expression))
    except CalcError:
        return None
