"""Per-principal quotas: requests per minute and tokens per minute (the ``limits`` library).

A *principal* is who pays for a request: ``user:<id>`` when the caller is a known user,
else ``key:<hash>`` for an API key or session cookie, else ``ip:<address>`` (see
:mod:`eclair.sovereignty.context`). Each principal has its own windows, so one principal's
flood never spends another's quota.

- :meth:`Quotas.admit` is called before any generation: it takes one request from the
  requests-per-minute window and checks that the tokens-per-minute window is not spent; if
  either is, it raises :class:`~eclair.errors.RateLimited` (429 ``rate_limit_exceeded``)
  with ``retry_after`` = seconds until the window resets.
- :meth:`Quotas.charge` adds an answer's tokens (prompt + completion) once it has ended.
  Tokens are charged after the fact (their number is unknown before), so one request may
  overshoot the window; the next one is refused.

Windows are fixed one-minute windows. Storage is in memory by default; ``rate_limit_storage``
takes any ``limits`` storage URI (``redis://host:6379``, ``memcached://host:11211``,
``mongodb://…``) so that several instances share the same windows. A zero limit disables it.
"""

from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItemPerMinute
from limits.aio.storage import Storage
from limits.aio.strategies import FixedWindowRateLimiter
from limits.storage import storage_from_string

from eclair.errors import ConfigurationError, RateLimited

logger = logging.getLogger(__name__)


def async_storage_uri(uri: str) -> str:
    """``limits`` names its asyncio storages ``async+<scheme>``; accept both spellings."""
    return uri if uri.startswith("async+") else f"async+{uri}"


class Quotas:
    def __init__(self, *, requests_per_minute: int, tokens_per_minute: int, storage_uri: str = "memory://"):
        self.requests = RateLimitItemPerMinute(requests_per_minute) if requests_per_minute > 0 else None
        self.tokens = RateLimitItemPerMinute(tokens_per_minute) if tokens_per_minute > 0 else None
        try:
            storage = storage_from_string(async_storage_uri(storage_uri))
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
        """Stop the in-memory storage's expiry task, if it started one."""
        timer = getattr(self.storage, "timer", None)
        if timer is not None and not timer.done():
            timer.cancel()
