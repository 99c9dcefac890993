"""``POST /v1/chat/completions``: the chat service.

``model: "eclair"`` goes through the answer pipeline (router, tools, knowledge, abstention);
the raw model id goes straight to the engine. Either way the result is an
:class:`~eclair.answer.types.AnswerStream`, shaped here into OpenAI's chat completion
objects, with Éclair's ``eclair`` extension object on the response (non-streaming) or on the
final chunks (streaming).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any

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
from eclair.config import Settings
from eclair.engine.pool import ModelPool
from eclair.engine.protocol import Engine, Finished, GenerationRequest, TextDelta
from eclair.errors import EclairError

if TYPE_CHECKING:
    from eclair.answer.pipeline import AnswerPipeline


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

    async def answer(
        self, request: ChatCompletionRequest, *, user_id: str | None = None
    ) -> tuple[str, AnswerStream]:
        """Admit one chat request and start answering it: (model id, answer stream).

        Raises before any generation for bad requests, unknown models, prompts that do not
        fit and a full queue. Other services (the web app's conversations) call this too.
        """
        request.check_supported()
        keep_alive = request.keep_alive_s()
        model = self.resolve_model(request.model)
        if self.accounting is not None:
            await self.accounting.admit(user_id)
        lease = await self.lease(model, keep_alive)  # loads the model if it is not loaded
        try:
            engine = lease.engine
            messages = request.chat_messages()
            prompt = engine.render_chat(messages)  # the model's own chat template
            tokens = await self.count_tokens(prompt, engine)
            params = self.budget(request, len(tokens), engine)
            if model == ASSISTANT_MODEL_ID and self.pipeline is not None:
                answer = self.pipeline.stream(messages, params, user_id=user_id)
            else:
                generation = GenerationRequest(
                    prompt=tokens, params=params, request_id=new_id("chatcmpl"), messages=messages
                )
                answer = AnswerStream(events=engine.generate(generation), info=AnswerInfo(route="model"))
            if self.accounting is not None:
                answer = self.accounting.track(answer, model=model, user_id=user_id)
        except BaseException:
            lease.release()
            raise
        answer.events = lease.hold(answer.events)  # the model stays loaded until the answer ends
        return model, answer

    async def create(
        self, request: ChatCompletionRequest, *, user_id: str | None = None
    ) -> dict[str, Any] | AsyncIterator[str]:
        timing = Timing()
        model, answer = await self.answer(request, user_id=user_id)
        response_id = new_id("chatcmpl")
        if request.stream:
            return self._stream(response_id, model, answer, timing, request.include_usage)
        text, finished = await collect(answer.events, timing)
        return {
            "id": response_id,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "system_fingerprint": None,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text, "refusal": None},
                    "logprobs": None,
                    "finish_reason": finished.finish_reason,
                }
            ],
            "usage": usage_object(finished),
            "eclair": eclair_object(answer.info, timing),
        }

    async def _stream(
        self, response_id: str, model: str, answer: AnswerStream, timing: Timing, include_usage: bool
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

        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
            choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
            return {**base, "choices": [choice]}

        yield sse(chunk({"role": "assistant", "content": ""}))
        finished: Finished | None = None
        async for event in guarded(answer.events):
            if isinstance(event, TextDelta):
                timing.on_delta(event)
                if event.text:
                    yield sse(chunk({"content": event.text}))
            elif isinstance(event, Finished):
                finished = event
                timing.on_finish(event)
            elif isinstance(event, EclairError):
                yield sse(error_payload(event))
                yield sse("[DONE]")
                return
        eclair = eclair_object(answer.info, timing)
        reason = finished.finish_reason if finished else "stop"
        yield sse({**chunk({}, reason), "eclair": eclair})
        if include_usage:
            yield sse({**base, "choices": [], "usage": usage_object(finished), "eclair": eclair})
        yield sse("[DONE]")
