"""Éclair's error taxonomy. Each class says who sees it; :mod:`eclair.api.errors` maps them
once onto the OpenAI error envelope ``{"error": {"message", "type", "param", "code"}}``.

Services raise these (never HTTP exceptions); routes never catch them.
"""

from __future__ import annotations


class EclairError(Exception):
    """Base class. ``status`` and ``type`` drive the HTTP answer."""

    status: int = 500
    type: str = "server_error"
    code: str | None = None

    def __init__(self, message: str, *, param: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.param = param
        if code is not None:
            self.code = code


class InvalidRequest(EclairError):
    """The client sent something we will not process (bad parameter, bad JSON). Seen by API users."""

    status = 400
    type = "invalid_request_error"


class ContextLengthExceeded(InvalidRequest):
    """The prompt does not fit in the model's context window. Seen by API users."""

    code = "context_length_exceeded"


class Unauthorized(EclairError):
    """Missing or wrong credentials. Seen by API users."""

    status = 401
    type = "authentication_error"
    code = "invalid_api_key"


class PermissionDenied(EclairError):
    """Authenticated, but this request is refused (missing CSRF token, cross-site request). Seen by
    API users and the web page."""

    status = 403
    type = "permission_error"
    code = "forbidden"


class NotFound(EclairError):
    """Unknown model, file or conversation, or one the caller may not see. Seen by API users."""

    status = 404
    type = "not_found_error"


class ModelNotFound(NotFound):
    """The requested model id is not served here."""

    code = "model_not_found"


class PayloadTooLarge(EclairError):
    """The request body exceeds ``max_body_bytes``. Seen by API users."""

    status = 413
    type = "invalid_request_error"
    code = "request_too_large"


class RateLimited(EclairError):
    """A per-user quota is spent. Seen by API users, with ``Retry-After``."""

    status = 429
    type = "rate_limit_error"
    code = "rate_limit_exceeded"

    def __init__(self, message: str, *, retry_after: float = 1.0, **kwargs: str | None):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class Overloaded(EclairError):
    """The server is full or not ready yet. Seen by API users, with ``Retry-After``."""

    status = 503
    type = "server_error"
    code = "overloaded"

    def __init__(self, message: str, *, retry_after: float = 1.0, **kwargs: str | None):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class UpstreamUnavailable(Overloaded):
    """A remote backend could not be reached, or sent nothing in time, before any text. Seen by
    API users as a 503 with ``Retry-After``; the router counts it as a backend failure (plain
    :class:`Overloaded` means busy, not broken)."""

    code = "upstream_unavailable"


class EngineError(EclairError):
    """The backend failed while generating. Seen by API users as a 500 or a stream error event."""


class DeadlineExceeded(EngineError):
    """A generation ran past its deadline (``request_timeout_s``, or the request's own) after it
    had started. Seen by API users as a 504, or as a stream error event after the text already
    sent; a request that never got a slot is :class:`Overloaded` instead (nothing was done)."""

    status = 504
    code = "timeout"


class StorageError(EclairError):
    """The store could not keep something it was asked to. Seen as a 500 or a stream error event."""

    code = "storage_error"


class ConfigurationError(EclairError):
    """Settings or model files are wrong. Seen by the operator at start-up, never by API users."""


class ModelUnavailable(ConfigurationError):
    """A model name could not become a GGUF on disk: unknown name, no file with that
    quantisation, offline and not cached, checksum mismatch, does not fit this machine, or the
    download failed. Seen by the operator (``eclair models``, ``eclair serve --model NAME``),
    never by API users; ``code`` says which: ``unknown_model``, ``quant_not_found``,
    ``not_cached``, ``checksum_mismatch``, ``does_not_fit``, ``download_failed``."""

    code = "download_failed"
