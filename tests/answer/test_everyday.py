"""Everyday computations: clock times moved by durations, change from a payment, sums of quantities."""

from __future__ import annotations

from datetime import date

import pytest

from eclair.answer.clocktime import solve_clock
from eclair.answer.router import decide
from eclair.engine.protocol import ChatMessage


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "A train leaves at 14:40 and the trip takes 2 hours 35 minutes. At what time does it arrive?",
            "en",
            "17:15",
        ),
        (
            "A train leaves at 14:40 and the trip takes 2 hours 35 minutes, but it is delayed by 48 minutes. "
            "At what time does it arrive?",
            "en",
            "18:03",
        ),
        ("The meeting starts at 9:15 am and lasts 3 hours. What time does it end?", "en", "12:15"),
        (
            "The show starts at 11:30 pm and lasts 1 hour 45 minutes. When does it end?",
            "en",
            "01:15 the next day",
        ),
        ("Le film commence à 20 h 45 et dure 2 h 10. À quelle heure se termine-t-il ?", "fr", "22 h 55"),
        ("Le bus part à 7:50. Le trajet dure 25 minutes. À quelle heure arrive-t-il ?", "fr", "08 h 15"),
    ],
)
def test_a_clock_time_moved_by_durations(text: str, lang: str, expected: str) -> None:
    answer = solve_clock(text, lang)
    assert answer is not None and answer.text.rstrip(".").endswith(expected), answer


@pytest.mark.parametrize(
    "text",
    [
        "What time is it now?",  # no clock time written
        "The train leaves at 14:40 or 15:10 and takes 2 hours. What time does it arrive?",  # two clock times
        "The train leaves at 14:40 with 3 carriages and takes 2 hours. What time does it arrive?",  # a bare number
        "It leaves at 14:40, 10 minutes late and 5 minutes early. What time is it?",  # both directions
    ],
)
def test_what_it_cannot_read_whole_is_declined(text: str) -> None:
    assert solve_clock(text, "en") is None


def test_the_router_answers_with_the_time() -> None:
    message = "A train leaves at 14:40 and the trip takes 2 hours 35 minutes. At what time does it arrive?"
    decision = decide([ChatMessage("user", message)], date(2026, 12, 4))
    assert decision.reply is not None and "17:15" in decision.reply.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I bought 3 notebooks at $2.45 each and a pen for $1.30, and paid with a $10 bill. How much change should I get?",
            "= 1.35",
        ),
        ("J'achète 4 croissants à 1,20 € et je paie avec un billet de 10 €. Combien me rend-on ?", "= 5,2"),
    ],
)
def test_the_change_from_a_payment(text: str, expected: str) -> None:
    # (with the clock: the other everyday computation of a shop's or a station's counter)
    decision = decide([ChatMessage("user", text)], date(2026, 12, 4))
    assert decision.reply is not None and expected in decision.reply.text, decision.reply


def test_a_payment_short_of_the_total_is_not_given_negative_change() -> None:
    text = "I bought 3 notebooks at $2.45 each and paid with a $5 bill. How much change?"
    decision = decide([ChatMessage("user", text)], date(2026, 12, 4))
    assert decision.reply is None or decision.reply.abstained or "-" not in decision.reply.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What is 3 miles plus 2 kilometres, expressed in kilometres?", "= 6.828032 kilometres"),
        ("Combien font 6 fois 250 millilitres, en litres ?", "= 1,5 litres"),
        (
            "Un marathon fait 42,195 km. Combien de mètres reste-t-il si on retire 195 mètres ?",
            "= 42000 mètres",
        ),
        ("How many grams is 1.2 kg plus 350 g?", "= 1550 grams"),
    ],
)
def test_sums_and_multiples_of_quantities_in_the_unit_asked(text: str, expected: str) -> None:
    decision = decide([ChatMessage("user", text)], date(2026, 12, 4))
    assert decision.reply is not None and expected in decision.reply.text, decision.reply


def test_a_sum_of_temperatures_is_not_computed() -> None:
    decision = decide([ChatMessage("user", "What is 20 °C plus 5 °C in °F?")], date(2026, 12, 4))
    assert decision.reply is None or decision.reply.abstained
