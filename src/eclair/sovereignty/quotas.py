"""Per-principal quotas: requests per minute and tokens per minute (the ``limits`` library).

A *principal* is who pays for a request: ``user:<id>`` when the caller is a known user
(every generation route resolves it: all of a user's keys and sessions share one quota, and
in single-user mode every request is the local user's, whatever token or forwarded address
it shows), else ``key:<hash>`` for the operator key (the shared scope), else
``ip:<address>`` (see :mod:`eclair.sovereignty.context`). Each principal has its own windows,
so one principal's flood never spends another's quota.

- :meth:`Quotas.admit` is called before any generation: it takes one request from the
  requests-per-minute window and checks that the tokens-per-minute window is not spent; if
  either is, it raises :class:`~eclair.errors.RateLimited` (429 ``rate_limit_exceeded``)
  with ``retry_after`` = seconds until the window resets.
- :meth:`Quotas.charge` adds an answer's tokens (prompt + completion) once it has ended.
  Tokens are charged after the fact (their number is unknown before), so one request may
  overshoot the window; the next one is refused.

Windows are fixed one-minute windows (the strategy the database storage implements). Where
they live is ``rate_limit_storage`` (see :func:`storage_uri_for`): ``database`` keeps them in
Éclair's own database (:mod:`eclair.store.rate_limits`) so that every instance on it shares
them, ``memory`` in this process, ``auto`` picks ``database`` on PostgreSQL (the multi-instance
set-up) and ``memory`` on SQLite (one instance: no disk write per request); any other value is a
``limits`` storage URI (``redis://host:6379``, ``memcached://host:11211``, …). A zero limit
disables it.
"""

from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItemPerMinute
from limits.aio.storage import Storage
from limits.aio.strategies import FixedWindowRateLimiter
from limits.storage import storage_from_string
from sqlalchemy.engine import make_url

from eclair.errors import ConfigurationError, RateLimited
from eclair.store.rate_limits import SCHEME as DATABASE_SCHEME
from eclair.store.rate_limits import DatabaseStorage

logger = logging.getLogger(__name__)


def async_storage_uri(uri: str) -> str:
    """``limits`` names its asyncio storages ``async+<scheme>``; accept both spellings."""
    return uri if uri.startswith("async+") else f"async+{uri}"


def storage_uri_for(setting: str, database_url: str | None) -> str:
    """The ``limits`` URI that ``rate_limit_storage`` names, given the store's database URL."""
    if setting == "auto":
        on_postgres = database_url is not None and make_url(database_url).get_backend_name() == "postgresql"
        setting = "database" if on_postgres else "memory"
    if setting == "memory":
        return "async+memory://"
    if setting == "database":
        return f"{DATABASE_SCHEME}://"
    return async_storage_uri(setting)


class Quotas:
    def __init__(
        self,
        *,
        requests_per_minute: int,
        tokens_per_minute: int,
        storage_uri: str = "memory",
        database_url: str | None = None,
    ):
        """``storage_uri``: a ``rate_limit_storage`` value; ``database_url``: the store's
        SQLAlchemy URL, which ``database`` and ``auto`` need."""
        self.requests = RateLimitItemPerMinute(requests_per_minute) if requests_per_minute > 0 else None
        self.tokens = RateLimitItemPerMinute(tokens_per_minute) if tokens_per_minute > 0 else None
        uri = storage_uri_for(storage_uri, database_url)
        options = {"url": database_url} if uri.startswith(DATABASE_SCHEME) and database_url else {}
        try:
            storage = storage_from_string(uri, **options)
        except Exception as exc:  # limits raises ConfigurationError / ValueError for bad URIs
            raise ConfigurationError(f"invalid rate_limit_storage '{storage_uri}': {exc}") from None
        assert isinstance(storage, Storage)  # an async+ URI always gives an asyncio storage
        self.storage = storage
        self.limiter = FixedWindowRateLimiter(self.storage)

    @property
    def enabled(self) -> bool:
        return self.requests is not None or self.tokens is not None

    async def _retry_after(self, item: RateLimitItemPerMinute, principal: str) -> float:
        stats = await self.limiter.get_window_stats(item, principal)
        return max(1.0, math.ceil(stats.reset_time - time.time()))

    async def admit(self, principal: str) -> None:
        """Take one request for ``principal`` or raise :class:`RateLimited`.

        If a shared storage cannot be reached, the request is let through (and logged): a
        quota outage must not become a service outage.
        """
        try:
            await self._admit(principal)
        except RateLimited:
            raise
        except Exception:
            logger.warning("the quota storage failed; request admitted without a quota check", exc_info=True)

    async def _admit(self, principal: str) -> None:
        if self.tokens is not None and not await self.limiter.test(self.tokens, principal):
            raise RateLimited(
                f"token quota exceeded: {self.tokens.amount} tokens per minute",
                retry_after=await self._retry_after(self.tokens, principal),
            )
        if self.requests is not None and not await self.limiter.hit(self.requests, principal):
            raise RateLimited(
                f"request quota exceeded: {self.requests.amount} requests per minute",
                retry_after=await self._retry_after(self.requests, principal),
            )

    async def charge(self, principal: str, tokens: int) -> None:
        """Add ``tokens`` to ``principal``'s tokens-per-minute window."""
        if self.tokens is None or tokens <= 0:
            return
        try:
            await self.limiter.hit(self.tokens, principal, cost=tokens)
        except Exception:
            # A shared storage that is down must not fail an answer that already ran.
            logger.warning("could not charge %d tokens to the quota storage", tokens, exc_info=True)

    async def close(self) -> None:
        """Close the database storage's engine, or stop the in-memory storage's expiry task."""
        if isinstance(self.storage, DatabaseStorage):
            await self.storage.close()
        timer = getattr(self.storage, "timer", None)
        if timer is not None and not timer.done():
            timer.cancel()
