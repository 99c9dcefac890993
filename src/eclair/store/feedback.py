"""Feedback on answers: 👍 (+1) or 👎 (-1) and an optional comment, one per user and answer.

Contract: :meth:`FeedbackStore.rate` accepts only the caller's own *assistant* messages (None
otherwise, so the API answers 404) and copies in the question that answer replied to and the
answer's text, route and model: the row stays meaningful after the answer is regenerated or
the conversation edited. Deleting the conversation or the user deletes its feedback.
:meth:`FeedbackStore.disliked` is the operator's view (every user), read by
``eclair eval --from-feedback``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, select, update

from eclair.store import schema as t
from eclair.store.database import Database
from eclair.store.ids import new_id, utcnow

COMMENT_MAX = 2000


@dataclass(frozen=True, slots=True)
class Feedback:
    id: str
    user_id: str
    conversation_id: str
    message_id: str
    rating: int
    comment: str
    question: str
    answer: str
    route: str | None
    model: str | None
    created_at: datetime
    updated_at: datetime


def _feedback(row: RowMapping) -> Feedback:
    return Feedback(**{f.name: row[f.name] for f in fields(Feedback)})


class FeedbackStore:
    def __init__(self, db: Database):
        self.db = db

    def rate(self, user_id: str, message_id: str, *, rating: int, comment: str = "") -> Feedback | None:
        """Record (or change) the user's rating of one of their answers."""
        if rating not in (1, -1):
            raise ValueError("rating is +1 or -1")
        with self.db.write() as conn:
            answer = (
                conn.execute(
                    select(t.messages).where(
                        t.messages.c.id == message_id,
                        t.messages.c.user_id == user_id,
                        t.messages.c.role == "assistant",
                    )
                )
                .mappings()
                .first()
            )
            if answer is None:
                return None
            question = conn.execute(
                select(t.messages.c.content)
                .where(
                    t.messages.c.conversation_id == answer["conversation_id"],
                    t.messages.c.seq < answer["seq"],
                    t.messages.c.role == "user",
                )
                .order_by(t.messages.c.seq.desc())
                .limit(1)
            ).scalar()
            eclair: dict[str, Any] = answer["eclair"] or {}
            now = utcnow()
            values: dict[str, Any] = {
                "rating": rating,
                "comment": comment.strip()[:COMMENT_MAX],
                "question": question or "",
                "answer": answer["content"],
                "route": eclair.get("route"),
                "model": answer["model"],
                "updated_at": now,
            }
            existing = conn.execute(
                select(t.feedback.c.id).where(
                    t.feedback.c.user_id == user_id, t.feedback.c.message_id == message_id
                )
            ).scalar()
            if existing is None:
                values |= {
                    "id": new_id("fb"),
                    "user_id": user_id,
                    "conversation_id": answer["conversation_id"],
                    "message_id": message_id,
                    "created_at": now,
                }
                conn.execute(t.feedback.insert().values(**values))
            else:
                conn.execute(update(t.feedback).where(t.feedback.c.id == existing).values(**values))
            row = (
                conn.execute(
                    select(t.feedback).where(
                        t.feedback.c.user_id == user_id, t.feedback.c.message_id == message_id
                    )
                )
                .mappings()
                .one()
            )
        return _feedback(row)

    def of_conversation(self, user_id: str, conversation_id: str) -> list[Feedback]:
        query = select(t.feedback).where(
            t.feedback.c.user_id == user_id, t.feedback.c.conversation_id == conversation_id
        )
        with self.db.read() as conn:
            return [_feedback(row) for row in conn.execute(query).mappings()]

    def disliked(self, limit: int | None = None) -> list[Feedback]:
        """Every 👎 of every user, oldest first (the operator's evaluation material)."""
        query = select(t.feedback).where(t.feedback.c.rating < 0).order_by(t.feedback.c.created_at)
        if limit is not None:
            query = query.limit(limit)
        with self.db.read() as conn:
            return [_feedback(row) for row in conn.execute(query).mappings()]
