"""A model turn of the tool loop over any engine that streams text.

Contract:
- :func:`reading_turn` makes a :data:`~eclair.agent.protocol.ModelTurn` from a ``generate``
  function that starts an answer for the conversation and the tools on offer, and says in
  which :class:`~eclair.engine.tool_format.ToolFormat` the model writes its calls (the API's
  chat service: the model's own template, and a grammar that holds the call once it opens).
- Calls are read by the one reader of calls, :class:`~eclair.engine.tool_calls.ToolCallReader`:
  text passes through as it comes (held back only while it could open a call), each call is
  yielded as a :class:`~eclair.engine.protocol.ToolCall` before the turn's
  :class:`~eclair.engine.protocol.Finished`. With no tools on offer the text is not read.
- Closing the turn closes the answer behind it (the generation stops).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

from eclair.agent.protocol import Message, ModelTurn, ToolDefinition, TurnEvent
from eclair.engine.protocol import Finished, StreamEvent, TextDelta
from eclair.engine.tool_calls import ToolCallReader
from eclair.engine.tool_format import ToolFormat

Generate = Callable[
    [Sequence[Message], Sequence[ToolDefinition]],
    Awaitable[tuple[AsyncIterator[StreamEvent], ToolFormat | None]],
]


def reading_turn(generate: Generate) -> ModelTurn:
    """A model turn over ``generate`` (conversation and tools in; events and format out)."""

    async def turn(messages: Sequence[Message], tools: Sequence[ToolDefinition]) -> AsyncIterator[TurnEvent]:
        events, fmt = await generate(messages, tools)
        reader = ToolCallReader(fmt) if fmt is not None and tools else None
        try:
            async for event in events:
                if isinstance(event, TextDelta):
                    if reader is None:
                        yield event
                        continue
                    text = _content(reader.feed(event.text))
                    if text:
                        yield TextDelta(text, tokens=event.tokens)
                elif isinstance(event, Finished):
                    if reader is not None:
                        text = _content(reader.close())
                        if text:
                            yield TextDelta(text, tokens=0)
                        for call in reader.calls:
                            yield call.frozen()
                    yield event
                else:
                    yield event  # type: ignore[misc]  # errors of the answer stream pass through
        finally:
            aclose = getattr(events, "aclose", None)
            if aclose is not None:
                await aclose()

    return turn


def _content(pieces: list[str | dict[str, Any]]) -> str:
    return "".join(p for p in pieces if isinstance(p, str))
