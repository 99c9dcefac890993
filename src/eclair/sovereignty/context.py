"""What the gate middleware knows about the request being served, shared with the services.

The middleware creates one :class:`RequestContext` per HTTP request and puts it in a
context variable; services (the answer accounting) read it and fill in what only they know
(the model, the user). The object is shared by reference, so what a streaming body task
writes is what the middleware records when the response ends.

Outside an HTTP request (``eclair ask`` in-process, tests calling services directly) there
is no context and :func:`principal_for` falls back to the user id or ``local``.
"""

from __future__ import annotations

import hashlib
import time
from contextvars import ContextVar
from dataclasses import dataclass, field

from starlette.types import Scope


@dataclass(slots=True)
class RequestContext:
    # Who pays, as far as the middleware can tell from the request alone.
    credential: str
    started: float = field(default_factory=time.monotonic)
    model: str = ""


current_request: ContextVar[RequestContext | None] = ContextVar("eclair_request", default=None)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def credential_of(scope: Scope) -> str:
    """``key:<hash>`` for a bearer token or session cookie, else ``ip:<client address>``.

    The hash only groups requests by credential; it is never a way to authenticate. The
    client address is the TCP peer's unless ``forwarded_allow_ips`` names that peer as a
    proxy (uvicorn then rewrites it from ``X-Forwarded-For``).
    """
    headers = {k.lower(): v for k, v in scope.get("headers", [])}
    authorization = headers.get(b"authorization", b"").decode("latin-1")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "key:" + _digest(token.strip())
    for part in headers.get(b"cookie", b"").decode("latin-1").split(";"):
        name, _, value = part.strip().partition("=")
        if name == "eclair_session" and value:
            return "key:" + _digest(value)
    client = scope.get("client")
    return f"ip:{client[0]}" if client else "ip:unknown"


def principal_for(user_id: str | None) -> str:
    """The quota key of the current caller: their user id if known, else their credential."""
    if user_id is not None:
        return f"user:{user_id}"
    context = current_request.get()
    return context.credential if context is not None else "local"


def user_label(user_id: str | None) -> str:
    """The ``user`` label of per-user metrics."""
    return user_id if user_id is not None else "shared"
