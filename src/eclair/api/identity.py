"""Who is calling: FastAPI dependencies for the app API (``/api``) and ``/v1``.

Contract:
- ``/api`` accepts a session cookie (``eclair_session``, HttpOnly, SameSite=Strict, Secure
  behind TLS) or ``Authorization: Bearer <user API key>``. In single-user mode (see
  :class:`~eclair.accounts.service.Accounts`) a request without either acts as the local
  user, and ``GET /api/me`` hands the page a session for it.
- State-changing ``/api`` requests (POST, PUT, PATCH, DELETE) made with a cookie must carry
  the session's CSRF token in ``X-CSRF-Token``; with no session (single-user mode) they are
  refused, so a cross-site form can never act. Bearer keys need no CSRF token.
- ``/v1`` accepts ``Authorization: Bearer`` only: a user's API key (acts as that user) or the
  operator key ``ECLAIR_API_KEY`` (acts in the shared scope: user id ``None``). Without a
  key, ``/v1`` is open only in single-user mode without an operator key (acts as the local
  user). Keys in other headers or in the query string are ignored.
- Single-user mode serves only this machine: every ``/api`` and ``/v1`` request, whatever it
  carries (session cookie, API key or nothing), must name a loopback host in ``Host`` and,
  when a browser marks it (``Origin``, ``Sec-Fetch-Site``), come from that very origin; else
  403 ``untrusted_host`` or ``cross_site_request``. DNS rebinding puts the attacker's name in
  ``Host``; a cross-site page shows in ``Origin``. (In multi-user mode every request needs a
  login, and browsers send a cookie only to the host that set it.)
- API keys are for programs: they act on ``/v1`` and on conversations and documents, never on
  the account itself. Key management, export and erasure take :func:`account_identity`: a
  logged-in session (or the local user), else 403 ``insufficient_scope``. So a leaked key
  cannot mint keys that outlive its revocation, take everything away, or erase the account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from eclair.accounts import credentials
from eclair.accounts.service import SESSION_TTL, Accounts, is_loopback
from eclair.api.deps import bearer_token
from eclair.errors import Overloaded, PermissionDenied, Unauthorized
from eclair.store import Session, User

SESSION_COOKIE = "eclair_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

Via = Literal["session", "api_key", "local", "operator"]


@dataclass(frozen=True, slots=True)
class Identity:
    user: User | None
    via: Via
    session: Session | None = None

    @property
    def user_id(self) -> str | None:
        return None if self.user is None else self.user.id


def accounts_of(request: Request) -> Accounts:
    accounts: Accounts | None = getattr(request.app.state, "accounts", None)
    if accounts is None:  # the lifespan has not opened the store (yet)
        raise Overloaded("the server is starting; retry shortly", retry_after=1)
    return accounts


def _host_name(host_header: str) -> str:
    if host_header.startswith("["):
        return host_header[1 : host_header.find("]")] if "]" in host_header else host_header
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


def check_local_request(request: Request) -> None:
    """What single-user mode may serve: a program on this machine, or a page of this server.

    The ``Host`` must be a loopback name (DNS rebinding sends the attacker's); requests that
    browsers mark (``Origin``, ``Sec-Fetch-Site``) must come from this very origin.
    """
    headers = request.headers
    host = headers.get("host", "")
    if not is_loopback(_host_name(host)):
        raise PermissionDenied(
            "this server runs without login and answers only requests addressed to this machine "
            "(Host: localhost or a loopback address)",
            code="untrusted_host",
        )
    origin = headers.get("origin")
    cross_site = headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none") or (
        origin is not None and (origin == "null" or urlsplit(origin).netloc != host)
    )
    if cross_site:
        raise PermissionDenied("requests from other sites are refused", code="cross_site_request")


async def _single_user(request: Request) -> bool:
    """Whether the server is in single-user mode (asked once per request)."""
    known: bool | None = getattr(request.state, "single_user", None)
    if known is None:
        known = await run_in_threadpool(accounts_of(request).single_user)
        request.state.single_user = known
    return known


async def single_user_guard(request: Request) -> bool:
    """Whether the server is in single-user mode; then 403 unless :func:`check_local_request`."""
    single = await _single_user(request)
    if single:
        check_local_request(request)
    return single


async def app_identity(request: Request) -> Identity:
    """The caller of an ``/api`` route (401 if unknown), without the CSRF check."""
    accounts = accounts_of(request)
    single = await single_user_guard(request)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        found: tuple[Session, User] | None = await run_in_threadpool(accounts.session, token)
        if found is not None:
            session, user = found
            return Identity(user=user, via="session", session=session)
    secret = bearer_token(request)
    if secret is not None:
        key_user: User | None = await run_in_threadpool(accounts.key_user, secret)
        if key_user is None:
            raise Unauthorized("invalid or revoked API key")
        return Identity(user=key_user, via="api_key")
    if single:
        return Identity(user=await run_in_threadpool(accounts.local_user), via="local")
    raise Unauthorized("log in first", code="login_required")


def check_csrf(request: Request, identity: Identity) -> None:
    if request.method in SAFE_METHODS or identity.via == "api_key":
        return
    if identity.session is None:
        raise PermissionDenied("this request needs a session: load the page again", code="csrf_failed")
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent or not credentials.same(sent, identity.session.csrf_token):
        raise PermissionDenied("missing or wrong CSRF token", code="csrf_failed")


async def current_identity(request: Request) -> Identity:
    """The caller of an ``/api`` route, CSRF-checked for state-changing methods."""
    identity = await app_identity(request)
    check_csrf(request, identity)
    return identity


async def current_user(request: Request) -> User:
    identity = await current_identity(request)
    assert identity.user is not None
    return identity.user


async def account_identity(request: Request) -> Identity:
    """The caller of a route that acts on the account itself: never an API key (403)."""
    identity = await current_identity(request)
    if identity.via == "api_key":
        raise PermissionDenied(
            "an API key cannot manage keys or the account: log in to the web page to do this",
            code="insufficient_scope",
        )
    return identity


async def account_user(request: Request) -> User:
    identity = await account_identity(request)
    assert identity.user is not None
    return identity.user


async def v1_user_id(request: Request) -> str | None:
    """The caller of a ``/v1`` route: a user id, or None for the operator key (shared scope)."""
    accounts = accounts_of(request)
    operator_key = request.app.state.settings.api_key
    secret = bearer_token(request)
    if await single_user_guard(request) and operator_key is None:
        # Single-user local mode has no credentials at all; OpenAI clients always send some
        # bearer token (the SDK requires one), so any token is accepted here.
        local = await run_in_threadpool(accounts.local_user)
        return local.id
    if secret is not None:
        if operator_key and credentials.same(secret, operator_key):
            return None
        user = await run_in_threadpool(accounts.key_user, secret)
        if user is None:
            raise Unauthorized("invalid or revoked API key: send 'Authorization: Bearer <key>'")
        return user.id
    raise Unauthorized("an API key is required: send 'Authorization: Bearer <key>'")


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_TTL.total_seconds()),
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https"
    )
