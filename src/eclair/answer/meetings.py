"""Two people who never lived at the same time: "When did Joan of Arc meet Napoleon?".

Contract: :func:`meeting_issue` takes a question folded by :func:`eclair.answer.facts.fold1`
and returns a :class:`~eclair.answer.facts.PremiseIssue` when it says that two people of
:file:`premise_facts.toml` (``[[person]]``) met, married, talked, wrote to each other or fought
in person, and one of them died before the other was born. It stays silent when unsure:

- the verb must join the two names directly ("did A meet B", "A a-t-il rencontré B", "A and B
  met", "la rencontre entre A et B"); "Napoleon admired Caesar" or "Hugo wrote about
  Napoleon" are not meetings;
- lifetimes that overlap, even by a year, are left alone, and so is anyone still alive;
- a name that begins another person's name ("Napoleon", also the start of "Napoleon III") may
  mean either: both must have missed the other person.

The caller (:func:`eclair.answer.premise.check_premise`) has already left negated and
hypothetical questions alone.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from eclair.answer.facts import PremiseIssue, people_pattern, person_words
from eclair.answer.phrasing import say, year_text

_MEET = (
    r"(?:meet|met|meets|meeting|marry|married|marries|date|dated|kiss|kissed|interview|interviewed|"
    r"talk to|talked to|talk with|talked with|speak with|spoke with|spoke to|speak to|chat with|chatted with|"
    r"dine with|dined with|have dinner with|had dinner with|have lunch with|had lunch with|shake hands with|"
    r"shook hands with|play chess with|played chess with|fight|fought|duel|dueled|duelled|write to|wrote to|"
    r"rencontre\w*|epous\w*|parle avec|parle a|parler avec|parler a|dine avec|diner avec|dejeune avec|"
    r"affronte\w*|combattu|combattre|ecrit a|ecrire a|serre la main (?:a|de)|joue aux echecs avec|"
    r"interviewe\w*|embrasse\w*)"
)
_FR_SUBJECT = r"(?:-t-(?:il|elle)|-(?:il|elle))?"
_BETWEEN = r"(?: (?:[\w'-]+ ){0,3}?)"


@cache
def _patterns() -> list[re.Pattern[str]]:
    people_re, _ = people_pattern()
    who = people_re.pattern
    return [
        # "did A meet B", "A a-t-il rencontré B", "A met B"
        re.compile(rf"(?P<a>{who}){_FR_SUBJECT}{_BETWEEN}{_MEET} (?:(?:with|avec|a|la|le) )?(?P<b>{who})"),
        # "A and B met", "A et B se sont rencontrés"
        re.compile(rf"(?P<a>{who}) (?:and|et) (?P<b>{who}){_FR_SUBJECT}{_BETWEEN}(?:se |s')?{_MEET}"),
        # "the meeting between A and B", "la rencontre entre A et B"
        re.compile(rf"\b(?:meeting|rencontre|entrevue|mariage|marriage|duel) (?:between|of|entre|de) (?P<a>{who}) "
                   rf"(?:and|et) (?P<b>{who})"),
    ]  # fmt: skip


def _apart(a: dict[str, Any], b: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(the one who died, the one born after) when their lifetimes do not overlap."""
    for first, second in ((a, b), (b, a)):
        died = first.get("died")
        if died is not None and died < second["born"]:
            return first, second
    return None


@cache
def _namesakes() -> dict[str, tuple[dict[str, Any], ...]]:
    """Everyone a name may mean: "napoleon" is also the start of "napoleon iii"."""
    _, people = people_pattern()
    return {
        name: (
            person,
            *(p for other, p in people.items() if other.startswith(name + " ") and p is not person),
        )
        for name, person in people.items()
    }


def meeting_issue(folded: str, lang: str) -> PremiseIssue | None:
    _, people = people_pattern()
    namesakes = _namesakes()
    for regex in _patterns():
        for m in regex.finditer(folded):
            a, b = people[m["a"]], people[m["b"]]
            if a["key"] == b["key"] or (pair := _apart(a, b)) is None:
                continue
            # Every person either name may mean must have missed the other.
            if any(_apart(x, y) is None for x in namesakes[m["a"]] for y in namesakes[m["b"]]):
                continue
            earlier, later = pair
            first, second = person_words(earlier, lang), person_words(later, lang)
            words = {
                "first": first["name"],
                "first_died": year_text(earlier["died"], lang),
                "second": second["name"],
                "second_born": year_text(later["born"], lang),
                "first_dead": first.get("dead", ""),
                "second_born_word": second.get("born", ""),
            }
            reason = f"{earlier['key']} died before {later['key']} was born"
            return PremiseIssue("anachronism", say("premise.never_met", lang, **words), reason)
    return None
