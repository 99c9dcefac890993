"""A price per unit times a quantity, plus fixed charges (answer/charges.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eclair.answer.charges import solve_charges


@pytest.mark.parametrize(
    ("message", "lang", "total"),
    [
        ("A van hire costs £40 plus £0.35 per mile. How much for a 120-mile trip?", "en", "82"),
        ("Le serrurier facture 60 € de déplacement et 42 € de l'heure. Combien pour 2 heures ?", "fr", "144"),
        ("My phone plan is 9,99 € par mois. Combien je paie sur un an ?", "fr", "119,88"),
        ("The newspaper costs $4 a week. How much is that over a year?", "en", "208"),
    ],
)
def test_a_price_per_unit_times_the_quantity_plus_fixed_charges(message: str, lang: str, total: str) -> None:
    answer = solve_charges(message, lang)
    assert answer is not None and total in answer.checks, answer


@pytest.mark.parametrize(
    "message",
    [
        "A room costs 80 € per night and breakfast 12 € per person. How much for 3 nights?",  # two rates
        "The subscription is 20 € a month. How much over a fortnight?",  # no even period
        "Parking is £2 per hour. How much for 3 days and 4 hours?",  # another unit too
        "Parking is £2 per hour, 15% off at weekends. How much for 3 hours?",  # a percentage
    ],
)
def test_charges_it_cannot_read_are_left_alone(message: str) -> None:
    assert solve_charges(message, "en") is None


@given(st.integers(1, 200), st.integers(1, 99), st.integers(1, 60))
def test_the_total_is_fixed_plus_rate_times_quantity(fixed: int, rate: int, quantity: int) -> None:
    answer = solve_charges(
        f"A courier charges {fixed} € to collect plus {rate} € per km. How much for {quantity} km?", "en"
    )
    assert answer is not None and answer.checks[0] == str(fixed + rate * quantity)
