"""Physical properties asked of abstract things: "What colour is the number 7?".

Contract: :func:`abstract_issue` takes a question folded by :func:`eclair.answer.facts.fold1`
and returns a :class:`~eclair.answer.facts.PremiseIssue` when it asks for a colour, a weight,
a smell or a taste of a number, a digit or a letter named as such ("the number 7", "le
chiffre 7", "the letter A"). It stays silent when the symbol is a thing in the world ("the
number 7 bus", "le chiffre 7 sur le maillot"): the symbol must end the question.
"""

from __future__ import annotations

import re

from eclair.answer.facts import PremiseIssue
from eclair.answer.phrasing import say

# (kind key, English, French) of the abstract thing named.
_KINDS = {
    "number": ("a number", "un nombre"), "nombre": ("a number", "un nombre"),
    "digit": ("a digit", "un chiffre"), "chiffre": ("a digit", "un chiffre"),
    "letter": ("a letter", "une lettre"), "lettre": ("a letter", "une lettre"),
}  # fmt: skip
_PROPERTIES = {
    "colour": ("colour", "couleur"), "weight": ("weight", "poids"),
    "smell": ("smell", "odeur"), "taste": ("taste", "goût"),
}  # fmt: skip
_THING = (
    r"(?P<shown>(?:the |le |la )?(?P<kind>number|digit|letter|nombre|chiffre|lettre) "
    r"(?:\d+|[a-z]\b|(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|un|deux|trois|quatre|cinq|"
    r"sept|huit|neuf|dix)\b))"
)
_END = r"\s*[?.!]*\s*$"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b(?:what|which) colou?r (?:is|are|was) {_THING}{_END}"), "colour"),
    (re.compile(rf"\bcolou?r of {_THING}{_END}"), "colour"),
    (re.compile(rf"\bcouleur (?:du |de la |de )?{_THING.replace('(?:the |le |la )?', '')}{_END}"), "colour"),
    (re.compile(rf"\bde quelle couleur (?:est|sont) {_THING}{_END}"), "colour"),
    (re.compile(rf"\bhow (?:much|heavy) (?:does|do|is) {_THING}(?: weigh)?{_END}"), "weight"),
    (re.compile(rf"\bweight of {_THING}{_END}"), "weight"),
    (re.compile(rf"\b(?:combien pese |que pese |poids (?:du |de la |de )?){_THING}{_END}"), "weight"),
    (re.compile(rf"\bwhat does {_THING} (?P<sense>smell|taste) like{_END}"), "sense"),
    (re.compile(rf"\b(?:quelle odeur|quel gout) (?:a|ont) {_THING}{_END}"), "sense_fr"),
]


def abstract_issue(original: str, folded: str, lang: str) -> PremiseIssue | None:
    for regex, prop in _PATTERNS:
        m = regex.search(folded)
        if m is None:
            continue
        if prop == "sense":
            prop = m["sense"]
        elif prop == "sense_fr":
            prop = "smell" if "odeur" in m[0] else "taste"
        kind = _KINDS[m["kind"]]
        thing = original[m.start("shown") : m.end("shown")].strip()
        if lang == "fr" and not re.match(r"(?i)l[ea] ", thing):  # "la couleur du chiffre 7": "le chiffre 7"
            thing = ("la " if m["kind"] == "lettre" else "le ") + thing
        words = {
            "thing": thing,
            "kind": kind[lang == "fr"],
            "property": _PROPERTIES[prop][lang == "fr"],
        }
        return PremiseIssue(
            "abstract", say("premise.abstract_property", lang, **words), f"{prop} of a symbol"
        )
    return None
