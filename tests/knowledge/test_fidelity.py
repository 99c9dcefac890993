"""Fidelity of a rephrasing to its source sentence: vocabulary, attachment, bounds, shape."""

from __future__ import annotations

import pytest

from eclair.knowledge.evidence import analyse_question
from eclair.knowledge.fidelity import fidelity_problem, states_expected

PRICES = "Le tarif est de 24 euros pour un adulte, 10 euros pour un enfant et 40 euros pour une famille."
HOURS = "In 2021, the pool welcomed 86,000 swimmers, while the gym had no more than 900 members."


def problem(answer: str, question: str, source: str) -> str | None:
    return fidelity_problem(answer, analyse_question(question), [source], [source])


@pytest.mark.parametrize(
    ("answer", "question", "source"),
    [
        ("Le tarif est de 24 euros pour un adulte.", "Quel est le tarif pour un adulte ?", PRICES),
        ("Pour une famille, le tarif est de 40 euros.", "Combien coûte le tarif famille ?", PRICES),
        ("Un enfant paie 10 euros.", "Combien paie un enfant ?", PRICES),
        ("The pool welcomed 86,000 swimmers in 2021.", "How many swimmers did the pool welcome?", HOURS),
        ("The gym had no more than 900 members.", "How many members did the gym have?", HOURS),
        (
            "Elle mesure 330 mètres.",
            "Quelle est la hauteur de la tour ?",
            "Elle mesure 330 mètres de hauteur.",
        ),
    ],
)
def test_faithful_rephrasings_pass(answer: str, question: str, source: str) -> None:
    assert problem(answer, question, source) is None


@pytest.mark.parametrize(
    ("answer", "question", "source", "reason"),
    [
        (
            "Le tarif est de 24 euros pour une famille.",
            "Quel est le tarif pour une famille ?",
            PRICES,
            "famil",
        ),
        ("Le tarif est de 10 euros pour un adulte.", "Quel est le tarif pour un adulte ?", PRICES, "adult"),
        (
            "Le tarif est de 24 euros pour une couleur.",
            "Quel est le tarif pour un adulte ?",
            PRICES,
            "couleur",
        ),
        ("The gym welcomed 86,000 members.", "How many members did the gym have?", HOURS, "goes with"),
        ("The gym had at least 900 members.", "How many members did the gym have?", HOURS, "bounded"),
        ("The gym had 900 members.", "How many members did the gym have?", HOURS, "bounded"),
        (
            "The pool did not welcome 86,000 swimmers.",
            "How many swimmers came to the pool?",
            HOURS,
            "negation",
        ),
        ("The pool welcomed 86,000 swimmers.", "When did the pool welcome 86,000 swimmers?", HOURS, "date"),
    ],
)
def test_garbled_rephrasings_are_caught(answer: str, question: str, source: str, reason: str) -> None:
    found = problem(answer, question, source)
    assert found is not None and reason in found


def test_mostly_new_words_are_not_faithful() -> None:
    source = "The bakery opens at 7 a.m. on weekdays."
    found = problem("The famous bakery sells fresh croissants daily.", "When does the bakery open?", source)
    assert found is not None


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        ("How much does the ticket cost?", "The ticket costs 12 euros.", True),
        ("How much does the ticket cost?", "The ticket costs 12.", False),
        ("Combien coûte le billet ?", "Le billet coûte 8 €.", True),
        ("En quelle année le pont a-t-il été construit ?", "Le pont a été construit en 1903.", True),
        ("En quelle année le pont a-t-il été construit ?", "Le pont mesure 120 mètres.", False),
        ("When was the bridge opened?", "It opened in May.", True),
        ("À quelle heure ouvre la piscine ?", "La piscine ouvre à 9 h 30.", True),
        ("What time does the pool open?", "The pool opens at 9:30.", True),
        ("What time does the pool open?", "The pool opens in 1998.", False),
        ("Combien de temps dure la visite ?", "La visite dure 45 minutes.", True),
        ("How long does the tour last?", "The tour has 45 stops.", False),
        ("How many rooms does the hotel have?", "The hotel has no rooms left.", False),
    ],
)
def test_answer_states_what_is_asked(question: str, answer: str, expected: bool) -> None:
    assert states_expected(analyse_question(question), answer) is expected


@pytest.mark.parametrize(
    ("answer", "question", "source"),
    [
        ("The museum opened on May 3, 1921.", "When did the museum open?", "Le musée ouvre le 3 mai 1921."),
        (
            "Le pont a été ouvert le 9 août 1887.",
            "Quand le pont a-t-il ouvert ?",
            "The bridge opened on 9 August 1887.",
        ),
    ],
)
def test_months_match_across_languages(answer: str, question: str, source: str) -> None:
    assert problem(answer, question, source) is None


def test_another_month_is_not_the_same_date() -> None:
    found = problem(
        "The museum opened on 3 December 1921.",
        "When did the museum open?",
        "Le musée ouvre le 3 janvier 1921.",
    )
    assert found is not None


LIFE = (
    "Albert Einstein was a German-born physicist, born on 14 March 1879 in Ulm, "
    "and died on 18 April 1955 in Princeton, New Jersey."
)


@pytest.mark.parametrize(
    ("question", "answer", "faithful"),
    [
        (
            "In which town was Albert Einstein born?",
            "Albert Einstein's birthplace is Princeton, New Jersey.",
            False,
        ),
        ("In which town was Albert Einstein born?", "Albert Einstein was born in Ulm.", True),
        ("When did Einstein die?", "He died in 1879.", False),
        ("When did Einstein die?", "He died in 1955.", True),
        ("Où est mort Einstein ?", "Einstein est mort à Ulm.", False),
    ],
)
def test_a_life_event_gets_the_place_and_date_of_that_event(
    question: str, answer: str, faithful: bool
) -> None:
    from eclair.knowledge.fidelity import _event_problem

    assert (_event_problem(answer, question, [LIFE]) is None) is faithful


def test_until_when_is_the_end_of_a_range_not_its_start() -> None:
    from eclair.knowledge.fidelity import fidelity_problem
    from eclair.knowledge.question import analyse_question

    q = analyse_question("Until what time is the bakery open on Sundays?")
    cited = ["Sunday: 8 am – 1 pm."]
    assert fidelity_problem("The bakery is open until 8 am on Sundays [1].", q, cited, cited)
    assert fidelity_problem("The bakery is open until 1 pm on Sundays [1].", q, cited, cited) is None
