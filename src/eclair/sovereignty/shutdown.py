"""Graceful shutdown: SIGTERM drains the server, then it exits 0.

On the first SIGTERM:

1. :class:`Drain` flips to draining at once: ``/ready`` answers 503 (a load balancer stops
   sending traffic), every new request except ``/health`` and ``/metrics`` is refused with 503
   ``shutting_down`` and ``Retry-After`` (see :mod:`eclair.sovereignty.gate`);
2. requests already in flight, streams included, run to their end, for at most
   ``shutdown_grace_s`` seconds;
3. when none is left (or the deadline passes), :class:`GracefulServer` lets uvicorn shut
   down as usual: the listening socket closes, whatever still runs is cancelled (a stream
   cut this way is stored as interrupted by the web app), the lifespan closes the engine and
   the store, and the process exits with status 0.

A second SIGTERM, or SIGINT (Ctrl-C), keeps uvicorn's own behaviour: stop now.
"""

from __future__ import annotations

import logging
import signal
import time
from types import FrameType
from typing import Any

import uvicorn

logger = logging.getLogger(__name__)


class Drain:
    """Requests in flight and the draining flag of one app (on ``app.state.drain``)."""

    def __init__(self, grace_s: float):
        self.grace_s = grace_s
        self.in_flight = 0
        self.draining = False
        self.deadline: float | None = None

    def begin(self) -> None:
        """Start draining (idempotent). Safe to call from a signal handler: it only sets fields."""
        if not self.draining:
            self.deadline = time.monotonic() + self.grace_s
            self.draining = True

    def finished(self) -> bool:
        """Whether the drain is over: nothing in flight, or the deadline passed."""
        if not self.draining:
            return False
        assert self.deadline is not None
        return self.in_flight <= 0 or time.monotonic() >= self.deadline

    def remaining_s(self) -> float:
        return 0.0 if self.deadline is None else max(0.0, self.deadline - time.monotonic())


class GracefulServer(uvicorn.Server):
    """uvicorn's server with SIGTERM turned into a drain (see the module docstring)."""

    def __init__(self, config: uvicorn.Config, drain: Drain):
        super().__init__(config)
        self.drain = drain

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if sig == signal.SIGTERM and not self.drain.draining:
            # Not recorded in uvicorn's captured signals: uvicorn re-raises those after its
            # shutdown, and a re-raised SIGTERM would end the process with status 143, not 0.
            self.drain.begin()
            logger.info(
                "SIGTERM: draining %d request(s) in flight (up to %.0f s)",
                self.drain.in_flight,
                self.drain.grace_s,
            )
            return
        super().handle_exit(sig, frame)

    async def on_tick(self, counter: int) -> bool:
        if self.drain.draining and not self.should_exit and self.drain.finished():
            if self.drain.in_flight > 0:
                logger.warning("drain deadline passed: cancelling %d request(s)", self.drain.in_flight)
            else:
                logger.info("drained: shutting down")
            # Whatever still runs gets one more second, then uvicorn cancels it.
            self.config.timeout_graceful_shutdown = 1
            self.should_exit = True
        return await super().on_tick(counter)


def graceful_server(app: Any, config: uvicorn.Config) -> uvicorn.Server:
    """A :class:`GracefulServer` for an app built by ``create_app`` (one with ``state.drain``)."""
    drain = getattr(app.state, "drain", None)
    if drain is None:
        return uvicorn.Server(config)
    return GracefulServer(config, drain)
