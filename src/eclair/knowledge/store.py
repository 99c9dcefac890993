"""The knowledge index: documents, chunks, full-text index and embeddings in the main database.

Contract:
- The tables are the store's (:mod:`eclair.store.schema`, created by Alembic migration 0004):
  SQLite at ``<data_dir>/eclair.db`` by default, PostgreSQL when ``ECLAIR_DATABASE_URL`` says
  so, so every server on one PostgreSQL sees the same documents. Opening an index brings the
  database to the latest revision (idempotent).
- Everything here is blocking: :class:`~eclair.knowledge.base.KnowledgeBase` calls it from
  worker threads. Methods return domain types (:class:`Document`, :class:`Passage`,
  :class:`StoredUsage`, :class:`Upload`), never rows.
- Writes run in one transaction each. On SQLite it is ``BEGIN IMMEDIATE`` (the write lock is
  taken before the first read, so what a transaction reads is still true when it writes,
  whatever other process writes too) and one writer thread at a time in this process; on
  PostgreSQL a transaction that checks an owner's quota first takes a transaction-level
  advisory lock on that owner, so two servers cannot both admit the upload that overshoots.
- Visibility: a document with ``user_id`` NULL is shared; a caller sees shared documents
  and its own. A ``None`` caller (single-user mode, the CLI) sees shared documents only, which
  in single-user mode is all of them.
- Uploads: ``record_upload`` keeps a ledger of each user's uploads of the last 24 hours
  (time and size only, older rows pruned as new ones come) that upload quotas read;
  ``usage`` is what a user keeps (documents, characters). Both run their check inside the
  write transaction that records, so concurrent uploads cannot overshoot a limit.
- Full-text search: FTS5 (``unicode61 remove_diacritics 2``, BM25) on SQLite, a ``tsvector``
  (French, English and plain words, accents removed; ``ts_rank_cd``) on PostgreSQL
  (:mod:`eclair.knowledge.fulltext`); callers pass an already-safe MATCH expression
  (:func:`eclair.knowledge.lexical.fts_query`).
- Embeddings: float32 BLOBs on SQLite, pgvector ``vector`` on PostgreSQL (``bytea`` when the
  server lacks the extension; :mod:`eclair.store.vectors`). Their dimension is kept in
  ``knowledge_meta`` beside the encoder's name; vectors of another dimension are refused.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy import Connection, bindparam, delete, event, func, insert, or_, select, update

from eclair.knowledge.fulltext import ranking
from eclair.store import schema as t
from eclair.store import vectors as codec
from eclair.store.database import make_engine, upgrade
from eclair.text.passages import Passage

UPLOAD_WINDOW_S = 24 * 3600
EMBEDDING_DIM = "embedding_dim"

_d, _c = t.documents, t.chunks


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


_CHUNK_COUNT = select(func.count()).where(_c.c.document_id == _d.c.id).scalar_subquery()
_DOCUMENT = select(
    _d.c.id,
    _d.c.filename,
    _d.c.collection,
    _d.c.user_id,
    _d.c.bytes,
    _d.c.sha256,
    _d.c.created_at,
    _d.c.purpose,
    _d.c.chars,
    _CHUNK_COUNT,
)
_PASSAGE_COLUMNS = (
    _c.c.rowid,
    _c.c.id,
    _d.c.filename,
    _c.c.text,
    _c.c.char_start,
    _c.c.char_end,
    _d.c.id,
    _d.c.collection,
)
_CHUNK_COLUMNS = ("id", "document_id", "seq", "char_start", "char_end", "text", "embedding")
# Embeddings go to the driver as encoded (bytes, or pgvector's text in a parameter of unknown
# type), never through a SQLAlchemy type that would convert or cast them.
INSERT_CHUNK = insert(_c).values(
    {name: bindparam(name, type_=codec.Encoded() if name == "embedding" else None) for name in _CHUNK_COLUMNS}
)


def _document(row: Sequence[Any]) -> Document:
    id_, filename, collection, user_id, size, sha256, created_at, purpose, chars, chunks = row
    return Document(id_, filename, collection, user_id, size, sha256, created_at, purpose, chars, int(chunks))


def _passage(row: Sequence[Any], score: float) -> Passage:
    _, chunk_id, source, text, start, end, document_id, collection = row
    return Passage(chunk_id, source, text, start, end, score, document_id, collection)


def _visible(user_id: str | None) -> sa.ColumnElement[bool]:
    return or_(_d.c.user_id.is_(None), _d.c.user_id == user_id)


def _owned_by(user_id: str | None) -> sa.ColumnElement[bool]:
    return _d.c.user_id.is_(None) if user_id is None else _d.c.user_id == user_id


def _in_collections(collections: Sequence[str] | None) -> sa.ColumnElement[bool]:
    return _d.c.collection.in_(list(collections)) if collections else sa.true()


def _in_documents(documents: Sequence[str] | None) -> sa.ColumnElement[bool]:
    """A conversation's scope: only these documents (None: no restriction; empty: none)."""
    return sa.true() if documents is None else _d.c.id.in_(list(documents))


