"""The tables, as SQLAlchemy Core metadata: the reference the migrations must reproduce.

``tests/store/test_migrations.py`` checks that upgrading an empty database to the latest
Alembic revision yields exactly this schema (on SQLite and PostgreSQL), so a change here without
a migration fails the suite. Every row that belongs to someone carries ``user_id`` with
``ON DELETE CASCADE``: deleting a user deletes everything of theirs in one statement.
Uploaded documents, their chunks and the upload ledger are here too (read and written by
:mod:`eclair.knowledge.store`), keyed by the same user ids but without a foreign key: a shared
document has no owner, and erasing a user deletes their documents explicitly
(:mod:`eclair.sovereignty.privacy`). The full-text index is not portable metadata: migration
0004 builds it per dialect (an FTS5 table with triggers on SQLite, a generated ``tsvector``
column with a GIN index on PostgreSQL, where ``chunks.embedding`` is a pgvector ``vector`` when
the server has the extension); :func:`include_object` tells schema comparisons to leave those
parts alone. ``rate_limits`` belongs to nobody: it holds the quota counters that several
instances share (:mod:`eclair.store.rate_limits`). ``server_flags`` neither: durable facts about
the instance, such as "accounts have existed here" (:mod:`eclair.store.users`). ``tool_calls``
is the audit trail of the tools models called in a conversation (who approved, what came back)
and ``tool_permissions`` the tools each user allowed "always" (:mod:`eclair.store.tools`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, whatever the backend keeps."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _owner() -> Column[str]:
    return Column("user_id", String(40), ForeignKey("users.id", ondelete="CASCADE"), nullable=False)


users = Table(
    "users",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=True),
    Column("is_admin", Boolean, nullable=False, default=False),
    Column("is_local", Boolean, nullable=False, default=False),
    Column("settings", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),  # sha256 of the cookie value
    _owner(),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Index(None, "user_id"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(40), primary_key=True),
    _owner(),
    Column("name", String(100), nullable=False),
    Column("prefix", String(16), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),  # sha256 of the key
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime, nullable=True),
    Column("revoked_at", UTCDateTime, nullable=True),
    Index(None, "user_id"),
)

conversations = Table(
    "conversations",
    metadata,
    Column("id", String(40), primary_key=True),
    _owner(),
    Column("title", String(200), nullable=False),
    Column("model", String(256), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # Pinned ones head the page's list; archived ones leave it (still searchable, never deleted).
    Column("pinned", Boolean, nullable=False, server_default=false()),
    Column("archived", Boolean, nullable=False, server_default=false()),
    # Ids of the documents attached from this conversation's message box (NULL: none).
    Column("documents", JSON, nullable=True),
    Index(None, "user_id", "updated_at"),
)

messages = Table(
    "messages",
    metadata,
    Column("id", String(40), primary_key=True),
    Column(
        "conversation_id",
        String(40),
        ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    _owner(),
    Column("seq", Integer, nullable=False),
    Column("role", String(16), nullable=False),
    Column("content", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("model", String(256), nullable=True),
    Column("eclair", JSON, nullable=True),
    Column("prompt_tokens", Integer, nullable=True),
    Column("completion_tokens", Integer, nullable=True),
    # Kept as columns (not only inside ``eclair``) so totals per user and model are one SUM.
    Column("energy_wh", Float, nullable=True),
    Column("gco2e", Float, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    # On the first message of a branch that has other versions: which one this is (1, 2, …).
    Column("version", Integer, nullable=True),
    UniqueConstraint("conversation_id", "seq"),
    Index(None, "user_id"),
)

# The other versions of a conversation's tail: a regenerated answer, or an edited question with
# everything after it, shelved so that ‹ n/m › can bring it back (:mod:`eclair.store.versions`).
message_versions = Table(
    "message_versions",
    metadata,
    Column("id", String(40), primary_key=True),
    Column(
        "conversation_id",
        String(40),
        ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    _owner(),
    Column("seq", Integer, nullable=False),  # where the shelved branch starts
    Column("number", Integer, nullable=False),  # its version number at that place
    # {"messages": [...], "versions": [...]}: the branch's messages and its own inner versions
    Column("branch", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("conversation_id", "seq", "number"),
    Index(None, "user_id"),
)

# 👍/👎 on an answer, with an optional comment. The question and the answer are copied in, so
# ``eclair eval --from-feedback`` can make evaluation items even after the answer has changed.
feedback = Table(
    "feedback",
    metadata,
    Column("id", String(40), primary_key=True),
    Column(
        "conversation_id",
        String(40),
        ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    _owner(),
    Column("message_id", String(40), nullable=False),  # no foreign key: a shelved answer keeps it
    Column("rating", Integer, nullable=False),  # +1 or -1
    Column("comment", Text, nullable=False),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("route", String(32), nullable=True),
    Column("model", String(256), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("user_id", "message_id"),
    Index(None, "user_id"),
    Index(None, "rating", "created_at"),
)

tool_calls = Table(
    "tool_calls",
    metadata,  # the audit trail of tool calls made while answering in a conversation
    Column("id", String(40), primary_key=True),
    _owner(),
    Column(
        "conversation_id",
        String(40),
        ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    # The answer that made the call; no foreign key: regenerating an answer keeps the trail.
    Column("message_id", String(40), nullable=True),
    Column("tool", String(64), nullable=False),  # the function name the model called
    Column("server", String(64), nullable=False),
    Column("arguments", JSON, nullable=False),
    Column("decision", String(16), nullable=False),  # pending, once, always, allow, deny, timeout
    Column("status", String(16), nullable=False),  # pending, ok, error, denied
    Column("result", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=True),
    Index(None, "conversation_id", "created_at"),
    Index(None, "user_id"),
)

tool_permissions = Table(
    "tool_permissions",
    metadata,  # "always allow": one row per user and tool (function name) granted
    Column("user_id", String(40), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("tool", String(64), primary_key=True),
    Column("granted_at", UTCDateTime, nullable=False),
)

server_flags = Table(
    "server_flags",
    metadata,
    Column("name", String(64), primary_key=True),  # a flag is set while its row exists
    Column("set_at", UTCDateTime, nullable=False),
)

rate_limits = Table(
    "rate_limits",
    metadata,
    Column("key", String(255), primary_key=True),  # the ``limits`` key: limiter, principal, window
    Column("count", Integer, nullable=False),
    Column("expires_at", Float, nullable=False),  # Unix time in seconds, as ``limits`` counts it
    Index(None, "expires_at"),  # the sweep of expired counters is a range delete
)


# -- the knowledge base ----------------------------------------------------------------------

# A 64-bit key on PostgreSQL; on SQLite ``INTEGER PRIMARY KEY``, an alias of the rowid that FTS5's
# external content table indexes.
ROWID = BigInteger().with_variant(Integer(), "sqlite")

documents = Table(
    "documents",
    metadata,
    Column("rowid", ROWID, primary_key=True, autoincrement=True),  # insertion order
    Column("id", String(64), nullable=False, unique=True),
    Column("user_id", String(40), nullable=True),  # NULL: shared with every user
    Column("collection", String(64), nullable=False),
    Column("filename", Text, nullable=False),
    Column("purpose", String(64), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("bytes", BigInteger, nullable=False),
    Column("created_at", BigInteger, nullable=False),  # Unix time in seconds, as OpenAI's files
    Column("text", Text, nullable=False),  # the extracted text, which chunk offsets index
    Column("chars", Integer, nullable=False),
    Index(None, "user_id", "collection"),
    Index(None, "user_id", "sha256"),
)

chunks = Table(
    "chunks",
    metadata,
    Column("rowid", ROWID, primary_key=True, autoincrement=True),
    Column("id", String(100), nullable=False, unique=True),  # "<document id>:<seq>"
    Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("char_start", Integer, nullable=False),
    Column("char_end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("embedding", LargeBinary, nullable=True),  # float32 bytes; pgvector's vector on PostgreSQL
    Index(None, "document_id", "seq"),
)

uploads = Table(
    "uploads",
    metadata,  # the daily upload quotas' ledger: times and sizes only, pruned after 24 hours
    Column("user_id", String(40), nullable=False),
    Column("at", Float, nullable=False),  # Unix time in seconds
    Column("bytes", BigInteger, nullable=False),
    Index(None, "user_id", "at"),
)

knowledge_meta = Table(
    "knowledge_meta",
    metadata,  # facts about the stored embeddings: the encoder's name and dimension
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

FULLTEXT_TABLE = "chunks_fts"  # SQLite: the FTS5 table and its shadow tables (chunks_fts_*)
FULLTEXT_COLUMN = "tsv"  # PostgreSQL: the generated tsvector column of ``chunks``
FULLTEXT_INDEX = "ix_chunks_tsv"  # PostgreSQL: its GIN index


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic's filter: the per-dialect full-text parts and a pgvector column are the
    migrations' own, not this metadata's."""
    if type_ == "table" and name is not None and name.startswith(FULLTEXT_TABLE):
        return False
    if type_ == "column" and name == FULLTEXT_COLUMN:
        return False
    if type_ == "index" and name == FULLTEXT_INDEX:
        return False
    if type_ == "column" and name == "embedding" and compare_to is not None:
        return isinstance(compare_to.type, LargeBinary)
    return True
