"""``/api/me`` and ``/api/auth/login|logout``: sessions for the web page.

Thin routes over :class:`~eclair.accounts.service.Accounts`; the rules live in
:mod:`eclair.api.identity`. ``GET /api/me`` never fails for an anonymous caller: it says which
mode the server is in, and in single-user mode it also opens a session for the local user
(the page's way in, with no login).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from eclair.api.app_protocol import LoginRequest, MeOut, Mode, UserOut, errors
from eclair.api.identity import (
    SESSION_COOKIE,
    Identity,
    accounts_of,
    app_identity,
    clear_session_cookie,
    current_identity,
    set_session_cookie,
    single_user_guard,
)
from eclair.errors import EclairError, Unauthorized

router = APIRouter(prefix="/api", tags=["accounts"])


def _documents(request: Request) -> bool:
    return getattr(request.app.state, "knowledge", None) is not None


@router.get("/me", response_model=MeOut)
async def me(request: Request, response: Response) -> MeOut:
    """The caller, the server's mode, and the CSRF token to send with state-changing requests."""
    accounts = accounts_of(request)
    single = await single_user_guard(request)  # a rebound or cross-site request gets 403, not a session
    mode: Mode = "single-user" if single else "multi-user"
    try:
        identity = await app_identity(request)
    except EclairError:
        return MeOut(user=None, mode=mode, documents=_documents(request))
    if identity.session is None and identity.via == "local":
        assert identity.user is not None
        opened = await run_in_threadpool(accounts.login, identity.user)
        set_session_cookie(request, response, opened.token)
        return MeOut(
            user=UserOut.from_domain(identity.user),
            mode=mode,
            csrf_token=opened.session.csrf_token,
            documents=_documents(request),
        )
    assert identity.user is not None
    csrf = identity.session.csrf_token if identity.session else None
    return MeOut(
        user=UserOut.from_domain(identity.user), mode=mode, csrf_token=csrf, documents=_documents(request)
    )


@router.post("/auth/login", response_model=MeOut, responses=errors(400, 401, 429, 503))
async def login(body: LoginRequest, request: Request, response: Response) -> MeOut:
    """Check a name and password; on success set the session cookie.

    Throttled per name and per client address: 429 ``too_many_login_attempts`` with
    Retry-After after repeated failures; 429 ``login_busy`` when too many are being checked.
    """
    accounts = accounts_of(request)
    await single_user_guard(request)
    client = request.client.host if request.client else None
    user = await run_in_threadpool(accounts.authenticate, body.name, body.password, client=client)
    if user is None:
        raise Unauthorized("wrong name or password", code="invalid_credentials")
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        await run_in_threadpool(accounts.logout, old)
    opened = await run_in_threadpool(accounts.login, user)
    set_session_cookie(request, response, opened.token)
    single = await run_in_threadpool(accounts.single_user)
    return MeOut(
        user=UserOut.from_domain(user),
        mode="single-user" if single else "multi-user",
        csrf_token=opened.session.csrf_token,
        documents=_documents(request),
    )


@router.post("/auth/logout", status_code=204, responses=errors(401, 403))
async def logout(
    request: Request, response: Response, identity: Identity = Depends(current_identity)
) -> None:
    """End the current session (its cookie stops working at once)."""
    token = request.cookies.get(SESSION_COOKIE)
    if token and identity.via == "session":
        await run_in_threadpool(accounts_of(request).logout, token)
    clear_session_cookie(request, response)
