"""The flash engine heals itself: faults injected into the real engine (bundled SmolLM2-135M).

Every fault comes from :class:`~tests.engine.faults.FaultyRuntime`. Each test checks that no
request hangs (every stream is awaited under ``HANG_S``: a hang detector, not a speed limit),
that the requests a fault concerns fail with a clean :class:`~eclair.errors.EclairError`, and
that the others, and the next request, are answered.
"""

from __future__ import annotations

import asyncio
import ctypes
import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import TypeAlias

import pytest

from eclair.engine.llama_cpp import LlamaCppEngine
from eclair.engine.llama_runtime import NO_KV_SLOT
from eclair.engine.protocol import Finished, GenerationRequest, SamplingParams, TextDelta
from eclair.errors import DeadlineExceeded, EclairError, EngineError, Overloaded
from tests.engine.faults import ADMISSION, FaultyEngine, FaultyRuntime, LoopKilled

HANG_S = 60.0
SHORT = SamplingParams(temperature=0.0, max_tokens=12, speculative=False)
LONG = SamplingParams(temperature=0.0, max_tokens=300, speculative=False)
# Raw prompts with different first words: no two share a cached prefix.
PROMPTS = ("Once upon a time, in a small village,", "The capital of France is", "Bicycles are")
PASSAGE = " ".join(["Rivers carry water from the mountains to the sea."] * 20)  # ~200 tokens


async def faulty(**options: object) -> tuple[LlamaCppEngine, FaultyRuntime]:
    built = FaultyEngine(**options)
    await built.engine.start()
    return built.engine, built.runtime


@pytest.fixture
async def faulty_engine() -> AsyncIterator[tuple[LlamaCppEngine, FaultyRuntime]]:
    engine, runtime = await faulty()
    yield engine, runtime
    runtime.release()
    await engine.close()


Outcome: TypeAlias = tuple[str, Finished] | EclairError


async def outcome(engine: LlamaCppEngine, prompt: str, params: SamplingParams = SHORT) -> Outcome:
    """The text and final event of one request, or the clean error it ended with."""

    async def consume() -> Outcome:
        parts: list[str] = []
        try:
            async for event in engine.generate(GenerationRequest(prompt, params)):
                if isinstance(event, TextDelta):
                    parts.append(event.text)
                else:
                    return "".join(parts), event
        except EclairError as exc:
            return exc
        raise AssertionError("the stream ended without Finished or an error")

    return await asyncio.wait_for(consume(), HANG_S)  # TimeoutError here = a hung request


def answered(result: Outcome) -> bool:
    return not isinstance(result, BaseException) and result[1].finish_reason in ("stop", "length")


def finished(result: Outcome) -> Finished:
    assert not isinstance(result, BaseException), result
    return result[1]


