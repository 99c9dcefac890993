"""MCP tools for ``/v1`` clients (the official ``openai`` SDK): a named model's plain chat goes
through the tool loop under ``eclair.tool_approval``, and nothing runs without permission."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pytest

from eclair.mcp.config import McpConfig, save_config
from tests.agent.calls import tool_call_text
from tests.conftest import LiveServer, wait_until
from tests.mcp.conftest import calls_made, toy_stdio
from tests.web.conftest import build_app

ADD = [{"role": "user", "content": "What is 2 + 3? Use the tool."}]


def _serve(tmp_path: Path, **overrides: Any) -> Iterator[tuple[openai.OpenAI, Any, Path]]:
    calls = tmp_path / "toy-calls.jsonl"
    mcp_json = tmp_path / "mcp.json"
    save_config(mcp_json, McpConfig({"toy": toy_stdio(calls)}))
    app = build_app(tmp_path / "data", mcp_config=mcp_json, mcp_connect_timeout_s=30, **overrides)
    with LiveServer(app) as server:
        wait_until(lambda: app.state.ready, timeout=10)
        yield openai.OpenAI(base_url=f"{server.url}/v1", api_key="unused", max_retries=0), app, calls


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[openai.OpenAI, Any, Path]]:
    yield from _serve(tmp_path)


@pytest.fixture
def served_allowing(tmp_path: Path) -> Iterator[tuple[openai.OpenAI, Any, Path]]:
    yield from _serve(tmp_path, tool_approval_api_allow=True)


def test_calls_are_denied_by_default_and_the_model_reads_the_refusal(
    served: tuple[openai.OpenAI, Any, Path],
) -> None:
    client, app, calls = served
    app.state.engine.enqueue(tool_call_text("mcp__toy__add", {"a": 2, "b": 3}), "I cannot add them here.")
    response = client.chat.completions.create(model="fake-model", messages=ADD)  # type: ignore[arg-type]
    assert response.choices[0].message.content == "I cannot add them here."
    assert response.choices[0].finish_reason == "stop" and not response.choices[0].message.tool_calls
    trail = response.model_extra["eclair"]["tool_calls"]  # type: ignore[index]
    assert [(c["tool"], c["decision"], c["status"]) for c in trail] == [("mcp__toy__add", "deny", "denied")]
    assert calls_made(calls) == []  # the server never ran it
    second_turn = app.state.engine.detokenize(app.state.engine.requests[-1].prompt)
    assert "denied" in second_turn  # the refusal reached the model


def test_allow_runs_the_tool_where_the_operator_permits_it(
    served_allowing: tuple[openai.OpenAI, Any, Path],
) -> None:
    client, app, calls = served_allowing
    app.state.engine.enqueue(tool_call_text("mcp__toy__add", {"a": 2, "b": 3}), "It makes 5.")
    stream = client.chat.completions.create(
        model="fake-model",
        messages=ADD,
        stream=True,
        extra_body={"eclair": {"tool_approval": "allow"}},  # type: ignore[arg-type]
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "It makes 5."
    assert not any(c.choices and c.choices[0].delta.tool_calls for c in chunks)  # run by the server
    trail = chunks[-1].model_extra["eclair"]["tool_calls"]  # type: ignore[index]
    assert [(c["tool"], c["decision"], c["status"]) for c in trail] == [("mcp__toy__add", "allow", "ok")]
    assert len(calls_made(calls)) == 1
    second_turn = app.state.engine.detokenize(app.state.engine.requests[-1].prompt)
    assert "5" in second_turn.split("tool_response")[-2]  # the result reached the model


def test_allow_is_refused_unless_the_operator_permits_it_and_ask_needs_the_web_app(
    served: tuple[openai.OpenAI, Any, Path],
) -> None:
    client, _, calls = served
    with pytest.raises(openai.PermissionDeniedError) as denied:
        client.chat.completions.create(
            model="fake-model",
            messages=ADD,
            extra_body={"eclair": {"tool_approval": "allow"}},  # type: ignore[arg-type]
        )
    assert denied.value.body["code"] == "tool_approval_not_allowed"  # type: ignore[index]
    for value in ("ask", "sometimes"):
        with pytest.raises(openai.BadRequestError) as bad:
            client.chat.completions.create(
                model="fake-model",
                messages=ADD,
                extra_body={"eclair": {"tool_approval": value}},  # type: ignore[arg-type]
            )
        assert bad.value.body["param"] == "eclair.tool_approval"  # type: ignore[index]
    assert calls_made(calls) == []


def test_requests_with_their_own_tools_are_the_clients_to_run(
    served_allowing: tuple[openai.OpenAI, Any, Path],
) -> None:
    client, app, calls = served_allowing
    own = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}
    app.state.engine.enqueue(tool_call_text("lookup", {"q": "x"}))
    response = client.chat.completions.create(
        model="fake-model",
        messages=ADD,  # type: ignore[arg-type]
        tools=[own],  # type: ignore[list-item]
        extra_body={"eclair": {"tool_approval": "allow"}},
    )
    call = response.choices[0].message.tool_calls[0]  # type: ignore[index]
    assert call.function.name == "lookup" and json.loads(call.function.arguments) == {"q": "x"}  # type: ignore[union-attr]
    assert response.choices[0].finish_reason == "tool_calls"
    assert calls_made(calls) == []
