"""The waiting line for extraction workers: fair turns, a short line, a deadline."""

from __future__ import annotations

import asyncio

import pytest

from eclair.errors import Overloaded, RateLimited
from eclair.knowledge.queueing import WorkerQueue

Line = WorkerQueue[str]


def line(items: int = 1, max_waiting: int = 4, max_wait_s: float = 5.0) -> Line:
    disposed: list[str] = []
    return WorkerQueue(
        [f"w{i}" for i in range(items)],
        max_waiting=max_waiting,
        max_wait_s=max_wait_s,
        dispose=disposed.append,
    )


async def waiting(queue: Line, owner: str) -> asyncio.Task[str]:
    task = asyncio.create_task(queue.take(owner))
    await asyncio.sleep(0.01)  # in line, in this order
    return task


async def test_another_user_goes_before_the_rest_of_a_flood() -> None:
    queue = line()
    item = await queue.take("alice")
    flood = [await waiting(queue, "alice") for _ in range(3)]
    bob = await waiting(queue, "bob")
    queue.give_back(item, "alice")
    assert await bob == "w0" and not any(task.done() for task in flood)
    queue.give_back("w0", "bob")
    assert await flood[0] == "w0"
    queue.close()
    assert all(isinstance(r, Overloaded) for r in await asyncio.gather(*flood[1:], return_exceptions=True))


async def test_turns_go_round_between_owners() -> None:
    queue = line()
    item = await queue.take("alice")
    a1, a2 = [await waiting(queue, "alice") for _ in range(2)]
    b1, b2 = [await waiting(queue, "bob") for _ in range(2)]
    order = []
    owner = "alice"
    for _ in range(4):
        queue.give_back(item, owner)
        await asyncio.sleep(0.01)
        [task] = [t for t in (a1, a2, b1, b2) if t.done() and t not in order]
        order.append(task)
        item, owner = await task, ("alice" if task in (a1, a2) else "bob")
    assert order == [b1, a1, b2, a2]


async def test_waiting_past_the_deadline_is_refused_with_retry_after() -> None:
    queue = line(max_wait_s=0.1)
    await queue.take("alice")
    with pytest.raises(Overloaded) as everyone:  # bob has nothing in: the server is busy, 503
        await queue.take("bob")
    assert everyone.value.status == 503 and everyone.value.code == "extraction_busy"
    with pytest.raises(RateLimited) as own:  # alice is being read already: her backlog, 429
        await queue.take("alice")
    assert own.value.code == "extraction_busy" and own.value.retry_after > 0


async def test_a_full_line_makes_room_for_someone_not_in_it() -> None:
    queue = line(max_waiting=2)
    await queue.take("alice")
    first, newest = await waiting(queue, "alice"), await waiting(queue, "alice")
    bob = await waiting(queue, "bob")  # takes the place of alice's newest
    with pytest.raises(RateLimited):
        await newest
    with pytest.raises(RateLimited):  # alice again: her own backlog
        await queue.take("alice")
    with pytest.raises(Overloaded) as full:  # carol: nobody has two in line to give way
        await queue.take("carol")
    assert not isinstance(full.value, RateLimited)
    queue.close()
    await asyncio.gather(first, bob, return_exceptions=True)


async def test_an_item_handed_to_a_cancelled_waiter_is_not_lost() -> None:
    queue = line()
    item = await queue.take("alice")
    gone = await waiting(queue, "bob")
    gone.cancel()
    queue.give_back(item, "alice")
    with pytest.raises(asyncio.CancelledError):
        await gone
    await asyncio.sleep(0.01)
    assert await asyncio.wait_for(queue.take("carol"), 1) == "w0"


async def test_items_given_back_after_close_are_disposed_of() -> None:
    disposed: list[str] = []
    queue = WorkerQueue(["a", "b"], max_waiting=1, max_wait_s=1, dispose=disposed.append)
    taken = await queue.take(None)
    assert queue.close() == [{"a": "b", "b": "a"}[taken]]
    queue.give_back(taken, None)
    assert disposed == [taken]
    with pytest.raises(Overloaded):
        await queue.take(None)
