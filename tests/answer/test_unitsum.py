"""Quantities of one kind: how many things of a size another quantity fills (generated values,
EN and FR, checked against exact arithmetic), and a count of things of one size as a total."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from eclair.answer.router import decide
from eclair.answer.unitsum import solve_fill, solve_unit_sum
from eclair.engine.protocol import ChatMessage

PROPERTY = settings(max_examples=60, deadline=None, derandomize=True)
# (size unit, total unit, how many size units one total unit holds)
_PAIRS = [("cl", "litres", 100), ("ml", "L", 1000), ("g", "kg", 1000), ("cm", "m", 100), ("m", "km", 1000)]


@PROPERTY
@given(st.integers(1, 900), st.integers(1, 60), st.sampled_from(_PAIRS), st.sampled_from(["en", "fr"]))
def test_the_whole_ones_and_the_rest_are_exact(
    size: int, total: int, pair: tuple[str, str, int], lang: str
) -> None:
    small, big, per = pair
    message = (
        f"How many {size} {small} portions can I get from {total} {big}?"
        if lang == "en"
        else f"Combien de portions de {size} {small} peut-on tirer de {total} {big} ?"
    )
    answer = solve_fill(message, lang)
    assert answer is not None, message
    ratio = Fraction(total * per, size)
    whole = ratio.numerator // ratio.denominator
    assert answer.checks == (str(whole),)
    rest = (ratio - whole) * size
    assert (rest == 0) == ("left over" not in answer.text and "il reste" not in answer.text)


@PROPERTY
@given(st.integers(1, 50), st.integers(2, 9), st.sampled_from(["en", "fr"]))
def test_what_is_needed_rounds_up(size: int, total_in_sizes: int, lang: str) -> None:
    total = size * total_in_sizes + 1  # never a whole number of them
    message = (
        f"How many {size} kg sacks are needed for {total} kg of sand?"
        if lang == "en"
        else f"Combien de sacs de {size} kg faut-il pour {total} kg de sable ?"
    )
    answer = solve_fill(message, lang)
    assert answer is not None and answer.checks == (str(total_in_sizes + 1),), message


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        # a third number (who asks, how long) is not accounted for: no answer
        ("My 2 kids want to know how many 250 ml glasses 3 litres fill.", "en"),
        # the size asked about is not one of the quantities
        ("How many 33 cl cans does a 2 L bottle hold in 5 minutes?", "en"),
        # quantities of two kinds
        ("Combien de sacs de 5 kg pour 3 litres ?", "fr"),
        # temperatures are not filled
        ("How many 5 °C steps from 40 °C?", "en"),
    ],
)
def test_no_fill_without_exactly_two_quantities_of_one_kind(message: str, lang: str) -> None:
    assert solve_fill(message, lang) is None


@pytest.mark.parametrize(
    ("message", "lang", "result"),
    [
        ("Il a rapporté 4 bidons de 5 L. Combien de litres en tout ?", "fr", "20"),
        ("We opened 6 jars of 250 g. How many kilograms is that?", "en", "1.5"),
        ("J'ai 8 rouleaux de 2,5 m : combien de centimètres au total ?", "fr", "2000"),
    ],
)
def test_a_count_of_things_of_one_size_is_a_multiple(message: str, lang: str, result: str) -> None:
    answer = solve_unit_sum(message, lang)
    assert answer is not None and result in answer.checks, (message, answer)


@pytest.mark.parametrize(
    ("message", "duration"),
    [
        ("At an average speed of 45 km/h, how long does a 90 km trip take?", "= 2 h."),
        ("À une vitesse moyenne de 90 km/h, combien de temps faut-il pour 45 km ?", "= 30 min."),
    ],
)
def test_a_kind_the_message_states_is_not_the_kind_it_asks(message: str, duration: str) -> None:
    decision = decide([ChatMessage("user", message)], date(2026, 12, 4))
    assert decision.reply is not None and decision.reply.text.endswith(duration), decision


@PROPERTY
@given(st.integers(2, 40), st.integers(11, 400), st.sampled_from(["en", "fr"]))
def test_the_size_may_be_said_of_the_counted_thing_elsewhere(size: int, total: int, lang: str) -> None:
    assume(total != size)  # (two equal quantities: which is the size is not said)
    # "Our jerrycans hold 5 L each. How many jerrycans do we need?": the total over the size,
    # rounded up when all of it must go in (never the product of two volumes)
    message = (
        f"We must carry {total} L of water. Our jerrycans hold {size} L each. How many jerrycans do we need?"
        if lang == "en"
        else f"Il faut transporter {total} L d'eau avec des bidons de {size} L. Combien de bidons faut-il ?"
    )
    answer = solve_fill(message, lang)
    assert answer is not None, message
    assert answer.checks == (str(-(-total // size)),), (message, answer.text)


def test_one_container_is_its_quantity_and_other_numbers_are_not_ignored() -> None:
    answer = solve_fill("How many 200 mL cups can I fill from one 1.5-litre jug?", "en")
    assert answer is not None and answer.checks == ("7",)
    assert solve_fill("For 6 guests, how many 200 mL cups can I fill from a 1.5-litre jug?", "en") is None
    # two sizes said of the counted thing: which one is meant is not guessed
    assert (
        solve_fill("Small crates hold 5 kg, big crates hold 12 kg. How many crates for 60 kg?", "en") is None
    )
