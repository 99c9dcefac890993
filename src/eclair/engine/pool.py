"""The model pool: which models are in memory, loaded on demand, unloaded when idle, within a budget.

Contract:
- Every model the server can serve has an entry with one stable
  :class:`~eclair.engine.protocol.Engine`, built on first use; the pool decides when it is
  started (loaded) and closed (unloaded). Engines whose model runs elsewhere (``is_remote``)
  are pinned: started by :meth:`ModelPool.start`, never unloaded. Engines added with
  ``owned=False`` are started and closed by whoever made them and are served as they are.
- A request holds a :class:`~eclair.engine.lease.Lease` on its model from admission until its
  answer has ended (:meth:`ModelPool.acquire`, then ``Lease.release``, which ``Lease.hold``
  calls when the events end, are closed, or are dropped). A model with a lease is never
  unloaded.
- Memory: a model counts its ``memory_estimate()`` (weights + KV cache + runtime, the fit
  check's figure) from the start of its load to the end of its unload, and the sum never
  exceeds ``budget``. To make room, idle models are unloaded least recently used first, and
  only when that makes enough room. Otherwise the request waits, up to ``wait_s``, for requests
  on other models to end; then it gets :class:`~eclair.errors.Overloaded` (503 with
  ``Retry-After``, code ``insufficient_memory``). A model larger than the whole budget is
  refused at once (code ``model_too_large``). Nothing is loaded that does not fit, so memory
  is refused as a 503, never taken until the kernel kills the process.
- Keep-alive: when its last lease ends, a model stays loaded for that request's keep-alive, or
  ``keep_alive_s`` by default: 0 unloads it at once, ``math.inf`` never. :meth:`reap` unloads
  models whose time is up; a task started by :meth:`start` runs it every ``reap_every_s``.
- A load runs in a task of the pool, not of the request: a client that goes away does not
  cancel a load that others wait for. A load that fails leaves the model unloaded, and every
  request waiting for it gets :class:`~eclair.errors.EngineError`; the next request tries again.
- ``discover`` (optional) lists models found on disk (:mod:`eclair.engine.installed`); it is
  asked again, at most every ``rediscover_s``, when the models are listed or an unknown name is
  requested, so a model pulled while the server runs can be served without a restart.
It measures nothing: the figures are estimates, and the budget holds only if they do.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from eclair.engine.lease import Lease
from eclair.engine.limits import describe_keep_alive
from eclair.engine.protocol import Engine
from eclair.errors import EclairError, EngineError, ModelNotFound, Overloaded
from eclair.transfer import human_size

logger = logging.getLogger(__name__)

State = Literal["unloaded", "loading", "loaded", "unloading"]
RETRY_AFTER_S = 5.0


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """A model the pool may serve: its id, other names it answers to, how to build its engine."""

    model_id: str
    build: Callable[[], Engine]
    aliases: tuple[str, ...] = ()
    source: str = "configured"  # or "installed": found on disk, dropped once it is gone


@dataclass(frozen=True, slots=True)
class ModelStatus:
    """One model as ``/v1/models`` and ``/metrics`` show it."""

    model_id: str
    source: str
    state: State
    memory: int | None  # estimate in bytes; None until first asked
    leases: int
    expires_in_s: float | None  # loaded and idle: seconds left; None otherwise or forever
    loads: int
    load_seconds: float  # all loads together
    last_load_s: float | None
    unloads: int
    unload_seconds: float
    last_unload_s: float | None


@dataclass(frozen=True, slots=True)
class PoolSnapshot:
    budget: int | None
    reserved: int
    models: list[ModelStatus]


class _Entry:
    """One model's place in the pool: its engine, state, leases and timings."""

    def __init__(self, spec: ModelSpec, *, engine: Engine | None = None, owned: bool = True):
        self.spec = spec
        self.engine = engine
        self.owned = owned
        self.pinned = engine is not None and engine.is_remote
        self.state: State = "unloaded" if owned else "loaded"
        self.memory: int | None = None if owned else 0
        self.leases = 0
        self.last_used = 0.0
        self.expires_at = math.inf
        self.task: asyncio.Task[None] | None = None
        self.loads = self.unloads = 0
        self.load_seconds = self.unload_seconds = 0.0
        self.last_load_s: float | None = None
        self.last_unload_s: float | None = None

    @property
    def model_id(self) -> str:
        return self.spec.model_id

    @property
    def evictable(self) -> bool:
        return self.owned and not self.pinned and self.state == "loaded" and self.leases == 0


