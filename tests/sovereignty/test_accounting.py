"""The accounting wrapper yields the same events and always closes what it wraps."""

from __future__ import annotations

from collections.abc import AsyncIterator

from eclair.answer.types import AnswerInfo, AnswerStream
from eclair.engine.protocol import Finished, StreamEvent, TextDelta, Usage
from eclair.sovereignty.accounting import Accounting
from eclair.sovereignty.cpu_power import ProcessorPower
from eclair.sovereignty.energy import EnergyMeter

EVENTS: list[StreamEvent] = [TextDelta("a"), TextDelta(" b"), Finished("stop", Usage(3, 2), cpu_s=1.8)]


class Recorded:
    def __init__(self) -> None:
        self.closed = False
        self._events = iter(EVENTS)

    def __aiter__(self) -> Recorded:
        return self

    async def __anext__(self) -> StreamEvent:
        try:
            return next(self._events)
        except StopIteration:
            raise StopAsyncIteration from None

    async def aclose(self) -> None:
        self.closed = True


def _accounting() -> Accounting:
    processor = ProcessorPower(model="Test", tdp_w=36.0, threads=4, generic=False)
    return Accounting(EnergyMeter(zone="FRA", processor=processor))


async def test_events_pass_through_unchanged_and_energy_is_set() -> None:
    inner = Recorded()
    answer = _accounting().track(AnswerStream(inner, AnswerInfo()), model="m", user_id=None)
    seen = [event async for event in answer.events]
    assert seen == EVENTS
    assert inner.closed
    assert answer.info.energy is not None
    assert answer.info.energy["wh"] == 1.8 * 9 / 3600  # 36 W / 4 threads × 1.8 CPU-s


async def test_closing_before_the_first_event_closes_the_generation() -> None:
    inner = Recorded()
    answer = _accounting().track(AnswerStream(inner, AnswerInfo()), model="m", user_id=None)
    events: AsyncIterator[StreamEvent] = answer.events
    await events.aclose()  # type: ignore[attr-defined]
    assert inner.closed


async def test_engines_that_do_not_measure_cpu_get_a_proportional_estimate() -> None:
    counters = iter([1000, 1010])  # the engine processed 10 tokens during this answer
    processor = ProcessorPower(model="Test", tdp_w=36.0, threads=4, generic=False)
    accounting = Accounting(
        EnergyMeter(zone="FRA", processor=processor), engine_tokens=lambda model: next(counters)
    )
    inner = Recorded()
    inner._events = iter([TextDelta("a"), Finished("stop", Usage(3, 2), ttft_s=0.1)])
    answer = accounting.track(AnswerStream(inner, AnswerInfo()), model="m", user_id=None)
    _ = [event async for event in answer.events]
    assert answer.info.energy is not None
    assert "share of the engine's tokens (5/10)" in answer.info.energy["method"]
