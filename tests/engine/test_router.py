"""The router: weighted least-outstanding balancing, circuit breaker, health checks, failover."""

from __future__ import annotations

import asyncio
import gc
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest

from eclair.engine.fake import FakeEngine
from eclair.engine.protocol import (
    ChatMessage,
    Finished,
    GenerationRequest,
    SamplingParams,
    StreamEvent,
    TextDelta,
)
from eclair.engine.remote import OpenAIEngine
from eclair.engine.router import Backend, CircuitBreaker, Router
from eclair.errors import EngineError, InvalidRequest, Overloaded, UpstreamUnavailable
from tests.engine.upstreams import EclairUpstream

HELLO = [ChatMessage("user", "hello there")]


class ScriptedEngine(FakeEngine):
    """A fake whose next requests fail: before any text (``fail_early``) or after one delta."""

    def __init__(self, name: str, **kwargs: object):
        super().__init__(model_id=name, **kwargs)  # type: ignore[arg-type]
        self.fail_early: list[Exception] = []
        self.fail_midway = 0
        self.healthy = True

    async def check_health(self) -> bool:
        return self.healthy

    async def generate(self, request: GenerationRequest) -> AsyncIterator[StreamEvent]:  # type: ignore[override]
        if self.fail_early:
            self.requests.append(request)
            raise self.fail_early.pop(0)
        midway = self.fail_midway > 0
        self.fail_midway -= midway
        async for event in super().generate(request):
            yield event
            if midway:
                raise EngineError("backend died")


class OtherTemplate(ScriptedEngine):
    def render_chat(self, messages: Sequence[ChatMessage]) -> str:
        return "".join(f"[{m.role}] {m.content}\n" for m in messages) + "[assistant]"


def request() -> GenerationRequest:
    """A chat as the API sends it: rendered with the first backend's template (the fakes
    share ChatML), with its messages."""
    return GenerationRequest(prompt=FakeEngine().render_chat(HELLO), params=SamplingParams(), messages=HELLO)


async def drain(events: AsyncIterator[StreamEvent]) -> str:
    return "".join([e.text async for e in events if isinstance(e, TextDelta)])


def router(*engines: FakeEngine, **backend_kwargs: object) -> Router:
    backends = [Backend(engine=e, label=e.model_id, breaker=CircuitBreaker(2, 60.0)) for e in engines]
    for key, values in backend_kwargs.items():
        for backend, value in zip(backends, values, strict=True):  # type: ignore[call-overload]
            setattr(backend, key, value)
    return Router("model", backends, health_interval_s=0)


def test_breaker_opens_cools_down_and_probes_once() -> None:
    now = [0.0]
    breaker = CircuitBreaker(threshold=2, cooldown_s=10, clock=lambda: now[0])
    breaker.record_failure()
    assert breaker.available()
    breaker.record_failure()
    assert breaker.state == "open" and not breaker.available()
    now[0] = 10.0
    assert breaker.acquire() and breaker.state == "half_open"
    assert not breaker.acquire()  # one probe at a time
    breaker.record_failure()  # the probe failed: open again, for a new cool-down
    assert breaker.state == "open"
    now[0] = 20.0
    assert breaker.acquire()
    breaker.release_probe()  # cancelled without a verdict: someone else may probe
    assert breaker.acquire()
    breaker.record_success()
    assert breaker.state == "closed" and breaker.failures == 0


async def test_weighted_least_outstanding_balancing() -> None:
    engines = [ScriptedEngine(n, token_delay_s=0.02) for n in "abc"]
    r = router(*engines, weight=[1, 1, 2])
    await r.start()
    try:
        replies = await asyncio.gather(*(drain(r.generate(request())) for _ in range(40)))
        assert set(replies) == {"Echo: hello there"}
        counts = Counter({e.model_id: len(e.requests) for e in engines})
        assert abs(counts["a"] - 10) <= 1 and abs(counts["b"] - 10) <= 1 and abs(counts["c"] - 20) <= 1
        assert all(b.outstanding == 0 for b in r.backends)
        # one at a time, the heaviest backend has the best score every time
        for e in engines:
            e.requests.clear()
        for _ in range(10):
            await drain(r.generate(request()))
        assert [len(e.requests) for e in engines] == [0, 0, 10]
    finally:
        await r.close()


