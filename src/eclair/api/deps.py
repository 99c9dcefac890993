"""Request dependencies shared by routers: readiness and authentication."""

from __future__ import annotations

import hmac
from typing import Literal

from fastapi import Request
from starlette.datastructures import State

from eclair.engine.protocol import Engine
from eclair.errors import Overloaded, Unauthorized

Readiness = Literal["ready", "loading", "failed", "restarting"]


def loaded_engines(state: State) -> list[Engine]:
    """The engines in memory now (models not loaded load on their first request)."""
    pool = getattr(state, "pool", None)
    return pool.loaded_engines() if pool is not None else [state.engine]


def readiness(state: State) -> Readiness:
    """What ``/ready`` reports: ``loading`` until the default model is loaded, ``failed`` if it
    could not be, ``restarting`` while a loaded engine rebuilds after a failure, else ``ready``."""
    if not state.ready:
        return "loading" if state.load_error is None else "failed"
    if not all(engine.is_ready() for engine in loaded_engines(state)):
        return "restarting"
    return "ready"


_NOT_READY = {
    "loading": ("the model is still loading", 2),
    "failed": ("the model failed to load", 2),
    "restarting": ("the engine is restarting after a failure", 1),
}


async def require_ready(request: Request) -> None:
    status = readiness(request.app.state)
    if status != "ready":
        detail, retry_after = _NOT_READY[status]
        raise Overloaded(f"{detail}; retry shortly", retry_after=retry_after)


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def authenticated_user(request: Request) -> str | None:
    """The caller's user id for ``/v1`` (None in single-user mode).

    With ``ECLAIR_API_KEY`` set, requests must carry ``Authorization: Bearer <key>``; the key
    is compared in constant time and only that header is accepted (never a query string).
    """
    expected = request.app.state.settings.api_key
    if expected is None:
        return None
    token = bearer_token(request)
    if token is None or not hmac.compare_digest(token.encode(), expected.encode()):
        raise Unauthorized("a valid API key is required: send 'Authorization: Bearer <key>'")
    return None
