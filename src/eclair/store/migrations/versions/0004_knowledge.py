"""The knowledge base in the main database: documents, chunks, full-text index, embeddings.

Until 0004 they lived in a SQLite file of their own (``<data_dir>/knowledge.db``), even beside a
PostgreSQL store; :mod:`eclair.knowledge.legacy` copies such a file in once, on first use.

- SQLite: an FTS5 table over ``chunks.text`` (``unicode61 remove_diacritics 2``: case and
  accents do not matter; ranked by BM25), kept in step by triggers; embeddings as BLOBs.
- PostgreSQL: a generated ``tsvector`` column with a GIN index, the union of three text-search
  configurations made here: French and English stemming (a question's inflections meet the
  document's) and ``simple`` (every word as written, which the query's prefixes match, like
  FTS5). With the ``unaccent`` extension each configuration removes accents; without it the
  text is folded by ``translate`` over the Latin accents (immutable, so a generated column may
  use it). Embeddings go in a pgvector ``vector`` column when the extension can be created,
  else in ``bytea``.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from eclair.store.schema import FULLTEXT_COLUMN, FULLTEXT_INDEX, FULLTEXT_TABLE, ROWID
from eclair.store.vectors import Vector

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# PostgreSQL text-search configurations: (ours, copied from, its stemming dictionary)
CONFIGURATIONS = (
    ("eclair_french", "french", "french_stem"),
    ("eclair_english", "english", "english_stem"),
    ("eclair_simple", "simple", "simple"),
)
_ACCENTED = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝ"
_PLAIN = "aaaaaaceeeeiiiinooooouuuuyyAAAAAACEEEEIIIINOOOOOUUUUY"


def _extension(bind: sa.Connection, name: str) -> str | None:
    """The schema of extension ``name``, created here when the server offers it and we may;
    ``None`` when it cannot be had (the caller falls back)."""
    find = sa.text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
        " WHERE e.extname = :name"
    )
    schema = bind.execute(find, {"name": name}).scalar()
    if schema is not None:
        return str(schema)
    offered = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = :name"), {"name": name}
    ).scalar()
    if not offered:
        return None
    try:
        with bind.begin_nested():  # a refusal (no privilege) must not abort the migration
            bind.exec_driver_sql(f"CREATE EXTENSION IF NOT EXISTS {name}")
    except sa.exc.DBAPIError:
        return None
    schema = bind.execute(find, {"name": name}).scalar()
    return None if schema is None else str(schema)


def _sqlite_fulltext() -> None:
    op.execute(
        f"CREATE VIRTUAL TABLE {FULLTEXT_TABLE} USING fts5 (text, content='chunks', content_rowid='rowid',"
        " tokenize='unicode61 remove_diacritics 2')"
    )
    insert = f"INSERT INTO {FULLTEXT_TABLE} (rowid, text) VALUES (new.rowid, new.text);"
    delete = f"INSERT INTO {FULLTEXT_TABLE} ({FULLTEXT_TABLE}, rowid, text) VALUES ('delete', old.rowid, old.text);"
    op.execute(f"CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN {insert} END")
    op.execute(f"CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN {delete} END")
    op.execute(f"CREATE TRIGGER chunks_au AFTER UPDATE OF text ON chunks BEGIN {delete} {insert} END")


def _postgres_fulltext(bind: sa.Connection) -> None:
    unaccent = _extension(bind, "unaccent")
    for name, source, dictionary in CONFIGURATIONS:
        op.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{source})")
        if unaccent is not None:
            op.execute(
                f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR hword, hword_part, word"
                f' WITH "{unaccent}".unaccent, {dictionary}'
            )
    text = "text" if unaccent is not None else f"translate(text, '{_ACCENTED}', '{_PLAIN}')"
    vector = " || ".join(f"to_tsvector('{name}'::regconfig, {text})" for name, _, _ in CONFIGURATIONS)
    op.execute(
        f"ALTER TABLE chunks ADD COLUMN {FULLTEXT_COLUMN} tsvector GENERATED ALWAYS AS ({vector}) STORED"
    )
    op.execute(f"CREATE INDEX {FULLTEXT_INDEX} ON chunks USING gin ({FULLTEXT_COLUMN})")


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    embedding: sa.types.TypeEngine[Any] = sa.LargeBinary()
    if postgres and (schema := _extension(bind, "vector")) is not None:
        embedding = Vector(schema)
    op.create_table(
        "documents",
        sa.Column("rowid", ROWID, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(64), nullable=False, unique=True),
        sa.Column("user_id", sa.String(40), nullable=True),
        sa.Column("collection", sa.String(64), nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("purpose", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("bytes", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("chars", sa.Integer, nullable=False),
    )
    op.create_index(op.f("ix_documents_user_id_collection"), "documents", ["user_id", "collection"])
    op.create_index(op.f("ix_documents_user_id_sha256"), "documents", ["user_id", "sha256"])
    op.create_table(
        "chunks",
        sa.Column("rowid", ROWID, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(100), nullable=False, unique=True),
        sa.Column(
            "document_id",
            sa.String(64),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("char_start", sa.Integer, nullable=False),
        sa.Column("char_end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("embedding", embedding, nullable=True),
    )
    op.create_index(op.f("ix_chunks_document_id_seq"), "chunks", ["document_id", "seq"])
    op.create_table(
        "uploads",
        sa.Column("user_id", sa.String(40), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("bytes", sa.BigInteger, nullable=False),
    )
    op.create_index(op.f("ix_uploads_user_id_at"), "uploads", ["user_id", "at"])
    op.create_table(
        "knowledge_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    if postgres:
        _postgres_fulltext(bind)
    elif bind.dialect.name == "sqlite":
        _sqlite_fulltext()


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("chunks_ai", "chunks_ad", "chunks_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute(f"DROP TABLE IF EXISTS {FULLTEXT_TABLE}")
    op.drop_table("knowledge_meta")
    op.drop_table("uploads")
    op.drop_table("chunks")
    op.drop_table("documents")
    if bind.dialect.name == "postgresql":
        for name, _, _ in CONFIGURATIONS:
            op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
