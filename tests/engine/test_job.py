"""Job events: a step's deltas of one job are merged; finishing is idempotent."""

from __future__ import annotations

import asyncio

from eclair.engine.job import Job, Outbox, flush
from eclair.engine.protocol import Finished, GenerationRequest, TextDelta
from eclair.engine.sampling import TextAssembler


def make_job(loop: asyncio.AbstractEventLoop) -> Job:
    job = Job(request=GenerationRequest("p"), prompt=[1, 2], max_tokens=3, deadline=1e18, loop=loop)
    job.text = TextAssembler((), {7: b"a", 8: b"b"}.__getitem__)
    return job


async def drain(job: Job) -> list[object]:
    await asyncio.sleep(0.01)
    return [job.events.get_nowait() for _ in range(job.events.qsize())]


async def test_a_steps_deltas_are_merged_per_job() -> None:
    loop = asyncio.get_running_loop()
    one, two = make_job(loop), make_job(loop)
    outbox: Outbox = [
        (one, TextDelta("a")),
        (one, TextDelta("b", 2)),
        (two, TextDelta("c")),
        (one, TextDelta("d")),
    ]
    flush(outbox)
    assert outbox == []
    assert await drain(one) == [TextDelta("ab", 3), TextDelta("d")]
    assert await drain(two) == [TextDelta("c")]


async def test_tokens_end_with_length_then_finishing_again_does_nothing() -> None:
    job = make_job(asyncio.get_running_loop())
    outbox: Outbox = []
    done = [job.on_token(t, eog=False, outbox=outbox, now=1.0) for t in (7, 8, 7)]
    assert done == [False, False, True]
    job.finish("cancelled", outbox, 2.0)
    flush(outbox)
    events = await drain(job)
    assert [e for e in events if isinstance(e, TextDelta)] == [TextDelta("aba", 3)]
    finished = events[-1]
    assert isinstance(finished, Finished) and finished.finish_reason == "length"
    assert finished.usage.completion_tokens == 3
