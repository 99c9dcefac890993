"""The one place where exceptions become HTTP answers in the OpenAI error envelope.

``{"error": {"message", "type", "param", "code"}}`` with the status the exception class
declares. Validation errors are 400 (never FastAPI's 422) and name the offending parameter;
HTTP errors raised by the framework (404 route, 405 method, 413 body) keep their status.
Unexpected exceptions are logged and answered 500 without internals.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from eclair.errors import EclairError, Overloaded, RateLimited

logger = logging.getLogger(__name__)

_HTTP_TYPES = {401: "authentication_error", 403: "permission_error", 404: "not_found_error"}


def envelope(
    status: int,
    message: str,
    *,
    type_: str,
    param: str | None = None,
    code: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = {"error": {"message": message, "type": type_, "param": param, "code": code}}
    return JSONResponse(body, status_code=status, headers=dict(headers) if headers else None)


def _param_name(loc: tuple[Any, ...]) -> str | None:
    parts = [p for p in loc if p not in ("body", "query", "path", "header")]
    # Union branches show up as type names in the location ("str", "list[...]"): drop them.
    parts = [
        p for p in parts if not (isinstance(p, str) and ("[" in p or p in {"str", "int", "float", "bool"}))
    ]
    name = ""
    for part in parts:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else str(part)
    return name or None


def validation_response(exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid request", "type": "value_error"}
    kind = str(first.get("type", ""))
    if kind == "json_invalid":
        return envelope(
            400, "the request body is not valid JSON", type_="invalid_request_error", code="invalid_json"
        )
    param = _param_name(tuple(first.get("loc", ())))
    if kind == "missing":
        message = f"missing required parameter: '{param}'"
        code = "missing_required_parameter"
    else:
        message = (
            f"invalid value for '{param}': {first.get('msg', 'invalid')}" if param else str(first.get("msg"))
        )
        code = "invalid_type" if kind.endswith("_type") or kind.endswith("_parsing") else "invalid_value"
    return envelope(400, message, type_="invalid_request_error", param=param, code=code)


def eclair_error_response(exc: EclairError) -> JSONResponse:
    headers = None
    if isinstance(exc, RateLimited | Overloaded):
        headers = {"Retry-After": str(max(1, round(exc.retry_after)))}
    return envelope(exc.status, exc.message, type_=exc.type, param=exc.param, code=exc.code, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(EclairError)
    async def _eclair(_: Request, exc: EclairError) -> JSONResponse:
        if exc.status >= 500:
            logger.warning("%s: %s", type(exc).__name__, exc.message)
        return eclair_error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return validation_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        type_ = _HTTP_TYPES.get(
            exc.status_code, "invalid_request_error" if exc.status_code < 500 else "server_error"
        )
        code = "request_too_large" if exc.status_code == 413 else None
        return envelope(exc.status_code, str(exc.detail), type_=type_, code=code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error", exc_info=exc)
        return envelope(500, "internal server error", type_="server_error")
