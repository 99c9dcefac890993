"""Number theory and number functions, checked against Python's own arithmetic on generated
numbers and phrasings (EN and FR), and through the router."""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eclair.answer.numbertheory import read_number_question
from eclair.answer.numfmt import format_number
from eclair.answer.router import decide
from eclair.engine.protocol import ChatMessage

PROPERTY = settings(max_examples=80, deadline=None, derandomize=True)


def _is_prime(n: int) -> bool:
    return n > 1 and all(n % d for d in range(2, math.isqrt(n) + 1))


@PROPERTY
@given(
    st.integers(0, 20_000),
    st.sampled_from(
        [
            ("en", "Is {n} a prime number?"),
            ("en", "is {n} prime"),
            ("fr", "Est-ce que {n} est un nombre premier ?"),
            ("fr", "{n} est-il premier ?"),
        ]
    ),
)
def test_primality(n: int, phrasing: tuple[str, str]) -> None:
    lang, template = phrasing
    reply = read_number_question(template.format(n=n), lang)
    assert reply is not None
    said_yes = reply.text.startswith(("Yes", "Oui"))
    assert said_yes == _is_prime(n), reply.text


@PROPERTY
@given(
    st.integers(1, 10_000),
    st.integers(1, 10_000),
    st.sampled_from(
        [
            ("en", "What is the GCD of {a} and {b}?", math.gcd),
            ("en", "greatest common divisor of {a} and {b}", math.gcd),
            ("fr", "Quel est le PGCD de {a} et {b} ?", math.gcd),
            ("en", "What's the lcm of {a} and {b}?", math.lcm),
            ("fr", "Calcule le PPCM de {a} et {b}", math.lcm),
        ]
    ),
)
def test_gcd_and_lcm(a: int, b: int, phrasing: tuple) -> None:
    lang, template, fn = phrasing
    reply = read_number_question(template.format(a=a, b=b), lang)
    assert reply is not None and reply.text.endswith(f"= {format_number(Fraction(fn(a, b)), lang)[0]}")


@PROPERTY
@given(st.integers(1, 5_000))
def test_divisors_are_all_and_only_the_divisors(n: int) -> None:
    reply = read_number_question(f"What are the divisors of {n}?", "en")
    assert reply is not None
    listed = reply.text.split(" are ", 1)[1].split(" (")[0]
    assert [int(x.replace(",", "")) for x in listed.split(", ")] == [d for d in range(1, n + 1) if n % d == 0]


@PROPERTY
@given(st.integers(2, 10), st.integers(-5, 12))
def test_logarithms_of_exact_powers_are_exact(base: int, k: int) -> None:
    n = Fraction(base) ** k
    if n.denominator != 1:
        return
    question = f"log({n})" if base == 10 else f"log base {base} of {n}"
    reply = read_number_question(question, "en")
    assert reply is not None and reply.text.endswith(f"= {k}"), reply


@PROPERTY
@given(
    st.integers(1, 999),
    st.integers(1, 999),
    st.sampled_from([("en", "What is {p}/{q} as a decimal?"), ("fr", "{p}/{q} en décimal ?")]),
)
def test_fractions_as_decimals(p: int, q: int, phrasing: tuple[str, str]) -> None:
    lang, template = phrasing
    reply = read_number_question(template.format(p=p, q=q), lang)
    assert reply is not None
    shown = reply.text.rsplit(" ", 1)[1].replace(",", ".")
    assert abs(Fraction(shown) - Fraction(p, q)) <= Fraction(1, 10**8) * max(1, Fraction(p, q))


@PROPERTY
@given(st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False), st.integers(0, 3))
def test_rounding_is_half_away_from_zero(value: Decimal, places: int) -> None:
    reply = read_number_question(f"Round {value} to {places} decimal places", "en")
    assert reply is not None
    expected = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    assert reply.text.endswith(f"≈ {expected:f}"), (value, reply.text)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Write 4500000 in scientific notation", "en", "4.5 × 10^6"),
        ("0.00032 en notation scientifique", "fr", "3,2 × 10^-4"),
        ("Division euclidienne de 47 par 5", "fr", "47 = 5 × 9 + 2"),
        ("What is the natural log of 1?", "en", "ln(1) = 0"),
    ],
)
def test_other_functions(text: str, lang: str, expected: str) -> None:
    reply = read_number_question(text, lang)
    assert reply is not None and expected in reply.text


