"""What chat and text completions share: model resolution, leases, prompt budgeting, timing, SSE.

No FastAPI here: services take validated request models and return either a JSON-ready
``dict`` or an async iterator of SSE frames; the route picks the response type from that.
Models are looked up and loaded through the model pool (:mod:`eclair.engine.pool`): a request
holds a lease on its model from admission until its answer's events end.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eclair.answer.types import AnswerInfo
from eclair.api.protocol import _SamplingRequest
from eclair.config import Settings
from eclair.engine.lease import Lease
from eclair.engine.pool import ModelPool, ModelStatus
from eclair.engine.protocol import Engine, Finished, SamplingParams, StreamEvent, TextDelta, TokenLogprob
from eclair.errors import ContextLengthExceeded, EclairError, EngineError, ModelNotFound

if TYPE_CHECKING:
    from eclair.sovereignty.accounting import Accounting

logger = logging.getLogger(__name__)

ASSISTANT_MODEL_ID = "eclair"


def sse(payload: dict[str, Any] | str) -> str:
    data = (
        payload
        if isinstance(payload, str)
        else json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    )
    return f"data: {data}\n\n"


def error_payload(exc: EclairError) -> dict[str, Any]:
    return {"error": {"message": exc.message, "type": exc.type, "param": exc.param, "code": exc.code}}


def new_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(12)}"


@dataclass(slots=True)
class Timing:
    """Wall-clock timing of one answer, as the client experiences it."""

    started: float = field(default_factory=time.monotonic)
    first_token: float | None = None
    finished: float | None = None
    completion_tokens: int = 0

    def on_delta(self, delta: TextDelta) -> None:
        if self.first_token is None and delta.text:
            self.first_token = time.monotonic()
        self.completion_tokens += delta.tokens

    def on_finish(self, finished: Finished) -> None:
        self.finished = time.monotonic()
        self.completion_tokens = finished.usage.completion_tokens

    def to_json(self) -> dict[str, float | None]:
        ttft = None if self.first_token is None else (self.first_token - self.started) * 1000
        end = self.finished or time.monotonic()
        speed = None
        if self.first_token is not None and self.completion_tokens > 1 and end > self.first_token:
            speed = (self.completion_tokens - 1) / (end - self.first_token)
        return {
            "ttft_ms": None if ttft is None else round(ttft, 2),
            "tokens_per_s": None if speed is None else round(speed, 2),
            "total_ms": round((end - self.started) * 1000, 2),
        }


def eclair_object(info: AnswerInfo, timing: Timing) -> dict[str, Any]:
    data = info.to_json()
    data["timing"] = timing.to_json()
    return data


def model_card(model_id: str, created: int, status: ModelStatus | None) -> dict[str, Any]:
    """An OpenAI model object, with ``eclair``: whether the model is in memory now, what it
    needs there, when it will be unloaded if nothing asks for it, and its last load times."""
    card: dict[str, Any] = {"id": model_id, "object": "model", "created": created, "owned_by": "eclair"}
    if status is not None:

        def rounded(seconds: float | None) -> float | None:
            return None if seconds is None else round(seconds, 3)

        card["eclair"] = {
            "loaded": status.state == "loaded",
            "state": status.state,
            "source": status.source,
            "memory_bytes": status.memory,
            "unload_in_s": rounded(status.expires_in_s),
            "last_load_s": rounded(status.last_load_s),
            "last_unload_s": rounded(status.last_unload_s),
        }
    return card


def usage_object(finished: Finished | None) -> dict[str, Any]:
    if finished is None:
        return {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
    usage = finished.usage
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.total_tokens,
        "prompt_tokens_details": {"cached_tokens": usage.cached_tokens},
    }


class ServingBase:
    """Holds the engine, the model pool and settings; knows which model ids are served."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        assistant_available: bool = False,
        engines: Mapping[str, Engine] | None = None,
        pool: ModelPool | None = None,
    ):
        self.engine = engine
        self.settings = settings
        self.assistant_available = assistant_available
        # Quotas, measurements and energy of answers; set by the app factory (None: unmeasured).
        self.accounting: Accounting | None = None
        # Every model by id, loaded on demand; without one, ``engines`` (a models file's) or
        # ``engine``, started and closed by their owner.
        self.pool = pool or ModelPool.of_engines(dict(engines) if engines else {engine.model_id: engine})

    @property
    def engines(self) -> dict[str, Engine]:
        """Models whose engine is built, by id (loaded or not). ``engine`` is the assistant's."""
        return self.pool.engines()

    def engine_for(self, model: str) -> Engine:
        """The engine behind a resolved model id (the assistant's engine for ``eclair``)."""
        if model != ASSISTANT_MODEL_ID and self.pool.resolve(model) == model:
            return self.pool.engine(model)
        return self.engine

    @property
    def raw_model_id(self) -> str:
        return self.engine.model_id

    def model_ids(self, *, refresh: bool = False) -> list[str]:
        """Served ids, ``eclair`` first; ``refresh`` looks for models installed since (listings)."""
        if refresh:
            self.pool.refresh()
        ids = self.pool.ids()
        if self.assistant_available and ASSISTANT_MODEL_ID not in ids:
            ids.insert(0, ASSISTANT_MODEL_ID)
        return ids

    def resolve_model(self, requested: str | None) -> str:
        """The id a request names (an installed model's other name gives its id)."""
        if requested is None:
            return self.model_ids()[0]
        if requested == ASSISTANT_MODEL_ID and self.assistant_available:
            return requested
        found = self.pool.resolve(requested)
        if found is None:
            raise ModelNotFound(f"the model '{requested}' does not exist", param="model")
        return found

    async def lease(self, model: str, keep_alive_s: float | None) -> Lease:
        """Hold ``model`` (loaded first if it is not) for one answer; ``eclair`` holds the
        assistant's model. Release it, or hand the answer's events to ``lease.hold``."""
        model_id = self.engine.model_id if model == ASSISTANT_MODEL_ID else model
        return await self.pool.acquire(model_id, keep_alive_s)

    async def model_cards(self, created: int, model: str | None = None) -> list[dict[str, Any]]:
        """``/v1/models`` entries (``model``: that one only, 404 if unknown): every served id,
        ``eclair`` first, installed models included, with Éclair's ``eclair`` object."""
        if model is None:
            self.pool.refresh()
        ids = self.model_ids() if model is None else [self.resolve_model(model)]
        statuses = {status.model_id: status for status in await self.pool.describe()}
        pool_id = self.engine.model_id
        return [model_card(m, created, statuses.get(pool_id if m == ASSISTANT_MODEL_ID else m)) for m in ids]

    async def count_tokens(self, text: str, engine: Engine | None = None) -> list[int]:
        """Tokenize, off the event loop when the text is long enough to matter."""
        engine = engine or self.engine
        if len(text) < 20_000:
            return engine.tokenize(text)
        return await asyncio.to_thread(engine.tokenize, text)

    def budget(
        self, request: _SamplingRequest, prompt_tokens: int, engine: Engine | None = None
    ) -> SamplingParams:
        """Sampling parameters with ``max_tokens`` fitted to the context window.

        An explicit ``max_tokens`` that does not fit is refused, as OpenAI does; the default
        is shortened to what is left of the window.
        """
        ctx = (engine or self.engine).context_size
        if prompt_tokens >= ctx:
            raise ContextLengthExceeded(
                f"This model's maximum context length is {ctx} tokens, "
                f"but the prompt is {prompt_tokens} tokens long.",
                param="messages" if hasattr(request, "messages") else "prompt",
            )
        room = ctx - prompt_tokens
        requested = request.requested_max_tokens()
        if requested is not None and requested > room:
            raise ContextLengthExceeded(
                f"This model's maximum context length is {ctx} tokens. However, you requested "
                f"{prompt_tokens + requested} tokens ({prompt_tokens} in the prompt, {requested} "
                "for the completion). Please reduce the prompt or the completion length.",
                param="max_tokens",
            )
        max_tokens = requested if requested is not None else min(self.settings.default_max_tokens, room)
        return request.sampling(max_tokens)


