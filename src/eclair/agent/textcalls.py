"""Tool calls in plain text, for engines that only stream text.

Contract:
- The generic format is Hermes' (Qwen and many others were trained on it): the system
  message lists the tools as JSON and asks for ``<tool_call>{"name": …, "arguments": {…}}
  </tool_call>``; results come back as ``role: tool`` messages.
- :class:`CallReader` reads a text stream: text outside the markers passes through as it comes
  (held back only while it could be the start of a marker), each complete marker becomes a
  :class:`~eclair.agent.protocol.ToolCall`. A call cut off by the end of the stream still
  counts when its JSON is complete; anything unreadable is given back as text, never lost.
- :func:`text_turn` makes a :data:`~eclair.agent.protocol.ModelTurn` from any function that
  streams engine events for a list of chat messages (the web app passes the chat service).
  An engine with native tool calls replaces it; nothing else in the loop changes.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from eclair.agent.protocol import Message, ModelTurn, ToolCall, ToolDefinition, TurnEvent
from eclair.engine.protocol import Finished, StreamEvent, TextDelta

OPEN, CLOSE = "<tool_call>", "</tool_call>"

_INSTRUCTIONS = (
    "You may call these tools. To call one, answer with only\n"
    f'{OPEN}{{"name": "<tool name>", "arguments": {{...}}}}{CLOSE}\n'
    "and wait for its result. When a result says the user denied the call, do not call it "
    "again: answer without it. Tools:\n"
)


def tool_call_text(name: str, arguments: dict[str, Any]) -> str:
    """The text a model writes to call ``name`` in the generic format."""
    return f"{OPEN}{json.dumps({'name': name, 'arguments': arguments}, ensure_ascii=False)}{CLOSE}"


def tools_prompt(tools: Sequence[ToolDefinition]) -> str:
    listed = "\n".join(json.dumps(tool["function"], ensure_ascii=False) for tool in tools)
    return _INSTRUCTIONS + listed


def render_messages(messages: Sequence[Message], tools: Sequence[ToolDefinition]) -> list[dict[str, str]]:
    """Plain ``{role, content}`` turns: the tools in the system message, calls as marker text."""
    turns: list[dict[str, str]] = []
    for message in messages:
        content = message.get("content") or ""
        if message["role"] == "assistant" and message.get("tool_calls"):
            calls = [
                tool_call_text(c["function"]["name"], _arguments(c["function"]["arguments"]))
                for c in message["tool_calls"]
            ]
            content = "\n".join([content, *calls]).strip()
        turns.append({"role": message["role"], "content": content})
    if tools:
        prompt = tools_prompt(tools)
        if turns and turns[0]["role"] in ("system", "developer"):
            turns[0] = {"role": turns[0]["role"], "content": f"{turns[0]['content']}\n\n{prompt}".strip()}
        else:
            turns.insert(0, {"role": "system", "content": prompt})
    return turns


def _arguments(text: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text


def _call(body: str) -> ToolCall | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return None
    arguments = data.get("arguments", data.get("parameters", {}))
    text = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
    return ToolCall(id=f"call_{secrets.token_hex(8)}", name=data["name"], arguments=text)


class CallReader:
    def __init__(self) -> None:
        self._buffer = ""
        self._inside = False

    def feed(self, text: str) -> tuple[str, list[ToolCall]]:
        self._buffer += text
        shown: list[str] = []
        calls: list[ToolCall] = []
        while True:
            if self._inside:
                end = self._buffer.find(CLOSE)
                if end < 0:
                    break
                body, self._buffer = self._buffer[:end], self._buffer[end + len(CLOSE) :]
                self._inside = False
                call = _call(body)
                if call is None:
                    shown.append(OPEN + body + CLOSE)
                else:
                    calls.append(call)
                continue
            start = self._buffer.find(OPEN)
            if start >= 0:
                shown.append(self._buffer[:start])
                self._buffer = self._buffer[start + len(OPEN) :]
                self._inside = True
                continue
            keep = _partial_marker(self._buffer)
            shown.append(self._buffer[: len(self._buffer) - keep])
            self._buffer = self._buffer[len(self._buffer) - keep :]
            break
        return "".join(shown), calls

    def flush(self) -> tuple[str, list[ToolCall]]:
        rest, self._buffer = self._buffer, ""
        if not self._inside:
            return rest, []
        self._inside = False
        call = _call(rest.strip())
        return ("", [call]) if call is not None else (OPEN + rest, [])


def _partial_marker(text: str) -> int:
    """Length of the longest tail of ``text`` that starts :data:`OPEN`."""
    for size in range(min(len(OPEN) - 1, len(text)), 0, -1):
        if OPEN.startswith(text[-size:]):
            return size
    return 0


Generate = Callable[[list[dict[str, str]]], AsyncIterator[StreamEvent]]


def text_turn(generate: Generate) -> ModelTurn:
    """A model turn over a text-streaming ``generate`` (messages in, engine events out)."""

    async def turn(messages: Sequence[Message], tools: Sequence[ToolDefinition]) -> AsyncIterator[TurnEvent]:
        reader = CallReader()
        events = generate(render_messages(messages, tools))
        try:
            async for event in events:
                if isinstance(event, TextDelta):
                    text, calls = reader.feed(event.text) if tools else (event.text, [])
                    if text:
                        yield TextDelta(text, tokens=event.tokens)
                    for call in calls:
                        yield call
                elif isinstance(event, Finished):
                    text, calls = reader.flush()
                    if text:
                        yield TextDelta(text, tokens=0)
                    for call in calls:
                        yield call
                    yield event
                else:
                    yield event  # type: ignore[misc]  # errors of the answer stream pass through
        finally:
            aclose = getattr(events, "aclose", None)
            if aclose is not None:
                await aclose()

    return turn
