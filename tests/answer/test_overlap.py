"""Two overlapping groups in a whole: "neither" is the whole less the union (inclusion–exclusion)."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from eclair.answer.overlap import solve_overlap

PROPERTY = settings(max_examples=60, deadline=None, derandomize=True)


@PROPERTY
@given(
    st.integers(2, 40),
    st.integers(2, 40),
    st.integers(1, 30),
    st.integers(0, 50),
    st.sampled_from(["en", "fr"]),
)
def test_neither_is_the_whole_less_the_union(a: int, b: int, both: int, rest: int, lang: str) -> None:
    assume(both < min(a, b))
    whole = a + b - both + rest
    assume(len({whole, a, b, both}) == 4)
    message = (
        f"Of the {whole} hikers, {a} carry poles, {b} carry a map and {both} carry both. How many carry neither?"
        if lang == "en"
        else f"Sur {whole} randonneurs, {a} ont des bâtons, {b} ont une carte et {both} ont les deux. "
        "Combien n'ont ni bâtons ni carte ?"
    )
    answer = solve_overlap(message, lang)
    assert answer is not None and answer.calculation is not None, message
    assert answer.calculation.value.q == rest


@pytest.mark.parametrize(
    "message",
    [
        # inconsistent: the groups overflow the whole
        "Of the 30 hikers, 25 carry poles, 20 carry a map and 2 carry both. How many carry neither?",
        # nothing said of both groups
        "Of the 30 hikers, 12 carry poles, 10 carry a map and 4 carry a tent. How many carry neither?",
        # not a question about neither group
        "Of the 30 hikers, 12 carry poles, 10 carry a map and 4 carry both. How many carry poles only?",
    ],
)
def test_left_alone(message: str) -> None:
    assert solve_overlap(message, "en") is None
