"""A request's hold on a loaded model, released exactly once, however its answer ends.

Contract: :meth:`~eclair.engine.pool.ModelPool.acquire` hands out a :class:`Lease`; while it is
held the pool does not unload the model. :meth:`Lease.release` gives it back (a second call
does nothing). :meth:`Lease.hold` wraps an answer's events so that the lease is released when
they end, fail, are closed (even before their first event), or are dropped unread (from the
garbage collector, on the event loop's thread). It knows nothing of memory or of the pool's
bookkeeping: releasing calls back the function the pool gave it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Generic, TypeVar

from eclair.engine.protocol import Engine

T = TypeVar("T")


class Lease:
    """One request's hold on a loaded model. Release it exactly once; :meth:`hold` does it
    when the answer's events end."""

    def __init__(self, engine: Engine, model_id: str, keep_alive_s: float, on_release: Callable[[], None]):
        self.engine = engine
        self.model_id = model_id
        self.keep_alive_s = keep_alive_s
        self.released = False
        self._on_release = on_release
        self._loop = asyncio.get_running_loop()

    def release(self) -> None:
        if not self.released:
            self.released = True
            self._on_release()

    def release_soon(self) -> None:
        """Release from any thread (a finaliser): on the event loop, if it still runs."""
        if self.released:
            return
        with contextlib.suppress(RuntimeError):  # the loop is closed: nothing is left to free
            self._loop.call_soon_threadsafe(self.release)

    def hold(self, events: AsyncIterator[T]) -> AsyncIterator[T]:
        """``events``, releasing this lease once they end, fail, are closed or are dropped."""
        return LeasedEvents(events, self)


class LeasedEvents(Generic[T]):
    """An answer's events that hold their model's lease until they are over. A class, not an
    async generator, so that closing it before the first event releases the lease too."""

    def __init__(self, events: AsyncIterator[T], lease: Lease):
        self._events = events
        self._lease = lease

    def __aiter__(self) -> LeasedEvents[T]:
        return self

    async def __anext__(self) -> T:
        if self._lease.released:
            raise StopAsyncIteration
        try:
            return await anext(self._events)
        except BaseException:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        if self._lease.released:
            return
        try:
            aclose = getattr(self._events, "aclose", None)
            if aclose is not None:
                await aclose()
        finally:
            self._lease.release()

    def __del__(self) -> None:
        self._lease.release_soon()
