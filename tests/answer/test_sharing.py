"""Things packed into groups of a fixed size, and sums shared equally (answer/sharing.py)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eclair.answer.router import decide
from eclair.answer.sharing import solve_grouping, solve_sharing
from eclair.engine.protocol import ChatMessage


@pytest.mark.parametrize(
    ("message", "lang", "checks"),
    [
        (
            "We have 130 jars to pack in boxes of 12. How many full boxes, and how many jars left over?",
            "en",
            ("10", "10"),
        ),
        ("On range 75 livres sur des étagères de 8. Combien d'étagères pleines ?", "fr", ("9", "9")),
        (
            "I have 75 books and shelves of 8. How many books are left over once the shelves are full?",
            "en",
            ("3", "3"),
        ),
        ("How many boxes of 6 do I need for 45 eggs?", "en", ("8", "8")),
        # the size said by a verb; the plural asked of a word that ends in -e
        ("I need 50 muffins and one tray holds 12. How many trays do I need?", "en", ("5", "5")),
        (
            "Each shuttle carries 45 people. 200 people are coming. How many shuttles are needed?",
            "en",
            ("5", "5"),
        ),
        ("Une fournée donne 18 croissants. Il m'en faut 40. Combien de fournées ?", "fr", ("3", "3")),
        # the total is a product said before the groups
        (
            "I'm cooking for 9 people, 4 pancakes each. One batch makes 10 pancakes. How many batches do I need?",
            "en",
            ("4", "4"),
        ),
    ],
)
def test_groups_of_a_fixed_size(message: str, lang: str, checks: tuple[str, ...]) -> None:
    answer = solve_grouping(message, lang)
    assert answer is not None and answer.checks[: len(checks)] == checks, answer


def test_a_grouping_that_asks_nothing_it_can_read_is_left_alone() -> None:
    assert solve_grouping("We have 130 jars and boxes of 12. How many jars are there?", "en") is None


@given(st.integers(2, 500), st.integers(2, 40))
def test_full_groups_and_left_over_make_the_total(total: int, size: int) -> None:
    answer = solve_grouping(
        f"We have {total} cups to stack in piles... no, in packs of {size}. How many full packs, and how many left over?",
        "en",
    )
    if total < size:
        assert answer is None
        return
    assert answer is not None
    full, left = int(answer.checks[0]), int(answer.checks[2])
    assert full * size + left == total and 0 <= left < size


@pytest.mark.parametrize(
    ("message", "lang", "share"),
    [
        (
            "Four of us rented a cabin for 930 and paid 70 for cleaning. If we split it equally, how much does each pay?",
            "en",
            "250",
        ),
        (
            "Nous sommes 3 amies. Le taxi coûte 41,40 € : on partage à parts égales, combien paie chacune ?",
            "fr",
            "13,8",
        ),
        (
            "J'ai 50 €. Je garde 14 € et je partage le reste équitablement entre mes 4 neveux. Combien pour chacun ?",
            "fr",
            "9",
        ),
    ],
)
def test_a_sum_shared_equally(message: str, lang: str, share: str) -> None:
    answer = solve_sharing(message, lang)
    assert answer is not None and share in answer.checks, answer


@pytest.mark.parametrize(
    "message",
    [
        "We are 4 friends and 2 parents. The bill is 120. Split equally, how much each?",  # two counts
        "Three of us share a 20% tip on 80. How much does each pay?",  # a percentage
    ],
)
def test_sharing_it_cannot_read_is_left_alone(message: str) -> None:
    assert solve_sharing(message, "en") is None


def test_the_router_answers_a_shared_bill_with_every_number() -> None:
    text = "Three of us had lunch. The bill was 54.60 and we left a 5.40 tip. Split evenly, how much does each of us pay?"
    decision = decide([ChatMessage(role="user", content=text)], date(2026, 12, 4))
    assert decision.route == "calculator" and decision.reply is not None and "20" in decision.reply.checks


def test_counts_beside_a_price_are_not_amounts_to_share() -> None:
    text = (
        "Our choir has 22 members and meets every 2 weeks. The hall costs $96 per evening, split equally "
        "among the 8 people who come. How much does each pay?"
    )
    answer = solve_sharing(text, "en")
    assert answer is None or "12" in answer.checks


def test_a_group_word_may_carry_an_adjective() -> None:
    answer = solve_grouping(
        "On place 130 chaises en rangées complètes de 12. Combien de chaises restent ?", "fr"
    )
    assert answer is not None and "10" in answer.checks


def test_une_fois_que_is_once_not_one() -> None:
    text = (
        "On installe 100 chaises en rangées de 12. Combien de chaises restent une fois les rangées faites ?"
    )
    answer = solve_grouping(text, "fr")
    assert answer is not None and "4" in answer.checks


def test_a_difference_does_not_answer_a_count_of_another_thing() -> None:
    """18 croissants from 40 croissants is a number of croissants, never of batches."""
    decision = decide(
        [ChatMessage("user", "Une fournée donne 18 croissants. Il m'en faut 40. Combien de fournées ?")],
        date(2026, 12, 4),
    )
    assert decision.reply is not None and "22" not in decision.reply.text


@pytest.mark.parametrize(
    ("message", "lang", "answer"),
    [
        # the total said as people and what everyone gets; the size said after the group
        (
            "We'll be 10 people and everyone gets 4 pancakes. The recipe makes 12 pancakes per batch. How many batches do I need?",
            "en",
            "4",
        ),
        (
            "Pour 15 enfants, chacun en mange 2. Un plateau de mon four contient 8 biscuits. Combien de plateaux me faut-il ?",
            "fr",
            "4",
        ),
        # "whole" groups that are needed: one more for the rest
        (
            "I need 45 muffins and one tray of my oven holds 12. How many whole trays do I need to bake?",
            "en",
            "4",
        ),
    ],
)
def test_groups_needed_for_a_total_of_people_times_a_share(message: str, lang: str, answer: str) -> None:
    solved = solve_grouping(message, lang)
    assert solved is not None and answer in solved.checks, (message, solved)


def test_full_groups_that_are_needed_is_left_unanswered() -> None:
    # the full ones, or all that are needed? Two answers; the reader gives none
    assert solve_grouping("She packs 75 eggs in boxes of 6. How many full boxes does she need?", "en") is None
