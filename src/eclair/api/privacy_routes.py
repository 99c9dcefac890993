"""``GET /api/me/export`` and ``DELETE /api/me``: a user takes their data away, or erases it.

Both act on the caller (session cookie with CSRF token for DELETE, or a user API key);
the work is :mod:`eclair.sovereignty.privacy`, run in a worker thread.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from eclair.api.identity import Identity, accounts_of, clear_session_cookie, current_identity, current_user
from eclair.sovereignty.privacy import erase_user, export_user
from eclair.store import User

router = APIRouter(prefix="/api", tags=["privacy"])


@router.get("/me/export")
async def export_me(request: Request, user: User = Depends(current_user)) -> JSONResponse:
    """Everything Éclair holds about the caller, as one JSON archive."""
    store = accounts_of(request).store
    archive = await run_in_threadpool(export_user, store, request.app.state.knowledge, user)
    headers = {"Content-Disposition": f'attachment; filename="eclair-export-{user.name}.json"'}
    return JSONResponse(archive, headers=headers)


@router.delete("/me")
async def erase_me(
    request: Request, response: Response, identity: Identity = Depends(current_identity)
) -> Any:
    """Erase the caller's account and all their data, physically. Irreversible."""
    assert identity.user is not None
    store = accounts_of(request).store
    counts = await run_in_threadpool(erase_user, store, request.app.state.knowledge, identity.user)
    clear_session_cookie(request, response)
    return {"deleted": True, **counts}
