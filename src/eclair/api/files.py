"""``/v1/files``: the OpenAI Files API over the knowledge base (``app.state.knowledge``).

Thin routes: parse, call one :class:`~eclair.knowledge.base.KnowledgeBase` method as the
caller, return OpenAI shapes. A file object is OpenAI's ``{"id", "object": "file", "bytes",
"created_at", "filename", "purpose"}`` plus ``collection``. Errors come from the knowledge
base as :mod:`eclair.errors` exceptions: unsupported format or unreadable file 400; too large
413 (``request_too_large``: the bytes, and the body limit may answer first;
``document_too_large``: more pages, text or passages than allowed; ``document_too_complex``:
its extraction ran out of time); the caller keeps too much 403 ``storage_quota_exceeded``;
daily upload quota spent 429 ``upload_quota_exceeded``; every extraction worker busy 503
``extraction_busy`` (both with Retry-After); unknown or foreign id 404. Files need no model,
so these routes do not wait for the engine to be ready. Without a knowledge base they answer
503. Extraction runs in worker processes (:mod:`eclair.knowledge.sandbox`), never here.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import PlainTextResponse

from eclair.api.deps import authenticated_user
from eclair.errors import InvalidRequest, Overloaded
from eclair.knowledge.base import DEFAULT_COLLECTION, KnowledgeBase

router = APIRouter(prefix="/v1/files", tags=["files"])

PURPOSES = frozenset({"assistants", "user_data", "knowledge"})


def knowledge_base(request: Request) -> KnowledgeBase:
    base: KnowledgeBase | None = getattr(request.app.state, "knowledge", None)
    if base is None:
        raise Overloaded("files are not available on this server", code="knowledge_unavailable")
    return base


@router.post("")
async def upload_file(
    request: Request,
    file: UploadFile = File(...),
    purpose: str = Form(default="assistants"),
    collection: str = Form(default=DEFAULT_COLLECTION),
    user_id: str | None = Depends(authenticated_user),
) -> dict[str, Any]:
    """Add a document (txt, md, html, pdf) to the caller's knowledge base."""
    if purpose not in PURPOSES:
        raise InvalidRequest(f"purpose must be one of {', '.join(sorted(PURPOSES))}", param="purpose")
    if not file.filename:
        raise InvalidRequest("the uploaded file has no name", param="file")
    base = knowledge_base(request)
    data = await file.read()
    document = await base.add_file(
        data, file.filename, collection=collection, user_id=user_id, purpose=purpose
    )
    return document.to_openai()


@router.get("")
async def list_files(
    request: Request,
    purpose: str | None = None,
    collection: str | None = None,
    user_id: str | None = Depends(authenticated_user),
) -> dict[str, Any]:
    documents = await knowledge_base(request).list_documents(user_id, collection)
    data = [d.to_openai() for d in documents if purpose is None or d.purpose == purpose]
    return {"object": "list", "data": data, "has_more": False}


@router.get("/{file_id}")
async def retrieve_file(
    file_id: str, request: Request, user_id: str | None = Depends(authenticated_user)
) -> dict[str, Any]:
    return (await knowledge_base(request).get_document(file_id, user_id)).to_openai()


@router.get("/{file_id}/content", response_class=PlainTextResponse)
async def file_content(
    file_id: str, request: Request, user_id: str | None = Depends(authenticated_user)
) -> str:
    """The stored text of the file: what citation offsets (``start``, ``end``) index."""
    return await knowledge_base(request).get_text(file_id, user_id)


@router.delete("/{file_id}")
async def delete_file(
    file_id: str, request: Request, user_id: str | None = Depends(authenticated_user)
) -> dict[str, Any]:
    document = await knowledge_base(request).delete_document(file_id, user_id)
    return {"id": document.id, "object": "file", "deleted": True}
