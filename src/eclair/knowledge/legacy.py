"""The old knowledge index file, ``<data_dir>/knowledge.db``: brought into the main database once.

Before Alembic revision 0004 documents lived in a SQLite file of their own. Contract:

- :func:`import_legacy` copies such a file's documents, chunks, embeddings, upload ledger and
  meta into the main database in one transaction, when that database holds no document yet,
  then renames the file ``knowledge.db.migrated`` (user data is never deleted silently; the
  operator removes it once satisfied). It is idempotent: the copy records the file's path in
  ``knowledge_meta``, so a crash between the copy and the rename only leaves the rename to do
  on the next start. When the main database already has documents (another server imported
  its own file first, or documents were added since), nothing is copied and a warning says so.
- :func:`erase_owner` deletes one user's rows from a renamed file too, physically (an erasure
  must not leave a copy behind in the data directory).
- The old file is read with :mod:`sqlite3`, whatever its migration state (``chars`` and the
  ``uploads`` ledger came with its second migration).
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from sqlalchemy import delete, func, insert, select

from eclair.knowledge.store import EMBEDDING_DIM, INSERT_CHUNK, KnowledgeIndex
from eclair.store import schema as t
from eclair.store import vectors as codec

log = logging.getLogger(__name__)

LEGACY_FILENAME = "knowledge.db"
MIGRATED_SUFFIX = ".migrated"
IMPORTED = "legacy_import"  # knowledge_meta key: the path of the file copied in


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def _rename(path: Path) -> Path:
    target = path.with_name(path.name + MIGRATED_SUFFIX)
    for suffix in ("-wal", "-shm"):  # left only by a crash; renamed with it, never lost
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    path.rename(target)
    return target


def import_legacy(index: KnowledgeIndex, path: Path) -> bool:
    """Copy the old-format index at ``path`` into ``index`` once (see the module docstring);
    ``True`` when this call copied it."""
    if not path.is_file():
        return False
    if index.get_meta(IMPORTED) == str(path):
        log.info("knowledge: %s was copied into the main database already; renaming it", path)
        _rename(path)
        return False
    db = sqlite3.connect(path)
    try:
        if not _columns(db, "documents"):
            return False
        copied = _copy(index, db, path)
    finally:
        db.close()
    if copied is None:
        log.warning(
            "knowledge: %s was not imported: the main database holds documents already "
            "(move it away, or re-add its files, to silence this)",
            path,
        )
        return False
    target = _rename(path)
    log.warning(
        "knowledge: imported %d document(s) and %d chunk(s) from %s into the main database; the old file is now %s",
        copied[0],
        copied[1],
        path,
        target,
    )
    return True


def _copy(index: KnowledgeIndex, db: sqlite3.Connection, path: Path) -> tuple[int, int] | None:
    """The copy, in one transaction of ``index``; ``None`` (nothing done) when the main
    database has documents already."""
    chars = "coalesce(chars, length(text))" if "chars" in _columns(db, "documents") else "length(text)"
    documents = db.execute(
        "SELECT id, user_id, collection, filename, purpose, sha256, bytes, created_at, text, "
        f"{chars} FROM documents ORDER BY created_at, rowid"
    ).fetchall()
    chunks = db.execute(
        "SELECT id, document_id, seq, char_start, char_end, text, embedding FROM chunks ORDER BY rowid"
    ).fetchall()
    uploads = (
        db.execute("SELECT user_id, at, bytes FROM uploads").fetchall() if _columns(db, "uploads") else []
    )
    meta = dict(db.execute("SELECT key, value FROM meta").fetchall()) if _columns(db, "meta") else {}
    dimensions = {len(blob) // 4 for *_, blob in chunks if blob is not None}
    if len(dimensions) == 1:
        meta[EMBEDDING_DIM] = str(dimensions.pop())
    meta[IMPORTED] = str(path)
    document_keys = (
        "id",
        "user_id",
        "collection",
        "filename",
        "purpose",
        "sha256",
        "bytes",
        "created_at",
        "text",
    )
    chunk_keys = ("id", "document_id", "seq", "char_start", "char_end", "text")
    with index.transaction() as conn:
        if conn.execute(select(func.count()).select_from(t.documents)).scalar_one():
            return None
        if documents:
            conn.execute(
                insert(t.documents),
                [
                    {**dict(zip(document_keys, row[:9], strict=True)), "chars": int(row[9])}
                    for row in documents
                ],
            )
        if chunks:
            conn.execute(
                INSERT_CHUNK,
                [
                    {
                        **dict(zip(chunk_keys, row[:6], strict=True)),
                        # a blob of another shape than the rest is dropped: it is recomputed
                        "embedding": None
                        if row[6] is None or len(dimensions) > 1
                        else codec.encode(codec.decode(row[6]), pgvector=index.pgvector),
                    }
                    for row in chunks
                ],
            )
        if uploads:
            conn.execute(
                insert(t.uploads),
                [{"user_id": u, "at": float(at), "bytes": int(size)} for u, at, size in uploads],
            )
        # the file's facts win over any this database recorded before it had a document
        conn.execute(delete(t.knowledge_meta).where(t.knowledge_meta.c.key.in_(list(meta))))
        conn.execute(insert(t.knowledge_meta), [{"key": k, "value": str(v)} for k, v in meta.items()])
    return len(documents), len(chunks)


def erase_owner(data_dir: Path, user_id: str) -> int:
    """Delete ``user_id``'s documents, chunks and ledger from a renamed old file, physically
    (``secure_delete``, FTS5 ``optimize``, ``VACUUM``); how many documents."""
    path = data_dir / (LEGACY_FILENAME + MIGRATED_SUFFIX)
    if not path.is_file():
        return 0
    db = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        db.execute("PRAGMA secure_delete=ON")
        db.execute("BEGIN IMMEDIATE")
        ids = [row[0] for row in db.execute("SELECT id FROM documents WHERE user_id = ?", (user_id,))]
        for document_id in ids:
            db.execute("DELETE FROM chunks WHERE document_id = ?", (document_id,))  # triggers clean FTS5
            db.execute("DELETE FROM documents WHERE id = ?", (document_id,))
        if _columns(db, "uploads"):
            db.execute("DELETE FROM uploads WHERE user_id = ?", (user_id,))
        db.execute("COMMIT")
        db.execute("INSERT INTO chunks_fts (chunks_fts) VALUES ('optimize')")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    return len(ids)
