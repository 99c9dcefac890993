"""False attributions of famous works: "Why did Mozart write Harry Potter?".

Contract: :func:`attribution_issue` takes a question folded by :func:`eclair.answer.facts.fold1`
and returns a :class:`~eclair.answer.facts.PremiseIssue` when a person of
:file:`premise_facts.toml` (``[[person]]``) is said to have *made* (written, painted, composed,
built...) a work of the ``[[work]]`` table that someone else made. It stays silent when unsure:

- the person must come first and the creation verb must take the title as its direct object
  ("did Mozart write Harry Potter", "Napoléon a-t-il peint la Joconde"); "music for Hamlet",
  "read Don Quixote" or "a film about the Mona Lisa" are not attributions;
- a work's maker and the people who made another work of the same name (``others``: Massenet's
  opera *Don Quichotte*) are never contradicted, and titles shared by many works are not listed.

The caller (:func:`eclair.answer.premise.check_premise`) has already left negated and
hypothetical questions alone.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from eclair.answer.facts import PremiseIssue, facts, people_pattern, person_words
from eclair.answer.phrasing import say, year_text

_MAKE = (
    r"(?:write|wrote|written|writing|writes|compose|composed|composing|composes|paint|painted|painting|"
    r"paints|sculpt|sculpted|sculpts|build|built|builds|building|design|designed|designs|create|created|"
    r"creates|author|authored|direct|directed|film|filmed|"
    r"ecri\w*|compos\w*|peint\w*|peindre|sculpt\w*|construi\w*|concu\w*|concevoir|cree|creee|creer|crea|"
    r"realise\w*|realiser|signe|signer)"
)
_OBJECT = r"(?:(?:his|her|their|son|sa|ses|leur) )?(?P<shown>(?:(?:the|la|le|les|l') ?)?"


@cache
def _works() -> tuple[re.Pattern[str], dict[str, dict[str, Any]]]:
    titles: dict[str, dict[str, Any]] = {}
    for work in facts()["work"]:
        for title in work["titles"]:
            titles[title] = work
    alt = "|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True))
    return re.compile(
        rf"\b{_MAKE}(?:-t-(?:il|elle)| -t-(?:il|elle))? {_OBJECT}(?P<t>{alt}))(?![\w-])"
    ), titles


def attribution_issue(original: str, folded: str, lang: str) -> PremiseIssue | None:
    made, titles = _works()
    people_re, people = people_pattern()
    for person_match in people_re.finditer(folded):
        person = people[person_match[0]]
        m = made.search(folded, person_match.end())
        # The verb must belong to the person's clause: close after the name, no second person between.
        if (
            m is None
            or m.start() - person_match.end() > 40
            or people_re.search(folded, person_match.end(), m.start())
        ):
            continue
        work = titles[m["t"]]
        if person["key"] == work["by"] or person["key"] in work.get("others", ()):
            continue
        words = {
            **person_words(person, lang),
            "title": original[m.start("shown") : m.end("shown")],
            "author": work["author"][lang],
            "year": year_text(work["year"], lang),
        }
        key = "premise.wrong_author"
        died = person.get("died")
        if died is not None and died < work["year"]:
            key, words["died"] = "premise.wrong_author_died", year_text(died, lang)
        return PremiseIssue(
            "attribution", say(key, lang, **words), f"{work['by']} made it, not {person['key']}"
        )
    return None
