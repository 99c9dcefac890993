"""Login throttling: exponential back-off per account name and per client address.

Contract:
- :meth:`LoginThrottle.begin` is called before a password is checked. While the name or the
  address is in a back-off period it raises :class:`~eclair.errors.RateLimited`
  (``too_many_login_attempts``, with the seconds to wait as ``retry_after``), so a refused
  attempt costs no password hash. Otherwise it counts the attempt as a failure *before* the
  check, so that concurrent attempts cannot all slip in before the first failure is recorded.
- After ``free_failures`` failures of a name (``free_failures * ADDRESS_ALLOWANCE`` of an
  address), each further attempt opens a wait of 1 s, then 2 s, 4 s … capped at
  ``max_delay_s``. Refused attempts do not lengthen the wait.
- :meth:`LoginThrottle.succeeded` clears the name's count (the right password was given) and
  takes back the address's provisional failure; :meth:`LoginThrottle.cancelled` takes back
  both (the attempt was turned away before its password was checked).
- Counts idle for ``FORGET_AFTER_S`` (or ``max_delay_s`` if longer) start again from zero.
- Memory is bounded: each table keeps at most ``max_entries`` records and drops the least
  recently used, so a flood of invented names cannot grow the process.
- In memory and per process: several instances each keep their own counts, and a restart
  forgets them. Thread-safe (logins are checked in worker threads).

Not covered: a name's back-off also delays its owner while someone guesses at it; the cap
bounds that wait, and the owner's success clears it.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from eclair.errors import RateLimited

# An address may be shared (a NAT, an office proxy) by several people, each mistyping.
ADDRESS_ALLOWANCE = 4
FORGET_AFTER_S = 3600.0
MAX_ENTRIES = 10_000
# Longer names cannot exist (see accounts.service.NAME_PATTERN); the cut bounds the keys' size.
MAX_NAME_KEY_CHARS = 128


@dataclass(slots=True)
class _Record:
    failures: int = 0
    blocked_until: float = 0.0
    last_attempt: float = 0.0


@dataclass(frozen=True, slots=True)
class Attempt:
    """A login attempt let through by :meth:`LoginThrottle.begin`: what to settle afterwards."""

    name: str
    address: str | None = None


class _Table:
    """Records by key, least recently used first, at most ``max_entries`` of them."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self.records: OrderedDict[str, _Record] = OrderedDict()

    def get(self, key: str) -> _Record | None:
        return self.records.get(key)

    def touch(self, key: str) -> _Record:
        record = self.records.get(key)
        if record is None:
            record = self.records[key] = _Record()
            if len(self.records) > self.max_entries:
                self.records.popitem(last=False)
        else:
            self.records.move_to_end(key)
        return record


class LoginThrottle:
    def __init__(
        self,
        *,
        free_failures: int = 5,
        max_delay_s: float = 300.0,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.free_failures = free_failures
        self.max_delay_s = max_delay_s
        self.forget_after_s = max(FORGET_AFTER_S, max_delay_s)
        self.clock = clock
        self._names = _Table(max_entries)
        self._addresses = _Table(max_entries)
        self._lock = threading.Lock()

    def _tables(self, attempt: Attempt) -> list[tuple[_Table, str, int]]:
        tables = [(self._names, attempt.name, self.free_failures)]
        if attempt.address:
            tables.append((self._addresses, attempt.address, self.free_failures * ADDRESS_ALLOWANCE))
        return tables

    def begin(self, name: str, address: str | None) -> Attempt:
        """Let an attempt through (counted as a failure until it succeeds), or raise 429."""
        attempt = Attempt(name=name[:MAX_NAME_KEY_CHARS], address=address)
        with self._lock:
            now = self.clock()
            tables = self._tables(attempt)
            wait = 0.0
            for table, key, _ in tables:
                record = table.get(key)
                if record is not None:
                    wait = max(wait, record.blocked_until - now)
            if wait > 0:
                seconds = math.ceil(wait)
                raise RateLimited(
                    f"too many failed logins: try again in {seconds} s",
                    retry_after=seconds,
                    code="too_many_login_attempts",
                )
            for table, key, allowance in tables:
                record = table.touch(key)
                if now - record.last_attempt > self.forget_after_s:
                    record.failures = 0
                record.failures += 1
                record.last_attempt = now
                beyond = record.failures - allowance
                if beyond > 0:
                    # 2 ** beyond overflows a float past ~1000 failures: cap the exponent first.
                    delay = min(2.0 ** min(beyond - 1, 62), self.max_delay_s)
                    record.blocked_until = now + delay
        return attempt

    def succeeded(self, attempt: Attempt) -> None:
        """The right password: the name starts afresh; the address keeps its other failures."""
        with self._lock:
            self._names.records.pop(attempt.name, None)
            self._take_back(self._addresses, attempt.address)

    def cancelled(self, attempt: Attempt) -> None:
        """The attempt was turned away before its password was checked: it counts for nothing."""
        with self._lock:
            self._take_back(self._names, attempt.name)
            self._take_back(self._addresses, attempt.address)

    @staticmethod
    def _take_back(table: _Table, key: str | None) -> None:
        record = None if key is None else table.get(key)
        if record is not None and record.failures > 0:
            record.failures -= 1
