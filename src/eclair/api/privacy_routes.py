"""``GET /api/me/export`` and ``DELETE /api/me``: a user takes their data away, or erases it.

Both act on the caller: a session (with its CSRF token for DELETE) or the local user, never an
API key (403 ``insufficient_scope``: a leaked key must not take everything away or erase);
the work is :mod:`eclair.sovereignty.privacy`, run in a worker thread. Erasure also drops the
user's series from ``/metrics``. Like every ``/api`` response, the export is sent with
``Cache-Control: no-store`` (:mod:`eclair.api.headers`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from eclair.api.identity import Identity, account_identity, account_user, accounts_of, clear_session_cookie
from eclair.sovereignty.privacy import erase_user, export_user
from eclair.store import User

router = APIRouter(prefix="/api", tags=["privacy"])


@router.get("/me/export")
async def export_me(request: Request, user: User = Depends(account_user)) -> JSONResponse:
    """Everything Éclair holds about the caller, as one JSON archive."""
    store = accounts_of(request).store
    archive = await run_in_threadpool(export_user, store, request.app.state.knowledge, user)
    headers = {"Content-Disposition": f'attachment; filename="eclair-export-{user.name}.json"'}
    return JSONResponse(archive, headers=headers)


@router.delete("/me")
async def erase_me(
    request: Request, response: Response, identity: Identity = Depends(account_identity)
) -> Any:
    """Erase the caller's account and all their data, physically. Irreversible."""
    assert identity.user is not None
    store = accounts_of(request).store
    counts = await run_in_threadpool(erase_user, store, request.app.state.knowledge, identity.user)
    # /metrics would otherwise keep their energy and first activity until the next restart.
    request.app.state.metrics.forget_user(identity.user.id)
    clear_session_cookie(request, response)
    return {"deleted": True, **counts}
