"""Chat completions on the fake engine: response shapes, SSE framing, stops, cancellation."""

from __future__ import annotations

import contextlib
import json
import time

import httpx
from fastapi.testclient import TestClient

from eclair.engine.fake import FakeEngine
from tests.conftest import LiveServer, wait_until

USER = [{"role": "user", "content": "hello world"}]


def sse_events(text: str) -> list[dict | str]:
    events: list[dict | str] = []
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        assert block.startswith("data: "), block
        payload = block[len("data: ") :]
        events.append(payload if payload == "[DONE]" else json.loads(payload))
    return events


def test_non_streaming_shape_and_eclair_object(client: TestClient, fake_engine: FakeEngine) -> None:
    fake_engine.enqueue("The answer is 42.")
    body = client.post("/v1/chat/completions", json={"messages": USER}).json()
    assert body["object"] == "chat.completion"
    assert body["id"].startswith("chatcmpl-")
    choice = body["choices"][0]
    assert choice["message"] == {"role": "assistant", "content": "The answer is 42.", "refusal": None}
    assert choice["finish_reason"] == "stop"
    assert body["usage"]["completion_tokens"] == 4
    assert body["usage"]["total_tokens"] == body["usage"]["prompt_tokens"] + 4
    eclair = body["eclair"]
    assert eclair["route"] == "model" and eclair["abstained"] is False and eclair["citations"] == []
    assert eclair["timing"]["ttft_ms"] >= 0
    assert "tokens_per_s" in eclair["timing"]


def test_streaming_frames_match_openai(client: TestClient, fake_engine: FakeEngine) -> None:
    fake_engine.enqueue("one two three")
    response = client.post("/v1/chat/completions", json={"messages": USER, "stream": True})
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    assert events[-1] == "[DONE]"
    chunks = [e for e in events if isinstance(e, dict)]
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert len({c["id"] for c in chunks}) == 1
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert text == "one two three"
    final = chunks[-1]
    assert final["choices"][0]["finish_reason"] == "stop"
    assert final["eclair"]["route"] == "model"
    assert all("eclair" not in c for c in chunks[:-1])
    assert all("usage" not in c for c in chunks)


def test_stream_include_usage_adds_final_usage_chunk(client: TestClient, fake_engine: FakeEngine) -> None:
    fake_engine.enqueue("a b c d")
    response = client.post(
        "/v1/chat/completions",
        json={"messages": USER, "stream": True, "stream_options": {"include_usage": True}},
    )
    chunks = [e for e in sse_events(response.text) if isinstance(e, dict)]
    usage_chunk = chunks[-1]
    assert usage_chunk["choices"] == []
    assert usage_chunk["usage"]["completion_tokens"] == 4
    assert all(c["usage"] is None for c in chunks[:-1])
    assert "eclair" in usage_chunk and "eclair" in chunks[-2]


def test_stop_sequence_across_tokens_is_not_emitted(client: TestClient, fake_engine: FakeEngine) -> None:
    fake_engine.enqueue("alpha beta END gamma")
    body = client.post("/v1/chat/completions", json={"messages": USER, "stop": ["ta EN"]}).json()
    assert body["choices"][0]["message"]["content"] == "alpha be"
    assert body["choices"][0]["finish_reason"] == "stop"


def test_max_tokens_truncates_with_length(client: TestClient, fake_engine: FakeEngine) -> None:
    fake_engine.enqueue("w1 w2 w3 w4 w5 w6")
    body = client.post("/v1/chat/completions", json={"messages": USER, "max_tokens": 2}).json()
    assert body["choices"][0]["message"]["content"] == "w1 w2 "
    assert body["choices"][0]["finish_reason"] == "length"
    assert body["usage"]["completion_tokens"] == 2


def test_max_completion_tokens_wins_over_max_tokens(client: TestClient, fake_engine: FakeEngine) -> None:
    fake_engine.enqueue("w1 w2 w3 w4 w5 w6")
    body = client.post(
        "/v1/chat/completions", json={"messages": USER, "max_tokens": 5, "max_completion_tokens": 1}
    ).json()
    assert body["usage"]["completion_tokens"] == 1


