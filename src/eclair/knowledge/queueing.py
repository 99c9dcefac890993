"""Who gets the next extraction worker: a short, fair waiting line with a deadline.

Contract:
- :class:`WorkerQueue` lends a few items (the extraction workers) one at a time to owners
  (user ids; ``None`` for shared documents). ``take(owner)`` returns a free item at once, or
  waits in line; ``give_back(item, owner)`` hands it to the next in line.
- Fair: a free item goes first to the longest-waiting owner who has nothing being read at
  the moment, then to the longest-waiting of the others, and to the owner who gives it back
  last (turns go round). One user's flood of uploads therefore delays another user by one
  document at most, not by the whole flood.
- Short: at most ``max_waiting`` wait. When the line is full, an owner with nobody in it
  takes the place of the newest waiter of the owner with most in it (at least two), who is
  refused; otherwise the newcomer is refused.
- A deadline: nobody waits longer than ``max_wait_s`` (a second by default: honest
  documents are read in well under that, so a longer wait means the workers are held by
  slow ones, and an answer is owed within seconds).
- Refusals carry ``Retry-After``: 429 ``extraction_busy`` when the owner has other documents
  being read or waiting (their own backlog), 503 ``extraction_busy`` otherwise (everyone's).
- Works from any number of event loops and threads: the bookkeeping is under a thread lock,
  and an item is handed to a waiter on the waiter's own loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from eclair.errors import EclairError, Overloaded, RateLimited

T = TypeVar("T")


@dataclass(eq=False)
class _Waiter(Generic[T]):
    owner: str | None
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[T] = field(init=False)

    def __post_init__(self) -> None:
        self.future = self.loop.create_future()

    def refuse(self, error: EclairError) -> None:
        with contextlib.suppress(RuntimeError):  # that waiter's loop is closed: nobody to tell
            self.loop.call_soon_threadsafe(_fail, self.future, error)


def _fail(future: asyncio.Future[T], error: Exception) -> None:
    if not future.done():
        future.set_exception(error)


class WorkerQueue(Generic[T]):
    """A fair, short waiting line for a few items (see module docstring)."""

    def __init__(self, items: list[T], *, max_waiting: int, max_wait_s: float, dispose: Callable[[T], None]):
        self.max_waiting = max_waiting
        self.max_wait_s = max_wait_s
        self._dispose = dispose  # for an item given back after close
        self._lock = threading.Lock()
        self._free = list(items)
        self._waiting: list[_Waiter[T]] = []  # in order of arrival
        self._running: Counter[str | None] = Counter()
        self._closed = False

    async def take(self, owner: str | None) -> T:
        """A free item, as soon as this owner's turn comes; raises 429/503 (see docstring)."""
        with self._lock:
            if self._closed:
                raise Overloaded("the knowledge base is closing", code="knowledge_unavailable")
            if self._free:
                self._running[owner] += 1
                return self._free.pop()
            evicted = self._make_room(owner) if len(self._waiting) >= self.max_waiting else None
            waiter: _Waiter[T] = _Waiter(owner, asyncio.get_running_loop())
            self._waiting.append(waiter)
        if evicted is not None:
            evicted.refuse(self._busy(evicted.owner, "your other uploads are still being read"))
        try:
            return await asyncio.wait_for(waiter.future, self.max_wait_s)
        except (asyncio.CancelledError, TimeoutError) as exc:
            with self._lock:
                queued = waiter in self._waiting
                if queued:
                    self._waiting.remove(waiter)
                error = self._busy_locked(owner, "every document reader is busy")
            handed = waiter.future
            if not queued and handed.done() and not handed.cancelled() and handed.exception() is None:
                self.give_back(handed.result(), owner)  # handed over just as we gave up
            if isinstance(exc, TimeoutError):
                raise error from None
            raise

    def give_back(self, item: T, owner: str | None) -> None:
        """Return an item taken by ``owner``: to the next in line, else to the free list."""
        with self._lock:
            self._running[owner] -= 1
            if self._running[owner] <= 0:
                del self._running[owner]
            while not self._closed and self._waiting:
                waiter = self._next(owner)
                self._waiting.remove(waiter)
                self._running[waiter.owner] += 1
                try:
                    waiter.loop.call_soon_threadsafe(self._hand_over, waiter, item)
                except RuntimeError:  # that waiter's loop is closed
                    self._running[waiter.owner] -= 1
                    continue
                return
            if not self._closed:
                self._free.append(item)
                return
        self._dispose(item)

    def close(self) -> list[T]:
        """Refuse every waiter and later ``take``; the items that were free."""
        with self._lock:
            self._closed = True
            free, self._free = self._free, []
            waiting, self._waiting = self._waiting, []
        for waiter in waiting:
            waiter.refuse(Overloaded("the knowledge base is closing", code="knowledge_unavailable"))
        return free

    # -- under the lock ------------------------------------------------------------------

    def _next(self, giver: str | None) -> _Waiter[T]:
        """Whose turn it is, after ``giver``'s: the longest-waiting owner with nothing being
        read, else the longest-waiting other owner, else ``giver`` again."""
        others = [w for w in self._waiting if w.owner != giver]
        return next(
            (w for w in others if not self._running[w.owner]), others[0] if others else self._waiting[0]
        )

    def _make_room(self, owner: str | None) -> _Waiter[T] | None:
        """The line is full: the waiter to refuse for ``owner``'s sake, or raise for ``owner``."""
        counts = Counter(w.owner for w in self._waiting)
        if counts[owner]:
            raise self._busy_locked(owner, "your other uploads are still being read")
        crowded, most = counts.most_common(1)[0]
        if most < 2:
            raise self._busy_locked(owner, "every document reader is busy")
        newest = next(w for w in reversed(self._waiting) if w.owner == crowded)
        self._waiting.remove(newest)
        return newest

    def _busy_locked(self, owner: str | None, reason: str) -> EclairError:
        return self._busy(
            owner, reason, own=bool(self._running[owner]) or any(w.owner == owner for w in self._waiting)
        )

    def _busy(self, owner: str | None, reason: str, own: bool = True) -> EclairError:
        if own:
            return RateLimited(
                f"{reason}; retry shortly", retry_after=self.max_wait_s, code="extraction_busy"
            )
        return Overloaded(f"{reason}; retry shortly", retry_after=self.max_wait_s, code="extraction_busy")

    def _hand_over(self, waiter: _Waiter[T], item: T) -> None:
        if waiter.future.done():  # it gave up (deadline, cancellation) meanwhile
            self.give_back(item, waiter.owner)
        else:
            waiter.future.set_result(item)