@pytest.mark.parametrize(
    "text",
    [
        "Is Rome a prime location?",
        "What is the log of my ship?",
    ],
)
def test_messages_with_more_than_the_question_are_left_alone(text: str) -> None:
    assert read_number_question(text, "en") is None


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Is 97 a prime number to use as a key for my lock?", "en", "97 is a prime"),
        ("What's the remainder when 1000 is divided by 7?", "en", "remainder is 6"),
        ("Quel est le reste de la division euclidienne de 2026 par 9 ?", "fr", "Le reste est 1"),
        ("Arrondis 27,456 au dixième près.", "fr", "27,5"),
        ("Can you write 0.00042 in scientific notation?", "en", "4.2 × 10^-4"),
    ],
)
def test_a_question_inside_a_longer_message_is_found_with_the_numbers_it_used(
    text: str, lang: str, expected: str
) -> None:
    reply = read_number_question(text, lang)
    assert reply is not None and expected in reply.text
    assert reply.used  # the router checks that the message holds no other number


def test_a_longer_message_with_another_number_is_not_answered_by_one_clause() -> None:
    today = date(2026, 12, 4)
    for text in (
        "What's the remainder when 1000 is divided by 7, times 12 boxes?",
        "Round 27.456 to the nearest tenth for 3 people",
    ):
        decision = decide([ChatMessage(role="user", content=text)], today)
        assert decision.reply is None or decision.reply.abstained, decision.reply


def test_the_router_answers_them_as_calculations() -> None:
    decision = decide([ChatMessage(role="user", content="Is 97 a prime number?")], date(2026, 12, 4))
    assert decision.route == "calculator" and decision.reply is not None
    assert decision.reply.text.startswith("Yes")


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Quel est le plus petit nombre premier strictement supérieur à 90 ?", "fr", "est 97"),
        ("What is the smallest prime number greater than 100?", "en", "is 101"),
        ("Combien y a-t-il de nombres premiers entre 1 et 30 ?", "fr", "Il y a 10 nombres premiers"),
        ("How many primes are there between 10 and 50?", "en", "There are 11 prime numbers"),
        ("What is the lcm of 12, 18 and 30?", "en", "= 180"),
        ("What is log base 10 of 100000?", "en", "= 5"),
    ],
)
def test_primes_after_and_between_and_lists(text: str, lang: str, expected: str) -> None:
    decision = decide([ChatMessage(role="user", content=text)], date(2026, 12, 4))
    assert decision.reply is not None and expected in decision.reply.text, decision.reply


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("what's the remainder when you divide 700 by 9", "en"),
        ("quel est le reste quand on divise 700 par 9 ?", "fr"),
    ],
)
def test_the_remainder_when_you_divide(message: str, lang: str) -> None:
    from datetime import date

    from eclair.answer.router import decide
    from eclair.engine.protocol import ChatMessage

    decision = decide([ChatMessage(role="user", content=message)], date(2026, 12, 4))
    assert decision.reply is not None and "7" in decision.reply.checks, decision


def _divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 5000), st.booleans(), st.sampled_from(["en", "fr"]))
def test_the_sum_of_the_divisors_is_computed_never_the_list_alone(n: int, proper: bool, lang: str) -> None:
    if lang == "en":
        question = f"What is the sum of the divisors of {n}" + (
            f", not counting {n} itself?" if proper else "?"
        )
    else:
        question = f"Quelle est la somme des diviseurs de {n}" + (
            f", sans compter {n} lui-même ?" if proper else " ?"
        )
    reply = read_number_question(question, lang)
    expected = sum(d for d in _divisors(n) if not (proper and d == n))
    assert reply is not None and reply.checks[0] == format_number(Fraction(expected), "en")[0], reply
    assert reply.text.rstrip(".").split(" ")[-1] == format_number(Fraction(expected), lang)[0]


@pytest.mark.parametrize(
    ("question", "lang", "value"),
    [
        ("What is the sum of the prime numbers between 30 and 50?", "en", "199"),
        ("Add up all the prime numbers between 1 and 20.", "en", "77"),
        ("Quelle est la moyenne des nombres premiers entre 10 et 20 ?", "fr", "15"),
        ("What is the product of the divisors of 10?", "en", "100"),
    ],
)
def test_aggregates_of_primes_and_divisors(question: str, lang: str, value: str) -> None:
    reply = read_number_question(question, lang)
    assert reply is not None and reply.text.rstrip(".").split(" ")[-1] == value, reply


@pytest.mark.parametrize(
    "question",
    [
        "What is twice the number of divisors of 36?",  # an operation on the answer: not read here
        "Quelle est la somme des diviseurs de 45, sans compter 9 ?",  # another number set apart
    ],
)
def test_a_question_inside_a_calculation_is_not_answered_alone(question: str) -> None:
    decision = decide([ChatMessage(role="user", content=question)], date(2026, 12, 4))
    assert decision.reply is None or decision.reply.abstained, decision.reply