async def test_equal_backends_share_sequential_requests() -> None:
    engines = [ScriptedEngine(n) for n in "abc"]
    r = router(*engines)
    await r.start()
    try:
        for _ in range(30):
            await drain(r.generate(request()))
        assert all(e.requests for e in engines)  # ties go to a random backend, not the first
    finally:
        await r.close()


async def test_max_concurrency_is_respected_and_refusal_is_immediate() -> None:
    a, b = ScriptedEngine("a", token_delay_s=0.05), ScriptedEngine("b", token_delay_s=0.05)
    r = router(a, b, max_concurrency=[1, 2])
    await r.start()
    try:
        streams = [r.generate(request()) for _ in range(3)]
        with pytest.raises(Overloaded, match="no backend of model is available"):
            r.generate(request())
        await asyncio.gather(*(drain(s) for s in streams))
        assert (len(a.requests), len(b.requests)) == (1, 2)
    finally:
        await r.close()


async def test_failover_before_the_first_token_is_invisible() -> None:
    a, b = ScriptedEngine("a"), ScriptedEngine("b")
    r = router(a, b, weight=[100, 1])  # a is always preferred while it is usable
    await r.start()
    try:
        a.fail_early = [UpstreamUnavailable("down"), UpstreamUnavailable("down")]
        assert await drain(r.generate(request())) == "Echo: hello there"
        assert await drain(r.generate(request())) == "Echo: hello there"
        assert (len(a.requests), len(b.requests)) == (2, 2)
        assert r.backends[0].breaker.state == "open"  # threshold 2: a is out
        assert await drain(r.generate(request())) == "Echo: hello there"
        assert (len(a.requests), len(b.requests)) == (2, 3)
    finally:
        await r.close()


async def test_busy_backends_fail_over_without_opening_the_breaker() -> None:
    a, b = ScriptedEngine("a"), ScriptedEngine("b")
    r = router(a, b, weight=[100, 1])
    await r.start()
    try:
        a.fail_early = [Overloaded("full")] * 3
        for _ in range(3):
            assert await drain(r.generate(request())) == "Echo: hello there"
        assert r.backends[0].breaker.state == "closed" and r.backends[0].breaker.failures == 0
    finally:
        await r.close()


async def test_failure_after_text_is_a_clean_error_not_a_retry() -> None:
    a, b = ScriptedEngine("a"), ScriptedEngine("b")
    r = router(a, b, weight=[100, 1])
    await r.start()
    try:
        a.fail_midway = 1
        seen: list[StreamEvent] = []
        with pytest.raises(EngineError, match="after part of the answer was sent"):
            async for event in r.generate(request()):
                seen.append(event)
        assert seen == [TextDelta("Echo: ")] and not b.requests
        assert r.backends[0].breaker.failures == 1
    finally:
        await r.close()


async def test_client_errors_are_not_retried() -> None:
    a, b = ScriptedEngine("a"), ScriptedEngine("b")
    r = router(a, b, weight=[100, 1])
    await r.start()
    try:
        a.fail_early = [InvalidRequest("bad temperature")]
        with pytest.raises(InvalidRequest, match="bad temperature"):
            await drain(r.generate(request()))
        assert not b.requests and r.backends[0].breaker.failures == 0
    finally:
        await r.close()


async def test_everything_down_is_the_last_error_then_panic_mode() -> None:
    a, b = ScriptedEngine("a"), ScriptedEngine("b")
    r = router(a, b)
    await r.start()
    try:
        for _ in range(2):
            a.fail_early.append(UpstreamUnavailable("a down"))
            b.fail_early.append(UpstreamUnavailable("b down"))
            with pytest.raises(UpstreamUnavailable):
                await drain(r.generate(request()))
        assert not r.order()  # both breakers open, cooling down for a minute
        # Which breaker opened first depends on the random tie-break of the failed requests.
        oldest, newest = sorted(r.backends, key=lambda backend: backend.breaker.opened_at)
        # panic mode: tried anyway, oldest failure first; a backend that came back answers
        assert await drain(r.generate(request())) == "Echo: hello there"
        assert (len(oldest.engine.requests), len(newest.engine.requests)) == (3, 2)  # type: ignore[attr-defined]
        assert oldest.breaker.state == "closed"
    finally:
        await r.close()


