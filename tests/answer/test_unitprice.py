"""Prices per unit of measure: the price of one unit from the price of a quantity, and the cost
of a quantity at a price per unit (generated values, checked against exact arithmetic); the
one-step reader never multiplies numbers measured in two units of one kind."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eclair.answer.numfmt import format_number
from eclair.answer.router import decide
from eclair.answer.unitprice import solve_unit_price
from eclair.engine.protocol import ChatMessage

PROPERTY = settings(max_examples=60, deadline=None, derandomize=True)
TODAY = date(2026, 12, 4)


def _states(checks: tuple[str, ...], value: Fraction) -> bool:
    return any(format_number(value, lang, sig=6)[0] in checks for lang in ("en", "fr"))


@PROPERTY
@given(st.integers(50, 5000), st.integers(1, 9999), st.sampled_from(["en", "fr"]))
def test_price_of_one_kilo_from_a_price_in_grams(grams: int, cents: int, lang: str) -> None:
    price = Fraction(cents, 100)
    shown = format_number(price, lang)[0]
    message = (
        f"A {grams} g packet costs ${shown}. What is that per kilo?"
        if lang == "en"
        else f"Un paquet de {grams} g coûte {shown} €. Quel est le prix au kilo ?"
    )
    answer = solve_unit_price(message, lang)
    assert answer is not None, message
    assert _states(answer.checks, price / Fraction(grams, 1000))


@PROPERTY
@given(st.integers(1, 60), st.integers(1, 3000), st.sampled_from(["en", "fr"]))
def test_cost_of_a_quantity_at_a_price_per_litre(per_litre: int, millilitres: int, lang: str) -> None:
    message = (
        f"Oil sells at {per_litre} € per litre. How much for {millilitres} ml?"
        if lang == "en"
        else f"L'huile coûte {per_litre} € le litre. Combien pour {millilitres} ml ?"
    )
    answer = solve_unit_price(message, lang)
    assert answer is not None, message
    assert _states(answer.checks, per_litre * Fraction(millilitres, 1000))


@pytest.mark.parametrize(
    "message",
    [
        # a third number is not accounted for
        "My 2 kids love it: a 500 g jar costs $6. How much per kilo?",
        # two quantities: which one was paid for?
        "A 500 g jar and a 1 kg jar cost $9. How much per kilo?",
        # the asked unit is of another kind
        "A 2 m rope costs $6. How much per kilo?",
    ],
)
def test_no_unit_price_without_one_quantity_and_one_sum(message: str) -> None:
    assert solve_unit_price(message, "en") is None


@pytest.mark.parametrize(
    ("message", "wrong"),
    [
        ("Tea costs $40 per kilo. How much for 250 g?", "10000"),
        ("Le tissu coûte 15 € le mètre. Combien pour 80 cm ?", "1200"),
    ],
)
def test_numbers_in_two_units_of_one_kind_are_never_multiplied_as_they_stand(
    message: str, wrong: str
) -> None:
    decision = decide([ChatMessage("user", message)], TODAY)
    assert decision.reply is not None and wrong not in decision.reply.text, decision.reply.text
