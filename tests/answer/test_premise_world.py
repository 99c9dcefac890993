"""False premises about places, things that did not exist yet, and animals (new phrasings)."""

from __future__ import annotations

import pytest

from eclair.answer.facts import facts
from eclair.answer.premise import check_premise
from tests.answer.test_premise import assert_flagged


@pytest.mark.parametrize(
    ("question", "lang", "kind", "says"),
    [
        ("Who is the president of Antarctica?", "en", "not_a_state", "Antarctica is a continent"),
        ("What's the capital of Mars?", "en", "not_a_state", "Mars is a planet"),
        ("What is the capital of the Indian Ocean?", "en", "not_a_state", "an ocean"),
        ("Who is the king of the North Sea?", "en", "not_a_state", "a sea"),
        ("What is the official currency of the Moon?", "en", "not_a_state", "no currency"),
        ("Who is the mayor of the Gobi Desert?", "en", "not_a_state", "a desert"),
        ("Qui est le maire de la mer Méditerranée ?", "fr", "not_a_state", "une mer"),
        ("Quelle est la monnaie de la planète Mars ?", "fr", "not_a_state", "pas de monnaie"),
        ("Quelle est la capitale de l'Afrique ?", "fr", "not_a_state", "un continent"),
        ("Qui est le président de l'océan Pacifique ?", "fr", "not_a_state", "un océan"),
        ("Quelle est la capitale du Sahara ?", "fr", "not_a_state", "un désert"),
        ("Why did Beethoven play the electric guitar?", "en", "anachronism", "died in 1827"),
        ("How did Mozart record his symphonies on his computer?", "en", "anachronism", "died in 1791"),
        ("Jane Austen wrote her novels on a computer, right?", "en", "anachronism", "died in 1817"),
        ("Why did Vivaldi upload the Four Seasons to YouTube?", "en", "anachronism", "1969"),
        ("Why did Rembrandt fly to Paris by plane?", "en", "anachronism", "died in 1669"),
        ("Did Charles Darwin take a laptop on the Beagle?", "en", "anachronism", "1975"),
        ("Comment Baudelaire a-t-il publié ses poèmes sur Internet ?", "fr", "anachronism", "mort en 1867"),
        ("Pourquoi Molière a-t-il écrit Tartuffe sur un ordinateur ?", "fr", "anachronism", "mort en 1673"),
        ("Quand Jeanne d'Arc a-t-elle conduit une voiture ?", "fr", "anachronism", "morte en 1431"),
        ("Pourquoi Flaubert envoyait-il ses manuscrits par courriel ?", "fr", "anachronism", "1971"),
        ("Combien de litres de lait un taureau produit-il par an ?", "fr", "milk", "mâle"),
        ("How many litres of milk does a rooster give per day?", "en", "milk", "There is no rooster milk"),
        ("How much milk can you get from a hen?", "en", "milk", "only mammals"),
        ("Combien de lait peut-on tirer d'un taureau ?", "fr", "milk", "mâle"),
        ("Quelle quantité de lait une poule produit-elle ?", "fr", "milk", "oiseaux"),
        ("What do the eggs laid by a stallion look like?", "en", "eggs", "a stallion is a male"),
        ("How many eggs does a male penguin lay?", "en", "eggs", "There are no male penguin eggs"),
        ("How much milk does a male goat produce?", "en", "milk", "only female mammals"),
        ("Combien d'œufs pond une autruche mâle ?", "fr", "eggs", "seules les femelles pondent"),
        ("Which laptop did Charles Darwin use on the Beagle?", "en", "anachronism", "died in 1882"),
        ("Quelle voiture conduisait Victor Hugo ?", "fr", "anachronism", "1886"),
        ("Quel ordinateur utilisait Balzac pour écrire ?", "fr", "anachronism", "mort en 1850"),
    ],
)
def test_false_premises_are_flagged(question: str, lang: str, kind: str, says: str) -> None:
    assert_flagged(question, lang, kind, says)


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("What is the capital of Western Sahara?", "en"),
        ("What is the largest city on the Atlantic coast?", "en"),
        ("What is the capital of Australia?", "en"),
        ("Quelle est la capitale de l'Algérie ?", "fr"),
        ("Quelle est la plus grande ville au bord de la mer Noire ?", "fr"),
        ("Can I listen to Mozart on the radio?", "en"),
        ("Where can I watch a film about Napoleon on TV?", "en"),
        ("Who invented the car after Napoleon died?", "en"),
        ("Did Einstein drive a car?", "en"),
        ("Did Charles Dickens write his novels by hand?", "en"),
        ("Did Hemingway use a typewriter?", "en"),
        ("Je lis Victor Hugo sur mon ordinateur portable.", "fr"),
        ("Quels films sur Napoléon passent à la télévision ?", "fr"),
        ("What would Shakespeare have thought of laptops?", "en"),
        ("How much milk does a goat produce per day?", "en"),
        ("How big are female penguin eggs?", "en"),
        ("Les œufs d'autruche femelle sont-ils gros ?", "fr"),
        ("Which car did Einstein drive?", "en"),
        ("Combien de litres de lait une vache donne-t-elle par jour ?", "fr"),
    ],
)
def test_true_premises_are_not_flagged(question: str, lang: str) -> None:
    assert check_premise(question, lang) is None


