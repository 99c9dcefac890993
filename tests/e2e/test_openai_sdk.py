"""The official OpenAI SDK, unchanged, against ``eclair serve`` with the bundled model."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import httpx
import openai
import pytest

pytestmark = pytest.mark.e2e

QUESTION = [{"role": "user", "content": "Name three colours."}]


@pytest.fixture(scope="module")
def sdk(model_server: str) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=f"{model_server}/v1", api_key="unused", max_retries=0) as client:
        yield client


@pytest.fixture(scope="module")
def model_id(sdk: openai.OpenAI) -> str:
    return next(m.id for m in sdk.models.list().data if m.id != "eclair")


def test_models(sdk: openai.OpenAI, model_id: str) -> None:
    assert model_id == "SmolLM2-135M-Instruct.Q4_1"
    assert sdk.models.retrieve(model_id).id == model_id


def test_non_streaming_chat(sdk: openai.OpenAI, model_id: str) -> None:
    response = sdk.chat.completions.create(model=model_id, messages=QUESTION, max_tokens=24, temperature=0)
    choice = response.choices[0]
    assert choice.message.role == "assistant" and choice.message.content
    assert choice.finish_reason in {"stop", "length"}
    assert response.usage is not None and 0 < response.usage.completion_tokens <= 24
    eclair = response.model_extra["eclair"]  # type: ignore[index]
    assert eclair["route"] == "model" and eclair["timing"]["ttft_ms"] > 0


def test_streaming_usage_matches_streamed_text(sdk: openai.OpenAI, model_id: str, model_server: str) -> None:
    stream = sdk.chat.completions.create(
        model=model_id,
        messages=QUESTION,
        max_tokens=32,
        temperature=0,
        stream=True,
        stream_options={"include_usage": True},
    )
    pieces, usage, finish = [], None, None
    for chunk in stream:
        if chunk.choices:
            pieces.append(chunk.choices[0].delta.content or "")
            finish = chunk.choices[0].finish_reason or finish
        if chunk.usage:
            usage = chunk.usage
    text = "".join(pieces)
    assert text and usage is not None and finish in {"stop", "length"}
    # The streamed text re-tokenizes to (about) the number of tokens the server reports.
    retokenized = httpx.post(
        f"{model_server}/v1/completions",
        json={"model": model_id, "prompt": text, "max_tokens": 1, "temperature": 0},
        timeout=120,
    ).json()["usage"]["prompt_tokens"]
    assert abs(retokenized - usage.completion_tokens) <= 2
    non_stream = sdk.chat.completions.create(model=model_id, messages=QUESTION, max_tokens=32, temperature=0)
    assert non_stream.choices[0].message.content == text


def test_stop_sequences_are_honoured(sdk: openai.OpenAI, model_id: str) -> None:
    messages = [{"role": "user", "content": "Count from 1 to 10, separated by commas."}]
    full = sdk.chat.completions.create(model=model_id, messages=messages, max_tokens=40, temperature=0)
    text = full.choices[0].message.content or ""
    assert "5" in text
    stopped = sdk.chat.completions.create(
        model=model_id, messages=messages, max_tokens=40, temperature=0, stop=["5"]
    )
    assert stopped.choices[0].message.content == text[: text.index("5")]
    assert stopped.choices[0].finish_reason == "stop"


def test_seed_reproducible(sdk: openai.OpenAI, model_id: str) -> None:
    def sample(seed: int, temperature: float) -> str:
        response = sdk.chat.completions.create(
            model=model_id, messages=QUESTION, max_tokens=24, temperature=temperature, seed=seed
        )
        return response.choices[0].message.content or ""

    assert sample(7, 0) == sample(7, 0) == sample(8, 0)
    assert sample(11, 0.9) == sample(11, 0.9)


def test_text_completion(sdk: openai.OpenAI, model_id: str) -> None:
    response = sdk.completions.create(
        model=model_id, prompt="The capital of France is", max_tokens=8, temperature=0
    )
    assert response.choices[0].text
    assert response.usage is not None and response.usage.prompt_tokens > 3


def test_errors_surface_as_sdk_exceptions(sdk: openai.OpenAI, model_id: str) -> None:
    with pytest.raises(openai.NotFoundError):
        sdk.chat.completions.create(model="gpt-4o", messages=QUESTION)
    with pytest.raises(openai.BadRequestError) as info:
        sdk.chat.completions.create(model=model_id, messages=QUESTION, temperature=5)
    assert info.value.body["param"] == "temperature"  # type: ignore[index]
    with pytest.raises(openai.BadRequestError) as info:
        sdk.chat.completions.create(model=model_id, messages=[{"role": "user", "content": "hello " * 3000}])
    assert info.value.code == "context_length_exceeded"
    with pytest.raises(openai.BadRequestError):
        sdk.chat.completions.create(model=model_id, messages=QUESTION, n=2)


def test_async_client_streams_concurrently(model_server: str, model_id: str) -> None:
    async def run() -> list[str]:
        client = openai.AsyncOpenAI(base_url=f"{model_server}/v1", api_key="unused", max_retries=0)

        async def one(i: int) -> str:
            stream = await client.chat.completions.create(
                model=model_id,
                messages=[{"role": "user", "content": f"Say the number {i}."}],
                max_tokens=12,
                temperature=0,
                stream=True,
            )
            return "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])

        try:
            return await asyncio.gather(*(one(i) for i in range(3)))
        finally:
            await client.close()

    assert all(asyncio.run(run()))


def _active_slots(model_server: str) -> float:
    text = httpx.get(f"{model_server}/metrics", timeout=30).text
    lines = [line for line in text.splitlines() if line.startswith("eclair_engine_active_slots")]
    return sum(float(line.rsplit(" ", 1)[1]) for line in lines)


def test_disconnect_frees_the_engine(sdk: openai.OpenAI, model_id: str, model_server: str) -> None:
    stream = sdk.chat.completions.create(
        model=model_id,
        messages=[{"role": "user", "content": "Write a long story about the sea."}],
        max_tokens=1000,
        temperature=0.8,
        stream=True,
    )
    for i, _ in enumerate(stream):
        if i == 3:
            break
    assert _active_slots(model_server) >= 1
    stream.close()
    deadline = time.monotonic() + 10
    while _active_slots(model_server) > 0:
        assert time.monotonic() < deadline, "the abandoned generation kept its slot"
        time.sleep(0.05)
