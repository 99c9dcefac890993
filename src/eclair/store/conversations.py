"""Conversations and their messages, always scoped to their owner.

Contract: every method takes the owner's ``user_id`` and behaves as if rows of other users did
not exist (``None`` / ``False`` / empty), so the API answers 404 for them. Messages are ordered
by ``seq`` within a conversation; :meth:`ConversationStore.truncate` drops a tail (edit and
resend, regenerate) and :meth:`ConversationStore.finish_message` records an answer once its
stream has ended. Every write bumps the conversation's ``updated_at`` (the list's order).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, RowMapping, and_, delete, exists, func, or_, select, update

from eclair.store import schema as t
from eclair.store.database import Database
from eclair.store.ids import new_id, utcnow
from eclair.store.types import Conversation, Message, MessageRole, MessageStatus
from eclair.store.versions import shelve

TITLE_MAX = 200


def _conversation(row: RowMapping) -> Conversation:
    return Conversation(
        id=row["id"],
        user_id=row["user_id"],
        title=row["title"],
        model=row["model"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        pinned=bool(row["pinned"]),
        archived=bool(row["archived"]),
        documents=tuple(row["documents"] or ()),
    )


def _message(row: RowMapping) -> Message:
    return Message(
        id=row["id"],
        conversation_id=row["conversation_id"],
        user_id=row["user_id"],
        seq=row["seq"],
        role=row["role"],
        content=row["content"],
        status=row["status"],
        created_at=row["created_at"],
        model=row["model"],
        eclair=row["eclair"],
        prompt_tokens=row["prompt_tokens"],
        completion_tokens=row["completion_tokens"],
        energy_wh=row["energy_wh"],
        gco2e=row["gco2e"],
        version=row["version"],
    )


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class ConversationStore:
    def __init__(self, db: Database):
        self.db = db

    # -- conversations ---------------------------------------------------------------------

    def create(self, user_id: str, *, title: str = "", model: str | None = None) -> Conversation:
        now = utcnow()
        values = {
            "id": new_id("conv"),
            "user_id": user_id,
            "title": title[:TITLE_MAX],
            "model": model,
            "created_at": now,
            "updated_at": now,
            "pinned": False,
            "archived": False,
            "documents": None,
        }
        with self.db.write() as conn:
            conn.execute(t.conversations.insert().values(**values))
        return _conversation(values)  # type: ignore[arg-type]

    def get(self, user_id: str, conversation_id: str) -> Conversation | None:
        query = select(t.conversations).where(
            t.conversations.c.id == conversation_id, t.conversations.c.user_id == user_id
        )
        with self.db.read() as conn:
            row = conn.execute(query).mappings().first()
        return None if row is None else _conversation(row)

    def find(
        self,
        user_id: str,
        *,
        query: str | None = None,
        limit: int = 200,
        archived: bool | None = None,
    ) -> list[Conversation]:
        """Most recently updated first; ``query`` matches titles and message text (case-insensitive).

        ``archived``: None (the default) gives every conversation, False leaves the archived ones
        out (the page's list), True gives only them (its archived view)."""
        stmt = select(t.conversations).where(t.conversations.c.user_id == user_id)
        if archived is not None:
            stmt = stmt.where(t.conversations.c.archived.is_(archived))
        if query:
            pattern = _like_pattern(query)
            in_messages = exists().where(
                t.messages.c.conversation_id == t.conversations.c.id,
                t.messages.c.content.ilike(pattern, escape="\\"),
            )
            stmt = stmt.where(or_(t.conversations.c.title.ilike(pattern, escape="\\"), in_messages))
        stmt = stmt.order_by(t.conversations.c.updated_at.desc(), t.conversations.c.id).limit(limit)
        with self.db.read() as conn:
            return [_conversation(row) for row in conn.execute(stmt).mappings()]

    def update(
        self,
        user_id: str,
        conversation_id: str,
        *,
        title: str | None = None,
        model: str | None = None,
        pinned: bool | None = None,
        archived: bool | None = None,
        documents: list[str] | None = None,
    ) -> Conversation | None:
        """Change what is given (``documents``: the attached documents' ids, in order). Pinning and archiving leave ``updated_at`` (the list's order
        by activity) alone: filing a conversation away is not talking in it."""
        values: dict[str, Any] = {}
        if title is not None:
            values["title"] = title[:TITLE_MAX]
        if model is not None:
            values["model"] = model
        if values:
            values["updated_at"] = utcnow()
        if pinned is not None:
            values["pinned"] = pinned
        if archived is not None:
            values["archived"] = archived
        if documents is not None:
            values["documents"] = list(dict.fromkeys(documents)) or None
        if not values:
            return self.get(user_id, conversation_id)
        stmt = (
            update(t.conversations)
            .where(t.conversations.c.id == conversation_id, t.conversations.c.user_id == user_id)
            .values(**values)
        )
        with self.db.write() as conn:
            if conn.execute(stmt).rowcount == 0:
                return None
        return self.get(user_id, conversation_id)

    def delete(self, user_id: str, conversation_id: str) -> bool:
        stmt = delete(t.conversations).where(
            t.conversations.c.id == conversation_id, t.conversations.c.user_id == user_id
        )
        with self.db.write() as conn:
            return conn.execute(stmt).rowcount > 0

    # -- messages --------------------------------------------------------------------------

    def messages(self, user_id: str, conversation_id: str) -> list[Message]:
        query = (
            select(t.messages)
            .where(t.messages.c.conversation_id == conversation_id, t.messages.c.user_id == user_id)
            .order_by(t.messages.c.seq)
        )
        with self.db.read() as conn:
            return [_message(row) for row in conn.execute(query).mappings()]

    def get_message(self, user_id: str, message_id: str) -> Message | None:
        query = select(t.messages).where(t.messages.c.id == message_id, t.messages.c.user_id == user_id)
        with self.db.read() as conn:
            row = conn.execute(query).mappings().first()
        return None if row is None else _message(row)

    def add_message(
        self,
        user_id: str,
        conversation_id: str,
        *,
        role: MessageRole,
        content: str,
        status: MessageStatus = "complete",
        model: str | None = None,
    ) -> Message | None:
        """Append a message; None if the conversation is not the user's."""
        with self.db.write() as conn:
            if not self._owns(conn, user_id, conversation_id):
                return None
            values = self._append(conn, user_id, conversation_id, role, content, status, model)
        return _message(values)  # type: ignore[arg-type]

    def add_turn(
        self,
        user_id: str,
        conversation_id: str,
        *,
        content: str,
        model: str | None,
        replace_from: int | None = None,
    ) -> tuple[Message, Message] | None:
        """Append a user message and an empty ``streaming`` assistant message, atomically.

        The user's turn is durable before generation starts; the placeholder is what
        :meth:`finish_message` later fills in (or what start-up marks interrupted after a crash).
        ``replace_from`` (edit and resend): the tail from that ``seq`` is shelved as a version
        (:mod:`eclair.store.versions`) and the new question starts the next one.
        """
        with self.db.write() as conn:
            if not self._owns(conn, user_id, conversation_id):
                return None
            version = None if replace_from is None else shelve(conn, user_id, conversation_id, replace_from)
            asked = self._append(conn, user_id, conversation_id, "user", content, "complete", None, version)
            answer = self._append(conn, user_id, conversation_id, "assistant", "", "streaming", model)
        return _message(asked), _message(answer)  # type: ignore[arg-type]

    def start_answer(
        self, user_id: str, conversation_id: str, *, model: str | None, replace_from: int | None = None
    ) -> Message | None:
        """Append an empty ``streaming`` assistant message (regenerate: ``replace_from`` is
        where the answers being replaced start; they are shelved as a version)."""
        with self.db.write() as conn:
            if not self._owns(conn, user_id, conversation_id):
                return None
            version = None if replace_from is None else shelve(conn, user_id, conversation_id, replace_from)
            values = self._append(
                conn, user_id, conversation_id, "assistant", "", "streaming", model, version
            )
        return _message(values)  # type: ignore[arg-type]

    def finish_message(
        self,
        user_id: str,
        message_id: str,
        *,
        content: str,
        status: MessageStatus,
        eclair: dict[str, Any] | None = None,
        prompt_tokens: int | None = None,
        completion_tokens: int | None = None,
        energy_wh: float | None = None,
        gco2e: float | None = None,
    ) -> Message | None:
        values = {
            "content": content,
            "status": status,
            "eclair": eclair,
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "energy_wh": energy_wh,
            "gco2e": gco2e,
        }
        with self.db.write() as conn:
            stmt = update(t.messages).where(t.messages.c.id == message_id, t.messages.c.user_id == user_id)
            if conn.execute(stmt.values(**values)).rowcount == 0:
                return None
            conversation_id = conn.execute(
                select(t.messages.c.conversation_id).where(t.messages.c.id == message_id)
            ).scalar_one()
            self._touch(conn, conversation_id)
        return self.get_message(user_id, message_id)

    def update_content(self, user_id: str, message_id: str, content: str) -> Message | None:
        stmt = (
            update(t.messages)
            .where(t.messages.c.id == message_id, t.messages.c.user_id == user_id)
            .values(content=content)
        )
        with self.db.write() as conn:
            if conn.execute(stmt).rowcount == 0:
                return None
        return self.get_message(user_id, message_id)

    def truncate(self, user_id: str, conversation_id: str, *, from_seq: int) -> int:
        """Delete the messages at ``from_seq`` and after; how many went."""
        stmt = delete(t.messages).where(
            t.messages.c.conversation_id == conversation_id,
            t.messages.c.user_id == user_id,
            t.messages.c.seq >= from_seq,
        )
        with self.db.write() as conn:
            gone = conn.execute(stmt).rowcount
            self._touch(conn, conversation_id)
        return int(gone)

    def interrupt_streaming(self) -> int:
        """Mark answers left ``streaming`` by a previous process as ``interrupted`` (start-up)."""
        stmt = update(t.messages).where(t.messages.c.status == "streaming").values(status="interrupted")
        with self.db.write() as conn:
            return int(conn.execute(stmt).rowcount)

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _owns(conn: Connection, user_id: str, conversation_id: str) -> bool:
        query = select(t.conversations.c.id).where(
            and_(t.conversations.c.id == conversation_id, t.conversations.c.user_id == user_id)
        )
        # On PostgreSQL the row lock serialises appends to one conversation (``seq`` stays unique);
        # SQLite has one writer anyway and ignores FOR UPDATE.
        return conn.execute(query.with_for_update()).first() is not None

    @staticmethod
    def _touch(conn: Connection, conversation_id: str) -> None:
        conn.execute(
            update(t.conversations).where(t.conversations.c.id == conversation_id).values(updated_at=utcnow())
        )

    def _append(
        self,
        conn: Connection,
        user_id: str,
        conversation_id: str,
        role: MessageRole,
        content: str,
        status: MessageStatus,
        model: str | None,
        version: int | None = None,
    ) -> dict[str, Any]:
        last = conn.execute(
            select(func.max(t.messages.c.seq)).where(t.messages.c.conversation_id == conversation_id)
        ).scalar_one()
        values: dict[str, Any] = {
            "id": new_id("msg"),
            "conversation_id": conversation_id,
            "user_id": user_id,
            "seq": 0 if last is None else last + 1,
            "role": role,
            "content": content,
            "status": status,
            "model": model,
            "eclair": None,
            "prompt_tokens": None,
            "completion_tokens": None,
            "energy_wh": None,
            "gco2e": None,
            "created_at": utcnow(),
            "version": version,
        }
        conn.execute(t.messages.insert().values(**values))
        self._touch(conn, conversation_id)
        return values
