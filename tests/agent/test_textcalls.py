"""Tool calls read from streamed text (the generic format), and the API's approval policy."""

from __future__ import annotations

import json

import pytest

from eclair.agent.approval import api_policy
from eclair.agent.textcalls import CallReader, render_messages, tool_call_text
from eclair.errors import InvalidRequest, PermissionDenied


def read(pieces: list[str]) -> tuple[str, list[tuple[str, dict[str, object]]]]:
    reader = CallReader()
    text: list[str] = []
    calls = []
    for piece in pieces:
        shown, found = reader.feed(piece)
        text.append(shown)
        calls += found
    shown, found = reader.flush()
    text.append(shown)
    calls += found
    return "".join(text), [(c.name, json.loads(c.arguments)) for c in calls]


def test_a_call_split_across_pieces_is_found_and_text_around_it_kept() -> None:
    whole = "Let me check. " + tool_call_text("mcp__s__add", {"a": 1}) + " Then more."
    for size in (1, 3, 7, len(whole)):
        pieces = [whole[i : i + size] for i in range(0, len(whole), size)]
        assert read(pieces) == ("Let me check.  Then more.", [("mcp__s__add", {"a": 1})])


def test_text_that_only_looks_like_a_marker_is_not_lost() -> None:
    assert read(["a <tool", "_ca", "t> b <"]) == ("a <tool_cat> b <", [])
    assert read(["<tool_call>not json</tool_call> ok"]) == ("<tool_call>not json</tool_call> ok", [])


def test_a_call_cut_off_by_the_end_still_counts_when_complete() -> None:
    assert read(['<tool_call>{"name": "f", "arguments": {"x": 2}}']) == ("", [("f", {"x": 2})])
    assert read(['<tool_call>{"name": "f", "argu']) == ('<tool_call>{"name": "f", "argu', [])


def test_rendered_messages_carry_tools_calls_and_results() -> None:
    tools = [{"type": "function", "function": {"name": "f", "description": "d", "parameters": {}}}]
    call = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": '{"x": 1}'}}
    turns = render_messages(
        [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "q"},
            {"role": "assistant", "content": None, "tool_calls": [call]},
            {"role": "tool", "tool_call_id": "c1", "content": "42"},
        ],
        tools,
    )
    assert turns[0]["role"] == "system" and turns[0]["content"].startswith("Be brief.")
    assert '"name": "f"' in turns[0]["content"]
    assert turns[2] == {"role": "assistant", "content": tool_call_text("f", {"x": 1})}
    assert turns[3] == {"role": "tool", "content": "42"}


def test_api_policy() -> None:
    assert api_policy(None, allow_permitted=False) == "deny"
    assert api_policy("deny", allow_permitted=True) == "deny"
    assert api_policy("allow", allow_permitted=True) == "allow"
    with pytest.raises(PermissionDenied):
        api_policy("allow", allow_permitted=False)
    with pytest.raises(InvalidRequest) as ask:
        api_policy("ask", allow_permitted=True)
    assert ask.value.status == 400 and ask.value.param == "eclair.tool_approval"
    with pytest.raises(InvalidRequest):
        api_policy("sometimes", allow_permitted=True)
