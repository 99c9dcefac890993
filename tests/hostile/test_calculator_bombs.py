"""Calculator bombs sent to the assistant: each is answered (or declined) at once, never computed."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

BOMBS = [
    "9**9**9**9",
    "9^9^9^9",
    "2^2^2^2^2^2^2",
    "100000!",
    "factorial(100000)",
    "999999999999999999999**999999",
    "(" * 5000 + "1" + ")" * 5000,
    "+".join(["1"] * 50_000),
    "1e308*1e308",
    "10**-400",
    "1/0",
    "0^-1",
    "sqrt(-1)",
    "what is 9**9**9?",
    "calcule 10^10^10",
]


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    client = make_client()
    if "eclair" not in client.app.state.chat.model_ids():  # type: ignore[attr-defined]
        pytest.skip("the answer pipeline is not served")
    return client


@pytest.mark.parametrize("bomb", BOMBS, ids=lambda b: b[:24])
def test_bombs_are_answered_at_once(client: TestClient, bomb: str) -> None:
    started = time.monotonic()
    response = client.post(
        "/v1/chat/completions", json={"model": "eclair", "messages": [{"role": "user", "content": bomb}]}
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert body["choices"][0]["message"]["content"].strip()
    assert body["eclair"]["energy"]["wh"] is not None
    assert elapsed < 5, f"{elapsed:.1f} s"
