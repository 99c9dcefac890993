"""Answers that may call MCP tools, for the web app's conversations.

Contract:
- :meth:`ToolAnswers.start` decides whether a conversation turn goes through the tool loop
  (:class:`~eclair.agent.loop.ToolLoop`): only for a model picked by name (``eclair``, the
  assistant, keeps its router and tools for small models) and only when some MCP server
  offers tools. Then every call waits for the user's approval (policy ``ask``), and the calls
  are recorded in the conversation's audit trail.
- Each model turn is a chat request to :class:`~eclair.api.serving_chat.ChatService` (the
  same admission, model loading and accounting as any answer); the tool calls are read from
  its text (:mod:`eclair.agent.textcalls`). When the engine streams tool calls natively, the
  turn is the only thing to replace (:meth:`ToolAnswers.model_turn`).
- The stream is an :class:`~eclair.answer.types.AnswerStream` whose events include
  :class:`~eclair.agent.protocol.ToolEvent` items; the conversation stream sends them as
  ``tool`` frames.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

from eclair.agent.loop import ToolContext, ToolLoop
from eclair.agent.protocol import ModelTurn
from eclair.agent.textcalls import text_turn
from eclair.answer.types import AnswerInfo, AnswerStream
from eclair.api.protocol import ChatCompletionRequest, ChatMessageIn
from eclair.api.serving_base import ASSISTANT_MODEL_ID
from eclair.engine.protocol import StreamEvent

if TYPE_CHECKING:
    from eclair.api.serving_chat import ChatService


class ToolAnswers:
    def __init__(self, loop: ToolLoop, chat_of: Callable[[], ChatService]):
        self.loop = loop
        self._chat_of = chat_of

    def model_turn(self, model: str, user_id: str) -> ModelTurn:
        """One model turn: a streamed chat request to ``model``, tool calls read from its text."""
        chat = self._chat_of()

        def generate(turns: list[dict[str, str]]) -> AsyncIterator[StreamEvent]:
            async def events() -> AsyncIterator[StreamEvent]:
                request = ChatCompletionRequest(
                    model=model,
                    # (results said as text, like the calls: a plain chat turn, which the
                    # API's checks of native tool messages do not apply to)
                    messages=[_plain(t) for t in turns],
                    stream=True,
                )
                _, answer = await chat.answer(request, user_id=user_id)
                try:
                    async for event in answer.events:
                        yield event
                finally:
                    aclose = getattr(answer.events, "aclose", None)
                    if aclose is not None:
                        await aclose()

            return events()

        return text_turn(generate)

    async def start(
        self, user_id: str, conversation_id: str, model: str, turns: list[ChatMessageIn]
    ) -> tuple[AnswerStream, ToolContext] | None:
        """The answer through the tool loop, or None when no tool is on offer for ``model``."""
        if model == ASSISTANT_MODEL_ID or not self.loop.toolbox_configured():
            return None
        if not await self.loop.definitions():
            return None
        context = ToolContext(user_id=user_id, policy="ask", conversation_id=conversation_id)
        info = AnswerInfo(route="model")
        messages = [{"role": t.role, "content": t.text()} for t in turns]
        events = self.loop.run(self.model_turn(model, user_id), messages, context, info)
        return AnswerStream(events=events, info=info), context  # type: ignore[arg-type]


def _plain(turn: dict[str, str]) -> ChatMessageIn:
    if turn["role"] == "tool":
        return ChatMessageIn(role="user", content=f"<tool_response>\n{turn['content']}\n</tool_response>")
    return ChatMessageIn(role=turn["role"], content=turn["content"])  # type: ignore[arg-type]
