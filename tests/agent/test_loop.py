"""The tool loop at service level: a scripted model, the real toy MCP server, the store.

The approval semantics of the issue: nothing is called without approval; "deny" reaches the
model as a refusal; "always" is remembered for that tool only."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eclair.agent.loop import ToolContext
from eclair.agent.protocol import ToolEvent
from eclair.answer.types import AnswerInfo
from eclair.engine.protocol import Finished, TextDelta
from tests.agent.calls import tool_call_text
from tests.agent.conftest import Bench
from tests.mcp.conftest import calls_made

Decide = Callable[[ToolEvent], str | None]


async def run(
    bench: Bench, decide: Decide, *, policy: str = "ask"
) -> tuple[str, list[ToolEvent], AnswerInfo]:
    """Answer 'question' through the loop; ``decide`` answers each approval (None: never)."""
    context = ToolContext(user_id=bench.user_id, policy=policy, conversation_id=bench.conversation_id)  # type: ignore[arg-type]
    info = AnswerInfo()
    text: list[str] = []
    events: list[ToolEvent] = []
    finished = None
    async for event in bench.loop.run(bench.turn, [{"role": "user", "content": "question"}], context, info):
        if isinstance(event, TextDelta):
            text.append(event.text)
        elif isinstance(event, ToolEvent):
            events.append(event)
            if event.kind == "approval":
                decision = decide(event)
                if decision is not None:
                    assert event.approval_id is not None
                    bench.broker.decide(bench.user_id, event.approval_id, decision)
        elif isinstance(event, Finished):
            finished = event
    assert finished is not None
    return "".join(text), events, info


def prompts(bench: Bench) -> list[str]:
    return [str(r.prompt) for r in bench.engine.requests]


def kinds(events: list[ToolEvent]) -> list[str]:
    return [e.kind for e in events]


async def test_allowed_once_the_tool_runs_and_the_model_reads_its_result(
    bench: Bench, calls_file: Path
) -> None:
    bench.engine.enqueue(tool_call_text("mcp__toy__add", {"a": 2, "b": 40}), "The sum is 42.")
    text, events, info = await run(bench, lambda e: "once")
    assert text == "The sum is 42."
    assert kinds(events) == ["call", "approval", "result"]
    assert calls_made(calls_file) == ["add"]
    # the model saw the tools, then the result as a tool message
    assert "mcp__toy__add" in prompts(bench)[0]
    assert "<tool_response>\n42\n</tool_response>" in prompts(bench)[1]
    stored = bench.store.tools.calls(bench.user_id, bench.conversation_id)
    assert [(c.tool, c.decision, c.status, c.result) for c in stored] == [
        ("mcp__toy__add", "once", "ok", "42")
    ]
    assert info.tool_calls == [stored[0].to_json()]


async def test_deny_reaches_the_model_as_a_refusal_and_nothing_runs(bench: Bench, calls_file: Path) -> None:
    bench.engine.enqueue(tool_call_text("mcp__toy__shout", {"text": "hi"}), "I could not use the tool.")
    text, events, _ = await run(bench, lambda e: "deny")
    assert text == "I could not use the tool."
    assert calls_made(calls_file) == []
    assert "The user denied this call: mcp__toy__shout was not run" in prompts(bench)[1]
    (call,) = bench.store.tools.calls(bench.user_id, bench.conversation_id)
    assert (call.decision, call.status) == ("deny", "denied")
    assert events[-1].call["status"] == "denied"


async def test_always_is_remembered_for_that_tool_only(bench: Bench, calls_file: Path) -> None:
    bench.engine.enqueue(tool_call_text("mcp__toy__add", {"a": 1, "b": 1}), "2.")
    _, first, _ = await run(bench, lambda e: "always")
    assert kinds(first) == ["call", "approval", "result"]
    # the same tool again: no question asked
    bench.engine.enqueue(tool_call_text("mcp__toy__add", {"a": 2, "b": 2}), "4.")
    _, second, _ = await run(bench, lambda e: pytest.fail("asked again for an 'always' tool"))
    assert kinds(second) == ["call", "result"] and second[-1].call["decision"] == "always"
    # another tool of the same server still asks
    bench.engine.enqueue(tool_call_text("mcp__toy__shout", {"text": "x"}), "X.")
    asked: list[str] = []
    _, third, _ = await run(bench, lambda e: asked.append(e.call["tool"]) or "deny")
    assert third[-1].call["status"] == "denied"
    assert asked == ["mcp__toy__shout"]
    assert calls_made(calls_file) == ["add", "add"]
    # and another user still asks for that tool
    other = bench.store.users.create("bob", password_hash="x")
    assert not bench.store.tools.granted(other.id, "mcp__toy__add")


async def test_nothing_runs_while_no_one_answers(bench: Bench, calls_file: Path) -> None:
    bench.broker.wait_s = 0.3
    bench.engine.enqueue(tool_call_text("mcp__toy__add", {"a": 1, "b": 2}), "No answer came.")
    _, events, _ = await run(bench, lambda e: None)
    assert calls_made(calls_file) == []
    assert events[-1].call["decision"] == "timeout"
    assert "No one approved this call in time" in prompts(bench)[1]
    assert bench.broker.pending(bench.user_id) == []


async def test_policies_allow_and_deny_never_ask(bench: Bench, calls_file: Path) -> None:
    bench.engine.enqueue(tool_call_text("mcp__toy__add", {"a": 1, "b": 2}), "3.")
    _, allowed, _ = await run(bench, lambda e: pytest.fail("asked"), policy="allow")
    assert kinds(allowed) == ["call", "result"] and allowed[-1].call["decision"] == "allow"
    bench.engine.enqueue(tool_call_text("mcp__toy__add", {"a": 1, "b": 2}), "no.")
    _, denied, _ = await run(bench, lambda e: pytest.fail("asked"), policy="deny")
    assert denied[-1].call["status"] == "denied"
    assert calls_made(calls_file) == ["add"]


async def test_stopping_the_answer_while_it_waits_denies_the_call(bench: Bench, calls_file: Path) -> None:
    bench.engine.enqueue(tool_call_text("mcp__toy__add", {"a": 1, "b": 2}), "never said")
    context = ToolContext(user_id=bench.user_id, policy="ask", conversation_id=bench.conversation_id)
    stream = bench.loop.run(bench.turn, [{"role": "user", "content": "q"}], context)
    seen: list[Any] = []
    async for event in stream:
        seen.append(event)
        if isinstance(event, ToolEvent) and event.kind == "approval":
            break
    waiting = asyncio.ensure_future(stream.__anext__())
    await asyncio.sleep(0.05)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await stream.aclose()
    assert calls_made(calls_file) == []
    (call,) = bench.store.tools.calls(bench.user_id, bench.conversation_id)
    assert call.status == "denied"
    assert bench.broker.pending(bench.user_id) == []


async def test_bad_calls_never_reach_a_server(bench: Bench, calls_file: Path) -> None:
    bench.engine.enqueue(
        tool_call_text("mcp__toy__nothing", {}) + tool_call_text("mcp__toy__add", "not an object"),  # type: ignore[arg-type]
        "Sorry.",
    )
    text, events, _ = await run(bench, lambda e: pytest.fail("asked"))
    assert text == "Sorry." and events == [] and calls_made(calls_file) == []
    assert "there is no tool named 'mcp__toy__nothing'" in prompts(bench)[1]
    assert "must be a JSON object" in prompts(bench)[1]


async def test_rounds_are_bounded_and_the_last_turn_gets_no_tools(bench: Bench) -> None:
    call = tool_call_text("mcp__toy__add", {"a": 1, "b": 1})
    bench.engine.enqueue(call, call, call, "Done at last.")
    text, events, info = await run(bench, lambda e: "once")
    assert text == "Done at last."
    assert kinds(events).count("result") == bench.loop.max_rounds
    assert "mcp__toy__add" not in prompts(bench)[-1].split("<|im_start|>user")[0]
    assert info.tool_calls is not None and len(info.tool_calls) == bench.loop.max_rounds


async def test_approvals_are_private_to_their_user(bench: Bench) -> None:
    from eclair.errors import InvalidRequest, NotFound

    pending = bench.broker.open(
        user_id=bench.user_id,
        conversation_id=None,
        tool="mcp__toy__add",
        server="toy",
        arguments={},
        call_id=None,
    )
    with pytest.raises(NotFound):
        bench.broker.decide("someone-else", pending.id, "once")
    with pytest.raises(InvalidRequest):
        bench.broker.decide(bench.user_id, pending.id, "maybe")
    assert [p.id for p in bench.broker.pending(bench.user_id)] == [pending.id]
    assert bench.broker.pending("someone-else") == []
