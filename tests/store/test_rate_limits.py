"""The database rate-limit storage, on a SQLite file and on PostgreSQL: the ``limits``
fixed-window interface, windows that end, the sweep of expired rows, and exact counts under
concurrent increments from threads and processes that each open the database on their own."""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
import time
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor

import pytest
from limits import RateLimitItemPerMinute
from limits.aio.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter
from limits.storage import storage_from_string
from sqlalchemy import select

from eclair.errors import ConfigurationError
from eclair.store.database import Database
from eclair.store.rate_limits import DatabaseStorage
from eclair.store.schema import rate_limits


@pytest.fixture
def db_url(db_url: str) -> str:
    """The store's database, migrated (the app migrates at start-up; the storage does not)."""
    Database.open(db_url).close()
    return db_url


@pytest.fixture
async def storage(db_url: str) -> AsyncIterator[DatabaseStorage]:
    opened = DatabaseStorage(url=db_url)
    yield opened
    await opened.close()


def _rows(db_url: str) -> dict[str, int]:
    db = Database.open(db_url, migrate=False)
    with db.read() as connection:
        rows = {
            key: count for key, count in connection.execute(select(rate_limits.c.key, rate_limits.c.count))
        }
    db.close()
    return rows


async def test_incr_get_expiry_clear_and_reset(storage: DatabaseStorage) -> None:
    assert await storage.check()
    assert await storage.get("k") == 0
    before = time.time()
    assert await storage.incr("k", 60) == 1
    assert await storage.incr("k", 60, amount=5) == 6
    assert await storage.get("k") == 6
    # The window was set by the first increment and is not pushed back by the next ones.
    assert before + 59 <= await storage.get_expiry("k") <= time.time() + 60
    assert await storage.incr("other", 60) == 1
    await storage.clear("k")
    assert await storage.get("k") == 0
    assert await storage.incr("k", 60) == 1
    assert await storage.reset() == 2
    assert await storage.get("other") == 0


async def test_a_window_that_ended_restarts_at_the_new_amount(storage: DatabaseStorage) -> None:
    assert await storage.incr("k", 1, amount=3) == 3
    await asyncio.sleep(1.1)
    assert await storage.get("k") == 0  # an expired row that no sweep removed yet reads as none
    assert await storage.get_expiry("k") <= time.time()
    assert await storage.incr("k", 60, amount=2) == 2
    assert await storage.get_expiry("k") > time.time() + 50


async def test_expired_rows_are_swept_by_a_later_increment(storage: DatabaseStorage, db_url: str) -> None:
    await storage.incr("old", 1)
    await storage.incr("live", 60)
    await asyncio.sleep(1.1)
    storage._next_sweep = 0.0  # the sweep runs at most once a minute; this test is the minute
    await storage.incr("live", 60)
    assert _rows(db_url) == {"live": 2}
    # Within the sweep period, no second sweep: the expired row stays until the next one.
    await storage.incr("old2", 1)
    await asyncio.sleep(1.1)
    await storage.incr("live", 60)
    assert set(_rows(db_url)) == {"live", "old2"}


async def test_two_storages_on_one_database_share_counters(db_url: str) -> None:
    first, second = DatabaseStorage(url=db_url), DatabaseStorage(url=db_url)
    limiter_a, limiter_b = FixedWindowRateLimiter(first), FixedWindowRateLimiter(second)
    item = RateLimitItemPerMinute(3)
    hits = [await limiter.hit(item, "user:x") for limiter in (limiter_a, limiter_b, limiter_a, limiter_b)]
    assert hits == [True, True, True, False]
    stats = await limiter_b.get_window_stats(item, "user:x")
    assert stats.remaining == 0 and time.time() < stats.reset_time <= time.time() + 60
    assert await limiter_a.hit(item, "user:y")  # another principal has its own window
    await first.close()
    await second.close()


async def test_it_registers_with_limits_and_refuses_strategies_it_does_not_implement(db_url: str) -> None:
    storage = storage_from_string("async+database://", url=db_url)
    assert isinstance(storage, DatabaseStorage)
    with pytest.raises(NotImplementedError):
        MovingWindowRateLimiter(storage)
    with pytest.raises(ConfigurationError):
        DatabaseStorage()
    await storage.close()


async def test_a_given_database_is_used_and_left_open(db_url: str) -> None:
    db = Database.open(db_url, migrate=False)
    storage = DatabaseStorage(database=db)
    assert await storage.incr("k", 60, amount=2) == 2
    await storage.close()
    with db.read() as connection:  # still open: it belongs to whoever gave it
        assert connection.execute(select(rate_limits.c.count)).scalar_one() == 2
    db.close()


def _increment(db_url: str, key: str, times: int) -> list[int]:
    """One thread or process: its own storage, its own event loop, ``times`` increments."""

    async def run() -> list[int]:
        storage = DatabaseStorage(url=db_url)
        try:
            return [await storage.incr(key, 60) for _ in range(times)]
        finally:
            await storage.close()

    return asyncio.run(run())


def test_concurrent_increments_from_threads_are_all_counted(db_url: str) -> None:
    results: list[list[int]] = []
    threads = [
        threading.Thread(target=lambda: results.append(_increment(db_url, "hot", 25))) for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    seen = sorted(count for result in results for count in result)
    # Each increment saw the count it produced: no two callers read the same value.
    assert seen == list(range(1, 151))
    assert _rows(db_url) == {"hot": 150}


@pytest.mark.slow
def test_concurrent_increments_from_processes_are_all_counted(db_url: str) -> None:
    with ProcessPoolExecutor(4, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(_increment, [db_url] * 4, ["hot"] * 4, [30] * 4))
    assert sorted(count for result in results for count in result) == list(range(1, 121))
    assert _rows(db_url) == {"hot": 120}
