"""Security headers on every HTTP response: one table, one pure ASGI middleware.

Contract:

- Every response (JSON, SSE streams, errors, 404s, the gate's and the body limit's refusals,
  unexpected 500s) carries ``X-Content-Type-Options: nosniff``, ``Referrer-Policy:
  no-referrer``, ``X-Frame-Options: DENY``, the cross-origin isolation headers, a
  ``Permissions-Policy`` that turns off devices, a ``Content-Security-Policy`` and a
  ``Cache-Control``, chosen by path:

  | paths | CSP | Cache-Control |
  |---|---|---|
  | the chat page: ``/``, ``/help``, ``/favicon.ico``, ``/static/…`` | :data:`PAGE_CSP`: its own files only, nothing inline | ``no-cache`` (revalidate) |
  | ``/docs``, ``/redoc`` (only when ``api_docs`` serves them) | :data:`DOCS_CSP`: the CDNs their pages load from | ``no-store`` |
  | an article of a knowledge pack: ``/kb/…`` | :data:`KB_CSP`: a sandboxed page, this origin's images and inline styles only | ``no-store`` |
  | everything else | :data:`API_CSP`: ``default-src 'none'`` (JSON is never a document) | ``no-store`` |

  ``no-store`` because answers, conversations, exports, keys and metrics carry personal data,
  and nothing else served outside the page is worth caching.
- This table is the only source: a header of these names that a route set is replaced.
- The middleware wraps the whole application, Starlette's error middleware included (see
  :func:`install`), and only rewrites ``http.response.start``; bodies pass through untouched,
  so streams stay as fast and cancellable as without it.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# An encyclopedia article (already stripped of scripts): its pack's images and styles, no
# script, no form, no other origin; "sandbox" gives it an opaque origin of its own.
KB_CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'; sandbox allow-popups allow-popups-to-escape-sandbox"
)
# FastAPI's Swagger UI and ReDoc pages: scripts and styles from jsDelivr plus an inline
# start-up script, ReDoc's fonts from Google and its search worker from a blob; "Try it out"
# calls this origin.
DOCS_CSP = (
    "default-src 'none'; script-src 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com "
    "https://cdn.redoc.ly; connect-src 'self'; worker-src blob:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)

COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
# The whole table of each kind of response (see the module docstring).
TABLES = {
    "page": {**COMMON, "Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-cache"},
    "docs": {**COMMON, "Content-Security-Policy": DOCS_CSP, "Cache-Control": "no-store"},
    "api": {**COMMON, "Content-Security-Policy": API_CSP, "Cache-Control": "no-store"},
    "kb": {**COMMON, "Content-Security-Policy": KB_CSP, "Cache-Control": "no-store"},
}
PAGE_PATHS = frozenset({"/", "/help", "/favicon.ico"})
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})


def kind_of(path: str, *, docs: bool = False) -> str:
    """Which table answers ``path`` (``docs``: /docs and /redoc are served)."""
    if path in PAGE_PATHS or path.startswith("/static/"):
        return "page"
    if docs and path in DOCS_PATHS:
        return "docs"
    if path.startswith("/kb/"):
        return "kb"
    return "api"


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, docs: bool = False):
        self.app = app
        self.docs = docs
        # Encoded once: a response only pays for a filter and a list concatenation.
        self._raw = {
            kind: [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in table.items()]
            for kind, table in TABLES.items()
        }
        self._names = frozenset(name for name, _ in self._raw["api"])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self._raw[kind_of(scope["path"], docs=self.docs)]
        names = self._names

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", ()) if k.lower() not in names]
                message = {**message, "headers": kept + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI, *, docs: bool) -> None:
    """Put :class:`SecurityHeaders` around the whole app.

    ``add_middleware`` would place it inside Starlette's ``ServerErrorMiddleware``, whose 500
    answers would then go out bare; wrapping the built stack covers them too.
    """
    build = app.build_middleware_stack

    def build_with_headers() -> ASGIApp:
        return SecurityHeaders(build(), docs=docs)

    app.build_middleware_stack = build_with_headers  # type: ignore[method-assign]