def test_sampling_parameters_reach_the_engine(client: TestClient, fake_engine: FakeEngine) -> None:
    client.post(
        "/v1/chat/completions",
        json={
            "messages": USER,
            "temperature": 0,
            "top_p": 0.5,
            "top_k": 7,
            "seed": 2**40 + 5,
            "stop": "x",
            "presence_penalty": 1.5,
            "frequency_penalty": -1,
            "user": "someone",
        },
    )
    params = fake_engine.requests[-1].params
    assert (params.temperature, params.top_p, params.top_k) == (0.0, 0.5, 7)
    assert params.seed == (2**40 + 5) % 2**32
    assert params.stop == ("x",)
    assert (params.presence_penalty, params.frequency_penalty) == (1.5, -1.0)


def test_content_parts_are_joined(client: TestClient) -> None:
    messages = [
        {"role": "user", "content": [{"type": "text", "text": "part one"}, {"type": "text", "text": " two"}]}
    ]
    body = client.post("/v1/chat/completions", json={"messages": messages}).json()
    assert body["choices"][0]["message"]["content"] == "Echo: part one two"


def test_prompt_longer_than_context_is_400(settings, fake_engine: FakeEngine) -> None:  # type: ignore[no-untyped-def]
    from eclair.api.app import create_app

    fake_engine.context_size = 16
    with TestClient(create_app(settings, fake_engine), base_url="http://127.0.0.1") as client:
        wait_until(lambda: client.app.state.ready)  # type: ignore[attr-defined]
        long = [{"role": "user", "content": "word " * 50}]
        response = client.post("/v1/chat/completions", json={"messages": long})
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "context_length_exceeded"
        short = [{"role": "user", "content": "hi"}]
        response = client.post("/v1/chat/completions", json={"messages": short, "max_tokens": 100})
        assert response.status_code == 400
        assert response.json()["error"]["param"] == "max_tokens"


def test_client_disconnect_stops_generation(live_fake: tuple[LiveServer, FakeEngine]) -> None:
    server, engine = live_fake
    engine.enqueue(" ".join(f"w{i}" for i in range(500)))
    with (
        httpx.Client(base_url=server.url, timeout=10) as http,
        http.stream("POST", "/v1/chat/completions", json={"messages": USER, "stream": True}) as response,
    ):
        lines = response.iter_lines()
        for _ in range(6):
            next(lines)
        assert engine.active == 1
    started = time.monotonic()
    wait_until(lambda: engine.active == 0, timeout=2)
    # the fake engine produces one token per 20 ms: stopping within ~one token
    assert time.monotonic() - started < 0.5


def test_engine_failure_midstream_sends_error_event(client: TestClient, fake_engine: FakeEngine) -> None:
    async def broken(request):  # type: ignore[no-untyped-def]
        from eclair.engine.protocol import TextDelta

        yield TextDelta("partial")
        raise RuntimeError("boom")

    fake_engine.generate = broken  # type: ignore[method-assign]
    response = client.post("/v1/chat/completions", json={"messages": USER, "stream": True})
    events = sse_events(response.text)
    assert events[-1] == "[DONE]"
    assert events[-2]["error"]["type"] == "server_error"  # type: ignore[index]
    assert "boom" not in response.text


def test_non_streaming_client_disconnect_stops_generation(live_fake: tuple[LiveServer, FakeEngine]) -> None:
    server, engine = live_fake
    engine.enqueue(" ".join(f"w{i}" for i in range(500)))
    with httpx.Client(base_url=server.url, timeout=0.3) as http, contextlib.suppress(httpx.ReadTimeout):
        http.post("/v1/chat/completions", json={"model": "fake-model", "messages": USER})
    assert engine.requests, "the request reached the engine"
    wait_until(lambda: engine.active == 0, timeout=2)


def test_assistant_model_routes_arithmetic_to_the_calculator(
    client: TestClient, fake_engine: FakeEngine
) -> None:
    fake_engine.enqueue("17 times 23 is 381")  # what a careless model would say: never used
    body = client.post(
        "/v1/chat/completions",
        json={"model": "eclair", "messages": [{"role": "user", "content": "What is 17 times 23?"}]},
    ).json()
    assert "391" in body["choices"][0]["message"]["content"]
    assert body["eclair"]["route"] == "calculator"
    assert body["model"] == "eclair"


def test_assistant_is_the_default_model(client: TestClient) -> None:
    body = client.post(
        "/v1/chat/completions", json={"messages": [{"role": "user", "content": "combien font 3 fois 17 ?"}]}
    ).json()
    assert body["model"] == "eclair"
    assert "51" in body["choices"][0]["message"]["content"]
