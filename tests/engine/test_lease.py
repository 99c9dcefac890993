"""A lease on a loaded model is released exactly once, however the answer holding it ends."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator

import pytest

from eclair.engine.fake import FakeEngine
from eclair.engine.lease import Lease
from eclair.engine.protocol import GenerationRequest, SamplingParams, StreamEvent


class Counter:
    def __init__(self) -> None:
        self.releases = 0

    def __call__(self) -> None:
        self.releases += 1


async def answer(engine: FakeEngine, counter: Counter) -> AsyncIterator[StreamEvent]:
    lease = Lease(engine, engine.model_id, 300.0, counter)
    return lease.hold(engine.generate(GenerationRequest(prompt="hi there", params=SamplingParams())))


async def test_released_once_when_the_events_end() -> None:
    counter, engine = Counter(), FakeEngine()
    events = await answer(engine, counter)
    assert counter.releases == 0
    assert [event async for event in events]
    await events.aclose()  # type: ignore[attr-defined]
    assert counter.releases == 1


async def test_released_when_closed_before_the_first_event() -> None:
    counter, engine = Counter(), FakeEngine()
    events = await answer(engine, counter)
    await events.aclose()  # type: ignore[attr-defined]
    assert counter.releases == 1 and [event async for event in events] == []


async def test_released_when_the_events_fail() -> None:
    counter = Counter()

    async def failing() -> AsyncIterator[StreamEvent]:
        raise RuntimeError("decode failed")
        yield  # an async generator

    events = Lease(FakeEngine(), "m", 0.0, counter).hold(failing())
    with pytest.raises(RuntimeError, match="decode failed"):
        await anext(events)
    assert counter.releases == 1


async def test_released_when_dropped_unread() -> None:
    counter, engine = Counter(), FakeEngine()
    await answer(engine, counter)  # dropped on the floor
    gc.collect()
    await asyncio.sleep(0)  # the release runs on the event loop
    assert counter.releases == 1


async def test_a_second_release_does_nothing() -> None:
    counter = Counter()
    lease = Lease(FakeEngine(), "m", 0.0, counter)
    lease.release()
    lease.release()
    lease.release_soon()
    await asyncio.sleep(0)
    assert counter.releases == 1 and lease.released
