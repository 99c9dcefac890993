"""Password guessing over HTTP: throttled with Retry-After, and never many hashes at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from eclair.accounts import credentials

LOGIN = "/api/auth/login"


def test_guessing_gets_429_with_retry_after_and_then_even_the_right_password_waits(multi: TestClient) -> None:
    statuses = [
        multi.post(LOGIN, json={"name": "alice", "password": f"guess {i:04d}"}).status_code for i in range(60)
    ]
    assert statuses.count(401) <= 6 and statuses.count(429) >= 54
    right = multi.post(LOGIN, json={"name": "alice", "password": "correct horse"})
    assert right.status_code == 429, "the right password is refused while the name is throttled"
    error = right.json()["error"]
    assert error["code"] == "too_many_login_attempts" and error["type"] == "rate_limit_error"
    assert int(right.headers["Retry-After"]) >= 1
    assert "eclair_session" not in right.headers.get("set-cookie", "")
    assert multi.post(LOGIN, json={"name": "bob", "password": "correct horse"}).status_code == 200


def test_concurrent_bad_logins_never_run_more_hashes_than_the_slots(
    make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Throttling would turn most of these away first: let them all through to the hashing.
    client = make_client(login_free_failures=1000, password_hash_slots=2)
    client.app.state.accounts.add_user("alice", "correct horse")  # type: ignore[attr-defined]
    real = credentials.verify_password
    lock, running, peak = threading.Lock(), [0], [0]

    def counting(password_hash: str, password: str) -> bool:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        try:
            return real(password_hash, password)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(credentials, "verify_password", counting)

    def attempt(i: int) -> tuple[int, str | None]:
        response = client.post(LOGIN, json={"name": f"user{i}", "password": "wrong password"})
        return response.status_code, response.headers.get("retry-after")

    with ThreadPoolExecutor(30) as pool:
        outcomes = list(pool.map(attempt, range(30)))
    assert peak[0] <= 2, f"{peak[0]} argon2 verifications ran at once"
    assert {status for status, _ in outcomes} <= {401, 429}
    assert all(retry_after for status, retry_after in outcomes if status == 429)