async def collect(
    events: AsyncIterator[Any], timing: Timing, logprobs: list[TokenLogprob] | None = None
) -> tuple[str, Finished]:
    """Drain an answer stream into its full text and final event (and its deltas'
    log-probabilities into ``logprobs``, when given)."""
    parts: list[str] = []
    finished: Finished | None = None
    try:
        async for event in events:
            if isinstance(event, TextDelta):
                timing.on_delta(event)
                parts.append(event.text)
                if logprobs is not None and event.logprobs:
                    logprobs.extend(event.logprobs)
            elif isinstance(event, Finished):
                finished = event
                timing.on_finish(event)
            elif isinstance(event, EclairError):
                raise event
            # anything else (the tool loop's events) is for other consumers
    finally:
        aclose = getattr(events, "aclose", None)
        if aclose is not None:
            await aclose()
    if finished is None:
        raise EngineError("the engine ended the stream without finishing")
    return "".join(parts), finished


async def guarded(events: AsyncIterator[StreamEvent]) -> AsyncIterator[StreamEvent | EclairError]:
    """Yield an answer's events for SSE framing; a failure becomes one final error item.

    Always closes ``events``, so a client that goes away (this generator is closed or its
    task cancelled) cancels the generation behind it.
    """
    try:
        async for event in events:
            yield event
    except EclairError as exc:
        yield exc
    except Exception:
        logger.exception("generation failed")
        yield EngineError("generation failed on the server")
    finally:
        aclose = getattr(events, "aclose", None)
        if aclose is not None:
            await aclose()
