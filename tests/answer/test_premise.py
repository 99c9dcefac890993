"""Premise checks flag false premises and leave true ones alone."""

from __future__ import annotations

import pytest

from eclair.answer.facts import facts, fold1
from eclair.answer.premise import check_premise


@pytest.mark.parametrize(
    ("question", "lang", "kind", "says"),
    [
        ("What is the square root of a goat?", "en", "not_a_number", "“a goat” is not a number"),
        ("What is the square root of love?", "en", "not_a_number", "“love” is not a number"),
        ("what is the cube root of my car", "en", "not_a_number", "“my car” is not a number"),
        (
            "Quelle est la racine carrée d'une chèvre ?",
            "fr",
            "not_a_number",
            "« une chèvre » n'est pas un nombre",
        ),
        ("what is 5 times a banana", "en", "not_a_number", "“5 times a banana” cannot be calculated"),
        ("What's 7 times a cat?", "en", "not_a_number", "multiplication"),
        ("what is a chair divided by 3", "en", "not_a_number", "division"),
        ("What is love divided by 2?", "en", "not_a_number", "“love divided by 2”"),
        ("combien font 5 fois une banane", "fr", "not_a_number", "« une banane » n'est pas un nombre"),
        ("Combien font dix fois une chaise ?", "fr", "not_a_number", "« dix fois une chaise »"),
        ("How much do bull eggs weigh?", "en", "eggs", "There are no bull eggs"),
        ("Are cow eggs edible?", "en", "eggs", "cows are mammals"),
        ("How much does a cow egg weigh?", "en", "eggs", "There are no cow eggs"),
        ("How many eggs does a rooster lay per day?", "en", "eggs", "only females lay eggs"),
        ("Les œufs de vache sont-ils comestibles ?", "fr", "eggs", "Les œufs de vache n'existent pas"),
        ("Combien pèsent les œufs de taureau ?", "fr", "eggs", "le taureau est un mâle"),
        ("Combien d'œufs pond une vache par jour ?", "fr", "eggs", "mammifères"),
        ("Les vaches pondent-elles des œufs ?", "fr", "eggs", "mammifères"),
        ("How do you milk a bull?", "en", "milk", "There is no bull milk"),
        ("Is rooster milk good for you?", "en", "milk", "only female mammals"),
        ("How fast can a pig fly?", "en", "flight", "Pigs cannot fly"),
        ("À quelle vitesse vole une autruche ?", "fr", "flight", "Les autruches ne volent pas"),
        (
            "When did Napoleon walk on the Moon?",
            "en",
            "anachronism",
            "Napoleon never walked on the Moon: he died in 1821",
        ),
        (
            "Quand Napoléon a-t-il marché sur la Lune ?",
            "fr",
            "anachronism",
            "Napoléon n'a jamais marché sur la Lune",
        ),
        (
            "Quel âge avait Victor Hugo quand il a découvert l'Amérique ?",
            "fr",
            "anachronism",
            "Victor Hugo n'a jamais découvert l'Amérique : il est né en 1802",
        ),
        ("When did Michael Collins walk on the moon", "en", "anachronism", "only twelve Apollo astronauts"),
        ("When did Julius Caesar use a smartphone?", "en", "anachronism", "he died in 44 BC"),
        ("Quand Jules César a-t-il envoyé son premier e-mail ?", "fr", "anachronism", "44 av. J.-C."),
        ("Did Einstein use the internet?", "en", "anachronism", "he died in 1955"),
        ("When did Einstein invent the telephone?", "en", "anachronism", "he was born in 1879"),
        ("Why did Marie Curie invent the internet?", "en", "anachronism", "she died in 1934"),
        ("How old was Cleopatra when she watched TV?", "en", "anachronism", "she died in 30 BC"),
        ("Quand Louis XIV a-t-il regardé la télévision ?", "fr", "anachronism", "il est mort en 1715"),
        ("Did Napoleon use a phone?", "en", "anachronism", "1876"),
        ("Which phone did Mozart use?", "en", "anachronism", "he died in 1791"),
        ("Combien de temps Napoléon a-t-il passé sur la Lune ?", "fr", "anachronism", "il est mort en 1821"),
        ("Les taureaux donnent-ils du lait ?", "fr", "milk", "le taureau est un mâle"),
        ("How much milk does a bull produce per day?", "en", "milk", "There is no bull milk"),
        ("Who was the first person to walk on Mars?", "en", "never", "no human has ever set foot on Mars"),
        ("Who was the first person to walk on the Sun?", "en", "never", "That never happened"),
    ],
)
def test_false_premises_are_flagged(question: str, lang: str, kind: str, says: str) -> None:
    assert_flagged(question, lang, kind, says)


