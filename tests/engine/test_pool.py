"""The model pool: load on first request, keep-alive, LRU eviction under the budget, waiting and
503 when nothing fits, shared loads, failed loads, leases released however answers end."""

from __future__ import annotations

import asyncio
import math

import pytest

from eclair.engine.fake import FakeEngine
from eclair.engine.pool import ModelPool, ModelSpec
from eclair.errors import EngineError, ModelNotFound, Overloaded

MB = 1_000_000


class Clock:
    """Time that moves only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def fakes(*names: str, memory: int = 100 * MB, **kwargs: float) -> dict[str, FakeEngine]:
    return {name: FakeEngine(model_id=name, memory_bytes=memory, **kwargs) for name in names}  # type: ignore[arg-type]


def make_pool(
    engines: dict[str, FakeEngine], *, budget: int = 250 * MB, keep_alive_s: float = 300.0, **kwargs: object
) -> ModelPool:
    pool = ModelPool(budget=budget, keep_alive_s=keep_alive_s, reap_every_s=0, **kwargs)  # type: ignore[arg-type]
    for name, engine in engines.items():
        pool.add_engine(name, engine)
    return pool


def state(pool: ModelPool) -> dict[str, str]:
    return {m.model_id: m.state for m in pool.snapshot().models}


async def use(pool: ModelPool, model: str, keep_alive_s: float | None = None) -> None:
    """One request that ends at once."""
    (await pool.acquire(model, keep_alive_s)).release()
    await asyncio.sleep(0)  # let an unload started by the release run


async def test_a_model_loads_on_its_first_request_only() -> None:
    engines = fakes("a", "b")
    pool = make_pool(engines)
    assert state(pool) == {"a": "unloaded", "b": "unloaded"}
    lease = await pool.acquire("a")
    assert lease.engine is engines["a"] and engines["a"].started and not engines["b"].started
    lease.release()
    await use(pool, "a")
    assert engines["a"].starts == 1 and state(pool) == {"a": "loaded", "b": "unloaded"}
    assert pool.reserved() == 100 * MB
    with pytest.raises(ModelNotFound):
        await pool.acquire("nope")


async def test_unloads_after_the_default_keep_alive() -> None:
    clock = Clock()
    engines = fakes("a")
    pool = make_pool(engines, keep_alive_s=60, clock=clock)
    await use(pool, "a")
    clock.now += 59
    await pool.reap()
    assert state(pool)["a"] == "loaded"
    assert pool.snapshot().models[0].expires_in_s == pytest.approx(1.0)
    clock.now += 2
    await pool.reap()
    assert state(pool)["a"] == "unloaded" and engines["a"].closes == 1
    assert pool.reserved() == 0
    await use(pool, "a")  # and back on the next request
    assert engines["a"].starts == 2


async def test_a_requests_keep_alive_wins_for_its_model() -> None:
    clock = Clock()
    engines = fakes("a", "b", "c")
    pool = make_pool(engines, budget=1000 * MB, keep_alive_s=60, clock=clock)
    await use(pool, "a", keep_alive_s=0)  # unloaded as soon as the answer ends
    assert state(pool)["a"] == "unloaded" and engines["a"].closes == 1
    await use(pool, "b", keep_alive_s=math.inf)  # -1: kept for good
    await use(pool, "c", keep_alive_s=3600)
    clock.now += 3599
    await pool.reap()
    assert state(pool) == {"a": "unloaded", "b": "loaded", "c": "loaded"}
    clock.now += 10**9
    await pool.reap()
    assert state(pool) == {"a": "unloaded", "b": "loaded", "c": "unloaded"}


async def test_the_keep_alive_runs_from_the_end_of_the_last_answer() -> None:
    clock = Clock()
    pool = make_pool(fakes("a"), keep_alive_s=60, clock=clock)
    long = await pool.acquire("a")
    clock.now += 600  # an answer longer than the keep-alive: never unloaded under it
    await pool.reap()
    assert state(pool)["a"] == "loaded"
    long.release()
    clock.now += 30
    await pool.reap()
    assert state(pool)["a"] == "loaded"


async def test_the_background_reaper_unloads_idle_models() -> None:
    engines = fakes("a")
    pool = ModelPool(budget=250 * MB, keep_alive_s=0.05, reap_every_s=0.02)
    pool.add_engine("a", engines["a"])
    await pool.start(preload=["a"])
    try:
        assert state(pool)["a"] == "loaded"
        for _ in range(100):
            if state(pool)["a"] == "unloaded":
                break
            await asyncio.sleep(0.01)
        assert state(pool)["a"] == "unloaded"
    finally:
        await pool.close()


async def test_least_recently_used_idle_model_makes_room() -> None:
    clock = Clock()
    engines = fakes("a", "b", "c")
    pool = make_pool(engines, budget=250 * MB, clock=clock)  # room for two
    await use(pool, "a")
    clock.now += 1
    await use(pool, "b")
    clock.now += 1
    await use(pool, "a")  # a is now the more recent one
    clock.now += 1
    await use(pool, "c")
    assert state(pool) == {"a": "loaded", "b": "unloaded", "c": "loaded"}
    assert engines["b"].closes == 1 and engines["a"].closes == 0
    assert pool.reserved() <= 250 * MB


async def test_evicts_only_what_is_needed() -> None:
    engines = {**fakes("a", "b", "c", memory=50 * MB), **fakes("big", memory=150 * MB)}
    pool = make_pool(engines, budget=200 * MB)
    for name in ("a", "b", "c"):
        await use(pool, name)
    await use(pool, "big")  # 150 of 200 used by a, b, c: freeing a and b is enough
    assert state(pool) == {"a": "unloaded", "b": "unloaded", "c": "loaded", "big": "loaded"}


async def test_a_model_in_use_is_never_evicted_and_the_request_gets_503() -> None:
    engines = fakes("a", "b")
    pool = make_pool(engines, budget=150 * MB, wait_s=0.05)
    held = await pool.acquire("a")
    with pytest.raises(Overloaded) as refused:
        await pool.acquire("b")
    assert refused.value.code == "insufficient_memory" and refused.value.retry_after >= 1
    assert "'b' needs 100.0 MB" in refused.value.message and "(a)" in refused.value.message
    assert state(pool) == {"a": "loaded", "b": "unloaded"} and engines["a"].closes == 0
    held.release()


async def test_a_request_waits_for_the_answers_holding_the_memory() -> None:
    engines = fakes("a", "b")
    pool = make_pool(engines, budget=150 * MB, wait_s=5)
    held = await pool.acquire("a")
    waiting = asyncio.create_task(pool.acquire("b"))
    await asyncio.sleep(0.05)
    assert not waiting.done() and not engines["b"].started
    held.release()  # a's answer ends: a is idle, so it is evicted for b
    lease = await asyncio.wait_for(waiting, 1)
    assert lease.engine is engines["b"] and state(pool) == {"a": "unloaded", "b": "loaded"}
    lease.release()


async def test_a_model_larger_than_the_budget_is_refused_at_once() -> None:
    pool = make_pool(fakes("huge", memory=300 * MB), budget=250 * MB, wait_s=60)
    with pytest.raises(Overloaded) as refused:
        await asyncio.wait_for(pool.acquire("huge"), 1)
    assert refused.value.code == "model_too_large" and "more than the whole" in refused.value.message


async def test_concurrent_requests_share_one_load() -> None:
    engines = fakes("a", start_delay_s=0.05)
    pool = make_pool(engines)
    leases = await asyncio.gather(*(pool.acquire("a") for _ in range(5)))
    assert engines["a"].starts == 1 and pool.snapshot().models[0].leases == 5
    for lease in leases:
        lease.release()
    assert pool.snapshot().models[0].leases == 0


async def test_a_client_that_leaves_during_the_load_does_not_cancel_it() -> None:
    engines = fakes("a", start_delay_s=0.05)
    pool = make_pool(engines)
    leaving = asyncio.create_task(pool.acquire("a"))
    await asyncio.sleep(0.01)
    leaving.cancel()
    with pytest.raises(asyncio.CancelledError):
        await leaving
    await asyncio.sleep(0.08)
    assert state(pool)["a"] == "loaded" and pool.snapshot().models[0].leases == 0


class BrokenEngine(FakeEngine):
    def __init__(self) -> None:
        super().__init__(model_id="broken", memory_bytes=100 * MB)
        self.failures = 1

    async def start(self) -> None:
        if self.failures:
            await asyncio.sleep(0.02)
            self.failures -= 1
            raise OSError("corrupt file")
        await super().start()


async def test_a_failed_load_fails_its_requests_frees_its_memory_and_is_retried() -> None:
    engine = BrokenEngine()
    pool = ModelPool(budget=250 * MB, reap_every_s=0)
    pool.add_engine("broken", engine)
    first = asyncio.create_task(pool.acquire("broken"))
    await asyncio.sleep(0.01)  # its load has started: the second request waits for it
    results = await asyncio.gather(first, pool.acquire("broken"), return_exceptions=True)
    assert all(isinstance(r, EngineError) and "failed to load: corrupt file" in r.message for r in results)
    assert state(pool)["broken"] == "unloaded" and pool.reserved() == 0
    assert pool.snapshot().models[0].leases == 0
    (await pool.acquire("broken")).release()
    assert state(pool)["broken"] == "loaded"


async def test_an_unloading_model_is_loaded_again_once_out() -> None:
    engines = fakes("a")
    pool = make_pool(engines)
    await use(pool, "a", keep_alive_s=0)
    (await pool.acquire("a")).release()
    assert engines["a"].starts == 2 and engines["a"].closes == 1


async def test_remote_models_are_pinned_and_engines_of_others_are_left_alone() -> None:
    remote = FakeEngine(model_id="remote")
    remote.is_remote = True
    theirs = FakeEngine(model_id="theirs")
    pool = ModelPool(budget=10, keep_alive_s=0, reap_every_s=0)
    pool.add_engine("remote", remote)
    pool.add_engine("theirs", theirs, owned=False)
    await pool.start()
    assert remote.started and not theirs.started and state(pool) == {"remote": "loaded", "theirs": "loaded"}
    await use(pool, "remote")
    await use(pool, "theirs")
    await pool.reap()
    assert state(pool) == {"remote": "loaded", "theirs": "loaded"}
    await pool.close()
    assert remote.closes == 1 and theirs.closes == 0


async def test_installed_models_are_found_again_when_asked_for() -> None:
    clock = Clock()
    found = [
        ModelSpec(
            "one", lambda: FakeEngine(model_id="one"), aliases=("hf.co/org/one:Q4_K_M",), source="installed"
        )
    ]
    pool = ModelPool(discover=lambda: list(found), rediscover_s=2, clock=clock, reap_every_s=0)
    pool.refresh(force=True)
    assert pool.ids() == ["one"] and pool.resolve("hf.co/org/one:Q4_K_M") == "one"
    found.append(ModelSpec("two", lambda: FakeEngine(model_id="two"), source="installed"))
    assert pool.resolve("two") is None  # asked again less than 2 s ago
    clock.now += 3
    assert pool.resolve("two") == "two"  # an unknown name looks again
    found.pop(0)
    clock.now += 3
    pool.refresh()
    assert pool.ids() == ["two"]


class LearnsItsId(FakeEngine):
    """A backend that knows its model id only once started (a Ray replica tells it)."""

    async def start(self) -> None:
        await super().start()
        self.model_id = "replica-model"


async def test_an_engine_that_learns_its_id_at_start_is_served_under_it() -> None:
    engine = LearnsItsId(model_id="", memory_bytes=100 * MB)  # type: ignore[arg-type]
    pool = make_pool({"": engine})
    await pool.start(preload=[""])
    assert pool.resolve("replica-model") == "replica-model"
    lease = await pool.acquire("replica-model")
    assert lease.engine is engine
    lease.release()
    await pool.close()
