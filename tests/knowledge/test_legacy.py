"""Upgrading a data dir: an old ``knowledge.db`` is copied into the main database once."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from eclair.knowledge.base import KnowledgeBase
from eclair.knowledge.legacy import IMPORTED
from eclair.knowledge.store import KnowledgeIndex

# The schema the pre-0004 index created, its two migrations as they were written.
OLD_SCHEMA = """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY, user_id TEXT, collection TEXT NOT NULL, filename TEXT NOT NULL,
        purpose TEXT NOT NULL, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL,
        created_at INTEGER NOT NULL, text TEXT NOT NULL
    );
    CREATE INDEX documents_owner ON documents (user_id, collection);
    CREATE INDEX documents_sha ON documents (sha256);
    CREATE TABLE chunks (
        rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
        document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,
        text TEXT NOT NULL, embedding BLOB
    );
    CREATE INDEX chunks_document ON chunks (document_id, seq);
    CREATE VIRTUAL TABLE chunks_fts USING fts5 (
        text, content='chunks', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
        INSERT INTO chunks_fts (rowid, text) VALUES (new.rowid, new.text);
    END;
    CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
        INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    END;
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at INTEGER);
    INSERT INTO _migrations VALUES ('_m001_initial', 0);
"""
OLD_SCHEMA_2 = """
    ALTER TABLE documents ADD COLUMN chars INTEGER;
    UPDATE documents SET chars = length(text);
    CREATE INDEX documents_user_sha ON documents (user_id, sha256);
    CREATE TABLE uploads (user_id TEXT NOT NULL, at REAL NOT NULL, bytes INTEGER NOT NULL);
    CREATE INDEX uploads_user ON uploads (user_id, at);
    INSERT INTO _migrations VALUES ('_m002_upload_quotas', 0);
"""
TEXT = "Le phare de Kerlann.\n\nIl fut allumé en 1902 par Yvonne Le Gall, gardienne du phare."
VECTORS = np.random.default_rng(3).standard_normal((2, 6)).astype(np.float32)


def make_old_index(data_dir: Path, *, second_migration: bool = True) -> Path:
    """An old-format ``knowledge.db`` as the old code wrote it: two documents (one shared, one
    of alice with embeddings), a ledger entry and the encoder's name."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "knowledge.db"
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(OLD_SCHEMA)
    spans = [(0, 20), (22, len(TEXT))]
    for doc_id, user, vectors in (("file-old1", None, None), ("file-old2", "alice", VECTORS)):
        db.execute(
            "INSERT INTO documents VALUES (?, ?, 'default', ?, 'assistants', ?, ?, 1700000000, ?)",
            (doc_id, user, f"{doc_id}.txt", doc_id.ljust(64, "0"), len(TEXT.encode()), TEXT),
        )
        for seq, (start, end) in enumerate(spans):
            blob = None if vectors is None else vectors[seq].tobytes()
            db.execute(
                "INSERT INTO chunks (id, document_id, seq, char_start, char_end, text, embedding)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (f"{doc_id}:{seq}", doc_id, seq, start, end, TEXT[start:end], blob),
            )
    db.execute("INSERT INTO meta VALUES ('embedding_model', 'letters')")
    if second_migration:
        db.executescript(OLD_SCHEMA_2)
        db.execute("INSERT INTO uploads VALUES ('alice', 1700000000.5, 321)")
    db.commit()
    db.close()
    return path


@pytest.mark.parametrize("second_migration", [True, False])
async def test_old_index_is_imported_once_and_renamed(
    database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture, second_migration: bool
) -> None:
    old = make_old_index(tmp_path / "data", second_migration=second_migration)
    caplog.set_level(logging.INFO, logger="eclair.knowledge.legacy")
    base = KnowledgeBase(tmp_path / "data", database_url=database_url, dense=False)
    try:
        assert [d.id for d in await base.list_documents("alice")] == ["file-old1", "file-old2"]
        document = await base.get_document("file-old2", "alice")
        assert (document.chars, document.chunks, document.created_at) == (len(TEXT), 2, 1700000000)
        hits = await base.search("Qui a allumé le phare ?", user_id="alice", k=2, leads=False)
        assert {p.document_id for p in hits} == {"file-old1", "file-old2"}
        _, matrix = base.index.embeddings("alice", None)
        assert matrix is not None and np.array_equal(matrix, VECTORS)
        assert base.index.get_meta("embedding_model") == "letters"
        assert base.index.get_meta("embedding_dim") == "6"
        ledger: list[object] = []
        base.index.record_upload("alice", 1, lambda kept, recent: ledger.extend(recent), now=1700000001.0)
        assert [(u.at, u.bytes) for u in ledger] == ([(1700000000.5, 321)] if second_migration else [])
    finally:
        await base.close()
    assert not old.exists() and (tmp_path / "data" / "knowledge.db.migrated").is_file()
    assert "imported 2 document(s) and 4 chunk(s)" in caplog.text

    # Idempotent: reopening imports nothing more.
    again = KnowledgeBase(tmp_path / "data", database_url=database_url, dense=False)
    assert len(await again.list_documents("alice")) == 2
    await again.close()


async def test_facts_recorded_before_any_document_give_way(database_url: str, tmp_path: Path) -> None:
    index = KnowledgeIndex(database_url)
    index.set_meta("embedding_model", "minilm")  # a server ran once with an encoder, no upload
    index.close()
    make_old_index(tmp_path / "data")
    base = KnowledgeBase(tmp_path / "data", database_url=database_url, dense=False)
    assert base.index.get_meta("embedding_model") == "letters" and base.index.count_documents() == 2
    base.index.close()


async def test_a_database_with_documents_is_left_alone(
    database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = KnowledgeBase(tmp_path / "one", database_url=database_url, dense=False)
    await first.add_file(b"A document added to the shared database first.", "first.txt")
    await first.close()
    old = make_old_index(tmp_path / "two")
    second = KnowledgeBase(tmp_path / "two", database_url=database_url, dense=False)
    assert [d.filename for d in await second.list_documents()] == ["first.txt"]
    await second.close()
    assert old.is_file(), "not imported, so kept where it was"
    assert "was not imported" in caplog.text


def test_a_crash_between_copy_and_rename_only_renames(database_url: str, tmp_path: Path) -> None:
    old = make_old_index(tmp_path / "data")
    index = KnowledgeIndex(database_url)
    index.set_meta(IMPORTED, str(old))  # as if the copy had committed just before a crash
    index.close()
    base = KnowledgeBase(tmp_path / "data", database_url=database_url, dense=False)
    assert base.index.count_documents() == 0
    base.index.close()
    assert not old.exists() and (tmp_path / "data" / "knowledge.db.migrated").is_file()
