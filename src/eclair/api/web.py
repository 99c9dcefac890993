"""Serving the chat page: ``/`` and ``/static/…`` from the package.

Only the files shipped in ``eclair/web/static`` are served, looked up by exact name: no path
is ever joined from user input. Their headers (``Content-Security-Policy: default-src 'self'``
with no inline script or style, no framing, no plugins; ``nosniff``; ``no-referrer``;
``Cache-Control: no-cache``) come from the one table in :mod:`eclair.api.headers`.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

from eclair.errors import NotFound
from eclair.web import STATIC_DIR

router = APIRouter(include_in_schema=False)

MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json",
}
STATIC_FILES = {
    path.name: path for path in sorted(STATIC_DIR.iterdir()) if path.is_file() and path.suffix in MEDIA_TYPES
}


def _file(name: str) -> Response:
    path = STATIC_FILES.get(name)
    if path is None:
        raise NotFound(f"no file '{name}'")
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix])


@router.get("/")
async def index() -> Response:
    return _file("index.html")


@router.get("/help")
async def help_page() -> Response:
    """What Éclair computes, cites and declines, and how data is kept and erased (FR/EN)."""
    return _file("help.html")


@router.get("/favicon.ico")
async def favicon() -> Response:
    return _file("favicon.svg")


@router.get("/static/{name}")
async def static(name: str) -> Response:
    return _file(name)
