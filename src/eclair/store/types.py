"""Domain objects returned by the store.

Plain frozen dataclasses: callers never see rows, sessions or SQL types. Secrets are absent on
purpose: a :class:`User` carries no password hash and an :class:`ApiKey` no key material (the
store hands those only to :mod:`eclair.accounts`, through dedicated methods).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

MessageRole = Literal["system", "user", "assistant"]
#: ``streaming``: the answer is being generated (or the server died while it was);
#: ``complete``: the stream ended normally; ``interrupted``: the client stopped it or the server
#: went away; ``error``: generation failed.
MessageStatus = Literal["streaming", "complete", "interrupted", "error"]


@dataclass(frozen=True, slots=True)
class User:
    id: str
    name: str
    is_admin: bool
    # The implicit owner of single-user mode (no password, never logs in).
    is_local: bool
    created_at: datetime
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    user_id: str
    csrf_token: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: str
    user_id: str
    name: str
    # The first characters of the key, to recognise it in a list; never enough to use it.
    prefix: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True, slots=True)
class Conversation:
    id: str
    user_id: str
    title: str
    model: str | None
    created_at: datetime
    updated_at: datetime
    pinned: bool = False
    archived: bool = False
    documents: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    conversation_id: str
    user_id: str
    seq: int
    role: MessageRole
    content: str
    status: MessageStatus
    created_at: datetime
    model: str | None = None
    # The ``eclair`` object of an answer: route, citations, timing and (later) energy.
    eclair: dict[str, Any] | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    energy_wh: float | None = None
    gco2e: float | None = None
    # The version number of the branch this message starts, where its place has several.
    version: int | None = None
