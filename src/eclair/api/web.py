"""Serving the chat page: ``/`` and ``/static/…`` from the package, with strict headers.

Every response of this router carries ``Content-Security-Policy: default-src 'self'`` (plus
no inline script or style, no framing, no plugins), ``X-Content-Type-Options: nosniff`` and
``Referrer-Policy: no-referrer``. Only the files shipped in ``eclair/web/static`` are served,
looked up by exact name: no path is ever joined from user input.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

from eclair.errors import NotFound
from eclair.web import STATIC_DIR

router = APIRouter(include_in_schema=False)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cache-Control": "no-cache",
}
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
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers=SECURITY_HEADERS)


@router.get("/")
async def index() -> Response:
    return _file("index.html")


@router.get("/favicon.ico")
async def favicon() -> Response:
    return _file("favicon.svg")


@router.get("/static/{name}")
async def static(name: str) -> Response:
    return _file(name)
