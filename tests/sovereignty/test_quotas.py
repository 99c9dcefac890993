"""Quotas (429 with Retry-After, per user) and backpressure (503 with Retry-After)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable

import pytest
from fastapi.testclient import TestClient

from eclair.engine.fake import FakeEngine
from eclair.engine.protocol import GenerationRequest, StreamEvent
from eclair.errors import ConfigurationError, Overloaded, RateLimited
from eclair.sovereignty.quotas import Quotas
from tests.sovereignty.conftest import MESSAGES, metric_value

CHAT = "/v1/chat/completions"


def _keys(client: TestClient, *names: str) -> dict[str, dict[str, str]]:
    """Users with API keys (multi-user mode); the Authorization header of each."""
    accounts = client.app.state.accounts  # type: ignore[attr-defined]
    headers = {}
    for name in names:
        user = accounts.add_user(name, "correct horse")
        headers[name] = {"Authorization": f"Bearer {accounts.create_key(user, 'test').secret}"}
    return headers


def _assert_rate_limited(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 429, response.text
    assert int(response.headers["retry-after"]) >= 1
    error = response.json()["error"]
    assert error["code"] == "rate_limit_exceeded" and error["type"] == "rate_limit_error"


def test_requests_per_minute_are_per_user(make_client: Callable[..., TestClient]) -> None:
    client = make_client(rate_limit_rpm=3)
    keys = _keys(client, "alice", "bob")
    for _ in range(3):
        assert client.post(CHAT, json={"messages": MESSAGES}, headers=keys["alice"]).status_code == 200
    _assert_rate_limited(client.post(CHAT, json={"messages": MESSAGES}, headers=keys["alice"]))
    # Alice's flood spends Alice's quota only.
    assert client.post(CHAT, json={"messages": MESSAGES}, headers=keys["bob"]).status_code == 200
    text = client.get("/metrics").text
    assert metric_value(text, "eclair_rejected_requests_total", reason="rate_limited") == 1


def test_tokens_per_minute_are_charged_after_each_answer(make_client: Callable[..., TestClient]) -> None:
    client = make_client(rate_limit_tpm=10)
    keys = _keys(client, "alice", "bob")
    long_prompt = [{"role": "user", "content": "one two three four five six seven eight"}]
    first = client.post(CHAT, json={"messages": long_prompt}, headers=keys["alice"])
    assert first.status_code == 200 and first.json()["usage"]["total_tokens"] > 10
    _assert_rate_limited(client.post(CHAT, json={"messages": MESSAGES}, headers=keys["alice"]))
    assert client.post(CHAT, json={"messages": MESSAGES}, headers=keys["bob"]).status_code == 200


def test_no_limit_by_default(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    assert all(client.post(CHAT, json={"messages": MESSAGES}).status_code == 200 for _ in range(30))


async def test_quota_windows_and_retry_after() -> None:
    quotas = Quotas(requests_per_minute=2, tokens_per_minute=0)
    await quotas.admit("user:a")
    await quotas.admit("user:a")
    with pytest.raises(RateLimited) as refused:
        await quotas.admit("user:a")
    assert 1 <= refused.value.retry_after <= 60
    await quotas.admit("user:b")
    await quotas.close()


def test_bad_storage_uri_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="rate_limit_storage"):
        Quotas(requests_per_minute=1, tokens_per_minute=0, storage_uri="nosuch://x")


class FullEngine(FakeEngine):
    """An engine whose queue is full: it refuses at admission, as the protocol says."""

    def generate(self, request: GenerationRequest) -> AsyncIterator[StreamEvent]:
        raise Overloaded("the queue is full", retry_after=3)


def test_engine_overload_is_503_with_retry_after(make_client: Callable[..., TestClient]) -> None:
    response = make_client(engine=FullEngine()).post(CHAT, json={"messages": MESSAGES})
    assert response.status_code == 503
    assert response.headers["retry-after"] == "3"
    assert response.json()["error"]["code"] == "overloaded"


class GatedEngine(FakeEngine):
    """Holds every generation until ``release`` is set (from another thread)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    async def generate(self, request: GenerationRequest) -> AsyncIterator[StreamEvent]:  # type: ignore[override]
        while not self.release.is_set():
            await asyncio.sleep(0.005)
        async for event in super().generate(request):
            yield event


def test_global_in_flight_cap_answers_503_at_once(make_client: Callable[..., TestClient]) -> None:
    engine = GatedEngine()
    client = make_client(engine=engine, max_in_flight=2)
    results: list[int] = []

    def call() -> None:
        results.append(client.post(CHAT, json={"messages": MESSAGES}).status_code)

    holders = [threading.Thread(target=call) for _ in range(2)]
    for thread in holders:
        thread.start()
    from tests.conftest import wait_until

    wait_until(lambda: client.app.state.drain.in_flight == 2)  # type: ignore[attr-defined]
    refused = client.post(CHAT, json={"messages": MESSAGES})
    assert refused.status_code == 503 and refused.headers["retry-after"] == "1"
    assert refused.json()["error"]["code"] == "overloaded"
    # Probes are never refused.
    assert client.get("/health").status_code == 200
    assert client.get("/metrics").status_code == 200
    engine.release.set()
    for thread in holders:
        thread.join(10)
    assert results == [200, 200]
    assert client.post(CHAT, json={"messages": MESSAGES}).status_code == 200
