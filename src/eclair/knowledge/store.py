"""The knowledge index: documents, chunks, an FTS5 index and optional embeddings in SQLite.

Contract:
- One SQLite file (WAL mode). Schema changes are named, ordered migrations recorded in
  ``_migrations`` and applied on open (simonw/llm's habit).
- Writes go through one connection under a lock; reads use one connection per thread, so
  searches never wait for an ingestion to finish (WAL readers see the last commit).
- Everything here is blocking: :class:`~eclair.knowledge.base.KnowledgeBase` calls it from
  worker threads. Methods return domain types (:class:`Document`, :class:`Passage`), never
  rows, so that a later SQLAlchemy/PostgreSQL store can implement the same methods.
- Visibility: a document with ``user_id`` NULL is shared; a caller sees shared documents
  and its own. A ``None`` caller (single-user mode, the CLI) sees shared documents only, which
  in single-user mode is all of them.
- Uploads: ``record_upload`` keeps a ledger of each user's uploads of the last 24 hours
  (time and size only, older rows pruned as new ones come) that upload quotas read;
  ``usage`` is what a user keeps (documents, characters). Both run their check inside the
  write transaction that records, so concurrent uploads cannot overshoot a limit.
- Full-text search uses FTS5 with ``unicode61 remove_diacritics 2`` (accents and case do
  not matter) and BM25 ranking; callers pass an already-safe MATCH expression
  (:func:`eclair.knowledge.lexical.fts_query`).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from eclair.text.passages import Passage


@dataclass(frozen=True, slots=True)
class Document:
    """A stored file. ``bytes`` is the uploaded size; ``chars`` the extracted text's length."""

    id: str
    filename: str
    collection: str
    user_id: str | None
    bytes: int
    sha256: str
    created_at: int
    purpose: str
    chars: int
    chunks: int

    def to_openai(self) -> dict[str, Any]:
        """The OpenAI file object, plus ``collection``."""
        return {
            "id": self.id,
            "object": "file",
            "bytes": self.bytes,
            "created_at": self.created_at,
            "filename": self.filename,
            "purpose": self.purpose,
            "collection": self.collection,
        }


def _m001_initial() -> str:
    return """
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            user_id TEXT,
            collection TEXT NOT NULL,
            filename TEXT NOT NULL,
            purpose TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX documents_owner ON documents (user_id, collection);
        CREATE INDEX documents_sha ON documents (sha256);
        CREATE TABLE chunks (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            text TEXT NOT NULL,
            embedding BLOB
        );
        CREATE INDEX chunks_document ON chunks (document_id, seq);
        CREATE VIRTUAL TABLE chunks_fts USING fts5 (
            text, content='chunks', content_rowid='rowid',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
            INSERT INTO chunks_fts (rowid, text) VALUES (new.rowid, new.text);
        END;
        CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
            INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        END;
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """


def _m002_upload_quotas() -> str:
    # ``chars``: listing documents and summing a user's kept text must not read every text
    # (length() of a TEXT value reads all of it); ``uploads``: the daily quotas' ledger.
    return """
        ALTER TABLE documents ADD COLUMN chars INTEGER;
        UPDATE documents SET chars = length(text);
        CREATE INDEX documents_user_sha ON documents (user_id, sha256);
        CREATE TABLE uploads (user_id TEXT NOT NULL, at REAL NOT NULL, bytes INTEGER NOT NULL);
        CREATE INDEX uploads_user ON uploads (user_id, at);
    """


# Each migration returns an SQL script; it runs once, in one transaction with its record.
MIGRATIONS: list[Callable[[], str]] = [_m001_initial, _m002_upload_quotas]

UPLOAD_WINDOW_S = 24 * 3600

