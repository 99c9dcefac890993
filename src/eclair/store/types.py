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


#: ``pending``: waiting for the user or running; ``ok``: the tool answered; ``error``: the tool
#: failed or could not be reached; ``denied``: it never ran (the user, a policy or a timeout said no).
ToolCallStatus = Literal["pending", "ok", "error", "denied"]
#: Who let the call run or stopped it: ``once`` / ``always`` (the user, now or earlier),
#: ``allow`` (the request's policy), ``deny`` (the user or the policy), ``timeout`` (nobody
#: answered in time), ``pending`` (not decided yet).
ToolDecision = Literal["pending", "once", "always", "allow", "deny", "timeout"]


@dataclass(frozen=True, slots=True)
class ToolCallRecord:
    """One tool call made while answering in a conversation: the audit trail's entry."""

    id: str
    user_id: str
    conversation_id: str
    message_id: str | None
    tool: str
    server: str
    arguments: dict[str, Any]
    decision: ToolDecision
    status: ToolCallStatus
    result: str
    created_at: datetime
    finished_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tool": self.tool,
            "server": self.server,
            "arguments": self.arguments,
            "decision": self.decision,
            "status": self.status,
            "result": self.result,
            "message_id": self.message_id,
            "created_at": self.created_at.isoformat(),
            "finished_at": None if self.finished_at is None else self.finished_at.isoformat(),
        }
