"""The tool loop: the model asks for a call, the user approves, the tool runs, the model reads
the result and goes on.

Contract:
- :meth:`ToolLoop.run` streams an answer as engine events (:class:`TextDelta`, one final
  :class:`Finished` whose usage sums every turn) with :class:`~eclair.agent.protocol.ToolEvent`
  items between them. Each round, the model (:data:`~eclair.agent.protocol.ModelTurn`) sees the
  conversation and the tools; when it calls some, each call is, in order:
  1. checked (a known tool, arguments a JSON object); a bad call is answered with an error
     the model can read, and never reaches a server;
  2. recorded in the audit trail (``pending``) and announced (``call``);
  3. decided by the :class:`~eclair.agent.approval.ApprovalBroker` under the request's policy,
     announcing ``approval`` first when the user must answer;
  4. run only if allowed (:class:`ToolBox.call`); a refusal is a ``role: tool`` message that
     says the user denied it, so the model answers without it instead of failing;
  5. finished in the audit trail and announced (``result``).
  Results go back as ``role: tool`` messages with the call's ``tool_call_id``.
- At most ``max_rounds`` turns are offered tools; the next one gets none, so an answer always
  ends in text. The audit records also land in ``AnswerInfo.tool_calls`` (the ``eclair`` object).
- Closing the stream while a call waits for approval denies it; a call left ``pending`` by a
  stopped answer is closed in the trail.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import anyio

from eclair.agent.approval import ApprovalBroker, Policy, Verdict
from eclair.agent.protocol import Message, ModelTurn, ToolCall, ToolEvent
from eclair.answer.types import AnswerInfo
from eclair.engine.protocol import Finished, TextDelta, Usage
from eclair.mcp.client import McpTool, ToolCallFailed, ToolOutcome
from eclair.store.ids import new_id, utcnow
from eclair.store.types import ToolCallRecord, ToolCallStatus, ToolDecision

logger = logging.getLogger(__name__)


class ToolBox(Protocol):
    """Where the tools come from and run (:class:`~eclair.mcp.client.McpClients`)."""

    @property
    def configured(self) -> bool: ...

    async def tools(self) -> list[McpTool]: ...

    def find(self, function: str) -> McpTool | None: ...

    async def call(self, function: str, arguments: dict[str, Any]) -> ToolOutcome: ...


class Audit(Protocol):
    """The store's trail (:class:`~eclair.store.tools.ToolStore`); blocking methods."""

    def start_call(
        self,
        user_id: str,
        conversation_id: str,
        *,
        message_id: str | None,
        tool: str,
        server: str,
        arguments: dict[str, Any],
    ) -> ToolCallRecord | None: ...

    def finish_call(
        self, user_id: str, call_id: str, *, decision: ToolDecision, status: ToolCallStatus, result: str
    ) -> ToolCallRecord | None: ...


@dataclass(slots=True)
class ToolContext:
    """Who the answer is for and where its calls are recorded. ``message_id`` may be set after
    the loop was built (the answer's row is stored once the request is admitted)."""

    user_id: str | None
    policy: Policy
    conversation_id: str | None = None
    message_id: str | None = None


def refusal(tool: str, verdict: Verdict) -> str:
    """What the model reads when a call was not allowed to run."""
    if verdict.decision == "timeout":
        why = "No one approved this call in time"
    elif verdict.decision == "deny":
        why = "The user denied this call"
    else:
        why = "This call is not allowed"
    return f"{why}: {tool} was not run. Do not call it again; answer without it, and say so if it matters."


