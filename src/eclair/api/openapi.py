"""The OpenAPI document says which errors each operation can answer, in the OpenAI envelope.

FastAPI documents ``422`` for every operation with parameters, but Éclair never sends it
(validation errors are ``400``, see :mod:`eclair.api.errors`), and it does not know about the
errors that cross-cutting layers send. :func:`document_errors` rewrites the generated
document once:

- ``422`` is removed;
- ``400`` is added to operations that take parameters or a body, ``413`` to those with a body;
- ``401``, ``403``, ``404`` and ``429`` to every ``/v1`` and ``/api`` operation (credentials,
  CSRF, unknown ids and models, quotas);
- ``503`` to every operation but ``/health`` (overload, start-up, draining: see
  :mod:`eclair.sovereignty.gate`);

each with the ``ErrorResponse`` schema: ``{"error": {"message", "type", "param", "code"}}``.
Responses an operation documents itself are kept as they are.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["message", "type", "param", "code"],
            "properties": {
                "message": {"type": "string"},
                "type": {"type": "string"},
                "param": {"type": ["string", "null"]},
                "code": {"type": ["string", "null"]},
            },
        }
    },
}

_DESCRIPTIONS = {
    "400": "Invalid request (the OpenAI error envelope names the parameter)",
    "401": "Missing, wrong or revoked credentials",
    "403": "Forbidden (CSRF token, cross-site request)",
    "404": "Unknown model, conversation, document or file",
    "413": "Request body too large",
    "429": "Quota exceeded; see Retry-After",
    "503": "Overloaded, starting, restarting or shutting down; see Retry-After",
    "504": "The generation ran past its time limit (code timeout)",
}

# Operations that run a generation, and so may end past its deadline.
_GENERATING = ("/v1/chat/completions", "/v1/completions")


def _error_codes(path: str, operation: dict[str, Any]) -> list[str]:
    codes = []
    if operation.get("parameters") or operation.get("requestBody"):
        codes.append("400")
    if path.startswith(("/v1/", "/api/")):
        codes += ["401", "403", "404", "429"]
    if operation.get("requestBody"):
        codes.append("413")
    if path != "/health":
        codes.append("503")
    if path in _GENERATING:
        codes.append("504")
    return codes


def add_error_responses(spec: dict[str, Any]) -> dict[str, Any]:
    """Rewrite a generated OpenAPI document in place (see the module docstring)."""
    spec.setdefault("components", {}).setdefault("schemas", {})["ErrorResponse"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/ErrorResponse"}
    for path, operations in spec.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            for code in _error_codes(path, operation):
                responses.setdefault(
                    code,
                    {
                        "description": _DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return spec


def document_errors(app: FastAPI) -> None:
    """Make ``app.openapi()`` return the rewritten document (built once, then cached)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = add_error_responses(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