async def until(condition: Callable[[], bool], timeout: float = HANG_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met"
        await asyncio.sleep(0.01)


async def first_token(
    engine: LlamaCppEngine, prompt: str, params: SamplingParams = LONG
) -> asyncio.Task[Outcome]:
    """A running request, once its first token arrived (so it holds a slot)."""
    before = engine.stats().generated_tokens
    task = asyncio.create_task(outcome(engine, prompt, params))
    await until(lambda: engine.stats().generated_tokens > before or task.done())
    return task


async def test_an_admission_that_raises_fails_that_request_alone(
    faulty_engine: tuple[LlamaCppEngine, FaultyRuntime],
) -> None:
    engine, runtime = faulty_engine
    running = await first_token(engine, PROMPTS[0])
    runtime.fail_next_admission(RuntimeError("no sampler today"))
    refused = await outcome(engine, PROMPTS[1])
    assert isinstance(refused, EngineError) and "no sampler today" in refused.message
    assert answered(await outcome(engine, PROMPTS[2]))  # the loop goes on
    assert answered(await running)
    assert engine.stats().restarts == 0 and engine.is_ready()


async def test_no_kv_slot_is_retried_with_fewer_tokens_and_fails_nobody() -> None:
    engine, runtime = await faulty(prefix_cache=True)
    try:
        alone = finished(await outcome(engine, PROMPTS[0]))
        runtime.fail_decodes(NO_KV_SLOT, NO_KV_SLOT, NO_KV_SLOT)
        first = len(runtime.sizes)
        results = await asyncio.gather(*(outcome(engine, f"{i} {PASSAGE}") for i in range(2)))
        assert all(answered(r) for r in results)
        # The same step, planned three times smaller: over 128 tokens of prefill, then ≤128, ≤64, ≤32.
        sizes = runtime.sizes[first : first + 4]
        assert sizes[0] > 128 and sizes[1] == 128 and sizes[2] == 64 and sizes[3] == 32
        # Nobody's cache was dropped: the first prompt is still served from its slot.
        again = finished(await outcome(engine, PROMPTS[0]))
        assert again.usage.cached_tokens == alone.usage.prompt_tokens - 1
        assert engine.stats().restarts == 0
    finally:
        await engine.close()


async def test_a_failed_decode_fails_only_the_requests_in_its_batch() -> None:
    # A 36-token step: the first long prompt fills it, the second waits outside the batch.
    engine, runtime = await faulty(prefix_cache=True, batch_tokens=36)
    try:
        alone = finished(await outcome(engine, PROMPTS[0]))
        runtime.fail_decodes(-3)
        in_batch = asyncio.create_task(outcome(engine, f"A {PASSAGE}"))
        outside = asyncio.create_task(outcome(engine, f"B {PASSAGE}"))
        failed, survived = await in_batch, await outside
        assert isinstance(failed, EngineError) and "llama_decode returned -3" in failed.message
        assert answered(survived)
        again = finished(await outcome(engine, PROMPTS[0]))
        assert again.usage.cached_tokens == alone.usage.prompt_tokens - 1  # idle cache kept
        assert engine.stats().restarts == 0 and engine.is_ready()
    finally:
        await engine.close()


async def test_an_exception_from_decode_fails_its_batch_and_the_engine_goes_on(
    faulty_engine: tuple[LlamaCppEngine, FaultyRuntime],
) -> None:
    engine, runtime = faulty_engine
    running = await first_token(engine, PROMPTS[0])
    runtime.fail_decodes(RuntimeError("device lost"))
    failed = await running
    assert isinstance(failed, EngineError) and "device lost" in failed.message
    assert answered(await outcome(engine, PROMPTS[1]))
    assert engine.stats().restarts == 0


async def test_a_killed_loop_is_rebuilt_and_queued_requests_move_over() -> None:
    engine, runtime = await faulty(n_slots=2)
    try:
        running = [await first_token(engine, p) for p in PROMPTS[:2]]
        queued = asyncio.create_task(outcome(engine, PROMPTS[2]))  # no free slot: it waits
        await until(lambda: engine.stats().queue_depth == 1)
        before = engine.stats().generated_tokens
        runtime.fail_decodes(LoopKilled())
        for task in running:
            failed = await task
            assert isinstance(failed, EngineError) and failed.code == "engine_restarted"
        assert answered(await queued)  # never started: moved to the new scheduler, answered
        await until(engine.is_ready)
        assert answered(await outcome(engine, PROMPTS[0]))
        stats = engine.stats()
        assert stats.restarts == 1
        assert stats.generated_tokens > before  # counters carried over, never backwards
    finally:
        await engine.close()


def _raise_in(thread: threading.Thread, error: type[BaseException]) -> None:
    """Raise ``error`` asynchronously in ``thread``, wherever it is (CPython's async exception)."""
    assert thread.ident is not None
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(error))


