"""Request and response models of the app API (``/api``), the JSON behind the web page.

Responses are built from store domain objects by the ``from_domain`` constructors; the models
exist so that the OpenAPI schema documents every route. Errors use the same envelope as
``/v1`` (:class:`ErrorResponse`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr

from eclair.store import ApiKey, Conversation, Message, User


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorBody(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting error statuses with the envelope."""
    return {status: {"model": ErrorResponse} for status in statuses}


# -- accounts ------------------------------------------------------------------------------


class LoginRequest(_In):
    name: StrictStr = Field(min_length=1, max_length=64)
    password: StrictStr = Field(min_length=1, max_length=1024)


class UserOut(BaseModel):
    id: str
    name: str
    is_admin: bool

    @classmethod
    def from_domain(cls, user: User) -> UserOut:
        return cls(id=user.id, name=user.name, is_admin=user.is_admin)


Mode = Literal["single-user", "multi-user"]


class MeOut(BaseModel):
    user: UserOut | None
    mode: Mode
    #: Send it back in ``X-CSRF-Token`` with every state-changing request.
    csrf_token: str | None = None
    #: Whether this server can take documents (a knowledge base is configured).
    documents: bool = False


INSTRUCTIONS_MAX = 4000


class PreferencesIn(_In):
    """What the caller changes (absent fields are kept)."""

    #: Custom instructions: sent as the system message of every conversation of the web page.
    instructions: StrictStr | None = Field(default=None, max_length=INSTRUCTIONS_MAX)
    #: The model new conversations start with ("" for the server's default).
    default_model: StrictStr | None = Field(default=None, max_length=256)
    language: Literal["auto", "en", "fr"] | None = None
    theme: Literal["auto", "light", "dark"] | None = None


class PreferencesOut(BaseModel):
    instructions: str = ""
    default_model: str = ""
    language: Literal["auto", "en", "fr"] = "auto"
    theme: Literal["auto", "light", "dark"] = "auto"


class KeyCreate(_In):
    name: StrictStr = Field(min_length=1, max_length=100)


class KeyOut(BaseModel):
    id: str
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def from_domain(cls, key: ApiKey) -> KeyOut:
        return cls(
            id=key.id,
            name=key.name,
            prefix=key.prefix,
            created_at=key.created_at,
            last_used_at=key.last_used_at,
            revoked_at=key.revoked_at,
        )


class NewKeyOut(KeyOut):
    #: The key itself: shown this once, never again.
    secret: str


# -- conversations -------------------------------------------------------------------------


class ConversationCreate(_In):
    title: StrictStr = Field(default="", max_length=200)
    model: StrictStr | None = Field(default=None, max_length=256)


class ConversationUpdate(_In):
    title: StrictStr | None = Field(default=None, min_length=1, max_length=200)
    model: StrictStr | None = Field(default=None, max_length=256)
    #: Pinned conversations head the list; archived ones leave it (``?archived=true`` lists them).
    pinned: StrictBool | None = None
    archived: StrictBool | None = None
    #: The documents attached to the conversation (ids of the caller's documents).
    documents: list[Annotated[StrictStr, Field(max_length=64)]] | None = Field(default=None, max_length=200)


class MessageCreate(_In):
    content: StrictStr = Field(min_length=1, max_length=1_000_000)
    model: StrictStr | None = Field(default=None, max_length=256)
    #: Id of an earlier user message of this conversation: it and everything after it are
    #: replaced by this message (edit and resend).
    edit_of: StrictStr | None = Field(default=None, max_length=64)


class RegenerateRequest(_In):
    model: StrictStr | None = Field(default=None, max_length=256)


class ConversationOut(BaseModel):
    id: str
    title: str
    model: str | None
    created_at: datetime
    updated_at: datetime
    pinned: bool = False
    archived: bool = False
    documents: list[str] = []

    @classmethod
    def from_domain(cls, conversation: Conversation) -> ConversationOut:
        return cls(
            id=conversation.id,
            title=conversation.title,
            model=conversation.model,
            created_at=conversation.created_at,
            updated_at=conversation.updated_at,
            pinned=conversation.pinned,
            archived=conversation.archived,
            documents=list(conversation.documents),
        )


class FeedbackIn(_In):
    rating: Literal[1, -1]
    comment: StrictStr = Field(default="", max_length=2000)


class FeedbackOut(BaseModel):
    rating: int
    comment: str


class VersionSelect(_In):
    seq: int = Field(ge=0, le=1_000_000_000)
    number: int = Field(ge=1, le=1_000_000_000)


class MessageOut(BaseModel):
    id: str
    conversation_id: str
    seq: int
    role: str
    content: str
    status: str
    model: str | None
    created_at: datetime
    #: The answer's ``eclair`` object: route, citations, timing, energy (assistant messages).
    eclair: dict[str, Any] | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    #: Where this message starts a branch with other versions (regenerated answers, edited
    #: questions): its number among ``versions`` (POST …/versions brings another one back).
    version: int | None = None
    versions: int = 1
    #: The caller's 👍 (+1) / 👎 (-1) on this answer, with their comment.
    feedback: FeedbackOut | None = None

    @classmethod
    def from_domain(
        cls, message: Message, *, versions: int = 1, feedback: FeedbackOut | None = None
    ) -> MessageOut:
        return cls(
            version=(message.version or 1) if versions > 1 else None,
            versions=versions,
            feedback=feedback,
            id=message.id,
            conversation_id=message.conversation_id,
            seq=message.seq,
            role=message.role,
            content=message.content,
            status=message.status,
            model=message.model,
            created_at=message.created_at,
            eclair=message.eclair,
            prompt_tokens=message.prompt_tokens,
            completion_tokens=message.completion_tokens,
        )


class ConversationDetail(ConversationOut):
    messages: list[MessageOut]


class ConversationList(BaseModel):
    data: list[ConversationOut]


class ModelsOut(BaseModel):
    data: list[str]
    default: str


class Deleted(BaseModel):
    id: str
    deleted: StrictBool = True
