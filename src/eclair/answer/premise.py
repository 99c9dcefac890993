"""Questions that take something false for granted, and what is wrong with them.

Contract: :func:`check_premise` returns a :class:`PremiseIssue` (a reply in the user's
language, plus a short English reason for logs) when a question rests on something false,
and None otherwise, including whenever it is unsure. Two mechanisms, both general:

1. *Category errors in arithmetic* (:mod:`eclair.answer.nonnumber`): an operation that needs
   a number applied to a thing ("square root of a goat", "5 times a banana", "divise Paris
   par pi"). The operand is a noun phrase with no number in it and is not an amount ("the
   bill", "the area", "a million"), a variable or a constant.
2. *Contradicted facts*, reasoned from :file:`premise_facts.toml`: traits of animal categories
   (mammals and males lay no eggs, only female mammals give milk, which animals cannot fly),
   places that are not states (:mod:`eclair.answer.places`: an ocean has no capital), and
   dates (a person's lifetime against when a thing happened or became possible, including
   things invented after their death, :mod:`eclair.answer.technology`: Napoleon died in 1821,
   nobody walked on the Moon before 1969, the first e-mail was sent in 1971), sport titles won
   only by athletes, works made by someone else (:mod:`eclair.answer.works`: "why did Mozart
   write Harry Potter") and physical properties of symbols (:mod:`eclair.answer.abstract`:
   "what colour is the number 7"). Negated and hypothetical questions ("why don't cows lay
   eggs", "what if Napoleon had a phone") are left alone.

Requests for made-up texts (poems, songs, jokes, stories) are never flagged, even for category
errors: their premise is the writer's to choose.

Text is matched lower-cased and without accents; the folding keeps one character per
character so spans can be quoted from the original.
"""

from __future__ import annotations

import re

from eclair.answer.abstract import abstract_issue
from eclair.answer.capitals import capital_issue
from eclair.answer.facts import PremiseIssue, anachronism_issue, animal_issue, facts, fold1
from eclair.answer.intent import is_creative_request
from eclair.answer.meetings import meeting_issue
from eclair.answer.nonnumber import find_non_number
from eclair.answer.phrasing import say
from eclair.answer.places import place_issue
from eclair.answer.technology import technology_issue
from eclair.answer.works import attribution_issue

# ------------------------------------------------------------------ category errors


def _category_error(original: str, folded: str, lang: str) -> PremiseIssue | None:
    found = find_non_number(folded, lang)
    if found is None:
        return None
    thing = _display(original, found.thing)
    words = _operation_words(found.op, lang)
    reason = f"{found.op} applied to a non-number ({folded[found.thing[0] : found.thing[1]]})"
    if found.other is None:
        return PremiseIssue("not_a_number", say("premise.not_a_number", lang, thing=thing, **words), reason)
    other = _display(original, found.other)
    if found.op == "power":  # "love to the power of 3": ``other`` is the exponent phrase
        text = say("premise.not_a_number_binary", lang, thing=thing, expression=f"{thing} {other}", **words)
        return PremiseIssue("not_a_number", text, reason)
    symbol = _SYMBOLS[found.op][lang == "fr"]
    expression = f"{other} {symbol} {thing}" if found.other_first else f"{thing} {symbol} {other}"
    text = say("premise.not_a_number_binary", lang, thing=thing, expression=expression, **words)
    return PremiseIssue("not_a_number", text, reason)


def _display(original: str, span: tuple[int, int]) -> str:
    return original[span[0] : span[1]].strip(" '’-")


_SYMBOLS = {
    "mul": ("times", "fois"),
    "div": ("divided by", "divisé par"),
    "add": ("plus", "plus"),
    "sub": ("minus", "moins"),
}
_OPERATIONS = {
    "sqrt": ("square root", "la racine carrée"),
    "cbrt": ("cube root", "la racine cubique"),
    "log": ("logarithm", "le logarithme"),
    "factorial": ("factorial", "la factorielle"),
    "sine": ("sine", "le sinus"),
    "cosine": ("cosine", "le cosinus"),
    "square": ("square", "le carré"),
    "cube": ("cube", "le cube"),
    "power": ("raising to a power", "l'élévation à une puissance"),
    "gcd": ("greatest common divisor", "le PGCD"),
    "mul": ("multiplication", "la multiplication"),
    "div": ("division", "la division"),
    "add": ("addition", "l'addition"),
    "sub": ("subtraction", "la soustraction"),
}


def _operation_words(op: str, lang: str) -> dict[str, str]:
    en, fr = _OPERATIONS[op]
    return {"operation": en, "operation_def": f"the {en}", "operation_art": fr}


# ------------------------------------------------------------------ facts


_NEGATION = re.compile(
    r"\b(?:not|never|no|none|nobody|cannot|can't|don't|doesn't|didn't|won't|isn't|aren't|wasn't|weren't|"
    r"couldn't|ne|n'|pas|jamais|aucun|aucune|personne n'|ni)\b|n't\b"
)
# French "ne ... que" means "only", not "not": "n'utilise-t-on que 10 %" is no negation.
_RESTRICTIVE = re.compile(r"\bn(?:e |')((?:(?!pas|jamais|plus|rien|aucun)[\w'-]+ ){1,4}?)que\b")
_HYPOTHETICAL = re.compile(
    r"\b(?:if|would|imagine|suppose|pretend|fiction|story|poem|novel|si|s'il|aurait|imagine|imaginons|"
    r"supposons|histoire|poeme|roman|fiction)\b"
)
_FUTURE = re.compile(
    r"\b(?:will|going to|plan|plans|planned|could|might|may|one day|va|vont|pourra|"
    r"pourront|sera|seront|marchera|marcheront|un jour)\b"
)


def check_premise(text: str, lang: str) -> PremiseIssue | None:
    """What is wrong with the question's premise, or None (see the module docstring)."""
    if len(text) > 1000:
        return None
    folded = fold1(text)
    if is_creative_request(folded):
        return None
    if issue := _category_error(text, folded, lang):
        return issue
    if any(re.search(p, folded) for p in facts()["idioms"]["patterns"]):
        return None
    if _NEGATION.search(_RESTRICTIVE.sub(r"\1 que", folded)) or _HYPOTHETICAL.search(folded):
        return None
    return (
        animal_issue(folded, lang)
        or place_issue(text, folded, lang)
        or capital_issue(text, folded, lang)
        or anachronism_issue(folded, lang, future=bool(_FUTURE.search(folded)))
        or technology_issue(folded, lang)
        or meeting_issue(folded, lang)
        or attribution_issue(text, folded, lang)
        or abstract_issue(text, folded, lang)
    )
