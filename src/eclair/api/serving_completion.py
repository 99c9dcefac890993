"""``POST /v1/completions``: raw text completion, straight to the engine (no pipeline).

The caller's user id (``None`` for the operator key) is admitted and charged like a chat
request's, so quotas are per user whichever generation route a user's keys call.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

from eclair.answer.types import AnswerStream
from eclair.api.protocol import CompletionRequest
from eclair.api.serving_base import (
    ServingBase,
    Timing,
    collect,
    error_payload,
    guarded,
    new_id,
    sse,
    usage_object,
)
from eclair.engine.protocol import Finished, GenerationRequest, TextDelta
from eclair.errors import EclairError


class CompletionService(ServingBase):
    def model_ids(self, *, refresh: bool = False) -> list[str]:
        if refresh:
            self.pool.refresh()
        return self.pool.ids()

    async def create(
        self, request: CompletionRequest, *, user_id: str | None = None
    ) -> dict[str, Any] | AsyncIterator[str]:
        request.check_supported()
        keep_alive = request.keep_alive_s()
        model = self.resolve_model(request.model)
        if self.accounting is not None:
            await self.accounting.admit(user_id)
        timing = Timing()
        response_id = new_id("cmpl")
        lease = await self.lease(model, keep_alive)  # loads the model if it is not loaded
        try:
            engine = lease.engine
            tokens = await self.count_tokens(request.prompt_text(), engine)
            params = self.budget(request, len(tokens), engine)
            events = engine.generate(GenerationRequest(prompt=tokens, params=params, request_id=response_id))
            if self.accounting is not None:
                events = self.accounting.track(AnswerStream(events), model=model, user_id=user_id).events
        except BaseException:
            lease.release()
            raise
        events = lease.hold(events)
        if request.stream:
            return self._stream(response_id, model, events, timing, request.include_usage)
        text, finished = await collect(events, timing)
        return {
            "id": response_id,
            "object": "text_completion",
            "created": int(time.time()),
            "model": model,
            "system_fingerprint": None,
            "choices": [
                {"index": 0, "text": text, "logprobs": None, "finish_reason": finished.finish_reason}
            ],
            "usage": usage_object(finished),
        }

    async def _stream(
        self,
        response_id: str,
        model: str,
        events: AsyncIterator[Any],
        timing: Timing,
        include_usage: bool,
    ) -> AsyncIterator[str]:
        base: dict[str, Any] = {
            "id": response_id,
            "object": "text_completion",
            "created": int(time.time()),
            "model": model,
            "system_fingerprint": None,
        }
        if include_usage:
            base["usage"] = None

        def chunk(text: str, finish_reason: str | None = None) -> dict[str, Any]:
            choice = {"index": 0, "text": text, "logprobs": None, "finish_reason": finish_reason}
            return {**base, "choices": [choice]}

        finished: Finished | None = None
        async for event in guarded(events):
            if isinstance(event, TextDelta):
                timing.on_delta(event)
                if event.text:
                    yield sse(chunk(event.text))
            elif isinstance(event, Finished):
                finished = event
            elif isinstance(event, EclairError):
                yield sse(error_payload(event))
                yield sse("[DONE]")
                return
        yield sse(chunk("", finished.finish_reason if finished else "stop"))
        if include_usage:
            yield sse({**base, "choices": [], "usage": usage_object(finished)})
        yield sse("[DONE]")
