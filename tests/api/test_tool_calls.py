"""Tools, tool choice, response formats and logprobs on ``/v1/chat/completions`` (scripted engine).

The fake engine does not constrain its output: it replays what a test enqueues, so these tests
check what the API makes of a model's text (calls read back, streamed, finished as
``tool_calls``), what it sends the engine (the grammar, the tools in the prompt, earlier calls
and results), and the 400s; the real model's constrained decoding is in tests/engine and tests/e2e.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from eclair.engine.constrain import COMPILE_TIMEOUT_S, bounded
from eclair.engine.fake import FakeEngine
from eclair.engine.tool_calls import ToolCallReader
from eclair.engine.tool_format import GENERIC
from eclair.errors import InvalidRequest

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather of a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}
ASK = [{"role": "user", "content": "Weather in Paris?"}]
CALL = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris, \\"FR\\""}}\n</tool_call>'


def post(client: TestClient, **body: Any) -> Any:
    return client.post("/v1/chat/completions", json={"model": "fake-model", "messages": ASK, **body})


def stream_chunks(client: TestClient, **body: Any) -> list[dict[str, Any]]:
    response = post(client, stream=True, **body)
    assert response.status_code == 200, response.text
    lines = [line[6:] for line in response.text.splitlines() if line.startswith("data: {")]
    return [json.loads(line) for line in lines]


def test_a_call_comes_back_as_tool_calls(client: TestClient, fake_engine: FakeEngine) -> None:
    fake_engine.enqueue("Let me look.\n" + CALL)
    response = post(client, tools=[WEATHER])
    choice = response.json()["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    assert choice["message"]["content"] == "Let me look.\n"
    (call,) = choice["message"]["tool_calls"]
    assert call["type"] == "function" and call["id"].startswith("call_")
    assert call["function"]["name"] == "get_weather"
    assert json.loads(call["function"]["arguments"]) == {"city": 'Paris, "FR"'}
    # the engine got the grammar (auto: it starts at the marker) and the tools in its prompt
    request = fake_engine.requests[-1]
    assert request.constraint is not None and request.constraint.trigger == "<tool_call>"
    assert "get_weather" in str(request.messages)


def test_streamed_call_deltas_rebuild_the_arguments(client: TestClient, fake_engine: FakeEngine) -> None:
    fake_engine.enqueue(CALL + "\n" + CALL.replace("Paris", "Lyon"))
    chunks = stream_chunks(client, tools=[WEATHER], tool_choice="required")
    calls: dict[int, dict[str, str]] = {}
    for chunk in chunks:
        for delta in chunk["choices"][0]["delta"].get("tool_calls", []):
            if "id" in delta:
                assert delta["function"]["arguments"] == "" and delta["type"] == "function"
                calls[delta["index"]] = {
                    "id": delta["id"],
                    "name": delta["function"]["name"],
                    "arguments": "",
                }
            else:
                calls[delta["index"]]["arguments"] += delta["function"]["arguments"]
    assert [json.loads(c["arguments"])["city"] for c in calls.values()] == ['Paris, "FR"', 'Lyon, "FR"']
    assert len({c["id"] for c in calls.values()}) == 2
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"
    assert not any(chunk["choices"][0]["delta"].get("content") for chunk in chunks)


@pytest.mark.parametrize("cut", range(1, len(CALL)))
def test_the_reader_gives_the_same_call_however_the_text_is_cut(cut: int) -> None:
    reader = ToolCallReader(GENERIC)
    pieces = [*reader.feed("Sure. " + CALL[:cut]), *reader.feed(CALL[cut:]), *reader.close()]
    assert "".join(p for p in pieces if isinstance(p, str)) == "Sure. "
    fragments = "".join(p["function"]["arguments"] for p in pieces if isinstance(p, dict))
    assert fragments == '{"city": "Paris, \\"FR\\""}' == reader.calls[0].arguments


def test_text_that_only_looks_like_a_call_stays_text() -> None:
    reader = ToolCallReader(GENERIC)
    text = "Use <tool_call> markers like <tool_call>this</tool_call>, or <tool_ca"
    pieces = [*reader.feed(text), *reader.close()]
    assert "".join(p for p in pieces if isinstance(p, str)) == text and not reader.calls


def test_a_call_cut_off_by_the_end_counts_only_when_its_json_is_whole() -> None:
    whole = ToolCallReader(GENERIC)
    pieces = [*whole.feed('<tool_call>\n{"name": "f", "arguments": {"x": 2}}'), *whole.close()]
    assert [c.name for c in whole.calls] == ["f"] and not [p for p in pieces if isinstance(p, str)]
    cut = ToolCallReader(GENERIC)
    pieces = [*cut.feed('<tool_call>{"argu'), *cut.close()]
    assert not cut.calls and "".join(p for p in pieces if isinstance(p, str)) == '<tool_call>{"argu'


def test_a_tool_round_trip_reaches_the_model(client: TestClient, fake_engine: FakeEngine) -> None:
    fake_engine.enqueue("It is sunny in Paris.")
    messages = [
        *ASK,
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "sunny, 21 °C"},
    ]
    response = client.post("/v1/chat/completions", json={"messages": messages, "tools": [WEATHER]})
    choice = response.json()["choices"][0]
    assert choice["finish_reason"] == "stop" and choice["message"]["content"] == "It is sunny in Paris."
    assert "tool_calls" not in choice["message"]
    prompt = fake_engine.detokenize(fake_engine.requests[-1].prompt)  # type: ignore[arg-type]
    assert '"name": "get_weather", "arguments": {"city": "Paris"}}' in prompt
    assert "<tool_response> sunny, 21 °C </tool_response>" in prompt  # the fake tokenizes on blanks


def test_requests_with_tools_go_to_the_model_even_as_eclair(
    client: TestClient, fake_engine: FakeEngine
) -> None:
    # "what is 2 + 2" would be the calculator's under model "eclair"; with tools, the model answers
    fake_engine.enqueue(CALL)
    body = {"model": "eclair", "messages": [{"role": "user", "content": "what is 2 + 2"}], "tools": [WEATHER]}
    data = client.post("/v1/chat/completions", json=body).json()
    assert data["eclair"]["route"] == "model" and data["choices"][0]["finish_reason"] == "tool_calls"


def test_tool_choice_none_offers_nothing(client: TestClient, fake_engine: FakeEngine) -> None:
    fake_engine.enqueue("No tools today.")
    data = post(client, tools=[WEATHER], tool_choice="none").json()
    assert data["choices"][0]["message"]["content"] == "No tools today."
    assert fake_engine.requests[-1].constraint is None
    assert "get_weather" not in fake_engine.detokenize(fake_engine.requests[-1].prompt)  # type: ignore[arg-type]


def test_response_formats_send_a_grammar(client: TestClient, fake_engine: FakeEngine) -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    for fmt in (
        {"type": "json_object"},
        {"type": "json_schema", "json_schema": {"name": "n", "schema": schema}},
    ):
        fake_engine.enqueue('{"n": 1}')
        data = post(client, response_format=fmt).json()
        assert data["choices"][0]["message"]["content"] == '{"n": 1}'
        request = fake_engine.requests[-1]
        assert request.constraint is not None and request.constraint.trigger is None


def test_logprobs_are_an_object_per_choice(client: TestClient, fake_engine: FakeEngine) -> None:
    # the fake engine computes none: the field is there, empty
    data = post(client, logprobs=True, top_logprobs=2).json()
    assert data["choices"][0]["logprobs"] == {"content": [], "refusal": None}
    assert fake_engine.requests[-1].params.logprobs == 2


BAD = [
    ({"tools": [WEATHER], "tool_choice": {"type": "function", "function": {"name": "nope"}}}, "tool_choice"),
    ({"tool_choice": "required"}, "tool_choice"),
    ({"tools": [WEATHER, WEATHER]}, "tools"),
    (
        {"tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "strng"}}}]},
        "tools[0].function.parameters",
    ),
    (
        {
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "x", "schema": {"minimum": "a"}},
            }
        },
        "response_format",
    ),
    (
        {"response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": []}}},
        "response_format",
    ),
    (
        {"messages": [*ASK, {"role": "tool", "tool_call_id": "call_9", "content": "x"}]},
        "messages[1].tool_call_id",
    ),
    ({"messages": [{"role": "tool", "content": "x"}]}, "messages[0].tool_call_id"),
]


@pytest.mark.parametrize(("body", "param"), BAD, ids=[p for _, p in BAD])
def test_bad_structured_requests_are_400(client: TestClient, body: dict[str, Any], param: str) -> None:
    response = client.post("/v1/chat/completions", json={"messages": ASK, **body})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error" and error["param"].startswith(param)


def _nested(depth: int) -> dict[str, Any]:
    return {"type": "integer"} if depth == 0 else {"type": "array", "items": _nested(depth - 1)}


@pytest.mark.parametrize(
    "schema", [_nested(200), {"enum": [f"v{i}" for i in range(100_000)]}], ids=["deep", "wide"]
)
def test_a_schema_too_big_to_compile_is_refused_within_a_second(
    client: TestClient, schema: dict[str, Any]
) -> None:
    started = time.monotonic()
    response = post(
        client, response_format={"type": "json_schema", "json_schema": {"name": "x", "schema": schema}}
    )
    assert time.monotonic() - started < 1.0 + 0.5  # the limit, and the request's own transfer
    assert response.status_code == 400 and response.json()["error"]["code"] == "grammar_too_complex"


async def test_a_compile_that_overruns_is_refused_at_the_limit() -> None:
    started = time.monotonic()
    with pytest.raises(InvalidRequest) as refused:
        await bounded(lambda: time.sleep(3))
    assert refused.value.code == "grammar_too_complex"
    assert COMPILE_TIMEOUT_S <= time.monotonic() - started < COMPILE_TIMEOUT_S + 0.3


def test_lone_surrogates_in_tools_are_400(client: TestClient) -> None:
    body = (
        '{"messages": [{"role": "user", "content": "x"}],'
        ' "tools": [{"type": "function", "function": {"name": "f", "description": "\\ud800"}}]}'
    )
    response = client.post("/v1/chat/completions", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400 and response.json()["error"]["param"] == "tools[0]"
