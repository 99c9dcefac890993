"""Several backends behind one model name: balancing, health checks, circuit breaking, failover.

A :class:`Router` is itself an :class:`~eclair.engine.protocol.Engine`, so the API serves a
fleet exactly as it serves one embedded model.

Contract:
- Balancing: least outstanding requests, weighted: a request goes to the usable backend with
  the smallest ``(outstanding + 1) / weight``. Backends at ``max_concurrency`` are skipped;
  ``fallback`` backends (e.g. the local model) get requests only when no other one can.
- Circuit breaker per backend: it opens after ``failure_threshold`` consecutive failures
  (requests that failed before any text, broken streams, failed health checks); while open
  the backend gets nothing; after ``cooldown_s`` it is half-open and one request (or a passing
  health check) probes it: success closes it, failure opens it again.
- Health checks: every ``health_interval_s`` each backend's ``check_health()`` is polled.
- Failover: a request that fails before its first event (unreachable, timed out, 5xx, busy)
  is sent to the next backend, invisibly to the client. Client mistakes (HTTP 400-like
  :class:`~eclair.errors.InvalidRequest`) are not retried. Once events have been forwarded,
  a failure ends the stream with :class:`~eclair.errors.EngineError` (the API turns it into
  an SSE error event): text already sent cannot be taken back.
- Panic mode (as Envoy's): when every breaker is open, a request is still tried on the
  backends, oldest failure first, rather than refused: a backend that has just come back
  answers at once, and a dead one fails in milliseconds (connection refused). This closes the
  window between a backend's return and its breaker's next probe, when its peer is down.
- Admission happens when ``generate()`` is called: when every backend is at
  ``max_concurrency`` it raises :class:`~eclair.errors.Overloaded` at once.
- Prompts: ``render_chat``/``tokenize`` use the first backend's template and tokenizer and
  remember the messages and text (:mod:`eclair.engine.prompts`), so that a request routed to
  another backend is rendered again with that backend's own template.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import random
import time
import weakref
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from eclair.engine.prompts import RenderedChat, TextTokens, chat_messages, prompt_text
from eclair.engine.protocol import ChatMessage, Engine, EngineStats, GenerationRequest, StreamEvent
from eclair.errors import (
    DeadlineExceeded,
    EngineError,
    InvalidRequest,
    Overloaded,
    PayloadTooLarge,
    RateLimited,
    UpstreamUnavailable,
)

logger = logging.getLogger(__name__)

BreakerState = Literal["closed", "open", "half_open"]


class CircuitBreaker:
    """Consecutive-failure breaker with a cool-down and a single half-open probe."""

    def __init__(
        self, threshold: int = 3, cooldown_s: float = 10.0, clock: Callable[[], float] = time.monotonic
    ):
        self.threshold = threshold
        self.cooldown_s = cooldown_s
        self.clock = clock
        self.state: BreakerState = "closed"
        self.failures = 0
        self.opened_at = 0.0
        self.probing = False

    def _refresh(self) -> None:
        if self.state == "open" and self.clock() - self.opened_at >= self.cooldown_s:
            self.state = "half_open"
            self.probing = False

    def available(self) -> bool:
        """Whether a request may be sent now (without taking the half-open probe)."""
        self._refresh()
        return self.state == "closed" or (self.state == "half_open" and not self.probing)

    def acquire(self) -> bool:
        """Take permission for one request; in half-open state only one probe at a time."""
        if not self.available():
            return False
        if self.state == "half_open":
            self.probing = True
        return True

    def release_probe(self) -> None:
        """A probe ended without a verdict (cancelled): let another request probe."""
        self.probing = False

    def record_success(self) -> None:
        self.failures = 0
        self.state = "closed"
        self.probing = False

    def record_failure(self) -> None:
        self.failures += 1
        self._refresh()
        if self.state == "half_open" or self.failures >= self.threshold:
            if self.state != "open":
                logger.warning("circuit opened after %d consecutive failures", self.failures)
            self.state = "open"
            self.opened_at = self.clock()
            self.probing = False

    def health_passed(self) -> None:
        """A passing health check moves an open breaker whose cool-down is over to closed."""
        self._refresh()
        if self.state == "half_open":
            self.record_success()


@dataclass(eq=False)
class Backend:
    """One engine behind a router, with its balancing and breaker state."""

    engine: Engine
    label: str = ""
    weight: float = 1.0
    max_concurrency: int | None = None
    fallback: bool = False
    breaker: CircuitBreaker = field(default_factory=CircuitBreaker)
    outstanding: int = 0
    served: int = 0
    failed: int = 0
    start_error: str | None = None

    @property
    def saturated(self) -> bool:
        return self.max_concurrency is not None and self.outstanding >= self.max_concurrency

    def usable(self) -> bool:
        return self.start_error is None and not self.saturated and self.breaker.available()


class _Lease:
    """One request's hold on a backend: released exactly once, even if never iterated."""

    def __init__(self, backend: Backend, probe: bool):
        self.backend = backend
        self.probe = probe
        self.verdict = False
        self.released = False
        backend.outstanding += 1

    def success(self) -> None:
        if not self.verdict:
            self.verdict = True
            self.backend.breaker.record_success()

    def failure(self) -> None:
        self.verdict = True
        self.backend.failed += 1
        self.backend.breaker.record_failure()

    def release(self) -> None:
        if self.released:
            return
        self.released = True
        self.backend.outstanding -= 1
        self.backend.served += 1
        if self.probe and not self.verdict:
            self.backend.breaker.release_probe()


