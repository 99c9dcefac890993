"""Versions of a conversation's tail: what regenerate and edit replace is shelved, not lost.

A *branch* is the tail of a conversation from one place (``seq``) on: a regenerated answer, or
an edited question with everything after it. Replacing it (:func:`shelve`) stores it in
``message_versions`` with its version number there and deletes its messages; the branch that
takes its place gets the next number (``messages.version`` on its first message). Versions of
places further down a shelved branch travel inside it (``branch["versions"]``), so bringing a
branch back (:meth:`VersionStore.select`) restores its own inner versions too.

Message ids are kept across shelving and restoring: feedback and links to a message survive.
Contract: every method is scoped to the owner (another user's conversation behaves as absent).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, select, update

from eclair.store import schema as t
from eclair.store.database import Database
from eclair.store.ids import new_id, utcnow

_DATES = ("created_at",)


def _to_json(row: Any) -> dict[str, Any]:
    data = {k: v for k, v in dict(row).items() if k not in ("conversation_id", "user_id")}
    for key in _DATES:
        if isinstance(data.get(key), datetime):
            data[key] = data[key].isoformat()
    return data


def _from_json(data: dict[str, Any], conversation_id: str, user_id: str) -> dict[str, Any]:
    row = dict(data, conversation_id=conversation_id, user_id=user_id)
    for key in _DATES:
        if isinstance(row.get(key), str):
            row[key] = datetime.fromisoformat(row[key])
    return row


def _numbers(conn: Connection, conversation_id: str, seq: int) -> list[int]:
    query = select(t.message_versions.c.number).where(
        t.message_versions.c.conversation_id == conversation_id, t.message_versions.c.seq == seq
    )
    return [int(n) for n in conn.execute(query).scalars()]


def _take_branch(
    conn: Connection, conversation_id: str, from_seq: int
) -> tuple[list[Any], list[dict[str, Any]]]:
    """Remove and return the live messages from ``from_seq`` on, and the versions inside them."""
    messages = list(
        conn.execute(
            select(t.messages)
            .where(t.messages.c.conversation_id == conversation_id, t.messages.c.seq >= from_seq)
            .order_by(t.messages.c.seq)
        ).mappings()
    )
    inner_rows = list(
        conn.execute(
            select(t.message_versions).where(
                t.message_versions.c.conversation_id == conversation_id,
                t.message_versions.c.seq > from_seq,
            )
        ).mappings()
    )
    inner = [{"seq": r["seq"], "number": r["number"], "branch": r["branch"]} for r in inner_rows]
    conn.execute(
        delete(t.message_versions).where(
            t.message_versions.c.conversation_id == conversation_id, t.message_versions.c.seq > from_seq
        )
    )
    conn.execute(
        delete(t.messages).where(
            t.messages.c.conversation_id == conversation_id, t.messages.c.seq >= from_seq
        )
    )
    return messages, inner


def shelve(conn: Connection, user_id: str, conversation_id: str, from_seq: int) -> int:
    """Shelve the live branch at ``from_seq`` (if it says anything) and return the version
    number of the branch that replaces it. Runs inside the caller's write transaction."""
    messages, inner = _take_branch(conn, conversation_id, from_seq)
    said = any(m["content"] for m in messages)
    if messages and said:
        number = messages[0]["version"] or 1
        conn.execute(
            t.message_versions.insert().values(
                id=new_id("ver"),
                conversation_id=conversation_id,
                user_id=user_id,
                seq=from_seq,
                number=number,
                branch={"messages": [_to_json(m) for m in messages], "versions": inner},
                created_at=utcnow(),
            )
        )
    numbers = _numbers(conn, conversation_id, from_seq)
    return max(numbers, default=0) + 1


def _restore(
    conn: Connection, user_id: str, conversation_id: str, branch: dict[str, Any], number: int
) -> None:
    rows = [_from_json(m, conversation_id, user_id) for m in branch["messages"]]
    if rows:
        rows[0]["version"] = number
        conn.execute(t.messages.insert(), rows)
    for inner in branch.get("versions", []):
        conn.execute(
            t.message_versions.insert().values(
                id=new_id("ver"),
                conversation_id=conversation_id,
                user_id=user_id,
                seq=inner["seq"],
                number=inner["number"],
                branch=inner["branch"],
                created_at=utcnow(),
            )
        )


def _readable(branch: dict[str, Any]) -> dict[str, Any]:
    inner = [
        {"seq": v["seq"], "number": v["number"], **_readable(v["branch"])} for v in branch.get("versions", [])
    ]
    return {"messages": branch["messages"], "versions": inner}


class VersionStore:
    def __init__(self, db: Database):
        self.db = db

    def counts(self, user_id: str, conversation_id: str) -> dict[int, int]:
        """How many versions each place of the conversation has, the live one included
        (places without other versions are left out)."""
        query = (
            select(t.message_versions.c.seq, func.count())
            .where(
                t.message_versions.c.conversation_id == conversation_id,
                t.message_versions.c.user_id == user_id,
            )
            .group_by(t.message_versions.c.seq)
        )
        with self.db.read() as conn:
            return {int(seq): int(n) + 1 for seq, n in conn.execute(query)}

    def shelved(self, user_id: str, conversation_id: str) -> list[dict[str, Any]]:
        """Every shelved branch of the conversation's live places: ``seq``, ``number``,
        ``messages`` and ``versions`` (the branch's own inner versions, in the same shape)."""
        query = (
            select(t.message_versions)
            .where(
                t.message_versions.c.conversation_id == conversation_id,
                t.message_versions.c.user_id == user_id,
            )
            .order_by(t.message_versions.c.seq, t.message_versions.c.number)
        )
        with self.db.read() as conn:
            return [
                {"seq": r["seq"], "number": r["number"], **_readable(r["branch"])}
                for r in conn.execute(query).mappings()
            ]

    def select(self, user_id: str, conversation_id: str, seq: int, number: int) -> bool:
        """Make version ``number`` of the place ``seq`` the live one (the live one is shelved).
        False when the conversation or that version does not exist."""
        with self.db.write() as conn:
            owned = conn.execute(
                select(t.conversations.c.id)
                .where(and_(t.conversations.c.id == conversation_id, t.conversations.c.user_id == user_id))
                .with_for_update()
            ).first()
            if owned is None:
                return False
            chosen = (
                conn.execute(
                    select(t.message_versions).where(
                        t.message_versions.c.conversation_id == conversation_id,
                        t.message_versions.c.seq == seq,
                        t.message_versions.c.number == number,
                    )
                )
                .mappings()
                .first()
            )
            if chosen is None:
                return False
            branch = chosen["branch"]
            conn.execute(delete(t.message_versions).where(t.message_versions.c.id == chosen["id"]))
            shelve(conn, user_id, conversation_id, seq)
            _restore(conn, user_id, conversation_id, branch, number)
            conn.execute(
                update(t.conversations)
                .where(t.conversations.c.id == conversation_id)
                .values(updated_at=utcnow())
            )
        return True
