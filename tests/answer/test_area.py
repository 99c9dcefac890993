"""The area of a rectangle from its two sides (answer/area.py)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eclair.answer.area import solve_area


@pytest.mark.parametrize(
    ("message", "lang", "value"),
    [
        ("Le salon fait 5,5 m sur 4 m. Quelle est sa superficie ?", "fr", "22"),
        ("A patio is 3 m by 2.5 m. What is its area in square feet?", "en", "80.7293"),
        ("My garden is 30 ft x 20 ft. What's its area?", "en", "600"),
    ],
)
def test_the_area_of_two_sides(message: str, lang: str, value: str) -> None:
    answer = solve_area(message, lang)
    assert answer is not None and answer.checks[0 if lang == "en" else 1] == value, answer


@pytest.mark.parametrize(
    "message",
    [
        "A room is 4 m long. What is its area?",  # one side
        "A room is 4 m by 3 m and 2.5 m high. What is its area?",  # three lengths
        "A box weighs 4 kg by 3 kg. What is its area?",  # not lengths
        "A room is 4 m by 3 m. How long is the skirting board?",  # no area asked
    ],
)
def test_what_is_not_two_sides_and_an_area_is_left_alone(message: str) -> None:
    assert solve_area(message, "en") is None


@given(st.integers(1, 400), st.integers(1, 400))
def test_the_area_is_the_product_of_the_sides(a: int, b: int) -> None:
    answer = solve_area(f"A field is {a} m by {b} m. What is its area in m²?", "en")
    assert answer is not None and Fraction(answer.checks[0]) == a * b
