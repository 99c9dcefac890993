"""Anachronisms with things: a person using something invented after their death.

Contract: :func:`technology_issue` takes a question folded by
:func:`eclair.answer.facts.fold1` and returns a :class:`~eclair.answer.facts.PremiseIssue`
when a person of :file:`premise_facts.toml` (``[[person]]``) is said to use a thing
(``[[technology]]``) that first existed after they died: "Why did Shakespeare write his plays on
a laptop?", "Victor Hugo a-t-il envoyé Les Misérables par e-mail ?". It stays silent when
unsure:

- the person must come before the thing, and the thing must follow a determiner or a
  preposition ("on a laptop", "par e-mail", "sur son ordinateur");
- the person must not be the object of someone else's use ("listen to Mozart on the radio",
  "I read Hugo on my laptop"), nor the topic of a later work ("a film about Napoleon", "named
  after Einstein", "who invented the car after Napoleon died").

The caller (:func:`eclair.answer.premise.check_premise`) has already left negated and
hypothetical questions alone.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from eclair.answer.facts import PremiseIssue, facts, people_pattern, person_words
from eclair.answer.phrasing import say, year_text

_BEFORE_EN = (
    r"(?:on|to|by|with|using|use|used|uses|via|through|over|in|into|onto|from|own|owned|buy|bought|have|had|"
    r"has|his|her|their|its|a|an|the|first|new|any|some|drive|drove|ride|rode|fly|flew|take|took|watch|"
    r"watched|play|played)"
)
_BEFORE_FR = (
    r"(?:sur|par|avec|via|en|au|aux|dans|un|une|le|la|l'|les|des|du|son|sa|ses|leur|leurs|premier|"
    r"premiere|propre|a la|a l')"
)
# The person is what someone else uses, or a later work's topic: not a premise about them.
_CONSUMER = re.compile(
    r"\b(?:listen|listened|listening|watch|watched|watching|read|reading|stream|streamed|download|"
    r"downloaded|play|played|playing|find|search|study|ecoute[rz]?|ecoutait|regarde[rz]?|lire|lis|lit|"
    r"telecharge[rz]?|joue[rz]?|cherche[rz]?|etudie[rz]?|trouve[rz]?)\b"
)
_EXCLUDE = re.compile(
    r"\b(?:i|me|my|we|us|our|je|j'|moi|mon|ma|mes|nous|notre|nos|invent\w*|after|before|since|until|"
    r"apres|avant|depuis|jusqu'a|named|nomme\w*|about|biopic|documentary|documentaire|museum|musee|"
    r"statue|today|nowadays|aujourd'hui|modern|moderne|still|encore|descendants?|fans?|heirs?|"
    r"heritiers?|would|aurait|could|pourrait)\b"
)
# Conceiving a thing is not using it: Leonardo drew a flying machine centuries before one flew.
# (said before the thing: "used a microscope to plan the treatment" is still using it)
_CONCEIVE = re.compile(
    r"\b(?:design\w*|drew|draw\w*|sketch\w*|imagin\w*|plan|plans|planned|planning|conceiv\w*|envision\w*|"
    r"dream\w*|foresaw|foresee\w*|predict\w*|dessin\w*|esquiss\w*|concevoir|conc[ou]\w*|imagin\w*|"
    r"reve\w*|prevoy\w*|prevu|predi\w*)\b"
)
_WHICH = (
    r"(?:which|what|quel|quelle|quels|quelles)(?: (?:kind|type|brand|model|make|sort) of| (?:type|modele|"
    r"marque|genre|sorte) d(?:e |'))?"
)
_USE_VERB = (
    r"(?:did|does|do|was|were|had|has|utilisait|utilise|possedait|avait|a utilise|a eu|conduisait|pilotait|"
    r"preferait|aimait)"
)
_TOPIC = re.compile(r"\b(?:about|on|of|regarding|sur|de|du|concernant)\s+$")
_WORKS = re.compile(
    r"^(?:'s|s') (?:music|songs?|works?|plays?|books?|novels?|poems?|paintings?|letters?|symphon\w+|operas?)"
)


@cache
def _any_technology() -> re.Pattern[str]:
    names = "|".join(f"{t['en']}|{t['fr']}" for t in facts()["technology"])
    return re.compile(rf"(?<![\w-])(?:{names})(?![\w-])")


@cache
def _technologies() -> list[tuple[dict[str, Any], re.Pattern[str], re.Pattern[str]]]:
    compiled = []
    for tech in facts()["technology"]:
        names = f"{tech['en']}|{tech['fr']}"
        before = f"(?:{_BEFORE_EN}|{_BEFORE_FR})"
        used = re.compile(rf"(?<![\w-]){before} (?:[\w'-]+ ){{0,2}}?(?P<t>{names})(?![\w-])")
        asked = re.compile(rf"\b{_WHICH} (?P<t>{names}) {_USE_VERB} (?:[\w'-]+ ){{0,2}}$")
        compiled.append((tech, used, asked))
    return compiled


def technology_issue(folded: str, lang: str, *, future: bool = False) -> PremiseIssue | None:
    if future or not _any_technology().search(folded):
        return None
    pattern, people = people_pattern()
    if _EXCLUDE.search(pattern.sub(" ", folded)):  # ("Elizabeth I" is no "I")
        return None
    for found in pattern.finditer(folded):
        person = people[found[0]]
        died = person.get("died")
        before, after = folded[: found.start()], folded[found.end() :]
        if died is None or _CONSUMER.search(before) or _TOPIC.search(before) or _WORKS.match(after):
            continue
        for tech, regex, asked in _technologies():
            # "… on a laptop" after the person, or "which laptop did <person> use" before them.
            m = regex.search(folded, found.end()) or asked.search(before)
            if m is None or died >= tech["year"] or _CONCEIVE.search(folded[: m.start("t")]):
                continue
            words = {
                **person_words(person, lang),
                "year": year_text(died, lang),
                "fact": tech[f"fact_{lang}"],
            }
            reason = f"{person['key']} died before {m['t']} existed"
            return PremiseIssue("anachronism", say("premise.tech_died", lang, **words), reason)
    return None
