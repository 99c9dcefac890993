"""Everyday quantities read whole (answer/units.py, proportion.py, numbertheory.py, router.py,
intent.py): context words around a conversion, a precision said inline, one end of a list of
prime factors, amounts in proportion, and counts that are not dates."""

from __future__ import annotations

from datetime import date

import pytest

from eclair.answer.proportion import solve_proportion
from eclair.answer.router import decide
from eclair.engine.protocol import ChatMessage

TODAY = date(2026, 12, 4)


def decided(question: str):  # type: ignore[no-untyped-def]
    return decide([ChatMessage(role="user", content=question)], TODAY)


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("How many kilometres is a marathon's 26.2 miles?", "42.1648"),
        ("Mon cousin américain mesure 5 pieds 11 pouces. Ça fait combien en centimètres ?", "180,34"),
        ("Un terrain de 45 000 m², ça fait combien d'hectares ?", "4,5"),
        ("My suitcase weighs 23 kg, how many pounds is that?", "50.7063"),
        ("Donne-moi la racine carrée de 50 avec deux décimales.", "7,07"),
        ("What is 22 divided by 7 to 3 decimal places?", "3.143"),
        ("Quel est le plus petit diviseur premier de 221 ?", "13"),
        ("What is the largest prime factor of 84?", "7"),
    ],
)
def test_the_value_asked_is_computed(question: str, value: str) -> None:
    decision = decided(question)
    assert decision.reply is not None and decision.route == "calculator", question
    assert value in decision.reply.text, decision.reply.text


@pytest.mark.parametrize(
    "question",
    [
        "I ran 5 km, how many miles are left for a half marathon?",  # "left", "half" change it
        "I have 3 kids and we bake 24 cookies each day, how many cookies in 5 days?",  # not a date
    ],
)
def test_a_quantity_that_changes_is_not_converted_or_dated(question: str) -> None:
    decision = decided(question)
    assert decision.route != "date"
    assert decision.reply is None or decision.reply.abstained


@pytest.mark.parametrize(
    ("question", "lang", "value"),
    [
        (
            "Ma recette pour 4 personnes demande 300 g de farine. Je cuisine pour 10 personnes : combien de kilos ?",
            "fr",
            "0,75",
        ),
        ("3 kg of apples cost 7.50 €. How much for 5 kg?", "en", "12.5"),
        ("For 10 people, how much flour do I need if the recipe for 4 people uses 300 g?", "en", "750"),
    ],
)
def test_an_amount_scales_with_its_count(question: str, lang: str, value: str) -> None:
    answer = solve_proportion(question, lang)
    assert answer is not None and value in answer.checks, answer


def test_a_proportion_needs_two_counts_of_one_thing() -> None:
    assert solve_proportion("3 kg of apples and 2 pears cost 7.50 €. How much for 5 kg?", "en") is None


def test_a_request_in_a_later_clause_is_a_request() -> None:
    decision = decided("Je reçois 6 personnes dimanche, tu peux me donner une recette simple de crêpes ?")
    assert decision.route == "model"


def test_context_words_need_a_quantity_to_convert() -> None:
    decision = decided("In what year did Australia win the FIFA men's World Cup?")
    assert decision.route != "calculator"


def test_the_count_stated_with_the_amount_is_the_base() -> None:
    answer = solve_proportion("Si 1,5 kg de pommes coûte 4,20 €, combien coûtent 4 kg de ces pommes ?", "fr")
    assert answer is not None and "11.2" in answer.checks


def test_how_many_whole_weeks_is_still_a_date_question() -> None:
    decision = decided(
        "How many whole weeks are there between Monday 5 January 2026 and Monday 30 March 2026?"
    )
    assert decision.route == "date" and decision.reply is not None and "12 weeks" in decision.reply.text


def test_contesting_in_a_later_clause_is_not_a_request_for_a_text() -> None:
    assert decided("I'm pretty sure it was a Sunday. Can you correct that?").route != "model"


def test_a_spoken_fraction_is_part_of_the_quantity() -> None:
    decision = decided("A recipe calls for two and a quarter pounds of flour. How many grams is that?")
    assert decision.reply is not None and "1020.58" in decision.reply.text


def test_a_result_asked_of_two_things_is_a_false_premise() -> None:
    assert decided("Divide Tuesday by the colour green and give me the result.").route == "premise"
