"""Rate-limit counters in Éclair's own database: a ``limits`` storage shared by every instance.

Several ``eclair serve`` processes on one PostgreSQL (or one SQLite file) must count one
principal's requests together, without a Redis to run. :class:`DatabaseStorage` keeps each
counter as one row of ``rate_limits`` (key, count, expires_at) and registers itself with
``limits`` under the scheme ``async+database://``; the SQLAlchemy URL comes as the ``url``
option: ``storage_from_string("async+database://", url=...)``.

Contract:
- :meth:`incr` is one atomic statement, ``INSERT … ON CONFLICT (key) DO UPDATE … RETURNING``
  (PostgreSQL, and SQLite ≥ 3.35): concurrent increments from any number of threads or
  processes are all counted, and each caller sees the count its own increment produced. A
  counter whose window has ended restarts at ``amount`` with a new expiry in the same statement.
- It implements what the fixed-window strategy needs (``incr``, ``get``, ``get_expiry``,
  ``clear``, ``reset``, ``check``), which is the strategy :mod:`eclair.sovereignty.quotas`
  uses. It does not support the moving-window or sliding-window strategies: ``limits`` refuses
  to build those limiters on it.
- Expired rows are deleted by the process that increments, at most once per
  :data:`SWEEP_PERIOD_S`, in a transaction of their own (one indexed range delete). Readers
  ignore expired rows, so a late sweep never shows a stale count.
- Times are the callers' wall clocks (``time.time()``), as ``limits`` counts them: instances
  sharing a database need clocks kept in step (NTP); a skew of a few seconds only shifts
  window edges by as much.
- The table comes from the store's migrations (0002), which the app applies when it opens the
  store at start-up; this storage opens its own engine on first use and does not migrate
  (Alembic is not safe to run from several threads at once). Every method is a coroutine that
  runs its SQL in a worker thread.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from limits.aio.storage import Storage
from sqlalchemy import case, delete, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from eclair.errors import ConfigurationError
from eclair.store.database import Database
from eclair.store.schema import rate_limits

SCHEME = "async+database"
SWEEP_PERIOD_S = 60.0

T = TypeVar("T")
_INSERTS: dict[str, Callable[..., postgresql.Insert | sqlite.Insert]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}


class DatabaseStorage(Storage):
    """A ``limits`` asyncio storage over the ``rate_limits`` table (fixed windows)."""

    STORAGE_SCHEME = [SCHEME]  # noqa: RUF012 (read by limits' registry when the class is made)

    def __init__(
        self,
        uri: str | None = None,
        wrap_exceptions: bool = False,
        *,
        url: str | None = None,
        database: Database | None = None,
        **options: float | str | bool,
    ) -> None:
        """``url``: the SQLAlchemy URL of the database to open (on first use); or ``database``:
        an open :class:`Database` to use, which this storage then does not close."""
        if (url is None) == (database is None):
            raise ConfigurationError("the database rate-limit storage needs exactly one of url or database")
        self._url = url
        self._database = database
        self._owns_database = database is None
        self._open_lock = threading.Lock()
        self._next_sweep = 0.0
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return SQLAlchemyError

    # -- the limits interface ------------------------------------------------------------

    async def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add ``amount`` to ``key``'s counter (a new window of ``expiry`` seconds if it has
        none running) and return the count after this increment."""
        return await self._run(self._incr, key, float(expiry), amount)

    async def get(self, key: str) -> int:
        return await self._run(self._get, key)

    async def get_expiry(self, key: str) -> float:
        """When ``key``'s window ends (Unix time); now if it has none running."""
        return await self._run(self._get_expiry, key)

    async def check(self) -> bool:
        try:
            return await self._run(self._check)
        except Exception:
            return False

    async def reset(self) -> int | None:
        """Delete every counter; the number deleted."""
        return await self._run(self._reset)

    async def clear(self, key: str) -> None:
        await self._run(self._clear, key)

    async def close(self) -> None:
        """Dispose of the engine this storage opened (not one it was given)."""
        if self._owns_database and self._database is not None:
            database, self._database = self._database, None
            await asyncio.to_thread(database.close)

    # -- SQL, run in worker threads ------------------------------------------------------

    async def _run(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.to_thread(function, *args)

    def _db(self) -> Database:
        with self._open_lock:
            if self._database is None:
                assert self._url is not None
                self._database = Database.open(self._url, migrate=False)
            return self._database

    def _incr(self, key: str, expiry: float, amount: int) -> int:
        db = self._db()
        insert = _INSERTS.get(db.engine.dialect.name)
        if insert is None:
            raise ConfigurationError(
                f"rate limits in the database need PostgreSQL or SQLite, not {db.engine.dialect.name}"
            )
        now = time.time()
        row = insert(rate_limits).values(key=key, count=amount, expires_at=now + expiry)
        new = row.excluded
        # Both SET expressions read the row as it was before this update (SQL semantics).
        ended = rate_limits.c.expires_at <= now
        statement = row.on_conflict_do_update(
            index_elements=[rate_limits.c.key],
            set_={
                "count": case((ended, new.count), else_=rate_limits.c.count + new.count),
                "expires_at": case((ended, new.expires_at), else_=rate_limits.c.expires_at),
            },
        ).returning(rate_limits.c.count)
        with db.write() as connection:
            count = int(connection.execute(statement).scalar_one())
        self._maybe_sweep(db, now)
        return count

    def _maybe_sweep(self, db: Database, now: float) -> None:
        if time.monotonic() < self._next_sweep:
            return
        self._next_sweep = time.monotonic() + SWEEP_PERIOD_S
        with db.write() as connection:
            connection.execute(delete(rate_limits).where(rate_limits.c.expires_at <= now))

    def _live(self, key: str) -> Any:
        return (rate_limits.c.key == key) & (rate_limits.c.expires_at > time.time())

    def _get(self, key: str) -> int:
        with self._db().read() as connection:
            count = connection.execute(select(rate_limits.c.count).where(self._live(key))).scalar()
        return int(count or 0)

    def _get_expiry(self, key: str) -> float:
        with self._db().read() as connection:
            expires_at = connection.execute(select(rate_limits.c.expires_at).where(self._live(key))).scalar()
        return float(expires_at) if expires_at is not None else time.time()

    def _check(self) -> bool:
        with self._db().read() as connection:
            connection.execute(text("SELECT 1"))
        return True

    def _reset(self) -> int:
        with self._db().write() as connection:
            return int(connection.execute(delete(rate_limits)).rowcount)

    def _clear(self, key: str) -> None:
        with self._db().write() as connection:
            connection.execute(delete(rate_limits).where(rate_limits.c.key == key))