def _is_client_error(exc: BaseException) -> bool:
    """Errors that another backend would answer the same way (a bad request, a deadline already
    past): not retried, not counted, passed on as they are."""
    return isinstance(exc, InvalidRequest | PayloadTooLarge | DeadlineExceeded)


def _is_busy(exc: BaseException) -> bool:
    """A backend that said "not now" (503, 429) is busy, not broken: try another, count nothing."""
    return isinstance(exc, Overloaded | RateLimited) and not isinstance(exc, UpstreamUnavailable)


class Router(Engine):
    backend_name = "router"
    supports_concurrency = True

    def __init__(
        self,
        model_id: str,
        backends: Sequence[Backend],
        *,
        context_size: int | None = None,
        health_interval_s: float = 5.0,
        health_timeout_s: float = 5.0,
    ):
        if not backends:
            raise ValueError("a router needs at least one backend")
        self.model_id = model_id
        self.backends = list(backends)
        self._context_size = context_size
        self.context_size = context_size or self._smallest_context()
        self.health_interval_s = health_interval_s
        self.health_timeout_s = health_timeout_s
        self._health_task: asyncio.Task[None] | None = None
        self._template = self.backends[0]
        # Remote when every primary backend is: its answers are then accounted as remote.
        self.is_remote = all(b.engine.is_remote for b in self.backends if not b.fallback)
        #: Facts about the model for accounting (parameter counts), set by the catalog.
        self.parameters: int | None = None
        self.active_parameters: int | None = None

    def _smallest_context(self) -> int:
        primaries = [b for b in self.backends if not b.fallback] or self.backends
        return min(b.engine.context_size for b in primaries)

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        results = await asyncio.gather(*(b.engine.start() for b in self.backends), return_exceptions=True)
        for backend, result in zip(self.backends, results, strict=True):
            if isinstance(result, BaseException):
                backend.start_error = str(result) or type(result).__name__
                logger.error("backend %s of %s failed to start: %s", backend.label, self.model_id, result)
        if all(b.start_error for b in self.backends):
            raise EngineError(f"no backend of {self.model_id} could start: {self.backends[0].start_error}")
        started = [b for b in self.backends if b.start_error is None]
        self._template = started[0]
        self.context_size = self._context_size or self._smallest_context()
        if self.health_interval_s > 0:
            self._health_task = asyncio.create_task(self._health_loop())

    async def close(self) -> None:
        if self._health_task is not None:
            self._health_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._health_task
        await asyncio.gather(*(b.engine.close() for b in self.backends), return_exceptions=True)

    async def _health_loop(self) -> None:
        while True:
            await asyncio.sleep(self.health_interval_s)
            await self.check_backends()

    async def check_backends(self) -> None:
        """Poll every started backend's health once and feed the breakers."""

        async def probe(backend: Backend) -> None:
            try:
                ok = await asyncio.wait_for(backend.engine.check_health(), self.health_timeout_s)
            except Exception:
                ok = False
            if ok:
                backend.breaker.health_passed()
            elif backend.breaker.state != "open":
                backend.breaker.record_failure()

        await asyncio.gather(*(probe(b) for b in self.backends if b.start_error is None))

    async def check_health(self) -> bool:
        return any(b.usable() or b.saturated for b in self.backends)

    def is_ready(self) -> bool:
        return any(b.engine.is_ready() for b in self.backends if b.start_error is None)

    # -- the seam -----------------------------------------------------------------------

    def render_chat(self, messages: Sequence[ChatMessage]) -> str:
        return RenderedChat(self._template.engine.render_chat(messages), messages)

    def tokenize(self, text: str) -> list[int]:
        return TextTokens(self._template.engine.tokenize(text), text)

    def stats(self) -> EngineStats:
        parts = [b.engine.stats() for b in self.backends if b.start_error is None]
        fields = [f.name for f in dataclasses.fields(EngineStats)]
        return EngineStats(**{name: sum(getattr(s, name) for s in parts) for name in fields})

    def memory_estimate(self) -> int:
        return sum(b.engine.memory_estimate() for b in self.backends)

    def order(self) -> list[Backend]:
        """Usable backends, best first: non-fallback, then fewest weighted outstanding requests."""
        usable = [b for b in self.backends if b.usable()]
        random.shuffle(usable)  # ties go to a random backend, not always the first
        return sorted(usable, key=lambda b: (b.fallback, (b.outstanding + 1) / b.weight))

    def last_resort(self) -> list[Backend]:
        """Panic mode: every started backend with room, its breaker ignored, oldest failure first."""
        room = [b for b in self.backends if b.start_error is None and not b.saturated]
        return sorted(room, key=lambda b: b.breaker.opened_at)

    def generate(self, request: GenerationRequest) -> AsyncIterator[StreamEvent]:
        candidates = self.order() or self.last_resort()
        lease, stream, error = self._admit(request, candidates)
        if lease is None or stream is None:
            if error is not None:
                raise error
            raise Overloaded(f"no backend of {self.model_id} is available right now", retry_after=1.0)
        routed = self._run(request, lease, stream, candidates)
        weakref.finalize(routed, lease.release)
        return routed

    def _request_for(self, backend: Backend, request: GenerationRequest) -> GenerationRequest:
        """The request as ``backend`` needs it: rendered with its template when it is not ours."""
        if backend is self._template:
            return request
        messages = chat_messages(request)
        if messages is not None:
            return dataclasses.replace(
                request, prompt=backend.engine.render_chat(messages), messages=messages
            )
        text = prompt_text(request)
        return request if text is None else dataclasses.replace(request, prompt=text)

    def _admit(
        self, request: GenerationRequest, candidates: list[Backend]
    ) -> tuple[_Lease | None, AsyncIterator[StreamEvent] | None, Exception | None]:
        """Hand the request to the first candidate that takes it; consumes ``candidates``."""
        error: Exception | None = None
        while candidates:
            backend = candidates.pop(0)
            if backend.saturated:
                continue
            probe = backend.breaker.acquire() and backend.breaker.state == "half_open"
            lease = _Lease(backend, probe)
            try:
                return lease, backend.engine.generate(self._request_for(backend, request)), None
            except Exception as exc:
                lease.release()
                if _is_client_error(exc):
                    raise
                if not _is_busy(exc):
                    lease.failure()
                error = exc
        return None, None, error

    async def _run(
        self,
        request: GenerationRequest,
        lease: _Lease,
        stream: AsyncIterator[StreamEvent],
        candidates: list[Backend],
    ) -> AsyncIterator[StreamEvent]:
        while True:
            started = False
            try:
                async for event in stream:
                    if not started:
                        started = True
                        lease.success()
                    yield event
                return
            except Exception as exc:
                if _is_client_error(exc):
                    raise
                if started or not _is_busy(exc):
                    lease.failure()
                if started:
                    logger.warning("backend %s failed mid-answer: %s", lease.backend.label, exc)
                    message = getattr(exc, "message", None) or "the backend failed"
                    raise EngineError(f"{message} (after part of the answer was sent)") from exc
                logger.warning("backend %s failed, trying another: %s", lease.backend.label, exc)
                failure = exc
            finally:
                lease.release()
                aclose = getattr(stream, "aclose", None)
                if aclose is not None:
                    await aclose()
            next_lease, next_stream, error = self._admit(request, candidates)
            if next_lease is None or next_stream is None:
                raise error or failure
            lease, stream = next_lease, next_stream
