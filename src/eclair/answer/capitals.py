"""A city said to be a state's capital when it is not: "Why is Toronto the capital of
Canada?", "Puisque Casablanca est la capitale du Maroc, …".

Contract: :func:`capital_issue` takes the message and its ``fold1`` reading (same offsets) and
returns a :class:`~eclair.answer.facts.PremiseIssue` when the message states or presupposes
that a capitalised name is the capital of a state of the ``[[capital]]`` table of
:file:`premise_facts.toml` ("why is X the capital of Y", "since X is the capital of Y",
"X est la capitale de Y") and X is not that state's capital. A question that asks ("what is
the capital of Y?", "is X the capital of Y?" with X right) is left alone; a state missing from
the table, or with several or disputed capitals, is never judged.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from eclair.answer.facts import PremiseIssue, facts
from eclair.answer.phrasing import say

_VERB = r"(?:is|was|became|has|est|etait|soit|est-elle|est-il)\b"
_CITY = rf"(?P<city>(?!{_VERB})[a-z][\w'.-]*(?: (?!{_VERB})[a-z][\w'.-]*){{0,2}})"
# words that open a sentence, capitalised by grammar: not part of the city's name
_ASKING = frozenset(
    [
        "quelle",
        "quel",
        "quels",
        "quelles",
        "laquelle",
        "lequel",
        "what",
        "which",
        "who",
        "whose",
        "qui",
        "que",
        "ou",
        "c'est",
    ]
)
_OPENERS = frozenset(
    ["why", "since", "as", "because", "is", "pourquoi", "puisque", "comme", "alors", "donc", "mais", "et"]
)


@cache
def _table() -> tuple[dict[str, dict[str, Any]], list[re.Pattern[str]]]:
    by_country = {name: entry for entry in facts()["capital"] for name in entry["country"]}
    countries = "|".join(re.escape(n) for n in sorted(by_country, key=len, reverse=True))
    country = rf"(?P<country>{countries})(?![\w-])"
    patterns = [
        re.compile(
            rf"\b(?:why|how come|since|as|because|given that|now that|is it because|is)\s{{1,3}}(?:(?:is|was)\s{{1,3}})?"
            rf"{_CITY}\s{{1,3}}(?:is |was |became |has been )?(?:still )?the capital(?: city)? of (?:the )?{country}"
        ),
        re.compile(
            rf"\b{_CITY}\s{{1,3}}(?:est|etait|soit|est-elle|est-il|est devenue?)\s{{1,3}}(?:toujours )?la capitale "
            rf"(?:de la |de l'|du |des |de |d')?{country}"
        ),
    ]
    return by_country, patterns


def capital_issue(text: str, folded: str, lang: str) -> PremiseIssue | None:
    by_country, patterns = _table()
    for pattern in patterns:
        for m in pattern.finditer(folded):
            words = m["city"].split()
            start = m.start("city")
            # the name is the capitalised words that end the span: "why is the city of Toronto…"
            offsets = [start + len(" ".join(words[:i])) + (1 if i else 0) for i in range(len(words))]
            named = [w for w, o in zip(words, offsets, strict=True) if text[o : o + 1].isupper()]
            if not named or not text[offsets[-1] : offsets[-1] + 1].isupper():
                continue
            first = len(words) - len(named)
            if any(not text[o : o + 1].isupper() for o in offsets[first:]):
                continue
            while first < len(words) - 1 and words[first] in _OPENERS:
                first += 1
            if any(w in _ASKING for w in words[first:]):
                continue  # "Quelle est la capitale de la France ?" asks
            city = " ".join(words[first:]).strip(".,")
            entry = by_country[m["country"]]
            if city in entry["city"] or city in by_country:
                continue
            return PremiseIssue(
                "capital",
                say(
                    "premise.not_the_capital",
                    lang,
                    city=text[offsets[first] : m.end("city")],
                    of=entry["of"][lang],
                    capital=entry["display"][lang],
                ),
                f"{city} is not the capital of {entry['of']['en']}",
            )
    return None