class ModelPool:
    """Models by id, loaded and unloaded within a memory budget (module docstring)."""

    def __init__(
        self,
        *,
        budget: int | None = None,
        keep_alive_s: float = math.inf,
        wait_s: float = 30.0,
        discover: Callable[[], Sequence[ModelSpec]] | None = None,
        rediscover_s: float = 2.0,
        reap_every_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.budget = budget
        self.keep_alive_s = keep_alive_s
        self.wait_s = wait_s
        self.rediscover_s = rediscover_s
        self.reap_every_s = reap_every_s
        self.clock = clock
        self._discover = discover
        self._discovered_at = -math.inf
        self._entries: dict[str, _Entry] = {}
        self._aliases: dict[str, str] = {}
        self._change = asyncio.Event()
        self._reaper: asyncio.Task[None] | None = None

    @classmethod
    def of_engines(cls, engines: Mapping[str, Engine]) -> ModelPool:
        """Engines their owner starts and closes, served as they are: no budget, no unloading."""
        pool = cls()
        for model_id, engine in engines.items():
            pool.add_engine(model_id, engine, owned=False)
        return pool

    # -- the models ---------------------------------------------------------------------

    def add(self, spec: ModelSpec) -> None:
        self._entries.setdefault(spec.model_id, _Entry(spec))
        self._index()

    def add_engine(self, model_id: str, engine: Engine, *, owned: bool = True) -> None:
        """A configured model whose engine exists (built, not started)."""
        self._entries[model_id] = _Entry(ModelSpec(model_id, lambda: engine), engine=engine, owned=owned)
        self._index()

    def _learn_ids(self) -> None:
        """An engine that learns its model id when it starts (a Ray or remote backend asks its
        replicas) is served under that id from then on, not under the empty one it had."""
        for key, entry in list(self._entries.items()):
            learned = entry.engine.model_id if entry.engine is not None else ""
            if learned and learned != key and learned not in self._entries:
                entry.spec = replace(entry.spec, model_id=learned)
                self._entries[learned] = self._entries.pop(key)
        self._index()

    def _index(self) -> None:
        self._aliases = {
            alias: entry.model_id
            for entry in self._entries.values()
            for alias in entry.spec.aliases
            if alias not in self._entries
        }

    def refresh(self, *, force: bool = False) -> None:
        """Ask ``discover`` again (at most every ``rediscover_s`` unless ``force``): new models
        are added, vanished ones dropped unless loaded or leased."""
        now = self.clock()
        if self._discover is None or (not force and now - self._discovered_at < self.rediscover_s):
            return
        self._discovered_at = now
        try:
            specs = {spec.model_id: spec for spec in self._discover()}
        except Exception:
            logger.exception("listing the installed models failed")
            return
        for model_id, entry in list(self._entries.items()):
            gone = entry.spec.source == "installed" and model_id not in specs
            if gone and entry.state == "unloaded" and entry.leases == 0:
                del self._entries[model_id]
        for spec in specs.values():
            self._entries.setdefault(spec.model_id, _Entry(spec))
        self._index()

    def ids(self) -> list[str]:
        return list(self._entries)

    def resolve(self, name: str) -> str | None:
        """The id that ``name`` (an id or an alias) names; unknown names ask ``discover`` again."""
        for attempt in range(2):
            if name in self._entries:
                return name
            if name in self._aliases:
                return self._aliases[name]
            if attempt == 0:
                self.refresh()
        return None

    def engine(self, model_id: str) -> Engine:
        """The model's engine (built now if it was not), loaded or not."""
        entry = self._entry(model_id)
        if entry.engine is None:
            try:
                entry.engine = entry.spec.build()
            except EclairError as exc:
                raise ModelNotFound(
                    f"the model '{model_id}' cannot be served: {exc.message}", param="model"
                ) from exc
        return entry.engine

    def engines(self) -> dict[str, Engine]:
        """The engines built so far, by model id."""
        return {e.model_id: e.engine for e in self._entries.values() if e.engine is not None}

    def loaded_engines(self) -> list[Engine]:
        return [e.engine for e in self._entries.values() if e.state == "loaded" and e.engine is not None]

    def _entry(self, model_id: str) -> _Entry:
        entry = self._entries.get(model_id)
        if entry is None:
            raise ModelNotFound(f"the model '{model_id}' does not exist", param="model")
        return entry

    # -- leases -------------------------------------------------------------------------

    async def acquire(self, model_id: str, keep_alive_s: float | None = None) -> Lease:
        """Hold ``model_id`` loaded for one request, loading it first if needed (module docstring)."""
        entry = self._entry(model_id)
        engine = self.engine(model_id)
        keep = self.keep_alive_s if keep_alive_s is None else keep_alive_s
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait_s
        while True:
            if entry.state in ("loaded", "loading"):
                entry.leases += 1  # from now on nobody unloads it
                if entry.state == "loading" and entry.task is not None:
                    try:
                        await asyncio.shield(entry.task)
                    except BaseException:
                        self._let_go(entry)
                        raise
                return Lease(engine, entry.model_id, keep, lambda: self._release(entry, keep))
            if entry.state == "unloading" and entry.task is not None:
                await asyncio.shield(entry.task)
                continue
            if entry.memory is None:
                entry.memory = await asyncio.to_thread(engine.memory_estimate)
                continue  # the world may have moved while the file was read
            room = self._make_room(entry.memory, entry)
            if room == "now":
                self._start_load(entry)
                continue
            if room == "busy" and loop.time() >= deadline:
                raise self._no_room(entry)
            change = self._change
            timeout = None if room == "soon" else deadline - loop.time()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(change.wait(), timeout)

    def _release(self, entry: _Entry, keep_alive_s: float) -> None:
        now = self.clock()
        entry.last_used = now
        entry.expires_at = now + keep_alive_s
        self._let_go(entry)
        if keep_alive_s <= 0 and entry.evictable:
            self._start_unload(entry, "keep_alive 0")

    def _let_go(self, entry: _Entry) -> None:
        entry.leases -= 1
        self._changed()

    # -- memory -------------------------------------------------------------------------

    def reserved(self) -> int:
        """Bytes counted against the budget: models loading, loaded and unloading."""
        return sum(e.memory or 0 for e in self._entries.values() if e.state != "unloaded")

    def _make_room(self, need: int, entry: _Entry) -> Literal["now", "soon", "busy"]:
        """Whether ``need`` bytes fit now, once unloads under way end, or only once leases end.
        Starts the evictions that make enough room, if idle models can."""
        if self.budget is None:
            return "now"
        if need > self.budget:
            raise Overloaded(
                f"the model '{entry.model_id}' needs {human_size(need)} of memory, more than the whole "
                f"models_memory_budget ({human_size(self.budget)}); raise the budget or lower "
                "ctx_size or n_slots",
                code="model_too_large",
                retry_after=60,
            )
        free = self.budget - self.reserved()  # models unloading still count until they are out
        if need <= free:
            return "now"
        unloading = sum(e.memory or 0 for e in self._entries.values() if e.state == "unloading")
        if need <= free + unloading:
            return "soon"
        idle = sorted((e for e in self._entries.values() if e.evictable), key=lambda e: e.last_used)
        if need > free + unloading + sum(e.memory or 0 for e in idle):
            return "busy"  # evicting would not be enough: leave them loaded
        for other in idle:  # least recently used first, no more than needed
            if need <= free + unloading:
                break
            self._start_unload(other, f"evicted for {entry.model_id}")
            unloading += other.memory or 0
        return "soon"

    def _no_room(self, entry: _Entry) -> Overloaded:
        busy = sorted(e.model_id for e in self._entries.values() if e.state != "unloaded" and e.leases)
        budget = self.budget or 0
        return Overloaded(
            f"the model '{entry.model_id}' needs {human_size(entry.memory or 0)} of memory; "
            f"{human_size(max(0, budget - self.reserved()))} of the {human_size(budget)} budget is "
            f"free and the models using the rest are answering ({', '.join(busy) or 'none'}) "
            f"after {self.wait_s:g} s of waiting; retry shortly",
            code="insufficient_memory",
            retry_after=RETRY_AFTER_S,
        )

    # -- loading and unloading ----------------------------------------------------------

    def _start_load(self, entry: _Entry) -> None:
        entry.state = "loading"
        entry.task = asyncio.create_task(self._load(entry), name=f"eclair-load-{entry.model_id}")
        entry.task.add_done_callback(_retrieve)

    async def _load(self, entry: _Entry) -> None:
        assert entry.engine is not None
        started = time.perf_counter()
        try:
            await entry.engine.start()
        except BaseException as exc:
            entry.state = "unloaded"
            self._changed()
            with contextlib.suppress(Exception):
                await entry.engine.close()
            if not isinstance(exc, Exception):
                raise
            logger.error("model %s failed to load: %s", entry.model_id, exc)
            message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
            raise EngineError(f"the model '{entry.model_id}' failed to load: {message}") from exc
        seconds = time.perf_counter() - started
        entry.state = "loaded"
        entry.loads += 1
        entry.load_seconds += seconds
        entry.last_load_s = seconds
        entry.last_used = self.clock()
        entry.expires_at = entry.last_used + self.keep_alive_s
        self._changed()
        logger.info(
            "model %s loaded in %.2f s (%s; %s of the %s budget reserved)",
            entry.model_id,
            seconds,
            human_size(entry.memory or 0),
            human_size(self.reserved()),
            human_size(self.budget) if self.budget is not None else "unlimited",
        )

    def _start_unload(self, entry: _Entry, reason: str) -> None:
        entry.state = "unloading"
        entry.task = asyncio.create_task(self._unload(entry, reason), name=f"eclair-unload-{entry.model_id}")
        entry.task.add_done_callback(_retrieve)

    async def _unload(self, entry: _Entry, reason: str) -> None:
        assert entry.engine is not None
        started = time.perf_counter()
        try:
            await entry.engine.close()
        except Exception:
            logger.exception("model %s did not close cleanly", entry.model_id)
        finally:
            seconds = time.perf_counter() - started
            entry.state = "unloaded"
            entry.unloads += 1
            entry.unload_seconds += seconds
            entry.last_unload_s = seconds
            self._changed()
        logger.info("model %s unloaded (%s) in %.2f s", entry.model_id, reason, seconds)

    async def reap(self) -> None:
        """Unload the idle models whose keep-alive is over; returns once they are unloaded."""
        now = self.clock()
        for entry in self._entries.values():
            if entry.evictable and entry.expires_at <= now:
                self._start_unload(entry, f"idle for {describe_keep_alive(now - entry.last_used)}")
        await self._settled("unloading")

    async def _settled(self, state: State) -> None:
        tasks = [e.task for e in self._entries.values() if e.state == state and e.task is not None]
        await asyncio.gather(*tasks, return_exceptions=True)

    def _changed(self) -> None:
        self._change.set()
        self._change = asyncio.Event()

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self, preload: Iterable[str] = ()) -> None:
        """Start the pinned engines, load ``preload``, then reap every ``reap_every_s``.
        Raises what a load raised (the server is then not ready)."""
        for entry in self._entries.values():
            if entry.pinned and entry.state == "unloaded" and entry.engine is not None:
                entry.memory = entry.engine.memory_estimate()
                self._start_load(entry)
        pinned = [e.task for e in self._entries.values() if e.pinned and e.task is not None]
        await asyncio.gather(*pinned)
        for model_id in preload:
            (await self.acquire(model_id)).release()
        self._learn_ids()
        if self._reaper is None and self.reap_every_s > 0:
            self._reaper = asyncio.create_task(self._reap_forever(), name="eclair-model-reaper")

    async def _reap_forever(self) -> None:
        while True:
            await asyncio.sleep(self.reap_every_s)
            try:
                await self.reap()
            except Exception:
                logger.exception("unloading idle models failed")

    async def close(self) -> None:
        """Stop reaping and close every engine the pool started (answers in flight end)."""
        if self._reaper is not None:
            self._reaper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reaper
            self._reaper = None
        await self._settled("loading")
        owned = [e for e in self._entries.values() if e.owned and e.state == "loaded" and e.engine]
        await asyncio.gather(*(e.engine.close() for e in owned if e.engine), return_exceptions=True)
        for entry in owned:
            entry.state = "unloaded"
        await self._settled("unloading")

    # -- what is shown ------------------------------------------------------------------

    def snapshot(self) -> PoolSnapshot:
        """Every model's status now (memory only where already estimated)."""
        return PoolSnapshot(self.budget, self.reserved(), [self._status(e) for e in self._entries.values()])

    async def describe(self) -> list[ModelStatus]:
        """Every model's status, estimating the memory of those never estimated (reads headers)."""
        for model_id, entry in list(self._entries.items()):
            if entry.memory is None:
                with contextlib.suppress(EclairError):
                    entry.memory = await asyncio.to_thread(self.engine(model_id).memory_estimate)
        return [self._status(e) for e in self._entries.values()]

    def _status(self, entry: _Entry) -> ModelStatus:
        idle = entry.state == "loaded" and entry.leases == 0 and entry.owned and not entry.pinned
        left = entry.expires_at - self.clock() if idle and entry.expires_at != math.inf else None
        return ModelStatus(
            model_id=entry.model_id,
            source=entry.spec.source,
            state=entry.state,
            memory=entry.memory,
            leases=entry.leases,
            expires_in_s=None if left is None else max(0.0, left),
            loads=entry.loads,
            load_seconds=entry.load_seconds,
            last_load_s=entry.last_load_s,
            unloads=entry.unloads,
            unload_seconds=entry.unload_seconds,
            last_unload_s=entry.last_unload_s,
        )


def _retrieve(task: asyncio.Task[None]) -> None:
    """Mark a load's or unload's failure as seen: its waiters (if any) got it already."""
    if not task.cancelled():
        task.exception()
