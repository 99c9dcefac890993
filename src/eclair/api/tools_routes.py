"""Tool calls over HTTP: approvals, "always allow" grants, the audit trail, and the MCP servers.

Thin routes over :class:`~eclair.agent.approval.ApprovalBroker` (``app.state.approvals``), the
store's :class:`~eclair.store.tools.ToolStore` and :class:`~eclair.mcp.client.McpClients`
(``app.state.mcp``):
- ``GET /api/tool-approvals``: the caller's calls waiting for a decision;
  ``POST /api/tool-approvals/{id}`` ``{"decision": "once" | "always" | "deny"}`` answers one
  (404 for another user's). ``always`` allows that tool, for this user, from now on.
- ``GET /api/tool-permissions``: the tools the caller allowed "always";
  ``DELETE /api/tool-permissions/{tool}`` takes one back.
- ``GET /api/conversations/{id}/tool-calls``: a conversation's audit trail, oldest first.
- ``GET /api/mcp/servers`` (``?connect=true`` starts them to list their tools): every signed-in
  caller sees names, transports, states and tools; administrators also see commands and URLs.
  ``PUT /api/mcp/servers/{name}`` (an ``mcp.json`` entry) and ``DELETE /api/mcp/servers/{name}``
  change ``mcp.json``: administrators only in multi-user mode (403 ``admin_required``), the
  local user in single-user mode, never with an API key (a stdio server is a command this
  machine will run).
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from eclair.agent.approval import ApprovalBroker
from eclair.api.app_protocol import errors
from eclair.api.identity import Identity, account_identity, app_identity, current_user
from eclair.errors import NotFound, Overloaded, PermissionDenied
from eclair.mcp.client import McpClients
from eclair.store import Store, User

router = APIRouter(prefix="/api", tags=["tools"], responses=errors(401, 403))


class Decision(BaseModel):
    decision: Literal["once", "always", "deny"]


def _broker(request: Request) -> ApprovalBroker:
    broker: ApprovalBroker | None = getattr(request.app.state, "approvals", None)
    if broker is None:
        raise Overloaded("the server is starting; retry shortly", retry_after=1)
    return broker


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _mcp(request: Request) -> McpClients:
    clients: McpClients = request.app.state.mcp
    return clients


def _is_admin(identity: Identity) -> bool:
    return identity.via in ("local", "operator") or bool(identity.user and identity.user.is_admin)


def _require_admin(identity: Identity) -> None:
    if not _is_admin(identity):
        raise PermissionDenied("only an administrator can configure MCP servers", code="admin_required")


# -- approvals and grants --------------------------------------------------------------------


@router.get("/tool-approvals")
async def pending_approvals(request: Request, user: User = Depends(current_user)) -> dict[str, Any]:
    return {"object": "list", "data": [p.to_json() for p in _broker(request).pending(user.id)]}


@router.post("/tool-approvals/{approval_id}", responses=errors(400, 404))
async def decide(
    approval_id: str, body: Decision, request: Request, user: User = Depends(current_user)
) -> dict[str, Any]:
    pending = _broker(request).decide(user.id, approval_id, body.decision)
    return {"id": pending.id, "tool": pending.tool, "decision": body.decision}


@router.get("/tool-permissions")
async def grants(request: Request, user: User = Depends(current_user)) -> dict[str, Any]:
    tools = await run_in_threadpool(_store(request).tools.grants, user.id)
    return {"object": "list", "data": [{"tool": tool} for tool in tools]}


@router.delete("/tool-permissions/{tool}", responses=errors(404))
async def revoke(tool: str, request: Request, user: User = Depends(current_user)) -> dict[str, Any]:
    if not await run_in_threadpool(_store(request).tools.revoke, user.id, tool):
        raise NotFound(f"the tool {tool!r} is not allowed 'always'", code="permission_not_found")
    return {"tool": tool, "deleted": True}


@router.get("/conversations/{conversation_id}/tool-calls", responses=errors(404))
async def tool_calls(
    conversation_id: str, request: Request, user: User = Depends(current_user)
) -> dict[str, Any]:
    store = _store(request)
    if await run_in_threadpool(store.conversations.get, user.id, conversation_id) is None:
        raise NotFound(f"no conversation '{conversation_id}'", param="conversation_id")
    calls = await run_in_threadpool(store.tools.calls, user.id, conversation_id)
    return {"object": "list", "data": [c.to_json() for c in calls]}


# -- MCP servers ---------------------------------------------------------------------------


async def _servers(clients: McpClients, *, admin: bool, connect: bool) -> dict[str, Any]:
    statuses = {s.name: s for s in await clients.statuses(connect=connect)}
    config = clients.current_config()
    data = [config.public(name, admin=admin) | statuses[name].to_json() for name in config.servers]
    return {"object": "list", "data": data, "error": clients.config_error}


@router.get("/mcp/servers")
async def list_servers(
    request: Request,
    connect: bool = Query(default=False, description="Start the servers to list their tools."),
    identity: Identity = Depends(app_identity),
) -> dict[str, Any]:
    return await _servers(_mcp(request), admin=_is_admin(identity), connect=connect)


@router.put("/mcp/servers/{name}", responses=errors(400))
async def set_server(
    name: str,
    request: Request,
    server: dict[str, Any] = Body(description="An mcp.json entry: {command, args, env} or {url, headers}"),
    identity: Identity = Depends(account_identity),
) -> dict[str, Any]:
    _require_admin(identity)
    config = await _mcp(request).set_server(name, server)
    return config.public(name, admin=True)


@router.delete("/mcp/servers/{name}", responses=errors(404))
async def remove_server(
    name: str, request: Request, identity: Identity = Depends(account_identity)
) -> dict[str, Any]:
    _require_admin(identity)
    await _mcp(request).remove_server(name)
    return {"name": name, "deleted": True}
