"""``POST /v1/chat/completions``: the chat service.

``model: "eclair"`` goes through the answer pipeline (router, tools, knowledge, abstention);
the raw model id goes straight to the engine. Either way the result is an
:class:`~eclair.answer.types.AnswerStream`, shaped here into OpenAI's chat completion
objects, with Éclair's ``eclair`` extension object on the response (non-streaming) or on the
final chunks (streaming).

A request with ``tools``, a JSON ``response_format``, earlier tool calls or ``logprobs`` is
answered by the model itself, even under ``model: "eclair"`` (the assistant's own tools and
sources answer plain chat): its grammar (:mod:`eclair.api.structured`) is compiled before
admission (a bad or too complex schema is a 400), the model's calls come back as
``tool_calls`` (streamed as OpenAI does) with ``finish_reason: "tool_calls"``.

A plain request to a named model (not ``eclair``; no ``tools`` or JSON format of its own)
goes through the MCP tool loop when MCP servers offer tools: the server runs the calls the
model makes, each under the request's ``eclair.tool_approval`` (``deny`` by default: the model
reads that the call was refused; ``allow`` only where the operator permits it; ``ask`` needs
the web app), and the calls with their results are listed in ``eclair.tool_calls``.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from eclair.agent.approval import api_policy
from eclair.answer.types import AnswerInfo, AnswerStream
from eclair.api.protocol import ChatCompletionRequest
from eclair.api.serving_base import (
    ASSISTANT_MODEL_ID,
    ServingBase,
    Timing,
    collect,
    eclair_object,
    error_payload,
    guarded,
    new_id,
    sse,
    usage_object,
)
from eclair.api.structured import compile_constraint, logprobs_content, offered_tools
from eclair.config import Settings
from eclair.engine.pool import ModelPool
from eclair.engine.protocol import Engine, Finished, GenerationRequest, TextDelta, TokenLogprob
from eclair.engine.tool_calls import ToolCallReader
from eclair.engine.tool_format import ToolFormat
from eclair.errors import EclairError

if TYPE_CHECKING:
    from eclair.answer.pipeline import AnswerPipeline
    from eclair.api.serving_tools import ToolAnswers


class ChatService(ServingBase):
    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        pipeline: AnswerPipeline | None = None,
        *,
        engines: Mapping[str, Engine] | None = None,
        pool: ModelPool | None = None,
    ):
        super().__init__(
            engine, settings, assistant_available=pipeline is not None, engines=engines, pool=pool
        )
        self.pipeline = pipeline
        # MCP tools for /v1 requests to a named model (set by the web layer when it opens)
        self.tool_answers: ToolAnswers | None = None

    async def answer(
        self,
        request: ChatCompletionRequest,
        *,
        user_id: str | None = None,
        documents: Sequence[str] | None = None,
    ) -> tuple[str, AnswerStream]:
        """Admit one chat request and start answering it: (model id, answer stream).

        Raises before any generation for bad requests, unknown models, prompts that do not
        fit and a full queue. Other services (the web app's conversations) call this too;
        ``documents`` is a conversation's scope (None: all of the user's documents).
        """
        model, answer, _ = await self._begin(request, user_id, documents)
        return model, answer

    async def answer_with_tools(
        self, request: ChatCompletionRequest, *, user_id: str | None = None
    ) -> tuple[AnswerStream, ToolFormat | None]:
        """:meth:`answer`, and the format the model writes its calls in (None: no tools
        offered); a model turn of the tool loop reads the calls back with it."""
        _, answer, tool_format = await self._begin(request, user_id)
        return answer, tool_format

    async def _begin(
        self, request: ChatCompletionRequest, user_id: str | None, documents: Sequence[str] | None = None
    ) -> tuple[str, AnswerStream, ToolFormat | None]:
        """:meth:`answer`, and the tool format to read calls back with (None: no tools)."""
        request.check_supported()
        keep_alive = request.keep_alive_s()
        model = self.resolve_model(request.model)
        if self.accounting is not None:
            await self.accounting.admit(user_id)
        lease = await self.lease(model, keep_alive)  # loads the model if it is not loaded
        try:
            engine = lease.engine
            messages = request.chat_messages()
            tool_format: ToolFormat | None = None
            if request.tools or request.has_tool_messages:
                tools = offered_tools(request)
                prompt, tool_format = engine.render_chat_with_tools(messages, tools)
                if not tool_format.native:  # what a forwarding backend sends
                    messages = tool_format.rewrite(messages, tools)
                if tools is None:
                    tool_format = None
            else:
                prompt = engine.render_chat(messages)  # the model's own chat template
            constraint = await compile_constraint(request, engine)  # 400 if bad or too complex
            tokens = await self.count_tokens(prompt, engine)
            params = self.budget(request, len(tokens), engine)
            if model == ASSISTANT_MODEL_ID and self.pipeline is not None and not request.constrained:
                answer = self.pipeline.stream(messages, params, user_id=user_id, documents=documents)
            else:
                generation = GenerationRequest(
                    prompt=tokens,
                    params=params,
                    request_id=new_id("chatcmpl"),
                    messages=messages,
                    constraint=constraint,
                )
                answer = AnswerStream(events=engine.generate(generation), info=AnswerInfo(route="model"))
            if self.accounting is not None:
                answer = self.accounting.track(answer, model=model, user_id=user_id)
        except BaseException:
            lease.release()
            raise
        answer.events = lease.hold(answer.events)  # the model stays loaded until the answer ends
        return model, answer, tool_format

    async def create(
        self, request: ChatCompletionRequest, *, user_id: str | None = None
    ) -> dict[str, Any] | AsyncIterator[str]:
        timing = Timing()
        looped = await self._through_tools(request, user_id)
        if looped is not None:
            (model, answer), tool_format = looped, None
        else:
            model, answer, tool_format = await self._begin(request, user_id)
        response_id = new_id("chatcmpl")
        reader = ToolCallReader(tool_format) if tool_format is not None else None
        if request.stream:
            return self._stream(response_id, model, answer, timing, request.include_usage, reader)
        entries: list[TokenLogprob] = []
        text, finished = await collect(answer.events, timing, entries if request.logprobs else None)
        message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
        reason: str = finished.finish_reason
        if reader is not None:
            pieces = [*reader.feed(text), *reader.close()]
            content = "".join(p for p in pieces if isinstance(p, str))
            message["content"] = content or None
            if reader.calls:
                message["tool_calls"] = [call.to_json() for call in reader.calls]
                reason = "tool_calls" if reason == "stop" else reason
        logprobs = {"content": logprobs_content(entries), "refusal": None} if request.logprobs else None
        return {
            "id": response_id,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "system_fingerprint": None,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "logprobs": logprobs,
                    "finish_reason": reason,
                }
            ],
            "usage": usage_object(finished),
            "eclair": eclair_object(answer.info, timing),
        }

    async def _through_tools(
        self, request: ChatCompletionRequest, user_id: str | None
    ) -> tuple[str, AnswerStream] | None:
        """The answer through the MCP tool loop under the request's ``eclair.tool_approval``
        (checked on every request, so a bad value is a 400 whether or not tools are on offer),
        or None when no MCP tool is offered for it."""
        option = request.eclair.tool_approval if request.eclair is not None else None
        policy = api_policy(option, allow_permitted=self.settings.tool_approval_api_allow)
        if self.tool_answers is None:
            return None
        request.check_supported()
        model = self.resolve_model(request.model)
        answer = await self.tool_answers.start_api(request, model, user_id, policy)
        return None if answer is None else (model, answer)

    async def _stream(
        self,
        response_id: str,
        model: str,
        answer: AnswerStream,
        timing: Timing,
        include_usage: bool,
        reader: ToolCallReader | None,
    ) -> AsyncIterator[str]:
        base: dict[str, Any] = {
            "id": response_id,
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "system_fingerprint": None,
        }
        if include_usage:
            base["usage"] = None

        def chunk(
            delta: dict[str, Any], finish_reason: str | None = None, logprobs: list[Any] | None = None
        ) -> dict[str, Any]:
            scores = None if logprobs is None else {"content": logprobs, "refusal": None}
            choice = {"index": 0, "delta": delta, "logprobs": scores, "finish_reason": finish_reason}
            return {**base, "choices": [choice]}

        def deltas(pieces: list[str | dict[str, Any]]) -> list[dict[str, Any]]:
            return [{"content": p} if isinstance(p, str) else {"tool_calls": [p]} for p in pieces]

        yield sse(chunk({"role": "assistant", "content": ""}))
        finished: Finished | None = None
        scores: list[Any] = []  # log-probabilities not sent yet (their text may be held back)
        async for event in guarded(answer.events):
            if isinstance(event, TextDelta):
                timing.on_delta(event)
                if event.logprobs:
                    scores.extend(logprobs_content(event.logprobs))
                if reader is None:
                    found = [{"content": event.text}] if event.text else []
                else:
                    found = deltas(reader.feed(event.text))
                for delta in found:
                    yield sse(chunk(delta, logprobs=scores if event.logprobs is not None else None))
                    scores = []
            elif isinstance(event, Finished):
                finished = event
                timing.on_finish(event)
            elif isinstance(event, EclairError):
                yield sse(error_payload(event))
                yield sse("[DONE]")
                return
        if reader is not None:
            for delta in deltas(reader.close()):
                yield sse(chunk(delta, logprobs=scores or None))
                scores = []
        eclair = eclair_object(answer.info, timing)
        reason: str = finished.finish_reason if finished else "stop"
        if reader is not None and reader.calls and reason == "stop":
            reason = "tool_calls"
        yield sse({**chunk({}, reason), "eclair": eclair})
        if include_usage:
            yield sse({**base, "choices": [], "usage": usage_object(finished), "eclair": eclair})
        yield sse("[DONE]")
