"""The seam between the tool loop and whatever model drives it.

Contract:
- A :data:`ModelTurn` is one model turn: given the conversation so far (OpenAI-shaped message
  dicts: ``role``, ``content``, and ``tool_calls`` / ``tool_call_id`` where they apply) and the
  tools on offer (OpenAI ``tools`` entries), it streams :class:`~eclair.engine.protocol.TextDelta`
  for text, :class:`ToolCall` for each complete call, and ends with one
  :class:`~eclair.engine.protocol.Finished`. It is the only thing the loop needs from a model:
  an engine with native tool calls, a text engine read by :mod:`eclair.agent.turn`, or a
  scripted fake all fit.
- :class:`ToolEvent` is what the loop adds to an answer's stream for the page: a call made
  (``call``), a decision awaited (``approval``, with the ``approval_id`` to answer), a call
  finished (``result``). Consumers that do not know it may skip it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from eclair.engine.protocol import Finished, TextDelta, ToolCall

Message = dict[str, Any]
ToolDefinition = dict[str, Any]


TurnEvent = TextDelta | ToolCall | Finished
ModelTurn = Callable[[Sequence[Message], Sequence[ToolDefinition]], AsyncIterator[TurnEvent]]


@dataclass(frozen=True, slots=True)
class ToolEvent:
    kind: Literal["call", "approval", "result"]
    call: dict[str, Any]  # the audit record as JSON (:meth:`ToolCallRecord.to_json` shape)
    approval_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"event": self.kind, "call": self.call}
        if self.approval_id is not None:
            data["approval_id"] = self.approval_id
        return data
