"""Thin routes of the OpenAI-compatible API: parse, call one service, return JSON or SSE."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from eclair.api.deps import authenticated_user, readiness, require_ready
from eclair.api.protocol import ChatCompletionRequest, CompletionRequest

router = APIRouter(prefix="/v1", dependencies=[Depends(require_ready)])

DISCONNECT_POLL_S = 0.1
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def respond(result: dict[str, Any] | AsyncIterator[str] | Response) -> Response:
    if isinstance(result, Response):  # the client left first (499): nobody reads a body
        return result
    if isinstance(result, dict):
        return JSONResponse(result)
    return StreamingResponse(result, media_type="text/event-stream", headers=SSE_HEADERS)


async def unless_disconnected(request: Request, work: Awaitable[Any]) -> Any:
    """Await ``work``, cancelling it if the client goes away first.

    Streaming answers notice a disconnect on their next write; a non-streaming answer writes
    nothing until it is complete, so the connection is watched while it is computed.
    """
    task = asyncio.ensure_future(work)
    while True:
        done, _ = await asyncio.wait({task}, timeout=DISCONNECT_POLL_S)
        if done:
            return task.result()
        if await request.is_disconnected():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            return Response(status_code=499)


@router.post("/chat/completions")
async def chat_completions(
    body: ChatCompletionRequest, request: Request, user_id: str | None = Depends(authenticated_user)
) -> Any:
    return respond(await unless_disconnected(request, request.app.state.chat.create(body, user_id=user_id)))


@router.post("/completions")
async def completions(
    body: CompletionRequest, request: Request, user_id: str | None = Depends(authenticated_user)
) -> Any:
    # Per user, like chat: a user's several keys share one quota.
    return respond(
        await unless_disconnected(request, request.app.state.completions.create(body, user_id=user_id))
    )


@router.get("/models", dependencies=[Depends(authenticated_user)])
async def list_models(request: Request) -> dict[str, Any]:
    cards = await request.app.state.chat.model_cards(request.app.state.started_at)
    return {"object": "list", "data": cards}


@router.get("/models/{model_id:path}", dependencies=[Depends(authenticated_user)])
async def get_model(model_id: str, request: Request) -> dict[str, Any]:
    cards: list[dict[str, Any]] = await request.app.state.chat.model_cards(
        request.app.state.started_at, model_id
    )
    return cards[0]


health_router = APIRouter()


@health_router.get("/health")
async def health() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


@health_router.get("/ready")
async def ready(request: Request) -> JSONResponse:
    """Readiness: 200 once the model is loaded; 503 before, after a failed load, and while an
    engine rebuilds after a failure."""
    state = request.app.state
    status = readiness(state)
    if status == "ready":
        return JSONResponse({"status": "ready", "model": state.engine.model_id})
    body: dict[str, Any] = {"status": status}
    if status == "failed":
        body["error"] = state.load_error
    return JSONResponse(body, status_code=503, headers={"Retry-After": "1"})
