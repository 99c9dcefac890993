"""The knowledge base service: ingest files, list and delete them, search their passages.

Contract:
- Async API over a blocking :class:`~eclair.knowledge.store.KnowledgeIndex`, which keeps
  documents in the main database (``database_url``: by default SQLite at
  ``<data_dir>/eclair.db``, the store's own default; :meth:`KnowledgeBase.from_settings` takes
  the store's URL, PostgreSQL included, so servers sharing a database share documents). Every
  database call and every embedding computation runs in a worker thread (``asyncio.to_thread``),
  so the event loop never blocks on disk or CPU work. Constructing a knowledge base touches no
  disk: the index is opened on first use (an old ``<data_dir>/knowledge.db`` is then imported
  once, :mod:`eclair.knowledge.legacy`), so an app factory can build one synchronously.
- ``add_file`` extracts the text (:mod:`eclair.knowledge.extract`) and cuts it into
  overlapping sentence chunks whose offsets index that text (:mod:`eclair.knowledge.chunking`)
  in a worker process, under a timeout and caps on pages, characters and chunks
  (:mod:`eclair.knowledge.sandbox`, started on the first upload); then it stores the text
  whole and indexes the chunks. Adding the same bytes again to the same collection for the
  same owner returns the existing document instead of a duplicate; to another collection, it
  copies the stored document without extracting it again. File names are cleaned and
  per-user quotas enforced first (:mod:`eclair.knowledge.uploads`).
- ``search`` ranks chunks by BM25 over a safe FTS5 query built from the question's content
  words and their French/English equivalents (:func:`eclair.knowledge.lexical.fts_query`,
  :mod:`eclair.knowledge.bilingual`); with the MiniLM encoder installed and
  enabled it also ranks by cosine similarity and fuses both lists by reciprocal rank,
  never dropping either ranker's best chunks.
  Without collections it searches every collection the caller can see.
- Ownership: ``user_id=None`` documents are shared. A caller sees shared documents and its
  own; reading or deleting anything else raises :class:`~eclair.errors.NotFound`, and only a
  ``None`` caller (the operator, single-user mode) may delete shared documents.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

import numpy as np

from eclair.errors import InvalidRequest, NotFound, PayloadTooLarge
from eclair.knowledge import lexical
from eclair.knowledge.bilingual import equivalents
from eclair.knowledge.legacy import LEGACY_FILENAME, import_legacy
from eclair.knowledge.sandbox import DocumentLimits, Extracted, ExtractionPool
from eclair.knowledge.store import Document, KnowledgeIndex, StoredUsage, Upload
from eclair.knowledge.uploads import UploadQuotas, clean_filename
from eclair.store.database import SQLITE_FILE
from eclair.store.database import database_url as main_database_url
from eclair.text.passages import Passage

if TYPE_CHECKING:
    from eclair.config import Settings

T = TypeVar("T")

DB_FILENAME = LEGACY_FILENAME  # the old separate index file, imported into the main database
DEFAULT_COLLECTION = "default"
DEFAULT_MAX_FILE_BYTES = 32 * 1024 * 1024
_RRF_K = 60
MIN_DENSE_SIMILARITY = 0.3
DENSE_KEEP = 3  # the dense ranker's best chunks, always searched beside the lexical best k
_COLLECTION_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


class Encoder(Protocol):
    """What dense retrieval needs from a sentence encoder."""

    name: str

    def encode(self, texts: list[str]) -> np.ndarray: ...

    def encode_query(self, texts: list[str]) -> np.ndarray:
        """Questions, for encoders trained with a query form (E5's ``query:``)."""
        ...


def validate_collection(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 64 or not set(name) <= _COLLECTION_CHARS:
        raise InvalidRequest(
            "collection names are 1-64 characters among letters, digits, '-', '_' and '.'",
            param="collection",
        )
    return name


def reciprocal_rank_fusion(rankings: Sequence[Sequence[int]], k: int = _RRF_K) -> list[tuple[int, float]]:
    """Fuse ranked id lists: score(id) = sum of 1 / (k + rank), best first."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


class KnowledgeBase:
    """Documents and passages for grounded answers (see module docstring)."""

    def __init__(
        self,
        data_dir: Path,
        *,
        database_url: str | None = None,
        dense: bool = True,
        encoder: Encoder | None = None,
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
        chunk_chars: int = 900,
        limits: DocumentLimits | None = None,
        quotas: UploadQuotas | None = None,
        extraction_workers: int = 2,
        extraction_timeout_s: float = 4.0,
        extraction_queue: int = 8,
        extraction_wait_s: float = 1.0,
    ):
        self.data_dir = Path(data_dir).expanduser()
        self.database_url = database_url or f"sqlite:///{self.data_dir / SQLITE_FILE}"
        self._index: KnowledgeIndex | None = None
        self._index_lock = threading.Lock()
        self.max_file_bytes = max_file_bytes
        self.chunk_chars = chunk_chars
        self._dense_wanted = dense
        self._encoder: Encoder | None = encoder
        self._encoder_loaded = encoder is not None or not dense
        self._encoder_lock = threading.Lock()
        self.limits = limits or DocumentLimits()
        self.quotas = quotas or UploadQuotas()  # none unless given: the server passes its settings'
        self._new_pool = partial(
            ExtractionPool,
            workers=extraction_workers,
            timeout_s=extraction_timeout_s,
            max_waiting=extraction_queue,
            max_wait_s=extraction_wait_s,
        )
        self._pool: ExtractionPool | None = None
        self._pool_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> KnowledgeBase:
        """The knowledge base in the main database, ``database_url(settings)`` (opened on first use)."""
        return cls(
            settings.data_dir,
            database_url=main_database_url(settings),
            dense=settings.knowledge_dense,
            max_file_bytes=settings.max_file_bytes,
            limits=DocumentLimits(
                max_pages=settings.max_pdf_pages,
                max_chars=settings.max_document_chars,
                max_chunks=settings.max_document_chunks,
            ),
            quotas=UploadQuotas(
                daily_files=settings.upload_daily_files,
                daily_bytes=settings.upload_daily_bytes,
                documents=settings.max_user_documents,
                chars=settings.max_user_chars,
            ),
            extraction_workers=settings.extraction_workers,
            extraction_timeout_s=settings.extraction_timeout_s,
            extraction_queue=settings.extraction_queue,
            extraction_wait_s=settings.extraction_wait_s,
        )

    # -- lifecycle -----------------------------------------------------------------------

    @property
    def index(self) -> KnowledgeIndex:
        """The index, opened (the database migrated, an old index file imported) on first use.
        Blocking."""
        if self._index is None:
            with self._index_lock:
                if self._index is None:
                    index = KnowledgeIndex(self.database_url)
                    import_legacy(index, self.data_dir / LEGACY_FILENAME)
                    self._index = index
        return self._index

    async def _call(self, work: Callable[[KnowledgeIndex], T]) -> T:
        """Run blocking index work in a worker thread (opening the index there too)."""
        return await asyncio.to_thread(lambda: work(self.index))

    @property
    def extraction(self) -> ExtractionPool:
        """The worker processes that read uploads; created (not started) on first use."""
        if self._pool is None:
            with self._pool_lock:
                if self._pool is None:
                    self._pool = self._new_pool()
        return self._pool

    async def close(self) -> None:
        if self._pool is not None:
            await asyncio.to_thread(self._pool.close)
            self._pool = None
        if self._index is not None:
            await asyncio.to_thread(self._index.close)

    def encoder(self) -> Encoder | None:
        """The sentence encoder, loaded on first use; ``None`` means BM25 only. Blocking."""
        if not self._encoder_loaded:
            with self._encoder_lock:
                if not self._encoder_loaded:
                    from eclair.knowledge.dense import load_encoder

                    self._encoder = load_encoder()
                    self._encoder_loaded = True
        return self._encoder

    @property
    def dense_enabled(self) -> bool:
        return self.encoder() is not None

    # -- documents -----------------------------------------------------------------------

    async def add_file(
        self,
        source: Path | str | bytes,
        filename: str | None = None,
        *,
        collection: str = DEFAULT_COLLECTION,
        user_id: str | None = None,
        purpose: str = "assistants",
    ) -> Document:
        """Ingest a file given as a path, or as bytes plus its ``filename``."""
        if isinstance(source, bytes):
            if not filename:
                raise InvalidRequest("a filename is required with file bytes", param="filename")
            data = source
        else:
            path = Path(source)
            filename = filename or path.name
            size = (await asyncio.to_thread(path.stat)).st_size
            self._check_size(size, filename)
            data = await asyncio.to_thread(path.read_bytes)
        # 1. what is asked: a clean name, a valid collection, a size within the limit
        filename = clean_filename(filename)
        collection = validate_collection(collection)
        self._check_size(len(data), filename)
        # 2. the same bytes in the same collection: the document already there, free
        sha256 = await asyncio.to_thread(lambda: hashlib.sha256(data).hexdigest())
        existing = await self._call(lambda index: index.find_duplicate(user_id, collection, sha256))
        if existing is not None:
            return existing
        # 3. the owner's quotas, counted before any work (shared documents have none)
        quotas = self.quotas if user_id is not None and self.quotas.enabled else None
        if quotas is not None and user_id is not None:
            owner, size = user_id, len(data)

            def admit(kept: StoredUsage, recent: list[Upload]) -> None:
                quotas.admit_upload(size, kept, recent)

            await self._call(lambda index: index.record_upload(owner, size, admit))
        document_id = f"file-{secrets.token_hex(12)}"
        # 4. the same bytes in another collection: a copy, not a second extraction
        same = await self._call(lambda index: index.find_duplicate(user_id, None, sha256))
        if same is not None:
            copied = await self._call(
                lambda index: index.copy_document(
                    same.id,
                    document_id=document_id,
                    collection=collection,
                    filename=filename,
                    purpose=purpose,
                    admit=None if quotas is None else lambda kept: quotas.check_kept(kept, same.chars),
                )
            )
            if copied is not None:
                return copied
        # 5. extraction in a worker process, then embeddings and storage in a thread
        extracted = await self.extraction.extract(
            data, filename, self.limits, self.chunk_chars, owner=user_id
        )
        return await asyncio.to_thread(
            self._store_blocking,
            extracted,
            document_id,
            filename,
            collection,
            user_id,
            purpose,
            sha256,
            len(data),
        )

    def _check_size(self, size: int, filename: str) -> None:
        if size > self.max_file_bytes:
            raise PayloadTooLarge(
                f"{filename!r} is {size} bytes; the limit is {self.max_file_bytes} bytes", param="file"
            )

    def _store_blocking(
        self,
        extracted: Extracted,
        document_id: str,
        filename: str,
        collection: str,
        user_id: str | None,
        purpose: str,
        sha256: str,
        size: int,
    ) -> Document:
        text, spans = extracted.text, extracted.spans
        encoder = self.encoder()
        embeddings = encoder.encode([text[s:e] for s, e in spans]) if encoder and spans else None
        if encoder is not None:
            self._record_encoder(encoder)
        quotas = self.quotas if user_id is not None and self.quotas.enabled else None
        return self.index.add_document(
            document_id=document_id,
            user_id=user_id,
            collection=collection,
            filename=filename,
            purpose=purpose,
            sha256=sha256,
            size=size,
            text=text,
            spans=spans,
            embeddings=embeddings,
            admit=None if quotas is None else lambda kept: quotas.check_kept(kept, len(text)),
        )

    def _record_encoder(self, encoder: Encoder) -> None:
        """Embeddings from another model are useless: drop them when the model changes."""
        if self.index.get_meta("embedding_model") != encoder.name:
            self.index.clear_embeddings()
            self.index.set_meta("embedding_model", encoder.name)

    async def list_documents(
        self, user_id: str | None = None, collection: str | None = None
    ) -> list[Document]:
        collections = [collection] if collection else None
        return await self._call(lambda index: index.list_documents(user_id, collections))

    async def collections(self, user_id: str | None = None) -> dict[str, int]:
        return await self._call(lambda index: index.collections(user_id))

    async def get_document(self, document_id: str, user_id: str | None = None) -> Document:
        document = await self._call(lambda index: index.get_document(document_id, user_id))
        if document is None:
            raise NotFound(f"no file with id {document_id!r}", param="file_id", code="file_not_found")
        return document

    async def get_text(self, document_id: str, user_id: str | None = None) -> str:
        """The stored text of a document, which chunk and citation offsets index."""
        await self.get_document(document_id, user_id)
        text = await self._call(lambda index: index.document_text(document_id))
        if text is None:
            raise NotFound(f"no file with id {document_id!r}", param="file_id", code="file_not_found")
        return text

    async def delete_document(self, document_id: str, user_id: str | None = None) -> Document:
        """Delete a document the caller owns; returns what was deleted."""
        document = await self.get_document(document_id, user_id)
        if document.user_id != user_id:
            raise InvalidRequest(
                f"file {document_id!r} is shared; only the operator can delete it",
                param="file_id",
                code="shared_file",
            )
        await self._call(lambda index: index.delete_document(document_id))
        return document

    # -- search --------------------------------------------------------------------------

    async def search(
        self,
        query: str,
        *,
        user_id: str | None = None,
        collections: list[str] | None = None,
        documents: Sequence[str] | None = None,
        k: int = 5,
        leads: bool = True,
    ) -> list[Passage]:
        """The passages that best match ``query`` among the caller's visible documents, best
        first: the ``k`` best by BM25, and with dense retrieval also the :data:`DENSE_KEEP`
        best by similarity and the ``k`` best by fused rank (so up to ``2k + 3``). With
        ``leads`` (the default), the opening chunk of each document found is appended after
        them when it is not already there, with score 0: the grounding step reads a document's
        title to know what the document is about. ``documents`` (a conversation's scope)
        restricts the search to those document ids; None searches every visible document."""
        if k <= 0 or not query.strip():
            return []
        scope = None if documents is None else tuple(documents)
        return await asyncio.to_thread(self._search_blocking, query, user_id, collections, scope, k, leads)

    def _search_blocking(
        self,
        query: str,
        user_id: str | None,
        collections: list[str] | None,
        documents: Sequence[str] | None,
        k: int,
        leads: bool,
    ) -> list[Passage]:
        pool = max(k * 4, 20)
        translations = [
            p
            for term in lexical.terms(query)
            for e in sorted(equivalents(term))
            for p in lexical.compound_parts(e)
        ]
        match = lexical.fts_query(query, extra=translations)
        lexical_hits = self.index.search_fts(match, user_id, collections, pool, documents=documents)
        encoder = self.encoder()
        dense_ranking = (
            self._dense_ranking(encoder, query, user_id, collections, documents, pool) if encoder else []
        )
        if dense_ranking:
            by_rowid = dict(lexical_hits)
            lexical_ranking = [rowid for rowid, _ in lexical_hits]
            fused = reciprocal_rank_fusion([lexical_ranking, dense_ranking])
            # RRF favours chunks found by both rankers, so a chunk the words match best but
            # MiniLM (English-only) misses would drop out, which happens on most French
            # questions; each ranker's own best chunks are kept, in fused order.
            kept = set(lexical_ranking[:k]) | set(dense_ranking[:DENSE_KEEP]) | {r for r, _ in fused[:k]}
            fused = [(rowid, score) for rowid, score in fused if rowid in kept]
            by_rowid.update(self.index.passages(rowid for rowid, _ in fused if rowid not in by_rowid))
            ranked = [
                (rowid, replace(by_rowid[rowid], score=score)) for rowid, score in fused if rowid in by_rowid
            ]
        else:
            ranked = lexical_hits[:k]
        passages = [passage for _, passage in ranked]
        if leads:
            present = {rowid for rowid, _ in ranked}
            lead = self.index.lead_passages(p.document_id for p in passages)
            passages += [p for rowid, p in lead.values() if rowid not in present]
        return passages

    def _dense_ranking(
        self,
        encoder: Encoder,
        query: str,
        user_id: str | None,
        collections: list[str] | None,
        documents: Sequence[str] | None,
        pool: int,
    ) -> list[int]:
        self._embed_missing(encoder)
        rowids, matrix = self.index.embeddings(user_id, collections, documents=documents)
        if matrix is None:
            return []
        similarity = matrix @ encoder.encode_query([query])[0]
        order = np.argsort(-similarity)[:pool]
        # Below this cosine MiniLM finds unrelated text; such chunks must not ride in on RRF.
        return [rowids[i] for i in order if similarity[i] >= MIN_DENSE_SIMILARITY]

    def _embed_missing(self, encoder: Encoder, batch: int = 64) -> None:
        """Embed chunks stored before the encoder was available (or after a model change)."""
        self._record_encoder(encoder)
        while rows := self.index.chunks_without_embedding(batch):
            vectors = encoder.encode([text for _, text in rows])
            self.index.set_embeddings([rowid for rowid, _ in rows], vectors)
            if len(rows) < batch:
                break