async def test_a_thread_killed_anywhere_leaves_no_request_hanging(
    faulty_engine: tuple[LlamaCppEngine, FaultyRuntime],
) -> None:
    engine, _ = faulty_engine
    for kill in range(3):
        tasks = [asyncio.create_task(outcome(engine, PROMPTS[i % 3], LONG)) for i in range(6)]
        await until(lambda: engine.stats().active_slots > 0)
        await asyncio.sleep(0.05 * kill)  # a different point of the loop each time
        (thread,) = [t for t in threading.enumerate() if t.name == "eclair-scheduler"]
        _raise_in(thread, LoopKilled)
        results = await asyncio.gather(*tasks)  # each one bounded by HANG_S
        assert all(answered(r) or isinstance(r, EngineError) for r in results)
        await until(lambda k=kill: engine.stats().restarts == k + 1 and engine.is_ready())  # type: ignore[misc]
        assert answered(await outcome(engine, PROMPTS[1]))


async def test_while_rebuilding_the_engine_is_not_ready_and_refuses_with_retry_after(
    faulty_engine: tuple[LlamaCppEngine, FaultyRuntime],
) -> None:
    engine, runtime = faulty_engine
    runtime.hold_clear_memory()  # the rebuilt scheduler waits before its first turn
    runtime.fail_decodes(LoopKilled())
    assert isinstance(await outcome(engine, PROMPTS[0]), EngineError)
    await until(runtime.held.is_set)
    assert not engine.is_ready()
    with pytest.raises(Overloaded) as refused:
        engine.generate(GenerationRequest(PROMPTS[1], SHORT))
    assert refused.value.retry_after >= 1
    runtime.release()
    await until(engine.is_ready)
    assert answered(await outcome(engine, PROMPTS[1]))


async def test_a_stalled_loop_makes_the_engine_unready_until_it_steps_again() -> None:
    engine, runtime = await faulty(stall_timeout_s=0.5)
    try:
        running = await first_token(engine, PROMPTS[0])
        runtime.hold_next_decode()
        stalled = await running  # ended by the supervisor while the thread is stuck
        assert isinstance(stalled, EngineError) and stalled.code == "engine_stalled"
        assert not engine.is_ready()
        runtime.release()
        await until(engine.is_ready)
        assert answered(await outcome(engine, PROMPTS[1]))
        assert engine.stats().restarts == 0  # a stuck thread cannot be replaced, only waited for
    finally:
        runtime.release()
        await engine.close()


async def test_a_request_past_its_deadline_ends_with_a_timeout_error(
    faulty_engine: tuple[LlamaCppEngine, FaultyRuntime],
) -> None:
    engine, _ = faulty_engine
    late = GenerationRequest(PROMPTS[0], LONG, deadline=time.monotonic() + 0.3)
    with pytest.raises(DeadlineExceeded) as caught:
        async for _ in engine.generate(late):
            pass
    assert caught.value.status == 504 and caught.value.code == "timeout"
    assert answered(await outcome(engine, PROMPTS[1]))


async def test_faults_every_ten_decodes_leave_no_request_hanging() -> None:
    """The acceptance scenario, small: benchmarks/healing.py runs 200 requests."""
    engine, runtime = await faulty(n_slots=8)
    try:
        runtime.fail_every(10, [LoopKilled(), NO_KV_SLOT, -3, RuntimeError("injected"), ADMISSION])
        pending = iter(range(40))
        results: list[Outcome] = []

        async def client() -> None:
            for i in pending:
                try:
                    results.append(await outcome(engine, PROMPTS[i % 3]))
                except Overloaded as exc:  # refused while rebuilding: clean, with Retry-After
                    results.append(exc)

        await asyncio.gather(*(client() for _ in range(8)))
        assert len(results) == 40  # none hung (each bounded by HANG_S)
        assert all(answered(r) or isinstance(r, EclairError) for r in results)
        # A batch fault fails the whole batch (up to 8 requests): a good share still answers.
        assert sum(answered(r) for r in results) >= 8
        assert engine.stats().restarts >= 1
        runtime.stop_faults()
        await until(engine.is_ready)
        assert answered(await outcome(engine, PROMPTS[0]))
    finally:
        await engine.close()
