"""Work at a steady rate (answer/throughput.py): the side of the rate asked, never a product of
the two numbers when a count of the rate's unit is asked."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eclair.answer.router import decide
from eclair.answer.throughput import solve_throughput
from eclair.answer.wordproblem import solve_word_problem
from eclair.engine.protocol import ChatMessage

TODAY = date(2026, 12, 4)


def reply(question: str) -> str:
    decision = decide([ChatMessage(role="user", content=question)], TODAY)
    assert decision.reply is not None, question
    return decision.reply.text


@pytest.mark.parametrize(
    ("question", "lang", "value"),
    [
        ("Our printer does 42 pages per minute. How many minutes to print 1,323 pages?", "en", "31.5"),
        (
            "Un tuyau remplit une cuve de 1 000 litres à 25 litres par minute. Combien de minutes faut-il ?",
            "fr",
            "40",
        ),
        ("I type 60 words a minute. How many words can I type in 15 minutes?", "en", "900"),
        ("Une machine produit 120 bouteilles par heure. Combien de bouteilles en 45 minutes ?", "fr", "90"),
        ("I read 30 pages an hour: how long for a 450 pages book?", "en", "15"),
    ],
)
def test_the_side_of_the_rate_asked_is_computed(question: str, lang: str, value: str) -> None:
    answer = solve_throughput(question, lang)
    assert answer is not None and value in answer.checks, answer


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("A car drives at 60 km per hour for 2 hours. How far does it go?", "en"),  # rates.py's
        ("Each box holds 12 eggs, how many eggs in 7 boxes?", "en"),
        (
            "A printer does 42 pages per minute and another 30 pages per minute. How many minutes for 600 pages?",
            "en",
        ),
    ],
)
def test_other_questions_are_left_alone(question: str, lang: str) -> None:
    assert solve_throughput(question, lang) is None


def test_a_count_of_the_rate_unit_is_never_a_product() -> None:
    """The invariant behind the reader: "pages per minute … how many minutes" divides."""
    text = "The press prints 40 sheets per minute. How many minutes for a print run of 3 crates?"
    assert solve_word_problem(text, "en") is None


@settings(max_examples=60, deadline=None)
@given(
    rate=st.integers(min_value=1, max_value=500),
    amount=st.integers(min_value=1, max_value=100_000),
    noun=st.sampled_from(["pages", "bottles", "litres", "parcels", "tickets"]),
)
def test_duration_is_amount_over_rate(rate: int, amount: int, noun: str) -> None:
    question = (
        f"A machine handles {rate} {noun} per minute. How many minutes does it need for {amount} {noun}?"
    )
    answer = solve_throughput(question, "en")
    assert answer is not None
    assert set(answer.used) == {Fraction(rate), Fraction(amount)} or rate == amount
    expected = Fraction(amount, rate)
    assert any(
        abs(Fraction(c.replace(",", "")) - expected) < Fraction(1, 10_000) * max(1, expected)
        for c in answer.checks
    )


def test_the_router_answers_with_the_division() -> None:
    assert "31.5" in reply(
        "Our office printer does 42 pages per minute. How many minutes will it take to print 1,323 pages?"
    )


@pytest.mark.parametrize(
    ("message", "lang", "value"),
    [
        (
            "A rain barrel holds 200 litres and already has 35 litres in it. A gutter adds 15 litres per hour. How many hours until it is full?",
            "en",
            "11",
        ),
        (
            "Un bassin contient 900 litres et il y a déjà 300 litres dedans. La pompe débite 40 litres par minute. Combien de minutes pour le remplir ?",
            "fr",
            "15",
        ),
    ],
)
def test_time_to_fill_what_is_missing(message: str, lang: str, value: str) -> None:
    answer = solve_throughput(message, lang)
    assert answer is not None and value in answer.checks, answer


def test_a_fill_without_what_is_there_already_is_left_alone() -> None:
    message = "A tank holds 200 litres, a bucket 10 litres, and a pump moves 5 litres per minute. How long to fill it?"
    assert solve_throughput(message, "en") is None