def test_people_and_things_are_consistent() -> None:
    data = facts()
    keys = [p["key"] for p in data["person"]]
    assert len(keys) == len(set(keys)) >= 250
    names = [n for p in data["person"] for n in set(p["names"])]
    assert len(names) == len(set(names))
    for tech in data["technology"]:
        assert 1400 <= tech["year"] <= 2025
        assert str(tech["year"]) in tech["fact_en"] + tech["fact_fr"] or "1940" in tech["fact_en"]
    for place in data["place"]:
        assert set(place["attributes"]) <= set(data["attribute"])


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("Why did Charlemagne look through a telescope at the stars?", "en"),
        ("Pourquoi Jeanne d'Arc a-t-elle utilisé un microscope ?", "fr"),
        ("In which year did Beethoven win the Eurovision Song Contest?", "en"),
        ("En quelle année Charles Dickens a-t-il reçu le prix Nobel ?", "fr"),
        ("How many times did Queen Victoria win an Oscar?", "en"),
    ],
)
def test_things_and_prizes_after_a_persons_death(message: str, lang: str) -> None:
    issue = check_premise(message, lang)
    assert issue is not None and issue.kind == "anachronism", (message, issue)


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("When did Marie Curie receive the Nobel Prize?", "en"),
        ("Why did Galileo use a telescope?", "en"),
        ("Why did Caesar plan an invasion that a telescope would have helped?", "en"),
    ],
)
def test_prizes_and_things_within_a_lifetime_are_no_anachronism(message: str, lang: str) -> None:
    assert check_premise(message, lang) is None


@pytest.mark.parametrize(
    ("message", "lang", "flagged"),
    [
        ("How many feathers does a cat have?", "en", True),
        ("De quelle couleur sont les plumes d'une girafe ?", "fr", True),
        ("What colour are a duck's feathers?", "en", False),
        ("Les plumes du paon sont-elles bleues ?", "fr", False),
    ],
)
def test_only_birds_have_feathers(message: str, lang: str, flagged: bool) -> None:
    issue = check_premise(message, lang)
    assert (issue is not None and issue.kind == "feathers") is flagged, issue


@pytest.mark.parametrize(
    ("message", "lang", "capital"),
    [
        ("Why is Istanbul the capital of Turkey?", "en", "Ankara"),
        ("Since Toronto is the capital of Canada, how far is it from Montreal?", "en", "Ottawa"),
        ("Pourquoi Casablanca est-elle la capitale du Maroc ?", "fr", "Rabat"),
    ],
)
def test_a_city_that_is_not_the_capital(message: str, lang: str, capital: str) -> None:
    issue = check_premise(message, lang)
    assert issue is not None and issue.kind == "capital" and capital in issue.message, issue


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("Why is Ankara the capital of Turkey?", "en"),
        ("What is the capital of Canada?", "en"),
        ("Why did Rio de Janeiro stop being the capital of Brazil?", "en"),
        ("Why is the largest city not the capital of Australia?", "en"),
        ("Pourquoi Berne est-elle la capitale de la Suisse ?", "fr"),
    ],
)
def test_a_right_capital_or_a_real_question_is_left_alone(message: str, lang: str) -> None:
    issue = check_premise(message, lang)
    assert issue is None or issue.kind != "capital", issue
