"""The supervisor: keeps one live scheduler on the engine's runtime and rebuilds it when it dies.

Contract:

- It runs as one asyncio task on the engine's event loop and looks at the scheduler every
  ``poll_s`` (0.2 s): a scheduler thread that ended while nobody stopped it has crashed, and
  is seen within that time. Looking costs nothing per token: a thread liveness check and one
  timestamp the scheduler writes once per loop turn (``heartbeat``).
- A crash: the engine is not ready (:attr:`Supervisor.ready` is False, so ``/ready`` answers
  503 with ``Retry-After`` and ``generate()`` raises :class:`~eclair.errors.Overloaded`)
  while a fresh scheduler thread is built on the same runtime. The requests the dead scheduler
  held are settled, none left waiting: those it never admitted (no slot yet) move to the new
  scheduler in their order; those it had started get :class:`~eclair.errors.EngineError` with
  code ``engine_restarted`` (the dying thread already sent it to the ones it could; a second
  copy is never read). ``restarts`` counts one more, and the engine is ready again at the new
  loop's first turn (after it cleared the KV cache), usually milliseconds after the crash.
- Same llama context, cleared KV cache. llama.cpp reports its failures as return codes and
  leaves the context usable, so a crash of the loop is a Python exception, and what it can
  corrupt is the scheduler's bookkeeping (which slot holds which tokens). That bookkeeping
  dies with the scheduler; the new one starts with empty slots and clears the whole KV cache
  first, so the two agree again (cached prefixes are lost, answers are not). A fault that
  corrupts native memory kills the process, which only an outside supervisor (systemd,
  Kubernetes probing ``/health``) can restart; reloading the weights in-process would cost
  seconds to minutes and double the memory while both copies exist.
- Crash loops: a scheduler that dies before completing a single step makes the next restart
  wait, 0.1 s doubling up to 10 s; one step completed resets the wait.
- A stall: the thread lives, holds requests, and its heartbeat is older than ``stall_s``
  (stuck in native code, as a rule; an idle loop is not stalled, it waits for work). A thread cannot be stopped from outside and its context cannot be freed while
  it may still run, so nothing is rebuilt: the engine is not ready, the requests it holds end
  with ``EngineError`` (code ``engine_stalled``) and are marked cancelled, so that a thread
  that wakes up drops them; once the heartbeat moves again the engine is ready again.
- Counters survive restarts (a dead scheduler's are added to the live one's), so the
  ``/metrics`` counters never go backwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Callable
from typing import Literal

from eclair.engine.job import Job, Outbox, flush
from eclair.engine.protocol import EngineStats
from eclair.engine.scheduler import Scheduler, engine_restarted
from eclair.errors import EngineError, Overloaded

logger = logging.getLogger(__name__)

State = Literal["running", "restarting", "stalled"]

# EngineStats fields that count since start (summed across schedulers); the rest are gauges.
_COUNTERS = (
    "prefix_hit_tokens",
    "prefill_tokens",
    "generated_tokens",
    "draft_tokens",
    "accepted_draft_tokens",
)
_FIRST_BACKOFF_S = 0.1
_MAX_BACKOFF_S = 10.0


class Supervisor:
    """One engine's scheduler, watched and rebuilt (see the module docstring)."""

    def __init__(self, build: Callable[[bool], Scheduler], *, poll_s: float = 0.2, stall_s: float = 120.0):
        """``build(clear_memory)`` makes a scheduler, not started, on the engine's runtime."""
        self._build = build
        self.poll_s = poll_s
        self.stall_s = stall_s
        self.scheduler = build(False)
        self.state: State = "running"
        self.restarts = 0
        self._retired = dict.fromkeys(_COUNTERS, 0)
        self._backoff_s = 0.0
        # When the engine stopped being ready: a heartbeat after it means ready again.
        self._since = 0.0
        self._task: asyncio.Task[None] | None = None

    @property
    def ready(self) -> bool:
        """Whether requests are taken now (False while rebuilding or stalled)."""
        return self.state == "running"

    # -- lifecycle (event loop) -----------------------------------------------------------

    def start(self) -> None:
        self.scheduler.start()
        self._task = asyncio.create_task(self._watch(), name="eclair-supervisor")

    async def stop(self) -> None:
        """Stop watching, then the scheduler; requests still held end with ``cancelled``."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        scheduler = self.scheduler
        await asyncio.to_thread(scheduler.stop)
        if scheduler.alive:  # still stuck after the join's timeout: its jobs are its own
            return
        # A scheduler that crashed, or never ran (stopped during a restart's wait), could not.
        now = time.monotonic()
        outbox: Outbox = []
        for job in scheduler.unfinished():
            job.finish("cancelled", outbox, now)
        flush(outbox)

    # -- requests (event loop) ------------------------------------------------------------

    def submit(self, job: Job) -> None:
        if self.state == "restarting":
            raise Overloaded("the engine is restarting after a failure; retry shortly", retry_after=1)
        if self.state == "stalled":
            raise Overloaded("the engine is stalled; retry shortly", retry_after=5)
        self.scheduler.submit(job)

    def cancel(self, job: Job) -> None:
        self.scheduler.cancel(job)

    def stats(self) -> EngineStats:
        stats = self.scheduler.stats()
        carried = {name: getattr(stats, name) + self._retired[name] for name in _COUNTERS}
        return dataclasses.replace(stats, restarts=self.restarts, **carried)

    # -- watching -------------------------------------------------------------------------

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.poll_s)
            scheduler = self.scheduler
            if not scheduler.alive:
                try:
                    await self._restart(scheduler)
                except Exception:  # e.g. no thread could start: the next look tries again
                    logger.exception("restarting the engine's scheduler failed")
            elif scheduler.busy and time.monotonic() - scheduler.heartbeat > self.stall_s:
                if self.state != "stalled":
                    self._stalled(scheduler)
            elif self.state != "running" and scheduler.heartbeat > self._since:
                # A loop turn since the restart (memory cleared) or since the stall: ready.
                logger.warning("the engine's scheduler is running again: ready")
                self.state = "running"

    async def _restart(self, dead: Scheduler) -> None:
        self.state = "restarting"
        logger.error("the engine's scheduler died (%r); starting a fresh one", dead.crash)
        if dead.steps:
            self._backoff_s = 0.0
        else:  # it died before one step: a crash loop, not a one-off
            self._backoff_s = min(_MAX_BACKOFF_S, max(_FIRST_BACKOFF_S, self._backoff_s * 2))
        fresh = self._build(True)
        stats = dead.stats()
        for name in _COUNTERS:
            self._retired[name] += getattr(stats, name)
        self._settle(dead, fresh)
        self.scheduler = fresh
        if self._backoff_s:
            await asyncio.sleep(self._backoff_s)
        self._since = time.monotonic()
        fresh.start()
        self.restarts += 1
        logger.warning("the engine's scheduler restarted (%d restart(s) so far)", self.restarts)
        for _ in range(20):  # ready at its first turn, usually milliseconds (else _watch sees it)
            await asyncio.sleep(0.005)
            if not fresh.alive or fresh.heartbeat > self._since:
                break
        if fresh.alive and fresh.heartbeat > self._since:
            self.state = "running"

    def _settle(self, dead: Scheduler, fresh: Scheduler) -> None:
        """Hand ``dead``'s requests over: never admitted → ``fresh``; started → an error event."""
        error = engine_restarted()
        outbox: Outbox = []
        now = time.monotonic()
        for job in dead.unfinished():
            if job.done:
                outbox.append((job, error))  # failed by the dying thread: in case it could not send
            elif job.cancelled:
                job.finish("cancelled", outbox, now)
            elif job.slot is None and job.text is None:
                try:
                    fresh.submit(job)  # untouched: it keeps its turn
                except Overloaded as exc:
                    job.fail(exc, outbox)
            else:
                job.fail(error, outbox)
        flush(outbox)

    def _stalled(self, scheduler: Scheduler) -> None:
        self.state = "stalled"
        self._since = time.monotonic()
        waited = time.monotonic() - scheduler.heartbeat
        logger.error("the engine's scheduler made no step for %.0f s: not ready until it does", waited)
        error = EngineError(
            f"the engine stalled (no step for {waited:.0f} s); retry the request", code="engine_stalled"
        )
        # The thread owns these jobs: only the flag it reads and the consumer's queue are touched.
        outbox: Outbox = []
        for job in scheduler.unfinished():
            job.cancelled = True
            outbox.append((job, error))
        flush(outbox)
