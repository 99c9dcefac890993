"""The tables, as SQLAlchemy Core metadata: the reference the migrations must reproduce.

``tests/store/test_migrations.py`` checks that upgrading an empty database to the latest
Alembic revision yields exactly this schema (on SQLite and PostgreSQL), so a change here without
a migration fails the suite. Every row that belongs to someone carries ``user_id`` with
``ON DELETE CASCADE``: deleting a user deletes everything of theirs in one statement.
Uploaded documents live in the knowledge index (:mod:`eclair.knowledge.store`), keyed by the
same user ids. ``rate_limits`` belongs to nobody: it holds the quota counters that several
instances share (:mod:`eclair.store.rate_limits`). ``server_flags`` neither: durable facts about
the instance, such as "accounts have existed here" (:mod:`eclair.store.users`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
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
    UniqueConstraint("conversation_id", "seq"),
    Index(None, "user_id"),
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