def _explicit_sqlite_transactions(engine: sa.Engine) -> None:
    """SQLAlchemy's documented recipe: the driver begins nothing itself, we emit ``BEGIN``
    (``BEGIN IMMEDIATE`` for a connection marked ``eclair_write``)."""

    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        write = connection.get_execution_options().get("eclair_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class KnowledgeIndex:
    """Blocking storage for the knowledge base in the main database (see module docstring)."""

    def __init__(self, url: str, *, migrate: bool = True):
        self.url = url
        self.engine = make_engine(url)
        self.dialect = self.engine.dialect.name
        if self.dialect == "sqlite":
            _explicit_sqlite_transactions(self.engine)
        if migrate:
            upgrade(self.engine)
        self._write_lock = threading.Lock()
        self.pgvector = False
        if self.dialect == "postgresql":
            with self.engine.connect() as conn:
                kind = conn.execute(
                    sa.text(
                        "SELECT udt_name FROM information_schema.columns WHERE table_schema = current_schema()"
                        " AND table_name = 'chunks' AND column_name = 'embedding'"
                    )
                ).scalar()
            self.pgvector = kind == "vector"

    # -- connections ---------------------------------------------------------------------

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction (see the module docstring), for this module and the legacy import."""
        if self.dialect != "sqlite":
            with self.engine.begin() as conn:
                yield conn
            return
        with self._write_lock, self.engine.connect() as conn:
            conn.execution_options(eclair_write=True)
            with conn.begin():
                yield conn

    def _lock_owner(self, conn: Connection, user_id: str | None) -> None:
        """On PostgreSQL, serialise the quota checks of one owner across servers."""
        if self.dialect == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"eclair-owner:{user_id}"))))

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
        rows = [
            {
                "id": f"{document_id}:{seq}",
                "document_id": document_id,
                "seq": seq,
                "char_start": start,
                "char_end": end,
                "text": text[start:end],
                "embedding": None if embeddings is None else self._encode(embeddings[seq]),
            }
            for seq, (start, end) in enumerate(spans)
        ]
        with self.transaction() as conn:
            if admit is not None:
                self._lock_owner(conn, user_id)
                admit(self._usage(conn, user_id))
            if embeddings is not None and rows:
                self._check_dimension(conn, np.asarray(embeddings).shape[-1])
            conn.execute(
                insert(_d).values(
                    id=document_id,
                    user_id=user_id,
                    collection=collection,
                    filename=filename,
                    purpose=purpose,
                    sha256=sha256,
                    bytes=size,
                    created_at=created,
                    text=text,
                    chars=len(text),
                )
            )
            if rows:
                conn.execute(INSERT_CHUNK, rows)
        return Document(
            document_id, filename, collection, user_id, size, sha256, created, purpose, len(text), len(rows)
        )

    def find_duplicate(self, user_id: str | None, collection: str | None, sha256: str) -> Document | None:
        """The owner's document of these bytes in ``collection`` (in any when ``None``)."""
        in_collection = _d.c.collection == collection if collection is not None else sa.true()
        statement = (
            _DOCUMENT.where(_owned_by(user_id), _d.c.sha256 == sha256, in_collection)
            .order_by(_d.c.created_at, _d.c.rowid)
            .limit(1)
        )
        with self._read() as conn:
            row = conn.execute(statement).first()
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
        with self.transaction() as conn:
            owner = conn.execute(select(_d.c.user_id).where(_d.c.id == source_id)).first()
            if owner is None:
                return None
            if admit is not None:
                self._lock_owner(conn, owner[0])
                admit(self._usage(conn, owner[0]))
            columns = ["id", "user_id", "collection", "filename", "purpose", "sha256", "bytes", "created_at"]
            conn.execute(
                insert(_d).from_select(
                    [*columns, "text", "chars"],
                    select(
                        sa.literal(document_id),
                        _d.c.user_id,
                        sa.literal(collection),
                        sa.literal(filename),
                        sa.literal(purpose),
                        _d.c.sha256,
                        _d.c.bytes,
                        sa.literal(created, sa.BigInteger),
                        _d.c.text,
                        _d.c.chars,
                    ).where(_d.c.id == source_id),
                )
            )
            conn.execute(
                insert(_c).from_select(
                    list(_CHUNK_COLUMNS),
                    select(
                        sa.literal(f"{document_id}:") + sa.cast(_c.c.seq, sa.String),
                        sa.literal(document_id),
                        _c.c.seq,
                        _c.c.char_start,
                        _c.c.char_end,
                        _c.c.text,
                        _c.c.embedding,
                    )
                    .where(_c.c.document_id == source_id)
                    .order_by(_c.c.seq),
                )
            )
            row = conn.execute(_DOCUMENT.where(_d.c.id == document_id)).one()
        return _document(row)

    # -- uploads -------------------------------------------------------------------------

    @staticmethod
    def _usage(conn: Connection, user_id: str | None) -> StoredUsage:
        documents, chars = conn.execute(
            select(func.count(), func.coalesce(func.sum(_d.c.chars), 0)).where(_owned_by(user_id))
        ).one()
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
        ledger = t.uploads
        with self.transaction() as conn:
            self._lock_owner(conn, user_id)
            conn.execute(delete(ledger).where(ledger.c.at <= now - UPLOAD_WINDOW_S))
            rows = conn.execute(
                select(ledger.c.at, ledger.c.bytes).where(ledger.c.user_id == user_id).order_by(ledger.c.at)
            ).all()
            admit(self._usage(conn, user_id), [Upload(float(at), int(size_)) for at, size_ in rows])
            conn.execute(insert(ledger).values(user_id=user_id, at=now, bytes=size))

    def get_document(self, document_id: str, user_id: str | None) -> Document | None:
        """The document if it exists and ``user_id`` may see it."""
        with self._read() as conn:
            row = conn.execute(_DOCUMENT.where(_d.c.id == document_id, _visible(user_id))).first()
        return None if row is None else _document(row)

    def document_text(self, document_id: str) -> str | None:
        with self._read() as conn:
            text = conn.execute(select(_d.c.text).where(_d.c.id == document_id)).scalar()
        return None if text is None else str(text)

    def document_spans(self, document_id: str) -> list[tuple[int, int]]:
        """The chunks' ``(start, end)`` offsets into the document's text, in order."""
        with self._read() as conn:
            rows = conn.execute(
                select(_c.c.char_start, _c.c.char_end)
                .where(_c.c.document_id == document_id)
                .order_by(_c.c.seq)
            ).all()
        return [(int(start), int(end)) for start, end in rows]

    def list_documents(self, user_id: str | None, collections: Sequence[str] | None = None) -> list[Document]:
        statement = _DOCUMENT.where(_visible(user_id), _in_collections(collections)).order_by(
            _d.c.created_at, _d.c.rowid
        )
        with self._read() as conn:
            return [_document(row) for row in conn.execute(statement)]

    def collections(self, user_id: str | None) -> dict[str, int]:
        """Visible collection names and how many documents each holds."""
        statement = (
            select(_d.c.collection, func.count())
            .where(_visible(user_id))
            .group_by(_d.c.collection)
            .order_by(_d.c.collection)
        )
        with self._read() as conn:
            return {name: int(count) for name, count in conn.execute(statement)}

    def delete_document(self, document_id: str) -> bool:
        with self.transaction() as conn:
            conn.execute(delete(_c).where(_c.c.document_id == document_id))
            deleted = conn.execute(delete(_d).where(_d.c.id == document_id)).rowcount
        return deleted > 0

    def erase_owner(self, user_id: str) -> int:
        """Delete every document ``user_id`` owns, their chunks (full-text and vector entries
        with them) and the user's upload ledger, in one transaction; how many documents."""
        with self.transaction() as conn:
            ids = list(conn.execute(select(_d.c.id).where(_d.c.user_id == user_id)).scalars())
            if ids:
                conn.execute(delete(_c).where(_c.c.document_id.in_(ids)))
                conn.execute(delete(_d).where(_d.c.id.in_(ids)))
            conn.execute(delete(t.uploads).where(t.uploads.c.user_id == user_id))
        return len(ids)

    def compact(self) -> None:
        """Make deletions physical: on SQLite FTS5 ``optimize`` (drops index segments that
        still hold deleted terms), ``VACUUM`` and an emptied WAL; on PostgreSQL ``VACUUM``
        of the knowledge tables (dead rows become free space)."""
        if self.dialect == "sqlite":
            # A driver connection: its statements commit one by one (the driver begins no
            # transaction on this engine), as VACUUM and a checkpoint need.
            raw = self.engine.raw_connection()
            try:
                for statement in (
                    f"INSERT INTO {t.FULLTEXT_TABLE} ({t.FULLTEXT_TABLE}) VALUES ('optimize')",
                    "PRAGMA wal_checkpoint(TRUNCATE)",
                    "VACUUM",
                    "PRAGMA wal_checkpoint(TRUNCATE)",
                ):
                    raw.cursor().execute(statement)
            finally:
                raw.close()
        elif self.dialect == "postgresql":
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM documents, chunks, uploads")

    # -- search --------------------------------------------------------------------------

    def search_fts(
        self,
        match: str,
        user_id: str | None,
        collections: Sequence[str] | None,
        limit: int,
        *,
        documents: Sequence[str] | None = None,
    ) -> list[tuple[int, Passage]]:
        """``(chunk row id, passage)`` for chunks matching an FTS5 expression, best first
        (on SQLite score = -bm25; on PostgreSQL ts_rank_cd: higher is better)."""
        found = ranking(self.dialect, match)
        if found is None:
            return []
        statement = (
            select(*_PASSAGE_COLUMNS, found.score.label("score"))
            .select_from(found.source.join(_d, _d.c.id == _c.c.document_id))
            .where(found.condition, _visible(user_id), _in_collections(collections), _in_documents(documents))
            .order_by(sa.desc("score"), _c.c.rowid)
            .limit(limit)
        )
        with self._read() as conn:
            rows = conn.execute(statement).all()
        return [(int(row[0]), _passage(row[:-1], float(row[-1]))) for row in rows]

    def embeddings(
        self,
        user_id: str | None,
        collections: Sequence[str] | None,
        *,
        documents: Sequence[str] | None = None,
    ) -> tuple[list[int], np.ndarray | None]:
        """Row ids and the stacked embeddings of every visible chunk that has one."""
        statement = (
            select(_c.c.rowid, sa.type_coerce(_c.c.embedding, codec.Encoded()))
            .select_from(_c.join(_d, _d.c.id == _c.c.document_id))
            .where(
                _c.c.embedding.is_not(None),
                _visible(user_id),
                _in_collections(collections),
                _in_documents(documents),
            )
            .order_by(_c.c.rowid)
        )
        with self._read() as conn:
            rows = conn.execute(statement).all()
        if not rows:
            return [], None
        matrix = np.stack([codec.decode(value) for _, value in rows])
        return [int(rowid) for rowid, _ in rows], matrix

    def passages(self, rowids: Iterable[int]) -> dict[int, Passage]:
        """Passages for chunk row ids (score 0), keyed by row id; unknown ids are left out."""
        ids = list(rowids)
        if not ids:
            return {}
        statement = (
            select(*_PASSAGE_COLUMNS)
            .select_from(_c.join(_d, _d.c.id == _c.c.document_id))
            .where(_c.c.rowid.in_(ids))
        )
        with self._read() as conn:
            return {int(row[0]): _passage(row, 0.0) for row in conn.execute(statement)}

    def lead_passages(self, document_ids: Iterable[str]) -> dict[str, tuple[int, Passage]]:
        """The opening chunk (title, introduction) of each document, keyed by document id."""
        ids = list(dict.fromkeys(document_ids))
        if not ids:
            return {}
        statement = (
            select(*_PASSAGE_COLUMNS)
            .select_from(_c.join(_d, _d.c.id == _c.c.document_id))
            .where(_c.c.seq == 0, _c.c.document_id.in_(ids))
        )
        with self._read() as conn:
            return {row[6]: (int(row[0]), _passage(row, 0.0)) for row in conn.execute(statement)}

    # -- embeddings and their encoder ----------------------------------------------------

    def _encode(self, vector: Any) -> str | bytes:
        return codec.encode(vector, pgvector=self.pgvector)

    def _check_dimension(self, conn: Connection, dimension: int) -> None:
        """Record the embeddings' dimension on first write; refuse vectors of another one
        (another encoder's, which ``clear_embeddings`` must make room for first)."""
        meta = t.knowledge_meta
        stored = conn.execute(select(meta.c.value).where(meta.c.key == EMBEDDING_DIM)).scalar()
        if stored is None:
            conn.execute(insert(meta).values(key=EMBEDDING_DIM, value=str(dimension)))
        elif int(stored) != dimension:
            raise ValueError(f"embeddings of dimension {dimension} in an index of dimension {stored}")

    def chunks_without_embedding(self, limit: int) -> list[tuple[int, str]]:
        statement = (
            select(_c.c.rowid, _c.c.text).where(_c.c.embedding.is_(None)).order_by(_c.c.rowid).limit(limit)
        )
        with self._read() as conn:
            return [(int(r), str(text)) for r, text in conn.execute(statement)]

    def set_embeddings(self, rowids: Sequence[int], vectors: np.ndarray) -> None:
        data = [{"r": r, "e": self._encode(v)} for r, v in zip(rowids, vectors, strict=True)]
        if not data:
            return
        statement = (
            update(_c)
            .where(_c.c.rowid == bindparam("r"))
            .values(embedding=bindparam("e", type_=codec.Encoded()))
        )
        with self.transaction() as conn:
            self._check_dimension(conn, np.asarray(vectors).shape[-1])
            conn.execute(statement, data)

    def get_meta(self, key: str) -> str | None:
        meta = t.knowledge_meta
        with self._read() as conn:
            value = conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()
        return None if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        meta = t.knowledge_meta
        with self.transaction() as conn:
            if conn.execute(update(meta).where(meta.c.key == key).values(value=value)).rowcount == 0:
                conn.execute(insert(meta).values(key=key, value=value))

    def clear_embeddings(self) -> None:
        meta = t.knowledge_meta
        with self.transaction() as conn:
            conn.execute(update(_c).values(embedding=sa.null()))
            conn.execute(delete(meta).where(meta.c.key == EMBEDDING_DIM))

    def count_documents(self) -> int:
        with self._read() as conn:
            return int(conn.execute(select(func.count()).select_from(_d)).scalar_one())
