"""A user's data: export it (GDPR art. 15/20), erase it for good (art. 17), expire it.

Contract:

- :func:`export_user` returns one JSON-ready archive of everything Éclair holds about a user:
  the account (no password hash), API keys' metadata (no key material), every conversation
  with every message and its metadata (``eclair`` object, tokens, energy), every document the
  user uploaded with its extracted text and chunk offsets. :func:`import_user` replays such
  an archive into another instance (a new account of the same name, same ids).
- :func:`erase_user` deletes all of it: the account row and, by cascade, sessions, keys,
  conversations and messages; the user's documents, their chunks, full-text and vector
  entries (all in the main database since revision 0004, and in a renamed pre-0004
  ``knowledge.db.migrated`` if one is kept). It then makes the deletion physical, so that no
  byte of it can be read back from the data directory: SQLite ``secure_delete`` (every
  connection zeroes freed pages), an FTS5 ``optimize`` (merges away index segments that still
  hold deleted terms), ``VACUUM`` (rewrites each file from live content) and
  ``wal_checkpoint(TRUNCATE)`` (empties ``-wal``); on PostgreSQL the rows are deleted and
  ``VACUUM`` run on the knowledge tables.
- :func:`purge_older_than` deletes conversations untouched for ``retention_days`` and compacts
  the same way.

Not covered here: what the engine holds in memory (prefix caches of live slots are gone
when the process restarts), logs outside the data directory (message text is logged only at
debug level), and PostgreSQL's own files (WAL segments, backups: the operator's; rows are
deleted and the tables vacuumed all the same).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select

from eclair.knowledge.legacy import erase_owner as erase_legacy_owner
from eclair.store import schema as t

if TYPE_CHECKING:
    from eclair.knowledge.base import KnowledgeBase
    from eclair.store import Store, User

FORMAT = "eclair-export"
VERSION = 1


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


# -- the knowledge base's part ------------------------------------------------------------


def _documents(knowledge: KnowledgeBase, user_id: str) -> list[dict[str, Any]]:
    index = knowledge.index
    documents = []
    for document in index.list_documents(user_id):
        if document.user_id != user_id:
            continue  # shared documents are nobody's
        documents.append(
            {
                "id": document.id,
                "collection": document.collection,
                "filename": document.filename,
                "purpose": document.purpose,
                "sha256": document.sha256,
                "bytes": document.bytes,
                "created_at": document.created_at,
                "text": index.document_text(document.id),
                "chunks": [[start, end] for start, end in index.document_spans(document.id)],
            }
        )
    return documents


# -- export and import -------------------------------------------------------------------


def export_user(store: Store, knowledge: KnowledgeBase | None, user: User) -> dict[str, Any]:
    """Everything about ``user``, as one JSON-ready dict (see the module docstring)."""
    conversations = []
    for conversation in store.conversations.find(user.id, limit=1_000_000):
        messages = store.conversations.messages(user.id, conversation.id)
        conversations.append(
            {
                "id": conversation.id,
                "title": conversation.title,
                "model": conversation.model,
                "created_at": _iso(conversation.created_at),
                "updated_at": _iso(conversation.updated_at),
                "pinned": conversation.pinned,
                "archived": conversation.archived,
                # the other versions of regenerated answers and edited questions
                "versions": store.versions.shelved(user.id, conversation.id),
                "feedback": [
                    {"message_id": f.message_id, "rating": f.rating, "comment": f.comment}
                    for f in store.feedback.of_conversation(user.id, conversation.id)
                ],
                "messages": [
                    {
                        "id": m.id,
                        "seq": m.seq,
                        "role": m.role,
                        "content": m.content,
                        "status": m.status,
                        "model": m.model,
                        "eclair": m.eclair,
                        "prompt_tokens": m.prompt_tokens,
                        "completion_tokens": m.completion_tokens,
                        "energy_wh": m.energy_wh,
                        "gco2e": m.gco2e,
                        "created_at": _iso(m.created_at),
                    }
                    for m in messages
                ],
            }
        )
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
        "user": {
            "id": user.id,
            "name": user.name,
            "is_admin": user.is_admin,
            "created_at": _iso(user.created_at),
            "settings": user.settings,
        },
        "api_keys": [
            {
                "id": k.id,
                "name": k.name,
                "prefix": k.prefix,
                "created_at": _iso(k.created_at),
                "last_used_at": _iso(k.last_used_at),
                "revoked_at": _iso(k.revoked_at),
            }
            for k in store.users.keys(user.id)
        ],
        "conversations": conversations,
        "documents": [] if knowledge is None else _documents(knowledge, user.id),
    }


def import_user(store: Store, knowledge: KnowledgeBase | None, archive: dict[str, Any]) -> User:
    """Recreate an exported user in this (other) instance: account, conversations, documents.

    The account gets no password (set one with ``eclair users passwd``) and no API keys (their
    secrets were never exported); conversations, messages and documents keep their content,
    order and metadata.
    """
    if archive.get("format") != FORMAT or archive.get("version") != VERSION:
        raise ValueError("not an Éclair export (format eclair-export, version 1)")
    account = archive["user"]
    user = store.users.create(account["name"], password_hash=None, is_admin=bool(account["is_admin"]))
    for conversation in archive["conversations"]:
        created = store.conversations.create(
            user.id, title=conversation["title"], model=conversation["model"]
        )
        for m in sorted(conversation["messages"], key=lambda m: m["seq"]):
            added = store.conversations.add_message(
                user.id,
                created.id,
                role=m["role"],
                content=m["content"],
                status=m["status"],
                model=m["model"],
            )
            if added is not None and (
                m["eclair"] or m["prompt_tokens"] is not None or m["energy_wh"] is not None
            ):
                store.conversations.finish_message(
                    user.id,
                    added.id,
                    content=m["content"],
                    status=m["status"],
                    eclair=m["eclair"],
                    prompt_tokens=m["prompt_tokens"],
                    completion_tokens=m["completion_tokens"],
                    energy_wh=m["energy_wh"],
                    gco2e=m["gco2e"],
                )
    if knowledge is not None:
        for document in archive["documents"]:
            knowledge.index.add_document(
                document_id=document["id"],
                user_id=user.id,
                collection=document["collection"],
                filename=document["filename"],
                purpose=document["purpose"],
                sha256=document["sha256"],
                size=document["bytes"],
                text=document["text"],
                spans=[(start, end) for start, end in document["chunks"]],
            )
    return user


# -- erasure and retention ---------------------------------------------------------------


def compact_store(store: Store) -> None:
    """Make deletions in the store physical: VACUUM, then empty the WAL (SQLite only)."""
    if store.dialect != "sqlite":
        return
    with store.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("VACUUM")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def erase_user(store: Store, knowledge: KnowledgeBase | None, user: User) -> dict[str, int]:
    """Erase ``user`` and everything they own, physically (see the module docstring)."""
    counts = {"documents": 0, "conversations": len(store.conversations.find(user.id, limit=1_000_000))}
    if knowledge is not None:
        # Documents, chunks (their full-text and vector entries with them) and the upload
        # quota's ledger, which names the user too; then the same in a pre-0004 index file
        # kept beside the data (knowledge.db.migrated), and the deletions made physical.
        counts["documents"] = knowledge.index.erase_owner(user.id)
        counts["documents"] += erase_legacy_owner(knowledge.data_dir, user.id)
        knowledge.index.compact()
    store.users.delete(user.id)
    compact_store(store)
    return counts


def purge_older_than(store: Store, knowledge: KnowledgeBase | None, days: int) -> int:
    """Delete conversations (and their messages) untouched for ``days`` days; compact."""
    cutoff = datetime.now(UTC) - timedelta(days=days)
    with store.db.write() as conn:
        ids = [
            row[0]
            for row in conn.execute(select(t.conversations.c.id).where(t.conversations.c.updated_at < cutoff))
        ]
        if ids:
            conn.execute(delete(t.messages).where(t.messages.c.conversation_id.in_(ids)))
            conn.execute(delete(t.conversations).where(t.conversations.c.id.in_(ids)))
    if ids:
        compact_store(store)
    return len(ids)
