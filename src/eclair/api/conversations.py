"""``/api/conversations``: the web page's conversations and messages (thin routes).

Sending a message (``POST …/{id}/messages``) and regenerating (``POST …/{id}/regenerate``)
answer with a ``text/event-stream`` described in :mod:`eclair.api.serving_conversations`;
every other route answers JSON. Everything is scoped to the caller: 404 for others' ids.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse

from eclair.api.app_protocol import (
    ConversationCreate,
    ConversationDetail,
    ConversationList,
    ConversationOut,
    ConversationUpdate,
    Deleted,
    FeedbackIn,
    FeedbackOut,
    MessageCreate,
    MessageOut,
    ModelsOut,
    RegenerateRequest,
    VersionSelect,
    errors,
)
from eclair.api.conversation_export import export_filename, to_json, to_markdown
from eclair.api.deps import require_ready
from eclair.api.identity import current_user
from eclair.api.serving_conversations import ConversationService
from eclair.store import User

router = APIRouter(prefix="/api", tags=["conversations"], responses=errors(401, 403))

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
STREAM_DOC: dict[int | str, dict[str, Any]] = {
    200: {"description": "The answer as server-sent events", "content": {"text/event-stream": {}}},
    **errors(400, 404, 503),
}


def service(request: Request) -> ConversationService:
    conversations: ConversationService = request.app.state.conversations
    return conversations


@router.get("/models", response_model=ModelsOut)
async def models(request: Request, _: User = Depends(current_user)) -> ModelsOut:
    conversations = service(request)
    return ModelsOut(data=conversations.models(), default=conversations.default_model())


@router.get("/conversations", response_model=ConversationList)
async def list_conversations(
    request: Request,
    q: str | None = Query(default=None, max_length=200, description="Search titles and messages."),
    limit: int = Query(default=200, ge=1, le=1000),
    archived: bool = Query(default=False, description="List the archived conversations instead."),
    user: User = Depends(current_user),
) -> ConversationList:
    found = await service(request).find(user, q or None, limit, archived=archived)
    return ConversationList(data=[ConversationOut.from_domain(c) for c in found])


@router.post("/conversations", response_model=ConversationOut, status_code=201, responses=errors(400, 404))
async def create_conversation(
    body: ConversationCreate, request: Request, user: User = Depends(current_user)
) -> ConversationOut:
    created = await service(request).create(user, title=body.title, model=body.model)
    return ConversationOut.from_domain(created)


@router.get("/conversations/{conversation_id}", response_model=ConversationDetail, responses=errors(404))
async def get_conversation(conversation_id: str, request: Request, user: User = Depends(current_user)) -> Any:
    return await service(request).detail(user, conversation_id)


@router.post(
    "/conversations/{conversation_id}/versions",
    response_model=ConversationDetail,
    responses=errors(400, 404),
)
async def select_version(
    conversation_id: str, body: VersionSelect, request: Request, user: User = Depends(current_user)
) -> Any:
    """Bring back another version of a regenerated answer or an edited question (‹ n/m ›)."""
    return await service(request).select_version(user, conversation_id, body.seq, body.number)


@router.put(
    "/conversations/{conversation_id}/messages/{message_id}/feedback",
    response_model=FeedbackOut,
    responses=errors(400, 404),
)
async def rate_answer(
    conversation_id: str,
    message_id: str,
    body: FeedbackIn,
    request: Request,
    user: User = Depends(current_user),
) -> FeedbackOut:
    """👍 (+1) or 👎 (-1) on an answer, with an optional comment (replaces an earlier rating)."""
    return await service(request).rate(user, conversation_id, message_id, body.rating, body.comment)


@router.get(
    "/conversations/{conversation_id}/export",
    response_class=Response,
    responses={200: {"content": {"text/markdown": {}, "application/json": {}}}, **errors(404)},
)
async def export_conversation(
    conversation_id: str,
    request: Request,
    format: Literal["markdown", "json"] = Query(default="markdown"),
    user: User = Depends(current_user),
) -> Response:
    """The conversation as a file: Markdown to read, JSON with every version and rating."""
    detail = await service(request).detail(user, conversation_id)
    shelved = await service(request).shelved(user, conversation_id)
    name = export_filename(detail, format)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if format == "json":
        return Response(to_json(detail, shelved), media_type="application/json", headers=headers)
    return Response(to_markdown(detail, shelved), media_type="text/markdown; charset=utf-8", headers=headers)


@router.patch("/conversations/{conversation_id}", response_model=ConversationOut, responses=errors(400, 404))
async def update_conversation(
    conversation_id: str, body: ConversationUpdate, request: Request, user: User = Depends(current_user)
) -> ConversationOut:
    updated = await service(request).update(
        user,
        conversation_id,
        title=body.title,
        model=body.model,
        pinned=body.pinned,
        archived=body.archived,
        documents=body.documents,
    )
    return ConversationOut.from_domain(updated)


@router.delete("/conversations/{conversation_id}", response_model=Deleted, responses=errors(404))
async def delete_conversation(
    conversation_id: str, request: Request, user: User = Depends(current_user)
) -> Deleted:
    await service(request).delete(user, conversation_id)
    return Deleted(id=conversation_id)


@router.get(
    "/conversations/{conversation_id}/messages", response_model=list[MessageOut], responses=errors(404)
)
async def list_messages(conversation_id: str, request: Request, user: User = Depends(current_user)) -> Any:
    messages = await service(request).messages(user, conversation_id)
    return [MessageOut.from_domain(m) for m in messages]


@router.post(
    "/conversations/{conversation_id}/messages",
    dependencies=[Depends(require_ready)],
    response_class=StreamingResponse,
    responses=STREAM_DOC,
)
async def send_message(
    conversation_id: str, body: MessageCreate, request: Request, user: User = Depends(current_user)
) -> StreamingResponse:
    """Store a user message (``edit_of`` replaces an earlier one) and stream the answer."""
    stream = await service(request).send(
        user, conversation_id, body.content, model=body.model, edit_of=body.edit_of
    )
    return StreamingResponse(stream, media_type="text/event-stream", headers=SSE_HEADERS)


@router.post(
    "/conversations/{conversation_id}/regenerate",
    dependencies=[Depends(require_ready)],
    response_class=StreamingResponse,
    responses=STREAM_DOC,
)
async def regenerate(
    conversation_id: str,
    request: Request,
    body: RegenerateRequest | None = None,
    user: User = Depends(current_user),
) -> StreamingResponse:
    """Answer the last user message again, replacing the last answer."""
    stream = await service(request).regenerate(
        user, conversation_id, model=None if body is None else body.model
    )
    return StreamingResponse(stream, media_type="text/event-stream", headers=SSE_HEADERS)
