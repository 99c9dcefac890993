"""Extraction away from the server: worker processes, caps that stop early, a timeout that kills."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from eclair.errors import InvalidRequest, Overloaded, PayloadTooLarge, RateLimited
from eclair.knowledge.extract import extract_text
from eclair.knowledge.sandbox import DocumentLimits, ExtractionPool
from tests.knowledge.conftest import book_pdf, make_pdf, page_tree_pdf, repeated_page_pdf, wordy_pdf

LIMITS = DocumentLimits(max_pages=2000, max_chars=1_000_000, max_chunks=2000)
ROOMY = DocumentLimits(max_pages=10_000, max_chars=50_000_000, max_chunks=1_000_000)


@pytest.fixture
async def pool() -> AsyncIterator[ExtractionPool]:
    pool = ExtractionPool(workers=1, timeout_s=20)
    yield pool
    pool.close()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize(
    "data", [repeated_page_pdf(40_000), page_tree_pdf(15)], ids=["kids-listed-40000-times", "doubling-tree"]
)
def test_a_page_tree_of_too_many_pages_is_refused_before_any_page_is_read(data: bytes) -> None:
    started = time.perf_counter()
    with pytest.raises(PayloadTooLarge) as refused:
        extract_text(data, "pages.pdf", max_pages=2000, max_chars=1_000_000)
    assert refused.value.code == "document_too_large" and "max_pdf_pages" in refused.value.message
    assert time.perf_counter() - started < 1.0  # uncapped, pypdf walks 32,768+ pages


def test_a_page_listed_many_times_is_read_once() -> None:
    started = time.perf_counter()
    text = extract_text(repeated_page_pdf(1500), "pages.pdf", max_pages=2000, max_chars=1_000_000)
    assert text.count("Hello hostile world") == 1500
    assert time.perf_counter() - started < 2.0


def test_a_text_bomb_stops_at_the_character_cap() -> None:
    data = wordy_pdf()  # 12 KB that draw 3.3 million characters on one page
    assert len(data) < 16_000
    with pytest.raises(PayloadTooLarge) as refused:
        extract_text(data, "wordy.pdf", max_chars=200_000)
    assert refused.value.code == "document_too_large" and "max_document_chars" in refused.value.message


def test_text_formats_are_capped_too() -> None:
    with pytest.raises(PayloadTooLarge, match="max_document_chars"):
        extract_text(b"word " * 100_000, "long.txt", max_chars=100_000)
    assert extract_text(b"word " * 10_000, "fine.txt", max_chars=100_000).startswith("word word")


async def test_extraction_happens_in_another_process(pool: ExtractionPool) -> None:
    extracted = await pool.extract(make_pdf(["Bonfires only before 10 am."]), "rules.pdf", LIMITS, 900)
    assert extracted.text == "Bonfires only before 10 am." and extracted.spans == [(0, len(extracted.text))]
    assert len(pool.worker_pids) == 1 and os.getpid() not in pool.worker_pids
    with pytest.raises(InvalidRequest) as refused:  # errors come back with their code
        await pool.extract(b"\x89PNG\r\n", "photo.png", LIMITS, 900)
    assert refused.value.code == "unsupported_file_type" and refused.value.param == "file"


async def test_too_many_passages_are_refused(pool: ExtractionPool) -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(400)).encode()
    with pytest.raises(PayloadTooLarge, match="max_document_chunks"):
        await pool.extract(text, "many.txt", DocumentLimits(max_chunks=5), 200)


async def test_a_slow_document_is_killed_at_the_timeout_and_its_worker_replaced() -> None:
    pool = ExtractionPool(workers=1, timeout_s=0.2)
    try:
        await pool.extract(b"A warm-up document.", "warm.txt", ROOMY, 900)  # the worker is started
        [first] = pool.worker_pids
        started = time.perf_counter()
        with pytest.raises(PayloadTooLarge) as refused:
            await pool.extract(book_pdf(600), "book.pdf", ROOMY, 900)  # allowed, but takes seconds
        assert (
            refused.value.code == "document_too_complex" and "extraction_timeout_s" in refused.value.message
        )
        assert time.perf_counter() - started < 2.0
        assert not alive(first) and pool.worker_pids == []
        after = await pool.extract(b"The next document is read by a fresh worker.", "next.txt", ROOMY, 900)
        assert after.text.startswith("The next document") and pool.worker_pids != [first]
    finally:
        pool.close()


async def test_waiting_for_a_worker_takes_no_thread(pool: ExtractionPool) -> None:
    await pool.extract(b"warm-up", "warm.txt", LIMITS, 900)
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=1) as single:
        loop.set_default_executor(single)
        slow = asyncio.create_task(pool.extract(book_pdf(300), "book.pdf", ROOMY, 900))
        await asyncio.sleep(0.1)
        # the one default thread is free: this call returns while the slow document is still
        # being read (no timing bound: ordering is what proves it, on a loaded machine too)
        assert await asyncio.to_thread(lambda: 42) == 42
        assert not slow.done()
        assert "harbour ferry" in (await slow).text


async def test_another_user_waits_for_one_document_of_a_flood_not_all() -> None:
    pool = ExtractionPool(workers=1, timeout_s=1.0, max_waiting=4, max_wait_s=5.0)
    try:
        await pool.extract(b"warm-up", "warm.txt", ROOMY, 900)
        book = book_pdf(600)  # each takes the whole second, then times out
        flood = [
            asyncio.create_task(pool.extract(book, f"{i}.pdf", ROOMY, 900, owner="alice")) for i in range(3)
        ]
        await asyncio.sleep(0.1)
        started = time.perf_counter()
        bob = await pool.extract(b"Bob's note.", "bob.txt", ROOMY, 900, owner="bob")
        assert (
            bob.text == "Bob's note." and time.perf_counter() - started < 1.8
        )  # one document ahead, not three
        outcomes = await asyncio.gather(*flood, return_exceptions=True)
        assert [getattr(o, "code", None) for o in outcomes] == ["document_too_complex"] * 3
    finally:
        pool.close()


async def test_an_upload_that_cannot_start_in_time_is_refused_with_retry_after() -> None:
    pool = ExtractionPool(workers=1, timeout_s=3.0, max_wait_s=0.3)
    try:
        await pool.extract(b"warm-up", "warm.txt", ROOMY, 900)
        running = asyncio.create_task(pool.extract(book_pdf(400), "book.pdf", ROOMY, 900, owner="alice"))
        await asyncio.sleep(0.05)
        started = time.perf_counter()
        with pytest.raises(RateLimited) as own:  # alice's own backlog: 429
            await pool.extract(b"more", "more.txt", ROOMY, 900, owner="alice")
        with pytest.raises(Overloaded) as everyone:  # bob: the server is busy, 503
            await pool.extract(b"note", "note.txt", ROOMY, 900, owner="bob")
        assert time.perf_counter() - started < 1.5 and not running.done()
        assert own.value.code == everyone.value.code == "extraction_busy"
        assert everyone.value.status == 503 and own.value.retry_after > 0
        await running
    finally:
        pool.close()


def test_the_pool_serves_several_event_loops_and_close_stops_its_workers() -> None:
    pool = ExtractionPool(workers=2, timeout_s=20)
    first = asyncio.run(pool.extract(b"First loop.", "a.txt", LIMITS, 900))
    second = asyncio.run(pool.extract(b"Second loop.", "b.txt", LIMITS, 900))
    assert (first.text, second.text) == ("First loop.", "Second loop.")
    pids = pool.worker_pids
    assert pids
    pool.close()
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in pids)
    with pytest.raises(Overloaded):
        asyncio.run(pool.extract(b"Too late.", "c.txt", LIMITS, 900))
