"""The ``openai`` backend: any OpenAI-compatible server (vLLM, SGLang, llama.cpp's
``llama-server``, llama-cpp-python's server, another Éclair) used as an engine.

Contract:
- One pooled ``httpx.AsyncClient`` per backend: keep-alive connections are reused.
- Chats go to ``/chat/completions`` as ``messages`` (the server applies its own chat
  template, see :mod:`eclair.engine.prompts`); raw text prompts go to ``/completions``.
  Requests always stream, with ``stream_options.include_usage`` so that usage is the
  server's own count (estimated when a server does not send it).
- Pass-through without buffering: each upstream SSE line is parsed as it arrives and
  becomes a :class:`TextDelta` at once (reading, deadlines and error bodies:
  :mod:`eclair.engine.remote_stream`).
- Timeouts: ``connect`` (TCP), ``first_token`` (from sending to the first event) and
  ``idle`` (between two events).
- Retries only where safe: before the response body starts, on connection failures and
  HTTP 502/503/504; never after, and never on a timeout (it would double the wait).
- Errors: upstream 400 → :class:`InvalidRequest` with the upstream's message
  (:class:`ContextLengthExceeded` when it says so), 404 → :class:`ModelNotFound`,
  429 → :class:`RateLimited`, 503 → :class:`Overloaded`, other 5xx and credential refusals →
  :class:`EngineError`; unreachable or silent before any text → :class:`UpstreamUnavailable`
  (a 503 for API users, a failure for the router); a failure after text →
  :class:`EngineError` (the API ends the stream with an error event).
- ``tokenize()`` cannot see the server's tokenizer: it *estimates* one token per five UTF-8
  bytes, erring low so that Éclair never refuses a prompt the server would take; the server
  checks the real count and its refusal comes back as :class:`ContextLengthExceeded`.
- Closing the iterator closes the HTTP response and its connection; the server sees the
  disconnect and stops generating.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from eclair.engine.prompts import RenderedChat, TextTokens, chat_messages, chatml, prompt_text
from eclair.engine.protocol import (
    ChatMessage,
    Engine,
    EngineStats,
    Finished,
    FinishReason,
    GenerationRequest,
    StreamEvent,
    TextDelta,
    Usage,
)
from eclair.engine.remote_stream import SSEPayloads, error_from, parse_payload, translate
from eclair.errors import (
    ConfigurationError,
    EclairError,
    EngineError,
    InvalidRequest,
    Overloaded,
    UpstreamUnavailable,
)

if TYPE_CHECKING:
    from eclair.config import Settings
    from eclair.engine.catalog import BackendEntry

logger = logging.getLogger(__name__)

DEFAULT_CONTEXT_SIZE = 4096
BYTES_PER_TOKEN = 5
_RETRY_STATUSES = {502, 503, 504}


@dataclass(frozen=True, slots=True)
class Timeouts:
    connect_s: float = 5.0
    first_token_s: float = 60.0
    idle_s: float = 30.0


def estimate_tokens(text: str) -> int:
    return max(1, len(text.encode("utf-8")) // BYTES_PER_TOKEN)


class OpenAIEngine(Engine):
    backend_name = "openai"
    supports_concurrency = True
    is_remote = True

    def __init__(
        self,
        base_url: str,
        *,
        model: str | None = None,
        model_id: str | None = None,
        api_key: str | None = None,
        context_size: int | None = None,
        timeouts: Timeouts = Timeouts(),
        max_retries: int = 1,
        max_connections: int = 256,
        sampling_extensions: bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.upstream_model = model
        self.model_id = model_id or model or ""
        self.context_size = context_size or DEFAULT_CONTEXT_SIZE
        self._context_known = context_size is not None
        self.api_key = api_key
        self.timeouts = timeouts
        self.max_retries = max_retries
        self.max_connections = max_connections
        self.sampling_extensions = sampling_extensions
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._closing = False
        self.active = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAIEngine:
        if not settings.upstream_url:
            raise ConfigurationError("the openai backend needs --upstream-url (e.g. http://host:8000/v1)")
        explicit_ctx = "ctx_size" in settings.model_fields_set
        return cls(
            settings.upstream_url,
            model=settings.upstream_model,
            model_id=settings.model_id,
            api_key=settings.upstream_api_key,
            context_size=settings.ctx_size if explicit_ctx else None,
        )

    @classmethod
    def from_entry(cls, entry: BackendEntry) -> OpenAIEngine:
        """Build from one ``backend = "openai"`` entry of the models file."""
        if not entry.url:
            raise ConfigurationError(f"model {entry.name!r}: an openai backend needs a url")
        return cls(
            entry.url,
            model=entry.upstream_model or entry.name,
            model_id=entry.name,
            api_key=entry.resolved_api_key(),
            context_size=entry.context_size,
            timeouts=Timeouts(entry.connect_timeout_s, entry.first_token_timeout_s, entry.idle_timeout_s),
            max_retries=entry.max_retries,
            max_connections=entry.max_concurrency or 256,
            sampling_extensions=entry.sampling_extensions,
        )

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        limits = httpx.Limits(
            max_connections=self.max_connections,
            max_keepalive_connections=self.max_connections,
            keepalive_expiry=30.0,
        )
        # Reads are bounded by our own first-token and idle deadlines, not httpx's.
        timeout = httpx.Timeout(connect=self.timeouts.connect_s, read=None, write=30.0, pool=None)
        self._client = httpx.AsyncClient(
            headers=headers, limits=limits, timeout=timeout, transport=self._transport
        )
        try:
            await self._discover()
        except (httpx.HTTPError, ValueError) as exc:
            if self.upstream_model is None:
                raise EngineError(
                    f"cannot list the models of {self.base_url} ({exc}); set the upstream model name"
                ) from None
            logger.warning("upstream %s did not list its models: %s", self.base_url, exc)

    async def _discover(self) -> None:
        """Learn the upstream's model name (when not given) and context size (vLLM's ``max_model_len``)."""
        client = self._require_client()
        response = await client.get(f"{self.base_url}/models", timeout=self.timeouts.connect_s + 5)
        response.raise_for_status()
        cards = [c for c in response.json().get("data", []) if isinstance(c, dict)]
        if self.upstream_model is None:
            if not cards:
                raise ValueError("it serves no model")
            self.upstream_model = str(cards[0]["id"])
        self.model_id = self.model_id or self.upstream_model
        card = next((c for c in cards if c.get("id") == self.upstream_model), None)
        if card and not self._context_known and isinstance(card.get("max_model_len"), int):
            self.context_size = card["max_model_len"]

    async def close(self) -> None:
        self._closing = True
        if self._client is not None:
            await self._client.aclose()

    def _require_client(self) -> httpx.AsyncClient:
        if self._client is None:
            raise Overloaded("the remote backend is not started yet")
        return self._client

    async def check_health(self) -> bool:
        """``GET /health`` on the server root (vLLM, llama.cpp, Éclair), else ``GET /models``."""
        client = self._require_client()
        root = self.base_url.removesuffix("/v1")
        try:
            response = await client.get(f"{root}/health", timeout=self.timeouts.connect_s)
            if response.status_code == 404:
                response = await client.get(f"{self.base_url}/models", timeout=self.timeouts.connect_s)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    # -- the seam -----------------------------------------------------------------------

    def render_chat(self, messages: Sequence[ChatMessage]) -> str:
        return RenderedChat(chatml(messages), messages)

    def tokenize(self, text: str) -> list[int]:
        """An estimate (see the module docstring): placeholder ids that remember the text."""
        return TextTokens([0] * estimate_tokens(text), text)

    def stats(self) -> EngineStats:
        return EngineStats(active_slots=self.active, total_slots=self.max_connections)

    def generate(self, request: GenerationRequest) -> AsyncIterator[StreamEvent]:
        client = self._require_client()
        path, body = self._payload(request)
        return self._stream(client, request, path, body)

    def _payload(self, request: GenerationRequest) -> tuple[str, dict[str, Any]]:
        p = request.params
        body: dict[str, Any] = {
            "stream": True,
            "stream_options": {"include_usage": True},
            "max_tokens": p.max_tokens,
            "temperature": p.temperature,
            "top_p": p.top_p,
        }
        if self.upstream_model:
            body["model"] = self.upstream_model
        if p.seed is not None:
            body["seed"] = p.seed
        if p.stop:
            body["stop"] = list(p.stop)
        if p.presence_penalty:
            body["presence_penalty"] = p.presence_penalty
        if p.frequency_penalty:
            body["frequency_penalty"] = p.frequency_penalty
        if self.sampling_extensions:
            # vLLM, SGLang and llama.cpp accept these; llama.cpp spells the penalty repeat_penalty.
            body.update(top_k=p.top_k, min_p=p.min_p, repetition_penalty=p.repeat_penalty)
            body["repeat_penalty"] = p.repeat_penalty
        messages = chat_messages(request)
        if messages is not None:
            body["messages"] = [{"role": m.role, "content": m.content} for m in messages]
            return "/chat/completions", body
        text = prompt_text(request)
        if text is None:
            raise InvalidRequest("a remote model needs a text prompt, not token ids", param="prompt")
        body["prompt"] = text
        return "/completions", body

    async def _stream(
        self, client: httpx.AsyncClient, request: GenerationRequest, path: str, body: dict[str, Any]
    ) -> AsyncIterator[StreamEvent]:
        loop = asyncio.get_running_loop()
        self.active += 1
        try:
            first_deadline = loop.time() + self.timeouts.first_token_s
            response = await self._open(client, path, body, first_deadline)
            try:
                async for event in self._events(response, request, first_deadline):
                    yield event
            finally:
                await response.aclose()
        finally:
            self.active -= 1

    async def _open(
        self, client: httpx.AsyncClient, path: str, body: dict[str, Any], deadline: float
    ) -> httpx.Response:
        """Send the request and return a 200 response whose body has not been read yet."""
        url = f"{self.base_url}{path}"
        loop = asyncio.get_running_loop()
        attempt = 0
        while True:
            status = 0
            try:
                async with asyncio.timeout_at(deadline):
                    response = await client.send(client.build_request("POST", url, json=body), stream=True)
            except TimeoutError:
                raise UpstreamUnavailable(
                    f"the upstream server did not answer within {self.timeouts.first_token_s:g}s"
                ) from None
            except httpx.TransportError as exc:
                error: EclairError = UpstreamUnavailable(
                    f"the upstream server is unreachable: {_describe(exc)}"
                )
            else:
                if response.status_code == 200:
                    return response
                status = response.status_code
                error = await error_from(response)
            retriable = status == 0 or status in _RETRY_STATUSES
            if attempt >= self.max_retries or not retriable or loop.time() >= deadline:
                raise error
            attempt += 1
            await asyncio.sleep(min(0.05 * 2**attempt, max(0.0, deadline - loop.time())))

    async def _events(
        self, response: httpx.Response, request: GenerationRequest, first_deadline: float
    ) -> AsyncIterator[StreamEvent]:
        payloads = SSEPayloads(response, first_deadline, self.timeouts.idle_s)
        produced = 0
        first: float | None = None
        reason: FinishReason | None = None
        usage: dict[str, Any] | None = None
        done = False
        try:
            async with contextlib.aclosing(payloads.read()) as lines:
                async for data in lines:
                    if data == b"[DONE]":
                        done = True  # read on to the end of the body: the connection goes back to the pool
                        continue
                    payload = parse_payload(data)
                    if "error" in payload:
                        error = translate(500, payload, None)
                        raise (
                            error
                            if first is None
                            else EngineError(f"the upstream server failed: {error.message}")
                        )
                    if isinstance(payload.get("usage"), dict):
                        usage = payload["usage"]
                    for choice in payload.get("choices") or ():
                        delta = choice.get("delta")
                        text = delta.get("content") if isinstance(delta, dict) else choice.get("text")
                        if text:
                            if first is None:
                                first = time.monotonic()
                                payloads.started = True
                            produced += 1
                            yield TextDelta(text)
                        if choice.get("finish_reason"):
                            reason = _finish_reason(choice["finish_reason"])
        except TimeoutError:
            if first is None:
                raise UpstreamUnavailable(
                    f"the upstream server sent no token within {self.timeouts.first_token_s:g}s"
                ) from None
            raise EngineError(f"the upstream server stalled for {self.timeouts.idle_s:g}s") from None
        except httpx.TransportError as exc:
            if not self._closing:
                if first is None:
                    raise UpstreamUnavailable(f"the upstream server failed: {_describe(exc)}") from None
                raise EngineError(f"the upstream server broke off the answer: {_describe(exc)}") from None
            reason = "cancelled"
        if reason is None:
            if not done:
                raise (UpstreamUnavailable if first is None else EngineError)(
                    "the upstream server closed the stream before finishing"
                )
            reason = "stop"
        now = time.monotonic()
        yield Finished(
            finish_reason=reason,
            usage=_usage(usage, request, produced),
            ttft_s=(first - request.arrival_time) if first is not None else None,
            decode_s=(now - first) if first is not None else 0.0,
        )


def _finish_reason(value: object) -> FinishReason:
    if value == "length":
        return "length"
    if value in ("abort", "cancelled"):
        return "cancelled"
    return "stop"


def _usage(usage: dict[str, Any] | None, request: GenerationRequest, produced: int) -> Usage:
    """The server's usage when it sent one; otherwise an estimate."""
    if usage is None:
        text = prompt_text(request) or ""
        return Usage(prompt_tokens=estimate_tokens(text), completion_tokens=produced)
    details = usage.get("prompt_tokens_details") or {}
    return Usage(
        prompt_tokens=int(usage.get("prompt_tokens") or 0),
        completion_tokens=int(usage.get("completion_tokens") or produced),
        cached_tokens=int(details.get("cached_tokens") or 0) if isinstance(details, dict) else 0,
    )


def _describe(exc: httpx.TransportError) -> str:
    return str(exc) or type(exc).__name__
