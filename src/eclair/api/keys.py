"""``/api/keys``: the caller's API keys for ``/v1`` (list, create, revoke).

A key's secret is in the response to its creation only; afterwards only its prefix is shown.
Keys are managed from a logged-in session (or by the local user), never with a key: a leaked
key must not be able to mint others that survive its revocation (403 ``insufficient_scope``).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from eclair.api.app_protocol import Deleted, KeyCreate, KeyOut, NewKeyOut, errors
from eclair.api.identity import account_user, accounts_of
from eclair.errors import NotFound
from eclair.store import User

router = APIRouter(prefix="/api/keys", tags=["keys"], responses=errors(401, 403))


@router.get("", response_model=list[KeyOut])
async def list_keys(request: Request, user: User = Depends(account_user)) -> list[KeyOut]:
    keys = await run_in_threadpool(accounts_of(request).store.users.keys, user.id)
    return [KeyOut.from_domain(key) for key in keys]


@router.post("", response_model=NewKeyOut, status_code=201, responses=errors(400))
async def create_key(body: KeyCreate, request: Request, user: User = Depends(account_user)) -> NewKeyOut:
    created = await run_in_threadpool(accounts_of(request).create_key, user, body.name)
    return NewKeyOut(**KeyOut.from_domain(created.key).model_dump(), secret=created.secret)


@router.delete("/{key_id}", response_model=Deleted, responses=errors(404))
async def revoke_key(key_id: str, request: Request, user: User = Depends(account_user)) -> Deleted:
    if not await run_in_threadpool(accounts_of(request).store.users.revoke_key, user.id, key_id):
        raise NotFound(f"no API key '{key_id}'", param="key_id")
    return Deleted(id=key_id)
