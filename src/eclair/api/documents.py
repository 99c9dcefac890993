"""``/api/documents``: the page's documents, over the knowledge base (``app.state.knowledge``).

Thin routes: uploads (multipart, one file per request, so the page can show each file's
progress), listing, the stored text (for citation viewing) and deletion, always as the caller
(the knowledge base answers 404 for documents the caller may not see). Without a knowledge
base every route answers 503 ``knowledge_unavailable``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from pydantic import BaseModel

from eclair.api.app_protocol import Deleted, errors
from eclair.api.identity import current_user
from eclair.errors import InvalidRequest, Overloaded
from eclair.store import User

router = APIRouter(prefix="/api/documents", tags=["documents"], responses=errors(401, 403, 503))


class DocumentOut(BaseModel):
    id: str
    filename: str
    collection: str
    bytes: int
    chars: int
    chunks: int
    created_at: int
    #: Shared by the operator (visible to everyone, deletable by the operator only).
    shared: bool

    @classmethod
    def from_domain(cls, document: Any) -> DocumentOut:
        return cls(
            id=document.id,
            filename=document.filename,
            collection=document.collection,
            bytes=document.bytes,
            chars=document.chars,
            chunks=document.chunks,
            created_at=document.created_at,
            shared=document.user_id is None,
        )


class DocumentList(BaseModel):
    data: list[DocumentOut]


class DocumentText(BaseModel):
    id: str
    filename: str
    text: str


def knowledge(request: Request) -> Any:
    base = getattr(request.app.state, "knowledge", None)
    if base is None:
        raise Overloaded("documents are not available on this server", code="knowledge_unavailable")
    return base


@router.get("", response_model=DocumentList)
async def list_documents(
    request: Request, collection: str | None = None, user: User = Depends(current_user)
) -> DocumentList:
    documents = await knowledge(request).list_documents(user.id, collection)
    return DocumentList(data=[DocumentOut.from_domain(d) for d in documents])


@router.post("", response_model=DocumentOut, status_code=201, responses=errors(400, 413, 429))
async def upload_document(
    request: Request,
    file: UploadFile = File(...),
    collection: str = Form(default="default", max_length=64),
    user: User = Depends(current_user),
) -> DocumentOut:
    """Add one file (txt, md, html, pdf) to the caller's documents (errors as ``/v1/files``:
    403 storage quota, 413 too large or complex, 429 daily upload quota)."""
    if not file.filename:
        raise InvalidRequest("the file has no name", param="file")
    data = await file.read()
    document = await knowledge(request).add_file(data, file.filename, collection=collection, user_id=user.id)
    return DocumentOut.from_domain(document)


@router.get("/{document_id}", response_model=DocumentOut, responses=errors(404))
async def get_document(document_id: str, request: Request, user: User = Depends(current_user)) -> DocumentOut:
    return DocumentOut.from_domain(await knowledge(request).get_document(document_id, user.id))


@router.get("/{document_id}/text", response_model=DocumentText, responses=errors(404))
async def document_text(
    document_id: str, request: Request, user: User = Depends(current_user)
) -> DocumentText:
    """The document's stored text: what citation offsets (``start``, ``end``) index."""
    base = knowledge(request)
    document = await base.get_document(document_id, user.id)
    text = await base.get_text(document_id, user.id)
    return DocumentText(id=document.id, filename=document.filename, text=text)


@router.delete("/{document_id}", response_model=Deleted, responses=errors(400, 404))
async def delete_document(document_id: str, request: Request, user: User = Depends(current_user)) -> Deleted:
    await knowledge(request).delete_document(document_id, user.id)
    return Deleted(id=document_id)
