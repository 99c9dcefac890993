"""Éclair's store: users, sessions, API keys, conversations and messages in SQL.

The same database holds the knowledge base's documents (:mod:`eclair.knowledge.store` reads and
writes those tables). SQLite in the data dir by default (WAL), PostgreSQL when
``ECLAIR_DATABASE_URL`` says so; the
schema is versioned by Alembic migrations kept in :mod:`eclair.store.migrations` and applied on
open. :class:`Store` is the one object the app holds (``app.state.store``); its parts return
domain objects (:mod:`eclair.store.types`), never rows. All methods are blocking: async callers
run them in a worker thread.
"""

from __future__ import annotations

from eclair.config import Settings
from eclair.store.conversations import ConversationStore
from eclair.store.database import Database, database_url
from eclair.store.feedback import FeedbackStore
from eclair.store.tools import ToolStore
from eclair.store.types import ApiKey, Conversation, Message, MessageStatus, Session, ToolCallRecord, User
from eclair.store.users import UserStore
from eclair.store.versions import VersionStore

__all__ = [
    "ApiKey",
    "Conversation",
    "ConversationStore",
    "Database",
    "Message",
    "MessageStatus",
    "Session",
    "Store",
    "ToolCallRecord",
    "ToolStore",
    "User",
    "UserStore",
]


class Store:
    def __init__(self, db: Database):
        self.db = db
        self.users = UserStore(db)
        self.conversations = ConversationStore(db)
        self.versions = VersionStore(db)
        self.feedback = FeedbackStore(db)
        self.tools = ToolStore(db)

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        return cls(Database.open(url, migrate=migrate))

    @classmethod
    def from_settings(cls, settings: Settings) -> Store:
        return cls.open(database_url(settings))

    @property
    def dialect(self) -> str:
        return self.db.engine.dialect.name

    def close(self) -> None:
        self.db.close()