_DOC_COLUMNS = (
    "d.id, d.filename, d.collection, d.user_id, d.bytes, d.sha256, d.created_at, d.purpose, "
    "coalesce(d.chars, length(d.text)), (SELECT count(*) FROM chunks c WHERE c.document_id = d.id)"
)
_INSERT_DOCUMENT = (
    "INSERT INTO documents (id, user_id, collection, filename, purpose, sha256, bytes, created_at, text, chars)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_VISIBLE = "(d.user_id IS NULL OR d.user_id = ?)"


@dataclass(frozen=True, slots=True)
class StoredUsage:
    """What one user keeps in the index."""

    documents: int
    chars: int


@dataclass(frozen=True, slots=True)
class Upload:
    """One entry of a user's upload ledger: when (Unix time) and how many bytes."""

    at: float
    bytes: int


def _document(row: Sequence[Any]) -> Document:
    return Document(*row)


def _collection_filter(collections: Sequence[str] | None) -> tuple[str, list[str]]:
    if not collections:
        return "", []
    return f" AND d.collection IN ({','.join('?' * len(collections))})", list(collections)


class KnowledgeIndex:
    """Blocking SQLite storage for the knowledge base (see module docstring)."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        self._writer = self._connect()
        self._writer.execute("PRAGMA journal_mode=WAL")
        self._migrate()

    # -- connections ---------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA busy_timeout=30000")
        with self._all_lock:
            self._all.append(db)
        return db

    def _reader(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = self._connect()
            self._local.db = db
        return db

    def close(self) -> None:
        with self._all_lock:
            for db in self._all:
                db.close()
            self._all.clear()
        self._local = threading.local()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """The writer connection inside one immediate transaction, under the write lock."""
        with self._write_lock:
            db = self._writer
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _migrate(self) -> None:
        self._writer.execute(
            "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at INTEGER)"
        )
        done = {row[0] for row in self._writer.execute("SELECT name FROM _migrations")}
        for migration in MIGRATIONS:
            name = migration.__name__
            if name in done:
                continue
            with self._write_lock:
                try:
                    # executescript commits before it runs, so the transaction is in the script
                    self._writer.executescript(
                        f"BEGIN IMMEDIATE;\n{migration()}\n"
                        f"INSERT INTO _migrations VALUES ('{name}', {int(time.time())});\nCOMMIT;"
                    )
                except BaseException:
                    if self._writer.in_transaction:
                        self._writer.execute("ROLLBACK")
                    raise

    # -- documents -----------------------------------------------------------------------

    def add_document(
        self,
        *,
        document_id: str,
        user_id: str | None,
        collection: str,
        filename: str,
        purpose: str,
        sha256: str,
        size: int,
        text: str,
        spans: Sequence[tuple[int, int]],
        embeddings: np.ndarray | None = None,
        admit: Callable[[StoredUsage], None] | None = None,
    ) -> Document:
        """Store a document and its chunks in one transaction. ``admit`` sees what the owner
        keeps already, inside that transaction, and raises to refuse."""
        created = int(time.time())
        rows = []
        for seq, (start, end) in enumerate(spans):
            blob = None if embeddings is None else np.asarray(embeddings[seq], dtype=np.float32).tobytes()
            rows.append((f"{document_id}:{seq}", document_id, seq, start, end, text[start:end], blob))
        with self._transaction() as db:
            if admit is not None:
                admit(self._usage(db, user_id))
            db.execute(
                _INSERT_DOCUMENT,
                (document_id, user_id, collection, filename, purpose, sha256, size, created, text, len(text)),
            )
            db.executemany(
                "INSERT INTO chunks (id, document_id, seq, char_start, char_end, text, embedding)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        return Document(
            document_id, filename, collection, user_id, size, sha256, created, purpose, len(text), len(rows)
        )

    def find_duplicate(self, user_id: str | None, collection: str | None, sha256: str) -> Document | None:
        """The owner's document of these bytes in ``collection`` (in any when ``None``)."""
        where, args = _collection_filter([collection] if collection is not None else None)
        row = (
            self._reader()
            .execute(
                f"SELECT {_DOC_COLUMNS} FROM documents d WHERE d.user_id IS ? AND d.sha256 = ?{where}"
                " ORDER BY d.created_at, d.rowid LIMIT 1",
                (user_id, sha256, *args),
            )
            .fetchone()
        )
        return None if row is None else _document(row)

    def copy_document(
        self,
        source_id: str,
        *,
        document_id: str,
        collection: str,
        filename: str,
        purpose: str,
        admit: Callable[[StoredUsage], None] | None = None,
    ) -> Document | None:
        """A new document with the text, chunks and embeddings of ``source_id`` (same owner),
        in one transaction: the same bytes in another collection need no second extraction.
        ``None`` if the source is gone."""
        created = int(time.time())
        with self._transaction() as db:
            owner = db.execute("SELECT user_id FROM documents WHERE id = ?", (source_id,)).fetchone()
            if owner is None:
                return None
            if admit is not None:
                admit(self._usage(db, owner[0]))
            db.execute(
                "INSERT INTO documents (id, user_id, collection, filename, purpose, sha256, bytes, created_at,"
                " text, chars) SELECT ?, user_id, ?, ?, ?, sha256, bytes, ?, text, chars FROM documents"
                " WHERE id = ?",
                (document_id, collection, filename, purpose, created, source_id),
            )
            db.execute(
                "INSERT INTO chunks (id, document_id, seq, char_start, char_end, text, embedding)"
                " SELECT ? || ':' || seq, ?, seq, char_start, char_end, text, embedding FROM chunks"
                " WHERE document_id = ? ORDER BY seq",
                (document_id, document_id, source_id),
            )
            row = db.execute(
                f"SELECT {_DOC_COLUMNS} FROM documents d WHERE d.id = ?", (document_id,)
            ).fetchone()
        return _document(row)

    # -- uploads -------------------------------------------------------------------------

    @staticmethod
    def _usage(db: sqlite3.Connection, user_id: str | None) -> StoredUsage:
        documents, chars = db.execute(
            "SELECT count(*), coalesce(sum(coalesce(chars, length(text))), 0) FROM documents WHERE user_id IS ?",
            (user_id,),
        ).fetchone()
        return StoredUsage(int(documents), int(chars))

    def record_upload(
        self,
        user_id: str,
        size: int,
        admit: Callable[[StoredUsage, list[Upload]], None],
        now: float | None = None,
    ) -> None:
        """Add an upload to ``user_id``'s ledger, once ``admit`` has seen what the user keeps
        and their uploads of the last 24 hours (oldest first) without raising."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            db.execute("DELETE FROM uploads WHERE at <= ?", (now - UPLOAD_WINDOW_S,))
            rows = db.execute(
                "SELECT at, bytes FROM uploads WHERE user_id = ? ORDER BY at", (user_id,)
            ).fetchall()
            admit(self._usage(db, user_id), [Upload(float(at), int(size_)) for at, size_ in rows])
            db.execute("INSERT INTO uploads VALUES (?, ?, ?)", (user_id, now, size))

    def get_document(self, document_id: str, user_id: str | None) -> Document | None:
        """The document if it exists and ``user_id`` may see it."""
        row = (
            self._reader()
            .execute(
                f"SELECT {_DOC_COLUMNS} FROM documents d WHERE d.id = ? AND {_VISIBLE}",
                (document_id, user_id),
            )
            .fetchone()
        )
        return None if row is None else _document(row)

    def document_text(self, document_id: str) -> str | None:
        row = self._reader().execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()
        return None if row is None else str(row[0])

    def list_documents(self, user_id: str | None, collections: Sequence[str] | None = None) -> list[Document]:
        where, args = _collection_filter(collections)
        rows = self._reader().execute(
            f"SELECT {_DOC_COLUMNS} FROM documents d WHERE {_VISIBLE}{where} ORDER BY d.created_at, d.rowid",
            (user_id, *args),
        )
        return [_document(row) for row in rows]

    def collections(self, user_id: str | None) -> dict[str, int]:
        """Visible collection names and how many documents each holds."""
        rows = self._reader().execute(
            f"SELECT d.collection, count(*) FROM documents d WHERE {_VISIBLE} GROUP BY d.collection ORDER BY 1",
            (user_id,),
        )
        return {name: count for name, count in rows}

    def delete_document(self, document_id: str) -> bool:
        with self._transaction() as db:
            db.execute("DELETE FROM chunks WHERE document_id = ?", (document_id,))
            deleted = db.execute("DELETE FROM documents WHERE id = ?", (document_id,)).rowcount
        return deleted > 0

    # -- search --------------------------------------------------------------------------

    _PASSAGE_COLUMNS = "c.rowid, c.id, d.filename, c.text, c.char_start, c.char_end, d.id, d.collection"

    @staticmethod
    def _passage(row: Sequence[Any], score: float) -> Passage:
        _, chunk_id, source, text, start, end, document_id, collection = row
        return Passage(chunk_id, source, text, start, end, score, document_id, collection)

    def search_fts(
        self, match: str, user_id: str | None, collections: Sequence[str] | None, limit: int
    ) -> list[tuple[int, Passage]]:
        """``(chunk row id, passage)`` for chunks matching an FTS5 expression, best BM25 first
        (score = -bm25: higher is better)."""
        if not match:
            return []
        where, args = _collection_filter(collections)
        rows = self._reader().execute(
            f"SELECT {self._PASSAGE_COLUMNS}, bm25(chunks_fts) AS rank FROM chunks_fts"
            " JOIN chunks c ON c.rowid = chunks_fts.rowid JOIN documents d ON d.id = c.document_id"
            f" WHERE chunks_fts MATCH ? AND {_VISIBLE}{where} ORDER BY rank LIMIT ?",
            (match, user_id, *args, limit),
        )
        return [(int(row[0]), self._passage(row[:-1], -float(row[-1]))) for row in rows]

    def embeddings(
        self, user_id: str | None, collections: Sequence[str] | None
    ) -> tuple[list[int], np.ndarray | None]:
        """Row ids and the stacked embeddings of every visible chunk that has one."""
        where, args = _collection_filter(collections)
        rows = (
            self._reader()
            .execute(
                "SELECT c.rowid, c.embedding FROM chunks c JOIN documents d ON d.id = c.document_id"
                f" WHERE c.embedding IS NOT NULL AND {_VISIBLE}{where}",
                (user_id, *args),
            )
            .fetchall()
        )
        if not rows:
            return [], None
        matrix = np.stack([np.frombuffer(blob, dtype=np.float32) for _, blob in rows])
        return [rowid for rowid, _ in rows], matrix

    def passages(self, rowids: Iterable[int]) -> dict[int, Passage]:
        """Passages for chunk row ids (score 0), keyed by row id; unknown ids are left out."""
        ids = list(rowids)
        if not ids:
            return {}
        rows = self._reader().execute(
            f"SELECT {self._PASSAGE_COLUMNS} FROM chunks c JOIN documents d ON d.id = c.document_id"
            f" WHERE c.rowid IN ({','.join('?' * len(ids))})",
            ids,
        )
        return {int(row[0]): self._passage(row, 0.0) for row in rows}

    def lead_passages(self, document_ids: Iterable[str]) -> dict[str, tuple[int, Passage]]:
        """The opening chunk (title, introduction) of each document, keyed by document id."""
        ids = list(dict.fromkeys(document_ids))
        if not ids:
            return {}
        rows = self._reader().execute(
            f"SELECT {self._PASSAGE_COLUMNS} FROM chunks c JOIN documents d ON d.id = c.document_id"
            f" WHERE c.seq = 0 AND c.document_id IN ({','.join('?' * len(ids))})",
            ids,
        )
        return {row[6]: (int(row[0]), self._passage(row, 0.0)) for row in rows}

    def chunks_without_embedding(self, limit: int) -> list[tuple[int, str]]:
        rows = self._reader().execute(
            "SELECT rowid, text FROM chunks WHERE embedding IS NULL ORDER BY rowid LIMIT ?", (limit,)
        )
        return [(int(r), str(t)) for r, t in rows]

    def set_embeddings(self, rowids: Sequence[int], vectors: np.ndarray) -> None:
        data = [(np.asarray(v, dtype=np.float32).tobytes(), r) for r, v in zip(rowids, vectors, strict=True)]
        with self._transaction() as db:
            db.executemany("UPDATE chunks SET embedding = ? WHERE rowid = ?", data)

    def get_meta(self, key: str) -> str | None:
        row = self._reader().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def clear_embeddings(self) -> None:
        with self._transaction() as db:
            db.execute("UPDATE chunks SET embedding = NULL")
