"""The knowledge index in the main database: the same behaviour on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa

from eclair.knowledge.base import KnowledgeBase
from eclair.knowledge.fulltext import tsquery
from eclair.knowledge.lexical import fts_query
from eclair.knowledge.store import KnowledgeIndex, StoredUsage, Upload

CANARY = "qx8canaryzv3"
FR = (
    "Le Château de Versailles\n\nLe château a été la résidence des rois de France. "
    "Les jardins à la française ont été dessinés par André Le Nôtre."
)


@pytest.fixture
def index(database_url: str) -> Iterator[KnowledgeIndex]:
    opened = KnowledgeIndex(database_url)
    yield opened
    opened.close()


def add(index: KnowledgeIndex, document_id: str, text: str, *, user: str | None = None, **kw: object) -> None:
    spans = kw.pop("spans", None) or [(0, len(text))]
    index.add_document(
        document_id=document_id,
        user_id=user,
        collection=str(kw.pop("collection", "default")),
        filename=f"{document_id}.txt",
        purpose="assistants",
        sha256=str(kw.pop("sha256", document_id.ljust(64, "0"))),
        size=len(text.encode()),
        text=text,
        spans=spans,  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def search(
    index: KnowledgeIndex, query: str, user: str | None = None, collections: list[str] | None = None
) -> list[str]:
    return [p.document_id for _, p in index.search_fts(fts_query(query), user, collections, 10)]


def test_documents_visibility_collections_and_order(index: KnowledgeIndex) -> None:
    add(index, "shared", "A shared note about harbours.")
    add(index, "alice-1", "Alice keeps a note about falcons.", user="alice", collection="birds")
    add(index, "alice-2", "Alice's second note.", user="alice")
    add(index, "bob-1", "Bob's note about falcons.", user="bob")
    assert [d.id for d in index.list_documents("alice")] == ["shared", "alice-1", "alice-2"]
    assert [d.id for d in index.list_documents(None)] == ["shared"]
    assert [d.id for d in index.list_documents("alice", ["birds"])] == ["alice-1"]
    assert index.collections("alice") == {"birds": 1, "default": 2}
    document = index.get_document("alice-1", "alice")
    assert document is not None and (document.chars, document.chunks, document.user_id) == (33, 1, "alice")
    assert index.get_document("alice-1", "bob") is None
    assert index.document_text("alice-1") == "Alice keeps a note about falcons."
    assert search(index, "falcons", "alice") == ["alice-1"]
    assert search(index, "falcons", "bob") == ["bob-1"]
    assert search(index, "falcons", None) == []
    assert set(search(index, "note", "alice", ["default"])) == {"shared", "alice-2"}
    assert index.delete_document("alice-1") and not index.delete_document("alice-1")
    assert search(index, "falcons", "alice") == [] and index.count_documents() == 3


def test_search_ignores_accents_and_case_and_ranks(index: KnowledgeIndex) -> None:
    add(index, "versailles", FR, spans=[(0, 24), (26, len(FR))])
    add(index, "other", "Une résidence secondaire au bord de la mer, sans jardin.")
    for query in ("qui a dessine les jardins", "RÉSIDENCE des rois", "andre le notre", "Nôtre"):
        assert search(index, query)[0] == "versailles", query
    hits = index.search_fts(fts_query("rois de France résidence"), None, None, 5)
    assert hits[0][1].document_id == "versailles"
    assert hits[0][1].score >= hits[-1][1].score
    rowid, passage = hits[0]
    assert FR[passage.start : passage.end] == passage.text and passage.chunk_id == "versailles:1"
    assert index.passages([rowid, 10**9]) == {rowid: passage.__class__(**{**_fields(passage), "score": 0.0})}
    leads = index.lead_passages(["versailles", "other"])
    assert leads["versailles"][1].text == "Le Château de Versailles"


def _fields(passage: object) -> dict[str, object]:
    return {name: getattr(passage, name) for name in passage.__slots__}  # type: ignore[attr-defined]


def test_tsquery_keeps_only_words() -> None:
    assert (
        tsquery('"jardin"* OR "rois" OR "a b"* OR "x\'; DROP"')
        == "'jardin':* | 'rois' | ('a' <-> 'b':*) | ('x' <-> 'DROP')"
    )
    assert tsquery('""') == ""


def test_duplicates_copies_and_usage(index: KnowledgeIndex) -> None:
    vectors = np.eye(3, dtype=np.float32)[:2]
    add(
        index,
        "a",
        "first chunk. second chunk.",
        user="alice",
        sha256="f" * 64,
        spans=[(0, 12), (13, 26)],
        embeddings=vectors,
    )
    assert index.find_duplicate("alice", "default", "f" * 64) is not None
    assert index.find_duplicate("alice", "other", "f" * 64) is None
    assert index.find_duplicate("bob", None, "f" * 64) is None
    seen: list[StoredUsage] = []
    copy = index.copy_document(
        "a", document_id="b", collection="other", filename="b.txt", purpose="p", admit=seen.append
    )
    assert copy is not None and (copy.collection, copy.user_id, copy.chunks, copy.chars) == (
        "other",
        "alice",
        2,
        26,
    )
    assert seen == [StoredUsage(1, 26)]
    assert index.copy_document("gone", document_id="c", collection="x", filename="c", purpose="p") is None
    assert [p.chunk_id for _, p in index.search_fts(fts_query("second"), "alice", ["other"], 5)] == ["b:1"]
    rowids, matrix = index.embeddings("alice", ["other"])
    assert matrix is not None and np.array_equal(matrix, vectors) and len(rowids) == 2
    # a conversation's scope: these documents only (an empty scope holds none)
    assert {p.document_id for _, p in index.search_fts(fts_query("second"), "alice", None, 5)} == {"a", "b"}
    assert [
        p.chunk_id for _, p in index.search_fts(fts_query("second"), "alice", None, 5, documents=["a"])
    ] == ["a:1"]
    assert index.search_fts(fts_query("second"), "alice", None, 5, documents=[]) == []
    assert len(index.embeddings("alice", None, documents=["b"])[0]) == 2
    assert index.embeddings("alice", None, documents=[]) == ([], None)


def test_upload_ledger_prunes_and_refuses_inside_the_transaction(index: KnowledgeIndex) -> None:
    seen: list[list[Upload]] = []
    index.record_upload("alice", 10, lambda kept, recent: seen.append(recent), now=1000.0)
    index.record_upload("alice", 20, lambda kept, recent: seen.append(recent), now=1000.0 + 86_400 + 1)
    assert seen == [[], []], "the first upload left the 24-hour window"

    def refuse(kept: StoredUsage, recent: list[Upload]) -> None:
        raise RuntimeError("over quota")

    with pytest.raises(RuntimeError):
        index.record_upload("alice", 30, refuse, now=1000.0 + 86_400 + 2)
    index.record_upload("alice", 5, lambda kept, recent: seen.append(recent), now=1000.0 + 86_400 + 3)
    assert seen[-1] == [Upload(1000.0 + 86_400 + 1, 20)], "a refused upload is not recorded"


def test_concurrent_uploads_cannot_overshoot_a_quota(database_url: str) -> None:
    """Two indexes (two servers) admit at most 3 uploads in a day, however they interleave."""
    indexes = [KnowledgeIndex(database_url), KnowledgeIndex(database_url)]
    admitted: list[int] = []

    def admit(kept: StoredUsage, recent: list[Upload]) -> None:
        if len(recent) >= 3:
            raise RuntimeError("quota")

    def upload(index: KnowledgeIndex, size: int) -> None:
        try:
            index.record_upload("alice", size, admit)
            admitted.append(size)
        except RuntimeError:
            pass

    threads = [threading.Thread(target=upload, args=(indexes[i % 2], i)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for index in indexes:
        index.close()
    assert len(admitted) == 3


def test_embeddings_round_trip_exactly_and_keep_their_dimension(
    index: KnowledgeIndex, database_url: str
) -> None:
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((3, 384)).astype(np.float32)
    add(index, "doc", "one. two. three.", spans=[(0, 4), (5, 9), (10, 16)])
    missing = index.chunks_without_embedding(10)
    assert [text for _, text in missing] == ["one.", "two.", "three."]
    index.set_embeddings([rowid for rowid, _ in missing], vectors)
    rowids, matrix = index.embeddings(None, None)
    assert rowids == [rowid for rowid, _ in missing]
    assert matrix is not None and matrix.dtype == np.float32 and np.array_equal(matrix, vectors)
    assert index.chunks_without_embedding(10) == []
    assert index.get_meta("embedding_dim") == "384"
    with pytest.raises(ValueError, match="dimension"):
        index.set_embeddings([rowids[0]], rng.standard_normal((1, 8)))
    index.clear_embeddings()
    assert index.embeddings(None, None) == ([], None) and index.get_meta("embedding_dim") is None
    index.set_embeddings([rowids[0]], rng.standard_normal((1, 8)))  # another encoder now fits
    index.set_meta("embedding_model", "letters")
    index.set_meta("embedding_model", "minilm")
    assert index.get_meta("embedding_model") == "minilm"
    if database_url.startswith("postgresql"):
        with index.engine.connect() as conn:
            offered = conn.execute(
                sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
            ).scalar()
        assert index.pgvector == bool(offered), "pgvector's vector column when the server has it"


def test_erasure_leaves_no_trace(index: KnowledgeIndex, database_url: str, tmp_path: Path) -> None:
    text = f"A note about lighthouses and the secret word {CANARY}. " * 20
    add(index, "canary", text, user="carol", spans=[(0, len(text) // 2), (len(text) // 2, len(text))])
    add(index, "kept", "Dave keeps his note about lighthouses.", user="dave")
    add(index, "dropped", f"Dave drops a note with the word {CANARY}.", user="dave")
    index.record_upload("carol", 10, lambda kept, recent: None)
    assert index.erase_owner("carol") == 1
    assert index.delete_document("dropped")
    index.compact()
    assert search(index, CANARY, "carol") == [] and search(index, "lighthouses", "dave") == ["kept"]
    if database_url.startswith("sqlite"):
        hits = [
            p.name
            for p in (tmp_path / "data").rglob("*")
            if p.is_file() and CANARY.encode() in p.read_bytes()
        ]
        assert hits == []
        return
    with index.engine.connect() as conn:
        tables = conn.execute(
            sa.text("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
        ).scalars()
        for table in list(tables):
            found = conn.execute(
                sa.text(
                    f'SELECT count(*) FROM "{table}" t WHERE t::text LIKE :canary OR t::text LIKE :carol'
                ),
                {"canary": f"%{CANARY}%", "carol": "%carol%"},
            ).scalar()
            assert found == 0, table


async def test_two_bases_on_one_database_share_documents(database_url: str, tmp_path: Path) -> None:
    """Two servers' knowledge bases on one database: what one adds, the other finds."""
    first = KnowledgeBase(tmp_path / "one", database_url=database_url, dense=False)
    second = KnowledgeBase(tmp_path / "two", database_url=database_url, dense=False)
    try:
        document = await first.add_file(
            b"The Kerlann lighthouse was lit in 1902 by Yvonne Le Gall.", "phare.txt"
        )
        hits = await second.search("Who lit the Kerlann lighthouse?", k=3)
        assert hits and hits[0].document_id == document.id and hits[0].source == "phare.txt"
        assert [d.id for d in await second.list_documents()] == [document.id]
        await second.delete_document(document.id)
        assert await first.search("Kerlann lighthouse", k=3) == []
    finally:
        await first.close()
        await second.close()
