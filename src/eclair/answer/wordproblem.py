"""One-step word problems ("I have 12 apples and give away 5: how many are left?"), read by
rules and computed by the exact calculator.

Contract: :func:`solve_word_problem` returns a :class:`MathAnswer` only for the simplest,
unambiguous kind: a question ("how many", "how much", "combien"...) with exactly two numbers
whose operation is signalled by the wording, and by one kind of wording only:

- division: "share equally", "split among", "répartis en" (larger ÷ smaller);
- multiplication: "each", "per", "packs of", "chacun", "paquets de" (in reading order), except
  in the question itself ("how much each?", "combien par personne ?"), which asks for a share;
- subtraction: "left", "gives away", "eats", "spent", "reste", "mange" (larger − smaller);
- addition: "in total", "altogether", "more", "buys", "au total", "en tout" (in reading order).

Percentage problems go to :mod:`eclair.answer.percentproblem` and problems of three numbers or
more with priced items ("3 baguettes à 1,15 €") to :mod:`eclair.answer.storyproblem`; both
are tried first, and a problem with a percentage that neither reads is left alone.

Mixed signals (an addition word *and* a subtraction word without "left"/"reste" settling it),
more numbers than the kinds above handle, or no signal at all give None, and the question goes on to the
documents or to abstention. The model never writes the expression, so no expression can use
a number that is not in the question.
"""

from __future__ import annotations

import re

from eclair.answer.calculator import CalcError, calculate
from eclair.answer.facts import fold1
from eclair.answer.mathtext import MathAnswer
from eclair.answer.numfmt import format_number, has_ambiguous_number, parse_decimal
from eclair.answer.numwords import words_to_digits
from eclair.answer.overlap import solve_overlap
from eclair.answer.percentchain import solve_percent_chain
from eclair.answer.percentproblem import question_part, solve_percent_problem
from eclair.answer.reading import asked_count
from eclair.answer.storyproblem import asks_for_absent_thing, solve_story_problem
from eclair.answer.unitprice import ASKS_UNIT_PRICE, mixes_units
from eclair.answer.units import read_quantities
from eclair.knowledge import lexical

_QUESTION = re.compile(
    r"\bhow (?:many|much|far|long)\b|\bwhat is the (?:total|sum|difference)\b|\bcombien\b|"
    r"\bquel(?:le)? est le (?:total|nombre|prix|montant)\b"
)
_DIVISION = re.compile(
    r"\b(?:share[sd]?|sharing|split|splits|divided?s?|dividing|among|amongst|equally|evenly|partag\w*|"
    r"repartie?s?|repartit|repartissent|repartir|divise\w*|equitablement)\b"
)
_MULTIPLICATION = re.compile(
    r"\b(?:each|every|per|packs? of|boxes? of|bags? of|rows? of|groups? of|sets? of|crates? of|cartons? of|"
    r"chacune?|chaque|par|paquets? de|boites? de|sacs? de|rangees? de|groupes? de|lots? de|cartons? de)\b"
)
_SUBTRACTION = re.compile(
    r"\b(?:left|remain\w*|gives? away|gave away|give[sn]?|gave|eats?|ate|eaten|loses?|lost|spends?|spent|"
    r"sells?|sold|takes? away|took away|breaks?|broke|uses?|used|fewer|reste\w*|restant\w*|donne\w*|"
    r"mange\w*|perd\w*|depense\w*|vend\w*|enleve\w*|retire\w*|casse\w*|utilise\w*)\b"
)
_SUB_QUESTION = re.compile(
    r"\b(?:left|remain\w*|reste\w*|restant\w*)\b|\bhow many more\b.*\bthan\b|\bcombien de plus\b"
)
_ADDITION = re.compile(
    r"\b(?:more|another|total|altogether|together|in all|buys?|bought|receives?|received|finds?|"
    r"found|adds?|added|de plus|encore|au total|en tout|ensemble|recoit|recu|achete\w*|trouve\w*|ajoute\w*|"
    r"gagne\w*)\b"
)
_ASKS_SHARE = re.compile(
    r"\b(?:how (?:much|many)|combien)(?: [\w'-]+){0,3}? (?:each|chacune?)\b|\b(?:each|chacune?) (?:one |person |child |friend )?(?:gets?|pays?|receives?|owes?|"
    r"has to pay|recoit|paie|paye|doit|aura|obtient|touche)\b|\bapiece\b|"
    r"\bper (?:person|head|child|friend)\b|\bpar (?:personne|tete|enfant|ami)s?\b"
)
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?(?:\s?%)?(?![\w])")


_TOGETHER = re.compile(
    r"\b(?:together|at the same time|simultaneously|ensemble|en meme temps|simultanement|a deux)\b"
)
_DURATION_AFTER = re.compile(
    r"\s{0,3}(?:seconds?|minutes?|mins?|hours?|hrs?|h\b|days?|secondes?|heures?|jours?|semaines?|weeks?)"
)


