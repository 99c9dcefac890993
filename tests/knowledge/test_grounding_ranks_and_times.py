"""The deputy named as the deputy, counts of the whole not of the change, years as table
columns, opening hours, and prices after a dated change (knowledge/fidelity.py, sentencekind.py,
extract.py, question.py, evidence.py)."""

from __future__ import annotations

import pytest

from eclair.knowledge.evidence import best_evidence
from eclair.knowledge.extract import tables_as_sentences
from eclair.knowledge.fidelity import fidelity_problem
from eclair.knowledge.question import analyse_question
from eclair.text.passages import Passage


def passage(text: str) -> list[Passage]:
    return [Passage(chunk_id="c", source="doc.txt", text=text, start=0, end=len(text), document_id="d")]


BOARD = "Our Managing Director is Priya Olumide-Hart, supported by Deputy Managing Director Callum Fenwright."


@pytest.mark.parametrize(
    ("answer", "faithful"),
    [
        ("Priya Olumide-Hart is the Deputy Managing Director [1].", False),
        ("Callum Fenwright is the Deputy Managing Director [1].", True),
    ],
)
def test_the_deputy_named_is_the_one_written_as_deputy(answer: str, faithful: bool) -> None:
    question = analyse_question("Who is the Deputy Managing Director?")
    problem = fidelity_problem(answer, question, [BOARD], [BOARD])
    assert (problem is None) is faithful, problem


REPORT = """Five new farms joined us this year.

                              2024          2025
Member farms                    58            63
Staff employed (people)         34            37

The hall is open on Saturday from 10:00 to 20:00. Climbing ropes are retired after 300 hours of use.

Adult day ticket: £7.80. The next fare review is planned for September 2026.
"""


def test_years_as_columns_give_one_sentence_per_year() -> None:
    text = tables_as_sentences(REPORT)
    assert "Member farms (2025): 63." in text and "Member farms (2024): 58." in text


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("How many member farms did the cooperative have in 2025?", "63"),
        ("How many people did the cooperative employ in 2024?", "34"),
        ("What are the Saturday opening hours?", "10:00 to 20:00"),
    ],
)
def test_the_sentence_that_states_it_answers(question: str, wanted: str) -> None:
    _, evidence = best_evidence(question, passage(tables_as_sentences(REPORT)))
    assert evidence and wanted in evidence[0].text, evidence[:2]
    assert all("new farms" not in e.text and "300 hours" not in e.text for e in evidence)


def test_a_price_after_a_dated_change_is_not_todays_price() -> None:
    question = "How much will the adult day ticket cost after the September 2026 fare review?"
    _, evidence = best_evidence(question, passage(tables_as_sentences(REPORT)))
    assert all("7.80" not in e.text for e in evidence), evidence[:1]


# ------------------------------------------------------------------ superlatives and holders

RIVERS = (
    "Ses principaux fleuves sont la Loire, la Seine, le Rhône et la Garonne. "
    "La Loire est le plus long fleuve du pays, avec un peu plus de 1 000 kilomètres."
)


@pytest.mark.parametrize(
    "question", ["Quel est le plus long fleuve du pays ?", "What is the longest fleuve of the pays?"]
)
def test_a_superlative_is_answered_by_the_sentence_that_ranks(question: str) -> None:
    """A list of candidates ("its main rivers are …") does not say which is the longest."""
    _, evidence = best_evidence(question, passage(RIVERS))
    assert evidence and "plus long" in evidence[0].text
    assert all("principaux" not in e.text for e in evidence)


def test_the_first_holder_of_a_role_is_not_the_current_one() -> None:
    text = "The city is named after George Washington, the first President of the United States."
    _, evidence = best_evidence("Who is the current President of the United States?", passage(text))
    assert evidence == []


def test_a_name_after_a_preposition_is_not_the_agent() -> None:
    """ "born in Pau and assassinated in Paris" names places, not who killed him."""
    text = "Henri IV, born on 13 December 1553 in Pau and assassinated on 14 May 1610 in Paris, was king of France."
    _, evidence = best_evidence("Who assassinated King Henri IV?", passage(text))
    assert evidence == []


def test_at_what_altitude_asks_for_a_number_and_sit_asks_nothing() -> None:
    q = analyse_question("At what altitude does the citadel sit?")
    assert q.expects == "number" and "sit" not in q.predicates
    text = "The citadel was listed in 1983. It stands on a ridge at an altitude of about 2,430 metres."
    _, evidence = best_evidence(q, passage(text))
    assert evidence and "2,430" in evidence[0].text


def test_a_name_asked_of_a_thing_comes_from_a_sentence_about_that_thing() -> None:
    """In an article, "what is the name of the dog…?" is not answered by the name of the
    sailor the sentence speaks of."""
    text = (
        "Harbour Tales is a novel by Ann Vale. It follows the sailor Tom Reed on a long voyage. "
        "He keeps a dog on board."
    )
    article = [
        Passage(
            chunk_id="k", source="Harbour Tales", text=text, start=0, end=len(text), document_id="k", pack="p"
        )
    ]
    _, evidence = best_evidence(
        "What is the name of the dog on the sailor's voyage in Harbour Tales?", article
    )
    assert all("Tom Reed" not in e.text for e in evidence), evidence[:1]


@pytest.mark.parametrize(
    "question",
    ["How much does a guided tour cost for non-residents?", "What do non-residents pay for a tour?"],
)
def test_the_price_for_the_others_is_not_the_price_for_the_named(question: str) -> None:
    text = (
        "Guided tours of the mill cost 6 euros for residents of the valley. Visitors from outside the "
        "valley pay 9 euros."
    )
    _, evidence = best_evidence(question, passage(text))
    assert all("6 euros" not in e.text for e in evidence), evidence[:1]


def test_greetings_and_hedges_are_not_what_is_asked() -> None:
    q = analyse_question("Bonjour ! Roughly how long is the river Varne, actually?")
    assert not {"bonjour", "rough", "roughly", "actual", "actually"} & set(q.predicates)


def test_the_highest_point_is_the_point_culminant() -> None:
    text = "Le canton de Vell est montagneux. Son point culminant est le Piz Varnet, à 3 120 mètres."
    _, evidence = best_evidence("What is the highest point of the canton of Vell?", passage(text))
    assert evidence and "Piz Varnet" in evidence[0].text
