"""Places that are not states: "the capital of the Pacific Ocean", "le président de Mars".

Contract: :func:`place_issue` takes a question folded by :func:`eclair.answer.facts.fold1` and
returns a :class:`~eclair.answer.facts.PremiseIssue` when it asks for something only a state
or a town has (a capital, a president, a monarch, a mayor, a currency, an anthem) *of* an
ocean, a sea, a continent, a planet, a moon, a star or a desert, as listed in
:file:`premise_facts.toml` (``[[place]]``, ``[attribute]``). The attribute must govern the
place directly ("capital of the Atlantic", "capitale de l'océan Atlantique"): "the largest
city on the Atlantic coast" or "a port on the Mediterranean" are left alone, and so is a place
name followed by another noun ("the president of the Pacific Islands Forum", "the capital of the
Moon's largest crater").
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from eclair.answer.facts import PremiseIssue, facts
from eclair.answer.phrasing import say

_OF_EN = r"(?:of|on|for) "
_OF_FR = r"(?:de la |de l'|du |des |de |d'|sur la |sur l'|sur )"
# The place must end the noun phrase: "the Pacific Islands Forum", "Moon Township" or "la Lune
# de Jupiter" name something else. Only a function word or punctuation may follow it.
_NOT_A_NAME = (
    r"(?!'s\b)(?!\s+(?!(?:today|now|currently|right now|nowadays|in|at|and|or|is|was|called|named|then|please|"
    r"aujourd'hui|actuellement|maintenant|en|et|ou|est|etait|s'appelle|alors|svp|stp|who|qui|que)\b)[a-z])"
)


@cache
def _patterns() -> list[tuple[re.Pattern[str], dict[str, Any], str]]:
    attributes: dict[str, dict[str, str]] = facts()["attribute"]
    compiled = []
    for place in facts()["place"]:
        names = "|".join([*place["generic"], *place["names"]])  # "pacific ocean" before "pacific"
        for key in place["attributes"]:
            attribute = attributes[key]
            for lang, of, article in (("en", _OF_EN, "(?:the )?"), ("fr", _OF_FR, "")):
                regex = rf"\b{attribute[lang]}{of}(?P<place>{article}(?:{names}))(?![\w-]){_NOT_A_NAME}"
                compiled.append((re.compile(regex), place, key))
    return compiled


def place_issue(original: str, folded: str, lang: str) -> PremiseIssue | None:
    attributes = facts()["attribute"]
    for regex, place, key in _patterns():
        if m := regex.search(folded):
            name = original[m.start("place") : m.end("place")].strip()
            words = {"place": name, "kind": place[lang], "attribute": attributes[key][f"say_{lang}"]}
            return PremiseIssue(
                "not_a_state", say("premise.not_a_state", lang, **words), f"{key} of {place['kind']}"
            )
    return None
