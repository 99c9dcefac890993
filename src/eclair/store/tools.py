"""The tool-call audit trail and the tools each user allowed "always".

Contract: every method takes the owner's ``user_id`` and ignores other users' rows, like
:mod:`eclair.store.conversations`. A call is recorded when the model makes it (``pending``),
before anyone decides, and finished once with the decision, the status and the result text, so
the trail also shows calls that were refused or cut short by a shutdown. Grants are per user
and per tool (the function name the model calls, e.g. ``mcp__files__read``), never per server.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import RowMapping, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from eclair.store import schema as t
from eclair.store.database import Database
from eclair.store.ids import new_id, utcnow
from eclair.store.types import ToolCallRecord, ToolCallStatus, ToolDecision

MAX_RESULT_CHARS = 20_000


def _record(row: RowMapping) -> ToolCallRecord:
    return ToolCallRecord(
        id=row["id"],
        user_id=row["user_id"],
        conversation_id=row["conversation_id"],
        message_id=row["message_id"],
        tool=row["tool"],
        server=row["server"],
        arguments=row["arguments"],
        decision=row["decision"],
        status=row["status"],
        result=row["result"],
        created_at=row["created_at"],
        finished_at=row["finished_at"],
    )


class ToolStore:
    def __init__(self, db: Database):
        self.db = db

    # -- the audit trail ------------------------------------------------------------------

    def start_call(
        self,
        user_id: str,
        conversation_id: str,
        *,
        message_id: str | None,
        tool: str,
        server: str,
        arguments: dict[str, Any],
    ) -> ToolCallRecord | None:
        """Record a call the model made; None if the conversation is gone (or not the user's)."""
        values = {
            "id": new_id("call"),
            "user_id": user_id,
            "conversation_id": conversation_id,
            "message_id": message_id,
            "tool": tool[:64],
            "server": server[:64],
            "arguments": arguments,
            "decision": "pending",
            "status": "pending",
            "result": "",
            "created_at": utcnow(),
            "finished_at": None,
        }
        owned = select(t.conversations.c.id).where(
            t.conversations.c.id == conversation_id, t.conversations.c.user_id == user_id
        )
        try:
            with self.db.write() as conn:
                if conn.execute(owned).first() is None:
                    return None
                conn.execute(insert(t.tool_calls).values(**values))
        except IntegrityError:  # deleted between the check and the insert
            return None
        return _record(values)  # type: ignore[arg-type]

    def finish_call(
        self, user_id: str, call_id: str, *, decision: ToolDecision, status: ToolCallStatus, result: str
    ) -> ToolCallRecord | None:
        stmt = (
            update(t.tool_calls)
            .where(t.tool_calls.c.id == call_id, t.tool_calls.c.user_id == user_id)
            .values(decision=decision, status=status, result=result[:MAX_RESULT_CHARS], finished_at=utcnow())
        )
        with self.db.write() as conn:
            if conn.execute(stmt).rowcount == 0:
                return None
        return self.get_call(user_id, call_id)

    def get_call(self, user_id: str, call_id: str) -> ToolCallRecord | None:
        query = select(t.tool_calls).where(t.tool_calls.c.id == call_id, t.tool_calls.c.user_id == user_id)
        with self.db.read() as conn:
            row = conn.execute(query).mappings().first()
        return None if row is None else _record(row)

    def calls(self, user_id: str, conversation_id: str) -> list[ToolCallRecord]:
        """A conversation's calls, oldest first."""
        query = (
            select(t.tool_calls)
            .where(t.tool_calls.c.conversation_id == conversation_id, t.tool_calls.c.user_id == user_id)
            .order_by(t.tool_calls.c.created_at, t.tool_calls.c.id)
        )
        with self.db.read() as conn:
            return [_record(row) for row in conn.execute(query).mappings()]

    def abandon_pending(self) -> int:
        """Calls left ``pending`` by a previous process: they never ran, or their end is unknown."""
        stmt = (
            update(t.tool_calls)
            .where(t.tool_calls.c.status == "pending")
            .values(status="error", result="interrupted: the server stopped", finished_at=utcnow())
        )
        with self.db.write() as conn:
            return int(conn.execute(stmt).rowcount)

    # -- "always allow" -------------------------------------------------------------------

    def grant(self, user_id: str, tool: str) -> None:
        try:
            with self.db.write() as conn:
                conn.execute(
                    insert(t.tool_permissions).values(user_id=user_id, tool=tool, granted_at=utcnow())
                )
        except IntegrityError:
            pass  # already granted

    def granted(self, user_id: str, tool: str) -> bool:
        query = select(t.tool_permissions.c.tool).where(
            t.tool_permissions.c.user_id == user_id, t.tool_permissions.c.tool == tool
        )
        with self.db.read() as conn:
            return conn.execute(query).first() is not None

    def grants(self, user_id: str) -> list[str]:
        query = (
            select(t.tool_permissions.c.tool)
            .where(t.tool_permissions.c.user_id == user_id)
            .order_by(t.tool_permissions.c.tool)
        )
        with self.db.read() as conn:
            return [row[0] for row in conn.execute(query)]

    def revoke(self, user_id: str, tool: str) -> bool:
        stmt = delete(t.tool_permissions).where(
            t.tool_permissions.c.user_id == user_id, t.tool_permissions.c.tool == tool
        )
        with self.db.write() as conn:
            return bool(conn.execute(stmt).rowcount)
