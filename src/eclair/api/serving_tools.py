"""Answers that may call MCP tools: the web app's conversations and ``/v1`` chat requests.

Contract:
- A turn goes through the tool loop (:class:`~eclair.agent.loop.ToolLoop`) only for a model
  picked by name (``eclair``, the assistant, keeps its router and tools for small models),
  only for plain chat (a request that brings its own ``tools`` or JSON format is the client's
  to run), and only when some MCP server offers tools.
- :meth:`ToolAnswers.start` (web app): every call waits for the user's approval (policy
  ``ask``), and the calls are recorded in the conversation's audit trail.
  :meth:`ToolAnswers.start_api` (``/v1``): the request's policy (``deny`` or ``allow``,
  :func:`~eclair.agent.approval.api_policy`); the calls land in the ``eclair`` object.
- Each model turn is a chat request to :class:`~eclair.api.serving_chat.ChatService` with the
  tools on offer (the same admission, model loading, accounting, chat template and call
  grammar as any API request with ``tools``); calls are read back by the one reader of calls
  (:func:`~eclair.agent.turn.reading_turn`).
- The stream is an :class:`~eclair.answer.types.AnswerStream` whose events include
  :class:`~eclair.agent.protocol.ToolEvent` items; the conversation stream sends them as
  ``tool`` frames, the API skips them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from typing import TYPE_CHECKING

from eclair.agent.approval import Policy
from eclair.agent.loop import ToolContext, ToolLoop
from eclair.agent.protocol import Message, ModelTurn
from eclair.agent.protocol import ToolDefinition as ToolDict
from eclair.agent.turn import reading_turn
from eclair.answer.types import AnswerInfo, AnswerStream
from eclair.api.protocol import ChatCompletionRequest, ChatMessageIn, ToolDefinition
from eclair.api.serving_base import ASSISTANT_MODEL_ID
from eclair.engine.protocol import StreamEvent
from eclair.engine.tool_format import ToolFormat

if TYPE_CHECKING:
    from eclair.api.serving_chat import ChatService


class ToolAnswers:
    def __init__(self, loop: ToolLoop, chat_of: Callable[[], ChatService]):
        self.loop = loop
        self._chat_of = chat_of

    def model_turn(self, template: ChatCompletionRequest, user_id: str | None) -> ModelTurn:
        """One model turn: ``template`` (its model and sampling) with the conversation so far
        and the tools on offer, streamed."""
        chat = self._chat_of()

        async def generate(
            messages: Sequence[Message], tools: Sequence[ToolDict]
        ) -> tuple[AsyncIterator[StreamEvent], ToolFormat | None]:
            request = template.model_copy(
                update={
                    "messages": [ChatMessageIn.model_validate(m) for m in messages],
                    "tools": [ToolDefinition.model_validate(t) for t in tools] or None,
                    "tool_choice": None,
                    "parallel_tool_calls": None,
                    "response_format": None,
                    "logprobs": None,
                    "top_logprobs": None,
                    "stream": True,
                    "eclair": None,
                }
            )
            answer, fmt = await chat.answer_with_tools(request, user_id=user_id)
            return answer.events, fmt

        return reading_turn(generate)

    async def _offered(self, model: str) -> bool:
        if model == ASSISTANT_MODEL_ID or not self.loop.toolbox_configured():
            return False
        return bool(await self.loop.definitions())

    async def start(
        self, user_id: str, conversation_id: str, model: str, turns: list[ChatMessageIn]
    ) -> tuple[AnswerStream, ToolContext] | None:
        """The answer through the tool loop, or None when no tool is on offer for ``model``."""
        if not await self._offered(model):
            return None
        context = ToolContext(user_id=user_id, policy="ask", conversation_id=conversation_id)
        template = ChatCompletionRequest(model=model, messages=turns, stream=True)
        messages = [{"role": t.role, "content": t.text()} for t in turns]
        return self._run(template, user_id, messages, context), context

    async def start_api(
        self, request: ChatCompletionRequest, model: str, user_id: str | None, policy: Policy
    ) -> AnswerStream | None:
        """A ``/v1`` request through the tool loop under ``policy``, or None when it is not
        one the loop takes (see the module docstring)."""
        if request.constrained or not await self._offered(model):
            return None
        context = ToolContext(user_id=user_id, policy=policy)
        messages = [m.model_dump(exclude_none=True) for m in request.messages]
        template = request.model_copy(update={"model": model})
        return self._run(template, user_id, messages, context)

    def _run(
        self,
        template: ChatCompletionRequest,
        user_id: str | None,
        messages: list[Message],
        context: ToolContext,
    ) -> AnswerStream:
        info = AnswerInfo(route="model")
        events = self.loop.run(self.model_turn(template, user_id), messages, context, info)
        return AnswerStream(events=events, info=info)  # type: ignore[arg-type]