def solve_word_problem(message: str, lang: str) -> MathAnswer | None:
    """The calculation a simple word problem asks for, or None (see the module docstring)."""
    if len(message) > 600 or has_ambiguous_number(message, lang):
        return None
    if solved := (
        solve_percent_chain(message, lang)
        or solve_percent_problem(message, lang)
        or solve_overlap(message, lang)
        or solve_story_problem(message, lang)
    ):
        return solved
    text = words_to_digits(fold1(message), lang)
    if not _QUESTION.search(text) or asks_for_absent_thing(text):
        return None
    matches = list(_NUMBER.finditer(text))
    numbers = [m[0] for m in matches]
    if len(numbers) != 2 or any(_is_year(m, text) for m in matches):
        return None
    try:
        values = [parse_decimal(n.rstrip("% ").strip(), lang) for n in numbers]
    except ValueError:
        return None
    if _TOGETHER.search(text) and all(_DURATION_AFTER.match(text, m.end()) for m in matches):
        # "one tap fills the bath in 12 minutes, another in 6: together?": work done at the same
        # time, a rate problem, not a sum of durations
        return None
    shown = [format_number(v, "en")[0] for v in values]
    if any(n.endswith("%") for n in numbers):
        return None  # a percentage problem that percentproblem did not read
    big, small = (shown[0], shown[1]) if values[0] >= values[1] else (shown[1], shown[0])
    division, multiplication = bool(_DIVISION.search(text)), bool(_MULTIPLICATION.search(text))
    if _ASKS_SHARE.search(question_part(text)):
        # "We are 7 and the bill is 150: how much each?": "each" in the question asks for a share.
        division, multiplication = True, False
    subtraction, addition = bool(_SUBTRACTION.search(text)), bool(_ADDITION.search(text))
    if _SUB_QUESTION.search(text):
        subtraction, addition = True, False
    if division:
        return None if subtraction or addition else _compute(f"{big} / {small}")
    if multiplication and ASKS_UNIT_PRICE.search(question_part(text)):
        return None  # "400 g cost 5.20: how much per kilo?" asks a price per unit, a division
    if multiplication and mixes_units(message, lang):
        return None  # "40 per kilo: how much for 250 g?": 40 × 250 multiplies kilos by grams
    if multiplication and _asks_per_unit(text):
        return None  # "42 pages per minute: how many minutes…?" divides (a rate, not a product)
    if multiplication and _same_kind_quantities(message, lang):
        return None  # "40 kg of flour, sacks of 5 kg each": kilos times kilos counts nothing
    if multiplication:
        return None if subtraction else _compute(f"{shown[0]} * {shown[1]}")
    if _different_things(matches, text):
        return None  # "2 eggs and 100 g of bread": adding them makes no sense
    if _asks_other_thing(matches, text):
        return None  # "a tray holds 12 rolls, I need 50: how many trays?" is not 50 - 12
    if subtraction and not addition:
        return _compute(f"{big} - {small}")
    if addition and not subtraction:
        return _compute(f"{shown[0]} + {shown[1]}")
    return None


_YEAR_CONTEXT = re.compile(
    r"\b(?:in|en|since|depuis|until|jusqu'en|of|de|year|annee|from|to|a|between|entre)\s*$"
)
_NOT_NOUNS = {
    "and", "et", "or", "ou", "to", "a", "de", "d", "des", "du", "of", "more", "de plus", "less", "than", "que", "plus",
    "moins", "left", "away", "each", "chacun", "chacune", "in", "en", "dans", "for", "pour", "is", "are", "sont", "est",
    "the", "le", "la", "les", "l", "his", "her", "their", "ses", "son", "sa", "leur",
}  # fmt: skip


def _same_kind_quantities(message: str, lang: str) -> bool:
    """Both numbers measure one kind of quantity (two volumes, two masses): their product is
    no count of anything (dimensions), so a multiplication word cannot be the operation."""
    _, quantities, _ = read_quantities(message, lang)
    return len(quantities) == 2 and quantities[0].unit.kind == quantities[1].unit.kind


def _asks_per_unit(text: str) -> bool:
    """Whether the question asks for the unit a rate is counted per ("how many minutes" with
    "pages per minute"): a product of the two numbers cannot be that count."""
    asked = asked_count(text)
    if not asked:
        return False
    noun = re.sub(r"(?:s|x)$", "", asked[0])
    return re.search(rf"\b(?:per|par|a|an|each|every|chaque) {re.escape(noun)}[sx]?\b", text) is not None


def _is_year(match: re.Match[str], text: str) -> bool:
    value = match[0]
    return bool(re.fullmatch(r"1\d{3}|20\d{2}", value)) and bool(_YEAR_CONTEXT.search(text[: match.start()]))


def _noun_after(match: re.Match[str], text: str) -> str | None:
    word = re.match(r"\s*([a-z][a-z'-]*)", text[match.end() :])
    if not word or word[1] in _NOT_NOUNS:
        return None
    return re.sub(r"(?:s|x)$", "", word[1])


def _different_things(matches: list[re.Match[str]], text: str) -> bool:
    nouns = [_noun_after(m, text) for m in matches]
    return None not in nouns and nouns[0] != nouns[1]


def _asks_other_thing(matches: list[re.Match[str]], text: str) -> bool:
    """A sum or a difference counts what its numbers count: the question asks for another
    thing ("how many trays?" of numbers of rolls)."""
    asked = [w for w in asked_count(text) if not lexical.is_stopword(w)]  # "how many do I have": none
    nouns = {lexical.stem(n) for n in (_noun_after(m, text) for m in matches) if n}
    if not asked or not nouns:
        return False
    return not any(lexical.term_match(lexical.stem(w), n) for w in asked for n in nouns)


def _compute(expression: str) -> MathAnswer | None:
    try:
        return MathAnswer(expression, calculate(expression))
    except CalcError:
        return None
