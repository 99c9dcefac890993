"""Reasoning over :file:`premise_facts.toml`: animal categories and dated facts.

Contract: :func:`animal_issue` and :func:`anachronism_issue` take text already folded by
:func:`fold1` and return a :class:`PremiseIssue` only when a fact in the data file
contradicts the text's premise; they never guess beyond the file. The data is loaded and
its patterns compiled once, on first use (about a millisecond), then every check is a few
regular-expression searches.

- Eggs: mammals (except monotremes) and males lay none. Milk: only female mammals give it.
  A male is a male word ("bull", "rooster") or any animal called male ("a male penguin").
  Flight: animals marked ``flies = false`` cannot fly.
- Dates: a person can only have done something within their lifetime, after it became
  possible, and, for complete lists of achievers (Moon walkers), only if they are listed.
- Myths (``kind = "myth"``): widespread misconceptions ("we only use 10% of our brain") are
  named as such, whoever the question is about.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from eclair.answer.phrasing import capitalise, say, year_text
from eclair.text.fold import fold_aligned


@dataclass(frozen=True, slots=True)
class PremiseIssue:
    """A false premise found in a question: ``message`` is the reply, ``reason`` is for logs."""

    kind: str  # "not_a_number", "eggs", "milk", "flight", "feathers", "anachronism", "never"
    message: str
    reason: str


fold1 = fold_aligned  # the router's name for it: spans in the folded text are spans of the text


@cache
def facts() -> dict[str, Any]:
    data = resources.files("eclair.answer").joinpath("premise_facts.toml").read_text(encoding="utf-8")
    return tomllib.loads(data)


# ------------------------------------------------------------------ animals


@dataclass(frozen=True, slots=True)
class Animal:
    en: tuple[str, str]
    fr: tuple[str, str]
    fr_display: tuple[str, str]
    fr_feminine: bool
    cls: str
    male: bool
    flies: bool | None
    egg_layer: bool

    @property
    def lays_eggs(self) -> bool:
        return not self.male and (self.cls != "mammal" or self.egg_layer)

    @property
    def gives_milk(self) -> bool:
        return self.cls == "mammal" and not self.male


_CLASS_PLURAL = {
    "mammal": ("mammals", "mammifères"),
    "bird": ("birds", "oiseaux"),
    "reptile": ("reptiles", "reptiles"),
    "fish": ("fish", "poissons"),
    "amphibian": ("amphibians", "amphibiens"),
}


@cache
def _animals() -> tuple[dict[str, dict[str, Animal]], dict[str, dict[str, list[re.Pattern[str]]]]]:
    by_name: dict[str, dict[str, Animal]] = {"en": {}, "fr": {}}
    for raw in facts()["animal"]:
        animal = Animal(
            en=tuple(raw["en"]),  # type: ignore[arg-type]
            fr=tuple(raw["fr"]),  # type: ignore[arg-type]
            fr_display=tuple(raw.get("fr_display", raw["fr"])),  # type: ignore[arg-type]
            fr_feminine=raw.get("fr_gender") == "f",
            cls=raw["class"],
            male=raw.get("male", False),
            flies=raw.get("flies"),
            egg_layer=raw.get("egg_layer", False),
        )
        for lang in ("en", "fr"):
            for name in getattr(animal, lang):
                by_name[lang][name] = animal
    patterns: dict[str, dict[str, list[str]]] = {}
    for lang, names in by_name.items():
        alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        a = rf"(?P<a>{alt})"
        art_en = r"(?:a |an |the )?"
        art_fr = r"(?:un |une |le |la |l'|les |des |du )?"
        if lang == "en":
            patterns[lang] = {
                "eggs": [rf"\b{a}(?:'s|s')? eggs?\b", rf"\beggs? (?:of|from) {art_en}{a}\b",
                         rf"\b{a} (?:lay|lays|laid|laying)\b", rf"\b(?:do|does|did|can|could) {art_en}{a} lay\b",
                         rf"\beggs? (?:laid|produced) by {art_en}{a}\b"],
                "milk": [rf"\b{a}(?:'s|s')? milk\b", rf"\bmilk (?:of|from) {art_en}{a}\b",
                         rf"\b{a} (?:produce|produces|give|gives|make|makes) milk\b", rf"\bmilk(?:ing)? {art_en}{a}\b",
                         rf"\bmilk (?:does|do|did|can|could|will) {art_en}{a}\b",
                         rf"\bmilk (?:[\w'-]+ ){{0,4}}(?:from|out of) {art_en}{a}\b",
                         rf"\bmilk (?:[\w'-]+ ){{0,3}}{art_en}{a}s? (?:give|gives|produce|produces|make|makes|yield|yields)\b"],
                "flight": [rf"\bhow (?:fast|high|far|long|well) (?:can|do|does|could) {art_en}{a} fly\b",
                           rf"\b(?:can|do|does|could) {art_en}{a} fly\b", rf"\b{a} (?:fly|flies|flew)\b",
                           rf"\bflying {a}\b"],
                "feathers": [rf"\b{a}(?:'s|s')? feathers?\b", rf"\bfeathers? (?:of|on) {art_en}(?:adult |baby |young )?{a}s?\b",
                             rf"\b(?:do|does|did|can) {art_en}{a}s? have feathers\b",
                             rf"\bfeathers? (?:do|does|did|can) {art_en}{a}s? have\b"],
            }  # fmt: skip
        else:
            patterns[lang] = {
                "eggs": [rf"\b(?:oe|œ)ufs? (?:de |d'|du |des ){art_fr}{a}\b",
                         rf"\b{a} (?:pond|pondent|pondait|pondaient|a pondu|ont pondu|peut pondre|peuvent pondre)\b",
                         rf"\bpond(?:ent)? {art_fr}{a}\b", rf"\bpondus? par {art_fr}{a}\b"],
                "milk": [rf"\blait (?:de |d'|du ){art_fr}{a}\b", rf"\btrai(?:re|t|s|te|ent|t-on) {art_fr}{a}\b",
                         rf"\b{a} (?:produit|produisent|donne|donnent|fournit|fournissent)(?:-t)?(?:-ils?|-elles?)? "
                         rf"(?:du |de )?lait\b",
                         rf"\blait (?:produit|produisent|donne|donnent|fournit|fournissent) {art_fr}{a}\b",
                         rf"\blait (?:[\w'-]+ ){{0,3}}?{art_fr}{a}s? (?:produit|produisent|donne|donnent|fournit|"
                         rf"fournissent)\b",
                         rf"\blait (?:[\w'-]+ ){{0,3}}(?:tirer|tire|obtenir|obtient|recolter|recolte) "
                         rf"(?:d'un |d'une |du |de la |de l'|des |sur un |sur une )?{a}\b"],
                "flight": [rf"\ba quelle (?:vitesse|hauteur|altitude|distance) (?:vole|volent) {art_fr}{a}\b",
                           rf"\b{a}s? (?:peut|peuvent|sait|savent) voler\s*(?:\?|$|\.)",
                           rf"\b{a}s? (?:vole|volent)(?:-t-il|-t-elle|-ils|-elles)?\s*(?:\?|$|\.)"],
                "feathers": [rf"\bplumes? (?:de |d'|du |des ){art_fr}{a}s?\b"],
            }  # fmt: skip
    compiled = {
        lang: {topic: [re.compile(p) for p in ps] for topic, ps in topics.items()}
        for lang, topics in patterns.items()
    }
    return by_name, compiled


def _animal_words(animal: Animal, lang: str) -> dict[str, str]:
    cls_en, cls_fr = _CLASS_PLURAL[animal.cls]
    if lang != "fr":
        return {"sg": animal.en[0], "pl": animal.en[1], "Pl": capitalise(animal.en[1]), "class_pl": cls_en}
    sg, pl = animal.fr_display
    vowel = sg[:1].lower() in "aeiouyéèêàâîôûh"
    le = "l'" if vowel else ("la " if animal.fr_feminine else "le ")
    return {
        "de_sg": ("d'" if vowel else "de ") + sg,
        "le_sg": le + sg,
        "les_pl": "les " + pl,
        "Les_pl": "Les " + pl,
        "ils": "elles" if animal.fr_feminine else "ils",
        "class_pl": cls_fr,
    }


def _with_sex(animal: Animal, folded: str, span: tuple[int, int]) -> Animal:
    """The animal as a male when the text says so ("a male penguin", "un manchot mâle")."""
    if animal.male:
        return animal
    before, after = folded[: span[0]], folded[span[1] :]
    if not (re.search(r"(?<![a-z])males? $", before) or re.match(r"s? males?\b", after)):
        return animal
    en = (f"male {animal.en[0]}", f"male {animal.en[1]}")
    fr = (f"{animal.fr_display[0]} mâle", f"{animal.fr_display[1]} mâles")
    return replace(animal, en=en, fr_display=fr, male=True)


# The animal is the one that drinks ("how much milk does a bull calf drink?", "combien de lait boit
# un jeune taureau ?"): every young mammal drinks milk, whatever its sex.
_YOUNG = r"(?:calf|calves|foal|foals|lamb|lambs|kid|kids|cub|cubs|pup|pups|puppy|young|baby|veau|veaux|poulain|agneau|jeune|petit|bebe)"
_DRINKS_AFTER = re.compile(
    rf"^(?:s|es)?(?: {_YOUNG})?(?: [\w'-]+){{0,2}}? (?:drink|drinks|drank|drinking|need|needs|get|gets|"
    r"consume|consumes|suckle|suckles|boit|boivent|boire|a besoin|ont besoin|tete|tetent)\b"
)
_DRINKS_BEFORE = re.compile(rf"\b{_YOUNG} $")


def _drinks_milk(folded: str, span: tuple[int, int]) -> bool:
    after = folded[span[1] : span[1] + 60]
    before = folded[max(0, span[0] - 40) : span[0]]
    return bool(_DRINKS_AFTER.match(after) or _DRINKS_BEFORE.search(before))


def animal_issue(folded: str, lang: str) -> PremiseIssue | None:
    by_name, patterns = _animals()
    for pattern_lang in (lang, "fr" if lang == "en" else "en"):
        topics = patterns[pattern_lang]
        for topic, regexes in topics.items():
            for regex in regexes:
                m = regex.search(folded)
                if not m:
                    continue
                animal = _with_sex(by_name[pattern_lang][m["a"]], folded, m.span("a"))
                words = _animal_words(animal, lang)
                if topic == "eggs" and not animal.lays_eggs:
                    if animal.male and animal.cls == "mammal":
                        key = "premise.eggs_male_mammal"
                    else:
                        key = "premise.eggs_male" if animal.male else "premise.eggs_mammal"
                    return PremiseIssue("eggs", say(key, lang, **words), f"{animal.en[1]} do not lay eggs")
                if topic == "milk" and not animal.gives_milk and not _drinks_milk(folded, m.span("a")):
                    key = "premise.milk_male" if animal.male else "premise.milk_not_mammal"
                    return PremiseIssue("milk", say(key, lang, **words), f"{animal.en[1]} give no milk")
                if topic == "feathers" and animal.cls != "bird":
                    return PremiseIssue(
                        "feathers",
                        say("premise.no_feathers", lang, **words),
                        f"{animal.en[1]} have no feathers",
                    )
                if topic == "flight" and animal.flies is False:
                    key = "premise.cannot_fly_mammal" if animal.cls == "mammal" else "premise.cannot_fly"
                    return PremiseIssue("flight", say(key, lang, **words), f"{animal.en[1]} cannot fly")
    return None


# ------------------------------------------------------------------ people and dates


@cache
def people_pattern() -> tuple[re.Pattern[str], dict[str, dict[str, Any]]]:
    names: dict[str, dict[str, Any]] = {}
    for person in facts()["person"]:
        for name in person["names"]:
            names[name] = person
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![a-z])(?:{alt})(?![a-z])"), names


@cache
def _events() -> list[tuple[dict[str, Any], list[re.Pattern[str]]]]:
    return [(e, [re.compile(p) for p in e["patterns"]]) for e in facts()["event"]]


def person_words(person: dict[str, Any], lang: str) -> dict[str, str]:
    female = person.get("female", False)
    if lang == "fr":
        return {
            "name": capitalise(person["display"]["fr"]),
            "pronoun": "elle" if female else "il",
            "dead": "morte" if female else "mort",
            "born": "née" if female else "né",
        }
    return {"name": person["display"]["en"], "pronoun": "she" if female else "he"}


def _verdict(person: dict[str, Any], event: dict[str, Any], lang: str) -> PremiseIssue | None:
    kind = event["kind"]
    if person["key"] in event.get("actors", ()):
        return None
    born, died = person["born"], person.get("died")
    start, end = event.get("start"), event.get("end", event.get("start"))
    words = {**person_words(person, lang), "did": event[f"did_{lang}"], "fact": event[f"fact_{lang}"]}
    reason = f"{person['key']} vs {event['key']}"
    if kind == "never":
        return PremiseIssue("never", say("premise.not_an_actor", lang, **words), reason)
    if died is not None and start is not None and died < start:
        return PremiseIssue(
            "anachronism", say("premise.anachronism_died", lang, year=year_text(died, lang), **words), reason
        )
    if kind == "event" and end is not None and born > end:
        return PremiseIssue(
            "anachronism", say("premise.anachronism_born", lang, year=year_text(born, lang), **words), reason
        )
    if kind == "achievement":
        return PremiseIssue("anachronism", say("premise.not_an_actor", lang, **words), reason)
    return None


def anachronism_issue(folded: str, lang: str, *, future: bool = False) -> PremiseIssue | None:
    people_re, people = people_pattern()
    found = [people[m[0]] for m in people_re.finditer(folded)]
    for event, regexes in _events():
        if not any(r.search(folded) for r in regexes):
            continue
        if event["kind"] == "myth":
            return PremiseIssue("myth", say("premise.myth", lang, fact=event[f"fact_{lang}"]), event["key"])
        for person in found:
            if issue := _verdict(person, event, lang):
                return issue
        if not found and event["kind"] == "never" and not future:
            return PremiseIssue("never", say("premise.never", lang, fact=event[f"fact_{lang}"]), event["key"])
    return None
