"""The knowledge base on real SQLite files: search FR/EN, safety, collections, owners."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from eclair.errors import InvalidRequest, NotFound, PayloadTooLarge
from eclair.knowledge.base import KnowledgeBase
from eclair.knowledge.lexical import fts_query
from eclair.store.database import head_revision

FR = (
    "Le Château de Versailles\n\nLe château a été la résidence des rois de France. "
    "Sa galerie des Glaces mesure 73 mètres de long.\n\nLes jardins à la française ont été dessinés par André Le Nôtre."
)
EN = "The Moon orbits the Earth every 27.3 days. Neil Armstrong walked on it in July 1969."
BAKERY = "Hearthstone bakery sold 61,400 sourdough loaves in 2023. Its oven cost 38,000 pounds."


async def test_search_finds_french_with_or_without_accents(kb: KnowledgeBase) -> None:
    await kb.add_file(FR.encode(), "versailles.md")
    await kb.add_file(EN.encode(), "moon.txt")
    for query in (
        "Qui a dessiné les jardins ?",
        "qui a dessine les jardins",
        "RÉSIDENCE des rois",
        "andre le notre",
    ):
        hits = await kb.search(query, k=3)
        assert hits and hits[0].source == "versailles.md", query
    hits = await kb.search("When did Armstrong walk on the Moon?", k=3)
    assert hits[0].source == "moon.txt"


async def test_passages_index_the_stored_text(kb: KnowledgeBase) -> None:
    document = await kb.add_file(FR.encode(), "versailles.md")
    text = await kb.get_text(document.id)
    hits = await kb.search("galerie des Glaces", k=5)
    assert hits
    for passage in hits:
        assert text[passage.start : passage.end] == passage.text
        assert passage.document_id == document.id and passage.collection == "default"


@pytest.mark.parametrize(
    "query",
    [
        'moon" OR "x',
        "NEAR(moon earth, 2)",
        "moon AND NOT earth",
        "text: moon",
        "moon*",
        "^moon",
        "(((",
        '"',
        "-moon +earth",
        "{moon earth}",
        "moon\x00earth",
        "*",
        "''; DROP TABLE chunks; --",
    ],
)
async def test_fts_syntax_in_user_text_never_errors(kb: KnowledgeBase, query: str) -> None:
    await kb.add_file(EN.encode(), "moon.txt")
    await kb.search(query)  # no sqlite3.OperationalError
    assert (await kb.search("moon"))[0].source == "moon.txt"


def test_fts_query_only_quotes_tokens() -> None:
    assert fts_query('what about "NEAR" OR xy*?') == '"near" OR "xy"'
    assert fts_query("les jardins dessinés") == '"jardin"* OR "dessin"*'
    assert fts_query("") == ""
    assert fts_query("qui est-ce ?") == '"qui" OR "est" OR "ce"'


async def test_blank_query_and_nothing_found(kb: KnowledgeBase) -> None:
    await kb.add_file(EN.encode(), "moon.txt")
    assert await kb.search("   ") == []
    assert await kb.search("zzzz qqqq") == []
    assert await kb.search("moon", k=0) == []


async def test_collections(kb: KnowledgeBase) -> None:
    await kb.add_file(FR.encode(), "versailles.md", collection="history")
    await kb.add_file(EN.encode(), "moon.txt", collection="space")
    assert await kb.collections() == {"history": 1, "space": 1}
    assert [p.source for p in await kb.search("Moon", collections=["history"])] == []
    assert (await kb.search("Moon", collections=["space"]))[0].source == "moon.txt"
    assert (await kb.search("Moon"))[0].source == "moon.txt"  # every collection by default
    assert [d.filename for d in await kb.list_documents(collection="space")] == ["moon.txt"]
    with pytest.raises(InvalidRequest):
        await kb.add_file(EN.encode(), "moon.txt", collection="bad name!")


async def test_user_scoping(kb: KnowledgeBase) -> None:
    shared = await kb.add_file(EN.encode(), "moon.txt")
    alice = await kb.add_file(BAKERY.encode(), "bakery.txt", user_id="alice")
    # Bob sees shared documents, not Alice's
    assert {d.id for d in await kb.list_documents("bob")} == {shared.id}
    assert [p.source for p in await kb.search("sourdough loaves", user_id="bob")] == []
    with pytest.raises(NotFound):
        await kb.get_document(alice.id, "bob")
    with pytest.raises(NotFound):
        await kb.get_text(alice.id, "bob")
    with pytest.raises(NotFound):
        await kb.delete_document(alice.id, "bob")
    # Alice sees both; the operator (None) sees only shared ones
    assert {d.id for d in await kb.list_documents("alice")} == {shared.id, alice.id}
    assert (await kb.search("sourdough loaves", user_id="alice"))[0].source == "bakery.txt"
    assert {d.id for d in await kb.list_documents(None)} == {shared.id}
    # a user may not delete a shared document; the operator may
    with pytest.raises(InvalidRequest):
        await kb.delete_document(shared.id, "alice")
    await kb.delete_document(shared.id, None)
    assert await kb.search("Moon", user_id="alice") == []


async def test_delete_removes_passages(kb: KnowledgeBase) -> None:
    document = await kb.add_file(EN.encode(), "moon.txt")
    assert await kb.search("Armstrong")
    deleted = await kb.delete_document(document.id)
    assert deleted.id == document.id
    assert await kb.search("Armstrong") == []
    assert await kb.list_documents() == []
    with pytest.raises(NotFound):
        await kb.get_document(document.id)


async def test_same_bytes_twice_is_one_document(kb: KnowledgeBase) -> None:
    first = await kb.add_file(EN.encode(), "moon.txt")
    again = await kb.add_file(EN.encode(), "copy-of-moon.txt")
    elsewhere = await kb.add_file(EN.encode(), "moon.txt", collection="other")
    assert again.id == first.id and elsewhere.id != first.id
    assert len(await kb.search("Armstrong", k=10)) == 2


async def test_lead_chunk_is_appended(tmp_path: Path) -> None:
    base = KnowledgeBase(tmp_path, dense=False, chunk_chars=80)
    text = "Greyhaven Lighthouse guide.\n\n" + " ".join(
        f"Filler sentence {i} about rocks." for i in range(20)
    )
    text += "\n\nThe lighthouse has 142 steps."
    await base.add_file(text.encode(), "guide.txt")
    hits = await base.search("how many steps", k=1)
    assert hits[0].text.endswith("142 steps.") and hits[-1].start == 0
    assert len(await base.search("how many steps", k=1, leads=False)) == 1
    await base.close()


async def test_files_on_disk_size_limit_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "moon.md"
    path.write_text(EN, encoding="utf-8")
    base = KnowledgeBase(tmp_path / "data", dense=False, max_file_bytes=2000)
    document = await base.add_file(path, collection="space")
    assert document.filename == "moon.md" and document.bytes == len(EN.encode())
    with pytest.raises(PayloadTooLarge):
        await base.add_file(b"x" * 2001, "big.txt")
    await base.close()
    # the main database persists at the latest revision, WAL is on, no separate index file
    reopened = KnowledgeBase(tmp_path / "data", dense=False)
    assert [d.id for d in await reopened.list_documents()] == [document.id]
    await reopened.close()
    assert not (tmp_path / "data" / "knowledge.db").exists()
    with sqlite3.connect(tmp_path / "data" / "eclair.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()


async def test_concurrent_ingest_and_search(tmp_path: Path) -> None:
    texts = [f"Document {i} mentions the number {1000 + i} and the word falcon." for i in range(12)]
    # every upload may wait for an extraction worker (beyond the queue: 503, tested elsewhere)
    kb = KnowledgeBase(tmp_path, dense=False, extraction_queue=len(texts))
    await asyncio.gather(
        *(kb.add_file(t.encode(), f"d{i}.txt") for i, t in enumerate(texts)), kb.search("falcon")
    )
    assert len(await kb.list_documents()) == 12
    assert len(await kb.search("falcon", k=20, leads=False)) == 12
    await kb.close()


class _WrongEncoder:
    """A dense ranker that prefers the wrong chunk (as English MiniLM does on French text)."""

    name = "wrong"

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.array([[1.0, 0.0] if "Filler" in t or "?" in t else [0.0, 1.0] for t in texts])

    encode_query = encode


async def test_fusion_keeps_the_best_lexical_chunk(tmp_path: Path) -> None:
    base = KnowledgeBase(tmp_path, encoder=_WrongEncoder(), chunk_chars=80)
    filler = " ".join(f"Filler sentence {i} about maisons." for i in range(30))
    text = f"Le phare de Kerlann.\n\n{filler}"
    text += "\n\nL'incendie de 1902 détruit 12 maisons du port."
    await base.add_file(text.encode(), "phare.txt")
    hits = await base.search("Combien de maisons l'incendie a-t-il détruites ?", k=3)
    # ranked first by BM25 only: RRF alone would put the fillers both rankers found above it
    assert any("12 maisons" in p.text for p in hits)
    assert any("Filler" in p.text for p in hits)  # the dense ranker's own best are kept too
    await base.close()
