"""The ``openai`` backend against real servers: a second ``eclair serve`` (fake backend) and
scripted raw-socket servers for stalls, drops, retries and error statuses."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from eclair.engine.prompts import RenderedChat, TextTokens
from eclair.engine.protocol import ChatMessage, Finished, GenerationRequest, SamplingParams, TextDelta
from eclair.engine.remote import OpenAIEngine, Timeouts
from eclair.errors import (
    ContextLengthExceeded,
    EngineError,
    InvalidRequest,
    ModelNotFound,
    Overloaded,
    RateLimited,
    UpstreamUnavailable,
)
from tests.conftest import free_port
from tests.engine.upstreams import EclairUpstream, ScriptedServer, sse_chunk, stall, status, stream

HELLO = [ChatMessage("user", "hello remote world")]


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EclairUpstream]:
    with EclairUpstream(tmp_path_factory.mktemp("upstream"), "--api-key", "sesame") as server:
        yield server


@pytest.fixture
async def engine(upstream: EclairUpstream) -> AsyncIterator[OpenAIEngine]:
    remote = OpenAIEngine(upstream.base, model="fake-model", api_key="sesame")
    await remote.start()
    yield remote
    await remote.close()


async def drain(events: AsyncIterator[object]) -> tuple[str, Finished]:
    text, finished = [], None
    async for event in events:
        if isinstance(event, TextDelta):
            text.append(event.text)
        elif isinstance(event, Finished):
            finished = event
    assert finished is not None
    return "".join(text), finished


def chat(messages: list[ChatMessage] = HELLO, **params: object) -> GenerationRequest:
    return GenerationRequest(prompt="ignored", params=SamplingParams(**params), messages=messages)  # type: ignore[arg-type]


async def test_discovers_the_upstream_model_when_not_named(upstream: EclairUpstream) -> None:
    listed = httpx.get(f"{upstream.base}/models", headers={"Authorization": "Bearer sesame"}).json()
    remote = OpenAIEngine(upstream.base, api_key="sesame")
    await remote.start()
    try:
        assert remote.upstream_model == remote.model_id == listed["data"][0]["id"]
        assert remote.context_size == 4096  # no max_model_len listed: the default
    finally:
        await remote.close()


async def test_streams_a_chat(engine: OpenAIEngine) -> None:
    assert engine.model_id == "fake-model"
    text, finished = await drain(engine.generate(chat()))
    assert text == "Echo: hello remote world"
    assert finished.finish_reason == "stop"
    # usage is the upstream's own count (include_usage), not an estimate
    assert finished.usage.completion_tokens == 4
    assert finished.usage.prompt_tokens == len(engine.render_chat(HELLO).split())
    assert finished.ttft_s is not None and finished.ttft_s >= 0


async def test_seam_callers_without_messages_still_send_the_chat(engine: OpenAIEngine) -> None:
    """``GenerationRequest(prompt=engine.render_chat(m))`` and tokenized prompts keep the messages."""
    rendered = engine.render_chat(HELLO)
    assert isinstance(rendered, RenderedChat)
    tokens = engine.tokenize(rendered)
    assert isinstance(tokens, TextTokens) and 0 < len(tokens) <= len(rendered.encode()) // 4
    for prompt in (rendered, tokens):
        text, _ = await drain(engine.generate(GenerationRequest(prompt=prompt)))
        assert text == "Echo: hello remote world"


async def test_raw_text_goes_to_completions(engine: OpenAIEngine) -> None:
    text, finished = await drain(engine.generate(GenerationRequest(prompt="plain words here")))
    assert text == "Echo: plain words here"
    assert finished.usage.prompt_tokens == 3
    with pytest.raises(InvalidRequest, match="text prompt"):
        engine.generate(GenerationRequest(prompt=[1, 2, 3]))


async def test_stops_and_max_tokens_are_the_upstreams(engine: OpenAIEngine) -> None:
    text, finished = await drain(engine.generate(chat(max_tokens=2)))
    assert text == "Echo: hello " and finished.finish_reason == "length"
    text, finished = await drain(engine.generate(chat(stop=("remote",))))
    assert text == "Echo: hello " and finished.finish_reason == "stop"


async def test_upstream_errors_are_translated(upstream: EclairUpstream, engine: OpenAIEngine) -> None:
    with pytest.raises(ContextLengthExceeded, match="maximum context length"):
        await drain(engine.generate(chat(max_tokens=100_000)))
    missing = OpenAIEngine(upstream.base, model="no-such-model", api_key="sesame")
    await missing.start()
    try:
        with pytest.raises(ModelNotFound, match="no-such-model"):
            await drain(missing.generate(chat()))
    finally:
        await missing.close()
    locked_out = OpenAIEngine(upstream.base, model="fake-model", api_key="wrong")
    await locked_out.start()
    try:
        with pytest.raises(EngineError, match="refused Éclair's credentials") as caught:
            await drain(locked_out.generate(chat()))
        assert caught.value.status == 500  # the operator's problem, not the API user's key
    finally:
        await locked_out.close()


async def test_unreachable_upstream_is_unavailable_not_a_crash() -> None:
    remote = OpenAIEngine(f"http://127.0.0.1:{free_port()}/v1", model="m", max_retries=2)
    await remote.start()  # a known model name: start does not need the server
    try:
        started = time.monotonic()
        with pytest.raises(UpstreamUnavailable, match="unreachable") as caught:
            await drain(remote.generate(chat()))
        assert caught.value.status == 503 and time.monotonic() - started < 5
        assert await remote.check_health() is False
    finally:
        await remote.close()


async def test_retries_only_before_the_first_byte() -> None:
    async with ScriptedServer() as server:
        server.script.extend([status(503, "warming up"), stream(sse_chunk("fine"), sse_chunk(finish="stop"))])
        remote = OpenAIEngine(server.base, model="m", max_retries=1)
        await remote.start()
        try:
            text, _ = await drain(remote.generate(chat()))
            assert text == "fine" and len(server.requests) == 2
            # without retries the 503 reaches the caller, with the upstream's Retry-After
            remote.max_retries = 0
            server.script.append(status(503, "busy", {"Retry-After": "7"}))
            with pytest.raises(Overloaded, match="busy") as caught:
                await drain(remote.generate(chat()))
            assert caught.value.retry_after == 7
            # a stream that breaks after text is never retried
            remote.max_retries = 3
            server.script.extend([stream(sse_chunk("partial"), then="drop"), stream(sse_chunk("again"))])
            seen = []
            with pytest.raises(EngineError, match=r"broke off|closed the stream"):
                async for event in remote.generate(chat()):
                    seen.append(event)
            assert seen == [TextDelta("partial")] and len(server.requests) == 4
        finally:
            await remote.close()


async def test_rate_limit_and_bad_request_statuses() -> None:
    async with ScriptedServer() as server:
        server.script.extend(
            [status(429, "slow down", {"Retry-After": "3"}), status(400, "temperature is too hot")]
        )
        remote = OpenAIEngine(server.base, model="m", max_retries=3)
        await remote.start()
        try:
            with pytest.raises(RateLimited, match="slow down") as caught:
                await drain(remote.generate(chat()))
            assert caught.value.retry_after == 3
            with pytest.raises(InvalidRequest, match="temperature is too hot"):
                await drain(remote.generate(chat()))
            assert len(server.requests) == 2  # neither was retried
        finally:
            await remote.close()


async def test_stall_before_first_token_times_out_and_hangs_up() -> None:
    async with ScriptedServer() as server:
        server.script.append(stall(server))
        remote = OpenAIEngine(server.base, model="m", timeouts=Timeouts(first_token_s=0.3))
        await remote.start()
        try:
            started = time.monotonic()
            with pytest.raises(UpstreamUnavailable, match=r"did not answer within 0\.3s"):
                await drain(remote.generate(chat()))
            assert time.monotonic() - started < 2
            await asyncio.wait_for(server.closed.wait(), 2)
        finally:
            await remote.close()


async def test_stall_between_tokens_is_an_engine_error() -> None:
    async with ScriptedServer() as server:
        server.script.append(stream(sse_chunk("one "), then="stall", server=server))
        remote = OpenAIEngine(server.base, model="m", timeouts=Timeouts(idle_s=0.3))
        await remote.start()
        try:
            seen = []
            with pytest.raises(EngineError, match=r"stalled for 0\.3s"):
                async for event in remote.generate(chat()):
                    seen.append(event)
            assert seen == [TextDelta("one ")]
            await asyncio.wait_for(server.closed.wait(), 2)
        finally:
            await remote.close()


async def test_closing_the_stream_hangs_up_on_the_upstream() -> None:
    async with ScriptedServer() as server:
        server.script.append(stream(sse_chunk("one "), then="stall", server=server))
        remote = OpenAIEngine(server.base, model="m")
        await remote.start()
        try:
            events = remote.generate(chat())
            assert await anext(events) == TextDelta("one ")
            await events.aclose()  # type: ignore[attr-defined]
            await asyncio.wait_for(server.closed.wait(), 2)
            assert remote.active == 0
        finally:
            await remote.close()


async def test_missing_usage_is_estimated_and_error_events_are_raised() -> None:
    async with ScriptedServer() as server:
        server.script.extend(
            [
                stream(sse_chunk("a"), sse_chunk("b"), sse_chunk(finish="length")),
                stream(b'data: {"error": {"message": "engine dead"}}\n\n'),
            ]
        )
        remote = OpenAIEngine(server.base, model="m")
        await remote.start()
        try:
            text, finished = await drain(remote.generate(chat()))
            assert (text, finished.finish_reason, finished.usage.completion_tokens) == ("ab", "length", 2)
            with pytest.raises(EngineError, match="engine dead"):
                await drain(remote.generate(chat()))
        finally:
            await remote.close()


async def test_killed_upstream_mid_stream_is_a_clean_engine_error(tmp_path: Path) -> None:
    with EclairUpstream(tmp_path, "--fake-token-delay-s", "0.05") as slow:
        remote = OpenAIEngine(slow.base, model="fake-model")
        await remote.start()
        try:
            long_message = [ChatMessage("user", " ".join(["word"] * 200))]
            seen = 0
            with pytest.raises(EngineError, match="upstream server"):
                async for _event in remote.generate(chat(long_message)):
                    seen += 1
                    if seen == 3:
                        slow.kill()
            assert seen >= 3
        finally:
            await remote.close()


async def test_a_slow_consumer_does_not_count_as_an_idle_upstream() -> None:
    """Only time spent waiting on the upstream counts against ``idle_s``."""
    async with ScriptedServer() as server:
        server.script.append(stream(sse_chunk("one "), sse_chunk("two"), sse_chunk(finish="stop")))
        remote = OpenAIEngine(server.base, model="m", timeouts=Timeouts(idle_s=0.2))
        await remote.start()
        try:
            texts = []
            async for event in remote.generate(chat()):
                if isinstance(event, TextDelta):
                    texts.append(event.text)
                    await asyncio.sleep(0.5)  # the consumer (a slow client) takes its time
            assert texts == ["one ", "two"]
        finally:
            await remote.close()
