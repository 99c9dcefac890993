"""Request dependencies shared by routers: readiness and authentication."""

from __future__ import annotations

import hmac

from fastapi import Request

from eclair.errors import Overloaded, Unauthorized


async def require_ready(request: Request) -> None:
    state = request.app.state
    if not state.ready:
        detail = "the model is still loading" if state.load_error is None else "the model failed to load"
        raise Overloaded(f"{detail}; retry shortly", retry_after=2)


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
