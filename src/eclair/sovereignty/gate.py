"""The gate: an ASGI middleware in front of every HTTP request.

Contract, in order:

1. **Draining** (after SIGTERM, see :mod:`eclair.sovereignty.shutdown`): ``/ready`` answers
   503 ``{"status": "draining"}``; every other request but ``/health`` and ``/metrics`` gets
   503 ``shutting_down`` with ``Retry-After`` and ``Connection: close``, before any work.
2. **Global overload**: with ``max_in_flight`` requests already being served, a new one gets
   503 ``overloaded`` with ``Retry-After`` at once (probes and ``/metrics`` are never refused
   or counted). Per-engine overload (queue full) is the engine's own 503.
3. **Accounting**: each request gets a :class:`~eclair.sovereignty.context.RequestContext`;
   when it ends, streams included, it is counted in ``eclair_http_requests_total`` by route
   template, method, status and model, and timed.

Refusals use the OpenAI error envelope. The gate reads headers only, never the body.
"""

from __future__ import annotations

import json
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from eclair.sovereignty.context import RequestContext, credential_of, current_request
from eclair.sovereignty.metrics import Metrics
from eclair.sovereignty.shutdown import Drain

PROBES = frozenset({"/health", "/ready", "/metrics"})
# Methods outside this set share one label value, so that odd methods cannot grow the series.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


async def _refuse(send: Send, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
    payload = json.dumps(body).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})


def _error(message: str, code: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": "server_error", "param": None, "code": code}}


class Gate:
    def __init__(self, app: ASGIApp, *, drain: Drain, max_in_flight: int, metrics: Metrics | None = None):
        self.app = app
        self.drain = drain
        self.max_in_flight = max_in_flight
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        probe = path in PROBES
        if self.drain.draining and path not in ("/health", "/metrics"):
            await self._refuse_draining(path, send)
            return
        if not probe and self.drain.in_flight >= self.max_in_flight:
            self._rejected("overloaded")
            await _refuse(
                send,
                503,
                _error("the server is at capacity; retry shortly", "overloaded"),
                {"Retry-After": "1"},
            )
            return
        if probe:
            await self.app(scope, receive, send)
            return
        await self._serve(scope, receive, send)

    async def _refuse_draining(self, path: str, send: Send) -> None:
        retry = str(max(1, round(self.drain.remaining_s())))
        headers = {"Retry-After": retry, "Connection": "close"}
        if path == "/ready":
            await _refuse(send, 503, {"status": "draining"}, headers)
            return
        self._rejected("draining")
        await _refuse(
            send,
            503,
            _error("the server is shutting down; retry on another instance", "shutting_down"),
            headers,
        )

    def _rejected(self, reason: str) -> None:
        if self.metrics is not None:
            self.metrics.rejected.labels(reason=reason).inc()

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        context = RequestContext(credential=credential_of(scope))
        token = current_request.set(context)
        status = 500

        async def watched_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        self.drain.in_flight += 1
        try:
            await self.app(scope, receive, watched_send)
        finally:
            self.drain.in_flight -= 1
            current_request.reset(token)
            if self.metrics is not None:
                self._record(scope, context, status)

    def _record(self, scope: Scope, context: RequestContext, status: int) -> None:
        assert self.metrics is not None
        route = scope.get("route")
        template = getattr(route, "path", None) or "unmatched"
        self.metrics.http_requests.labels(
            route=template,
            method=method if (method := scope.get("method", "")) in METHODS else "OTHER",
            status=str(status),
            model=context.model,
        ).inc()
        self.metrics.http_duration.labels(route=template).observe(time.monotonic() - context.started)
        if status == 429:
            self._rejected("rate_limited")
        elif status == 503:
            self._rejected("overloaded")