async def test_fallback_only_when_primaries_cannot_answer() -> None:
    primary, local = ScriptedEngine("remote"), OtherTemplate("local")
    r = router(primary, local, fallback=[False, True])
    await r.start()
    try:
        for _ in range(5):
            await drain(r.generate(request()))
        assert len(primary.requests) == 5 and not local.requests
        primary.fail_early = [UpstreamUnavailable("down")]
        assert await drain(r.generate(request())) == "Echo: [user] hello there\n[assistant]"
        # the fallback got the conversation rendered with its own template
        routed = local.requests[0]
        assert routed.prompt == "[user] hello there\n[assistant]" and list(routed.messages or ()) == HELLO
    finally:
        await r.close()


async def test_leases_are_released_when_streams_are_dropped_or_closed() -> None:
    a = ScriptedEngine("a", token_delay_s=0.01)
    r = router(a)
    await r.start()
    try:
        never_iterated = r.generate(request())
        assert r.backends[0].outstanding == 1
        del never_iterated
        gc.collect()
        assert r.backends[0].outstanding == 0
        events = r.generate(request())
        await anext(events)
        await events.aclose()  # type: ignore[attr-defined]
        assert r.backends[0].outstanding == 0
    finally:
        await r.close()


async def test_health_checks_take_backends_out_and_back() -> None:
    now = [0.0]
    a, b = ScriptedEngine("a"), ScriptedEngine("b")
    r = router(a, b)
    for backend in r.backends:
        backend.breaker = CircuitBreaker(2, 5.0, clock=lambda: now[0])
    await r.start()
    try:
        a.healthy = False
        await r.check_backends()
        await r.check_backends()
        assert r.backends[0].breaker.state == "open"
        assert [b.label for b in r.order()] == ["b"]
        a.healthy = True
        await r.check_backends()  # still cooling down
        assert r.backends[0].breaker.state == "open"
        now[0] = 6.0
        await r.check_backends()
        assert r.backends[0].breaker.state == "closed"
        assert await r.check_health()
    finally:
        await r.close()


async def test_router_seam_and_stats() -> None:
    a, b = ScriptedEngine("a"), OtherTemplate("b")
    r = router(a, b)
    rendered = r.render_chat(HELLO)
    assert rendered == a.render_chat(HELLO) and r.tokenize(rendered) == a.tokenize(rendered)
    assert r.stats().total_slots == 16 and r.context_size == 4096


@pytest.mark.slow
async def test_real_upstream_killed_between_requests_loses_nothing(tmp_path: Path) -> None:
    with (
        EclairUpstream(tmp_path / "one", "--fake-token-delay-s", "0.005") as one,
        EclairUpstream(tmp_path / "two", "--fake-token-delay-s", "0.005") as two,
    ):
        backends = [Backend(OpenAIEngine(u.base, model="fake-model"), label=u.url) for u in (one, two)]
        r = Router("fake-model", backends, health_interval_s=0.5)
        await r.start()
        try:
            results = await asyncio.gather(*(drain(r.generate(request())) for _ in range(10)))
            assert set(results) == {"Echo: hello there"}
            one.kill()
            finished = []
            for _ in range(20):
                events = [e async for e in r.generate(request())]
                assert isinstance(events[-1], Finished)
                finished.append(events[-1])
            assert len(finished) == 20
            assert backends[0].breaker.state != "closed" and backends[1].served >= 25
        finally:
            await r.close()


def test_a_router_is_remote_when_its_primaries_are() -> None:
    remote = [
        Backend(OpenAIEngine(f"http://127.0.0.1:{port}/v1", model="m"), label=str(port)) for port in (1, 2)
    ]
    local = Backend(FakeEngine(), label="local", fallback=True)
    assert OpenAIEngine("http://127.0.0.1:1/v1", model="m").is_remote and not FakeEngine().is_remote
    # energy of a remote fleet is modelled even when a local model stands by as fallback
    assert Router("m", [*remote, local]).is_remote
    assert not Router("m", [remote[0], Backend(FakeEngine(), label="local")]).is_remote
