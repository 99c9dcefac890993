"""Knowledge packs over HTTP: the article reader at ``/kb`` and the admin's pack settings.

Thin routes over :class:`~eclair.knowledge.packs.registry.PackRegistry` (``app.state.packs``):
- ``GET /kb/{pack}/{path}``: an article of an installed pack, so that a citation's link
  opens its source offline. HTML is reduced to an allow-list (:func:`safe_page`: no script,
  no handler, no absolute link or image) and served with the ``kb`` security headers
  (:mod:`eclair.api.headers`: a sandboxed page that may load only this origin's images and
  inline styles); images and stylesheets of the pack are served as they are, anything else
  (scripts, fonts, unknown types) 404. Redirect entries answer 307 to their target. Any
  signed-in caller (or the local user) may read.
- ``GET /api/knowledge/articles/{pack}/{path}``: an article's text as answers quote it
  (``{"pack", "path", "title", "text", "url"}``; a citation's ``start``/``end`` index
  ``text``), for the page's citation dialog.
- ``GET /api/knowledge/packs``: the installed packs (name, title, language, articles,
  size, date, full-text index) for every signed-in caller.
- ``POST /api/knowledge/packs`` ``{"path", "name"?}`` registers a ZIM file that lies on the
  server (checked whole first: a corrupt file is 400 ``invalid_pack``), and
  ``DELETE /api/knowledge/packs/{name}`` removes one: administrators only in multi-user
  mode (403 ``admin_required``), the local user in single-user mode.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from eclair.api.identity import Identity, app_identity, current_identity
from eclair.errors import NotFound, PermissionDenied
from eclair.knowledge.packs.articles import article_text, page_language, safe_page
from eclair.knowledge.packs.registry import PackRegistry

router = APIRouter(tags=["knowledge packs"])

_PASSED_TYPES = ("image/", "text/css")


def registry_of(request: Request) -> PackRegistry:
    registry: PackRegistry = request.app.state.packs
    return registry


class AddPack(BaseModel):
    path: str = Field(description="Path of a ZIM file on the server")
    name: str | None = Field(default=None, description="Name to install it under (default: the ZIM's own)")


def _require_admin(identity: Identity) -> None:
    if identity.via not in ("local", "operator") and not (identity.user and identity.user.is_admin):
        raise PermissionDenied(
            "only an administrator can install or remove knowledge packs", code="admin_required"
        )


@router.get("/kb/{pack}/{path:path}", include_in_schema=False)
async def read_article(
    pack: str, path: str, request: Request, _: Identity = Depends(app_identity)
) -> Response:
    registry = registry_of(request)
    entry = await asyncio.to_thread(registry.entry, pack, path, redirects=False)
    if entry.is_redirect:
        target = await asyncio.to_thread(lambda: entry.get_redirect_entry().path)
        return RedirectResponse(f"/kb/{quote(pack)}/{quote(target)}", status_code=307)
    # (reading an item may decompress its cluster: off the event loop)
    content, mimetype = await asyncio.to_thread(
        lambda: (bytes(entry.get_item().content), entry.get_item().mimetype)
    )
    mimetype = mimetype.split(";")[0].strip()
    if mimetype == "text/html":
        language = page_language(registry.get(pack).language)
        page = await asyncio.to_thread(safe_page, content.decode("utf-8", "replace"), language)
        return Response(page, media_type="text/html; charset=utf-8")
    if mimetype.startswith(_PASSED_TYPES):
        return Response(content, media_type=mimetype)
    raise NotFound(f"{path!r} is not an article or an image", code="article_not_found")


@router.get("/api/knowledge/articles/{pack}/{path:path}")
async def article(
    pack: str, path: str, request: Request, _: Identity = Depends(app_identity)
) -> dict[str, Any]:
    registry = registry_of(request)

    def read() -> dict[str, Any]:
        entry = registry.entry(pack, path)
        item = entry.get_item()
        if item.mimetype.split(";")[0].strip() != "text/html":
            raise NotFound(f"{path!r} is not an article", code="article_not_found")
        text = article_text(bytes(item.content).decode("utf-8", "replace"), entry.title)
        return {
            "pack": pack,
            "path": entry.path,
            "title": entry.title,
            "text": text.text,
            "url": f"/kb/{quote(pack)}/{quote(entry.path)}",
        }

    return await asyncio.to_thread(read)


@router.get("/api/knowledge/packs")
async def list_packs(request: Request, _: Identity = Depends(app_identity)) -> dict[str, Any]:
    packs = await asyncio.to_thread(registry_of(request).list)
    return {"object": "list", "data": [p.to_json() for p in packs]}


@router.post("/api/knowledge/packs", status_code=201)
async def add_pack(
    body: AddPack, request: Request, identity: Identity = Depends(current_identity)
) -> dict[str, Any]:
    _require_admin(identity)
    registry = registry_of(request)
    info = await asyncio.to_thread(registry.add, Path(body.path), name=body.name)
    return info.to_json()


@router.delete("/api/knowledge/packs/{name}")
async def remove_pack(
    name: str, request: Request, identity: Identity = Depends(current_identity)
) -> dict[str, Any]:
    _require_admin(identity)
    info = await asyncio.to_thread(registry_of(request).remove, name)
    return {"name": info.name, "deleted": True}