def assert_flagged(question: str, lang: str, kind: str, says: str) -> None:
    """``question`` is flagged as a premise error of ``kind`` whose reply says ``says``."""
    issue = check_premise(question, lang)
    assert issue is not None, question
    assert (issue.kind, says in issue.message) == (kind, True), issue.message


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("When did Neil Armstrong walk on the Moon?", "en"),
        ("When did the first man walk on the moon?", "en"),
        ("Who was the first person to walk on the Moon?", "en"),
        ("When did Columbus discover America?", "en"),
        ("Qui a découvert l'Amérique ?", "fr"),
        ("When did Alexander Graham Bell invent the telephone?", "en"),
        ("Did Einstein use a computer?", "en"),
        ("When will humans walk on Mars?", "en"),
        ("When did the rover land on Mars?", "en"),
        ("What would Napoleon have done with a smartphone?", "en"),
        ("When did Napoleon die?", "en"),
        ("How much do chicken eggs weigh?", "en"),
        ("How many eggs does a hen lay per year?", "en"),
        ("Are duck eggs edible?", "en"),
        ("Do platypuses lay eggs?", "en"),
        ("Why don't cows lay eggs?", "en"),
        ("Do cows give milk?", "en"),
        ("Is goat milk healthy?", "en"),
        ("le lait de poule est-il bon", "fr"),
        ("Combien pèse un œuf de poule ?", "fr"),
        ("Why can't ostriches fly?", "en"),
        ("How much milk does a cow produce per day?", "en"),
        ("Les vaches donnent-elles du lait ?", "fr"),
        ("How long did Neil Armstrong spend on the Moon?", "en"),
        ("Pourquoi les taureaux ne pondent-ils pas d'œufs ?", "fr"),
        ("Write a poem about Napoleon walking on the Moon", "en"),
        ("Did Einstein watch TV?", "en"),
        ("How high can an eagle fly?", "en"),
        ("Can bats fly?", "en"),
        ("What is the square root of the area of a circle?", "en"),
        ("What is the square root of a million?", "en"),
        ("What is the square root of a negative number?", "en"),
        ("what is the square root of x", "en"),
        ("What is the square root of 144?", "en"),
        ("I exercise 3 times a week", "en"),
        ("What is 5 times the speed of light?", "en"),
        ("Quelle est la racine carrée de 2 ?", "fr"),
        ("Who was president of France in 2010?", "en"),
        ("Quand Molière a-t-il écrit Tartuffe ?", "fr"),
    ],
)
def test_true_premises_are_not_flagged(question: str, lang: str) -> None:
    assert check_premise(question, lang) is None


def test_facts_file_is_consistent() -> None:
    data = facts()
    keys = {p["key"] for p in data["person"]}
    assert len(keys) == len(data["person"])
    for person in data["person"]:
        assert person["born"] < person.get("died", 10_000)
        assert {"en", "fr"} <= set(person["display"])
    for event in data["event"]:
        assert event["kind"] in {"never", "achievement", "event", "possible_from", "myth"}
        assert set(event.get("actors", [])) <= keys
        fields = ("fact_en", "fact_fr", "patterns")
        for field in fields if event["kind"] == "myth" else ("did_en", "did_fr", *fields):
            assert event[field]
    titles = [t for work in data["work"] for t in work["titles"]]
    assert len(titles) == len(set(titles))  # one maker per title
    for work in data["work"]:
        assert work["titles"] and {"en", "fr"} <= set(work["author"]) and isinstance(work["year"], int)
        assert all(t == fold1(t) for t in work["titles"])
    for animal in data["animal"]:
        assert animal["class"] in {"mammal", "bird", "reptile", "fish", "amphibian"}