class ToolLoop:
    def __init__(
        self, toolbox: ToolBox, broker: ApprovalBroker, *, audit: Audit | None = None, max_rounds: int = 8
    ):
        self.toolbox = toolbox
        self.broker = broker
        self.audit = audit
        self.max_rounds = max_rounds

    def toolbox_configured(self) -> bool:
        """Whether any tool source is configured at all (no connection made)."""
        return self.toolbox.configured

    async def definitions(self) -> list[dict[str, Any]]:
        return [tool.definition() for tool in await self.toolbox.tools()]

    async def run(
        self,
        turn: ModelTurn,
        messages: Sequence[Message],
        context: ToolContext,
        info: AnswerInfo | None = None,
    ) -> AsyncIterator[TextDelta | ToolEvent | Finished]:
        definitions = await self.definitions()
        history = list(messages)
        if info is not None:
            info.tool_calls = []
        totals = [0, 0, 0]  # prompt, completion, cached tokens
        first_ttft: float | None = None
        decode_s = 0.0
        last: Finished | None = None
        for round_number in range(self.max_rounds + 1):
            offered = definitions if round_number < self.max_rounds else []
            calls: list[ToolCall] = []
            said: list[str] = []
            async for event in turn(history, offered):
                if isinstance(event, TextDelta):
                    said.append(event.text)
                    yield event
                elif isinstance(event, ToolCall):
                    calls.append(event)
                elif isinstance(event, Finished):
                    last = event
                    totals[0] += event.usage.prompt_tokens
                    totals[1] += event.usage.completion_tokens
                    totals[2] += event.usage.cached_tokens
                    first_ttft = event.ttft_s if first_ttft is None else first_ttft
                    decode_s += event.decode_s
            if not calls:
                break
            history.append(
                {
                    "role": "assistant",
                    "content": "".join(said) or None,
                    "tool_calls": [c.to_openai() for c in calls],
                }
            )
            for call in calls:
                result: list[str] = []
                async for tool_event in self._call(call, context, info, result):
                    yield tool_event
                history.append({"role": "tool", "tool_call_id": call.id, "content": result[0]})
        usage = Usage(prompt_tokens=totals[0], completion_tokens=totals[1], cached_tokens=totals[2])
        yield Finished(
            finish_reason=last.finish_reason if last is not None else "stop",
            usage=usage,
            ttft_s=first_ttft,
            decode_s=decode_s,
        )

    async def _call(
        self, call: ToolCall, context: ToolContext, info: AnswerInfo | None, result: list[str]
    ) -> AsyncIterator[ToolEvent]:
        """Steps 1 to 5 of one call; its result text is appended to ``result``."""
        tool = self.toolbox.find(call.name)
        if tool is None:
            result.append(f"error: there is no tool named {call.name!r}")
            return
        try:
            arguments = json.loads(call.arguments or "{}")
        except ValueError:
            arguments = None
        if not isinstance(arguments, dict):
            result.append(f"error: the arguments of {call.name} must be a JSON object")
            return
        record = await self._start(tool, arguments, context)
        yield ToolEvent("call", record.to_json())
        finished = False
        try:
            verdict = await self.broker.check(context.policy, context.user_id, tool.function)
            if verdict is None:
                assert context.user_id is not None  # check() denies when nobody can be asked
                pending = self.broker.open(
                    user_id=context.user_id,
                    conversation_id=context.conversation_id,
                    tool=tool.function,
                    server=tool.server,
                    arguments=arguments,
                    call_id=record.id,
                )
                yield ToolEvent("approval", record.to_json(), approval_id=pending.id)
                verdict = await self.broker.wait(pending)
            status: ToolCallStatus = "denied"
            if not verdict.allowed:
                text = refusal(tool.function, verdict)
            else:
                text, status = await self._run(tool, arguments)
            record = await self._finish(record, context, verdict.decision, status, text)
            finished = True
        finally:
            if not finished:  # the answer was stopped: the call is denied, and said so
                with anyio.CancelScope(shield=True):
                    await self._finish(
                        record, context, "deny", "denied", "stopped before it was approved or ran"
                    )
        if info is not None and info.tool_calls is not None:
            info.tool_calls.append(record.to_json())
        result.append(text)
        yield ToolEvent("result", record.to_json())

    async def _run(self, tool: McpTool, arguments: dict[str, Any]) -> tuple[str, ToolCallStatus]:
        try:
            outcome = await self.toolbox.call(tool.function, arguments)
        except ToolCallFailed as exc:
            return f"error: {exc}", "error"
        return outcome.text, "error" if outcome.is_error else "ok"

    async def _start(self, tool: McpTool, arguments: dict[str, Any], context: ToolContext) -> ToolCallRecord:
        if self.audit is not None and context.user_id is not None and context.conversation_id is not None:
            audit, user_id, conversation_id = self.audit, context.user_id, context.conversation_id
            stored = await asyncio.to_thread(
                lambda: audit.start_call(
                    user_id,
                    conversation_id,
                    message_id=context.message_id,
                    tool=tool.function,
                    server=tool.server,
                    arguments=arguments,
                )
            )
            if stored is not None:
                return stored
        # no conversation to keep it in (an API request): the record lives in the answer only
        return ToolCallRecord(
            id=new_id("call"),
            user_id=context.user_id or "",
            conversation_id=context.conversation_id or "",
            message_id=context.message_id,
            tool=tool.function,
            server=tool.server,
            arguments=arguments,
            decision="pending",
            status="pending",
            result="",
            created_at=utcnow(),
        )

    async def _finish(
        self,
        record: ToolCallRecord,
        context: ToolContext,
        decision: ToolDecision,
        status: ToolCallStatus,
        text: str,
    ) -> ToolCallRecord:
        if self.audit is not None and context.user_id is not None and context.conversation_id is not None:
            audit, user_id = self.audit, context.user_id
            try:
                stored = await asyncio.to_thread(
                    lambda: audit.finish_call(
                        user_id, record.id, decision=decision, status=status, result=text
                    )
                )
            except Exception:
                logger.exception("could not record the end of tool call %s", record.id)
                stored = None
            if stored is not None:
                return stored
        return replace(record, decision=decision, status=status, result=text, finished_at=utcnow())
