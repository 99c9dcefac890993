"""The batching llama.cpp engine on the real bundled model (SmolLM2-135M, greedy, short answers).

Batching and speculation are bit-exact here (per-sequence KV streams; verified drafts are
computed like single tokens), so those tests compare texts for equality with prefix reuse off.
Prefix reuse is not bit-exact: a cached conversation's keys were computed token by token while
a cold prefill computes them in bulk, and the float rounding differs; its test checks the hit.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from eclair.config import bundled_model_path
from eclair.engine.llama_cpp import LlamaCppEngine
from eclair.engine.protocol import ChatMessage, Finished, GenerationRequest, SamplingParams, TextDelta
from eclair.errors import ContextLengthExceeded, Overloaded

GREEDY = SamplingParams(temperature=0.0, max_tokens=24)
PROMPTS = (
    "Write a short poem about the sea.",
    "List three fruits.",
    "What is the capital of France?",
    "Explain what a bicycle is.",
)
PASSAGE = (
    "The Eiffel Tower was built for the 1889 World's Fair in Paris. It stands 330 metres tall "
    "and was the tallest man-made structure in the world until 1930."
)


async def started(**options: object) -> LlamaCppEngine:
    settings = {
        "model_id": "smollm2", "threads": 1, "n_slots": 4, "context_size": 512, "prefix_cache": False,
        **options,
    }  # fmt: skip
    engine = LlamaCppEngine(bundled_model_path(), **settings)  # type: ignore[arg-type]
    await engine.start()
    return engine


@pytest.fixture
async def engine() -> AsyncIterator[LlamaCppEngine]:
    engine = await started()
    yield engine
    await engine.close()


def chat(engine: LlamaCppEngine, text: str) -> str:
    return engine.render_chat([ChatMessage("user", text)])


async def run(engine: LlamaCppEngine, prompt: str, params: SamplingParams = GREEDY) -> tuple[str, Finished]:
    parts: list[str] = []
    async for event in engine.generate(GenerationRequest(prompt, params)):
        if isinstance(event, TextDelta):
            parts.append(event.text)
        else:
            return "".join(parts), event
    raise AssertionError("the stream ended without Finished")


async def wait_for(condition: object, timeout: float = 3.0) -> float:
    start = time.monotonic()
    while not condition():  # type: ignore[operator]
        if time.monotonic() - start > timeout:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)
    return time.monotonic() - start


@pytest.mark.slow
async def test_interleaved_streams_equal_the_same_requests_alone(engine: LlamaCppEngine) -> None:
    prompts = [chat(engine, p) for p in PROMPTS]
    alone = [(await run(engine, p))[0] for p in prompts]
    # Two start together, two join while the first ones are decoding (continuous batching).
    first = [asyncio.create_task(run(engine, p)) for p in prompts[:2]]
    await asyncio.sleep(0.2)
    later = [asyncio.create_task(run(engine, p)) for p in prompts[2:]]
    together = [text for text, _ in await asyncio.gather(*first, *later)]
    assert together == alone
    assert all(alone)


async def test_speculation_leaves_greedy_output_unchanged(engine: LlamaCppEngine) -> None:
    prompt = chat(engine, f"Repeat this text exactly:\n\n{PASSAGE}")
    params = SamplingParams(temperature=0.0, max_tokens=40)
    plain, _ = await run(engine, prompt, SamplingParams(temperature=0.0, max_tokens=40, speculative=False))
    before = engine.stats()
    drafted, _ = await run(engine, prompt, params)
    after = engine.stats()
    assert drafted == plain
    assert after.draft_tokens > before.draft_tokens
    assert after.accepted_draft_tokens > before.accepted_draft_tokens


async def test_each_request_is_charged_the_cpu_of_its_own_tokens(engine: LlamaCppEngine) -> None:
    short, long = (SamplingParams(temperature=0.0, max_tokens=n, speculative=False) for n in (4, 40))
    prompt = chat(engine, PROMPTS[0])
    (_, a), (_, b) = await asyncio.gather(run(engine, prompt, short), run(engine, prompt, long))
    assert a.cpu_s is not None and b.cpu_s is not None
    assert 0 < a.cpu_s < b.cpu_s  # same prompt, shared steps: the longer answer took more decodes


async def test_stop_string_spanning_tokens_is_cut_and_never_shown(engine: LlamaCppEngine) -> None:
    prompt = chat(engine, PROMPTS[0])
    full, _ = await run(engine, prompt)
    stop = full[10:17]  # seven characters in the middle: several tokens, not aligned to them
    text, finished = await run(engine, prompt, SamplingParams(temperature=0.0, max_tokens=24, stop=(stop,)))
    assert text == full[: full.index(stop)]
    assert finished.finish_reason == "stop"


async def test_next_turn_reuses_the_cached_conversation() -> None:
    engine = await started(prefix_cache=True)
    try:
        turn1 = [ChatMessage("user", PROMPTS[1])]
        answer, first = await run(engine, engine.render_chat(turn1))
        turn2 = [*turn1, ChatMessage("assistant", answer), ChatMessage("user", "And three vegetables?")]
        _, second = await run(engine, engine.render_chat(turn2))
        assert first.usage.cached_tokens == 0
        assert second.usage.cached_tokens >= first.usage.prompt_tokens
        assert engine.stats().prefix_hit_tokens >= second.usage.cached_tokens
    finally:
        await engine.close()


async def test_closing_the_stream_frees_the_slot_within_a_step(engine: LlamaCppEngine) -> None:
    stream = engine.generate(GenerationRequest(chat(engine, PROMPTS[0]), SamplingParams(max_tokens=400)))
    await anext(stream)
    assert engine.stats().active_slots == 1
    await stream.aclose()  # type: ignore[attr-defined]
    waited = await wait_for(lambda: engine.stats().active_slots == 0)
    assert waited < 2.0


async def test_many_disconnecting_clients_leave_no_busy_slot(engine: LlamaCppEngine) -> None:
    prompt = chat(engine, PROMPTS[0])
    streams = [engine.generate(GenerationRequest(prompt, SamplingParams(max_tokens=400))) for _ in range(12)]
    firsts = [asyncio.ensure_future(anext(s)) for s in streams[:4]]
    await asyncio.gather(*firsts)
    for stream in streams:
        await stream.aclose()  # type: ignore[attr-defined]
    await wait_for(lambda: engine.stats().active_slots == 0 and engine.stats().queue_depth == 0)


async def test_full_queue_raises_overloaded_with_retry_after() -> None:
    engine = await started(n_slots=1, max_queue=1)
    try:
        prompt = chat(engine, PROMPTS[0])
        running = engine.generate(GenerationRequest(prompt, SamplingParams(max_tokens=200)))
        await anext(running)
        waiting = engine.generate(GenerationRequest(prompt, SamplingParams(max_tokens=8)))
        with pytest.raises(Overloaded) as excinfo:
            engine.generate(GenerationRequest(prompt, SamplingParams(max_tokens=8)))
        assert excinfo.value.retry_after >= 1
        await running.aclose()  # type: ignore[attr-defined]
        await waiting.aclose()  # type: ignore[attr-defined]
    finally:
        await engine.close()


async def test_cancelling_a_queued_request_does_not_disturb_the_others() -> None:
    engine = await started(n_slots=1)
    try:
        prompts = [chat(engine, p) for p in PROMPTS[:3]]
        alone = [(await run(engine, p))[0] for p in (prompts[0], prompts[2])]
        first = asyncio.create_task(run(engine, prompts[0]))
        await asyncio.sleep(0)
        queued = engine.generate(GenerationRequest(prompts[1], GREEDY))
        last = asyncio.create_task(run(engine, prompts[2]))
        await asyncio.sleep(0.05)
        await queued.aclose()  # type: ignore[attr-defined]
        assert [(await first)[0], (await last)[0]] == alone
    finally:
        await engine.close()


async def test_a_seed_reproduces_a_sampled_answer(engine: LlamaCppEngine) -> None:
    prompt = chat(engine, PROMPTS[0])
    params = SamplingParams(temperature=0.9, top_k=0, top_p=0.95, min_p=0.0, seed=7, max_tokens=20)
    first, _ = await run(engine, prompt, params)
    second, _ = await run(engine, prompt, params)
    assert first == second and first


async def test_a_request_past_its_deadline_is_refused(engine: LlamaCppEngine) -> None:
    request = GenerationRequest(chat(engine, PROMPTS[0]), GREEDY, deadline=time.monotonic() - 1)
    with pytest.raises(Overloaded):
        async for _ in engine.generate(request):
            pass


async def test_a_prompt_longer_than_the_context_is_refused(engine: LlamaCppEngine) -> None:
    with pytest.raises(ContextLengthExceeded):
        engine.generate(GenerationRequest([1] * engine.context_size))


async def test_accented_text_streams_without_broken_characters(engine: LlamaCppEngine) -> None:
    text, finished = await run(engine, chat(engine, "Écris une phrase en français sur l'été."))
    assert text and "\ufffd" not in text
    assert finished.usage.completion_tokens > 0
