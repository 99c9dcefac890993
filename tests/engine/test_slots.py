"""Slot choice: longest shared prefix for continuations, empty slots next, then LRU."""

from __future__ import annotations

import pytest

from eclair.engine.slots import SlotTable, common_prefix


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ([], [1, 2], 0),
        ([1, 2, 3], [1, 2, 3], 3),
        ([1, 2, 3], [1, 2], 2),
        ([1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 9, 6, 7], 4),
        ([9], [1], 0),
        (list(range(1000)), [*range(777), -1], 777),
    ],
)
def test_common_prefix(a: list[int], b: list[int], expected: int) -> None:
    assert common_prefix(a, b) == expected


def test_a_continuing_conversation_returns_to_its_slot() -> None:
    table = SlotTable(3)
    first, shared = table.choose([1, 2, 3])
    assert shared == 0
    table.acquire(first)
    table.release(first, [1, 2, 3, 4, 5])
    other, _ = table.choose([7, 8])
    table.acquire(other)
    table.release(other, [7, 8, 9])
    again, shared = table.choose([1, 2, 3, 4, 5, 6, 7])
    assert again is first and shared == 5


def test_an_unrelated_prompt_takes_an_empty_slot_not_a_cached_one() -> None:
    table = SlotTable(2)
    slot, _ = table.choose([1, 2, 3])
    table.acquire(slot)
    table.release(slot, [1, 2, 3])
    chosen, shared = table.choose([1, 9, 9, 9, 9, 9])  # shares 1 of 3 cached tokens: not a continuation
    assert chosen is not slot and shared == 0


def test_eviction_is_least_recently_used() -> None:
    table = SlotTable(2)
    a, _ = table.choose([1])
    table.acquire(a)
    b, _ = table.choose([2])
    table.acquire(b)
    table.release(a, [1, 1])
    table.release(b, [2, 2])
    chosen, _ = table.choose([3, 3])
    assert chosen is a


def test_busy_slots_are_never_chosen_and_a_full_table_raises() -> None:
    table = SlotTable(1)
    slot, _ = table.choose([1])
    table.acquire(slot)
    assert not table.has_free() and table.n_busy == 1
    with pytest.raises(LookupError):
        table.choose([1])


def test_empty_slots_are_picked_next_to_busy_ones() -> None:
    table = SlotTable(4)
    table.acquire(table.slots[2])
    chosen, _ = table.choose([5])
    assert chosen.seq in (1, 3)


def test_without_prefix_cache_nothing_is_remembered() -> None:
    table = SlotTable(1, prefix_cache=False)
    slot, _ = table.choose([1, 2])
    table.acquire(slot)
    table.release(slot, [1, 2, 3])
    assert table.choose([1, 2, 3, 4]) == (slot, 0)


def test_a_repeated_prompt_reuses_its_cache_even_after_a_long_answer() -> None:
    table = SlotTable(2)
    slot, _ = table.choose([1, 2, 3, 4, 5])
    table.acquire(slot)
    table.release(slot, [1, 2, 3, 4, 5, *range(100, 150)])
    assert table.choose([1, 2, 3, 4, 5]) == (slot, 5)
