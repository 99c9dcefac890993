"""Login throttling and the bound on concurrent password hashing, through the service.

Hashes are counted by wrapping the real argon2 verification (nothing is faked): the wrapper
records how many run at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from eclair.accounts import credentials
from eclair.accounts.service import HASH_WAIT_S, Accounts
from eclair.accounts.throttle import LoginThrottle
from eclair.errors import RateLimited
from eclair.store import Store


class CountingVerify:
    """The real ``verify_password``, counting calls and the most running at once."""

    def __init__(self, real: Callable[[str, str], bool]):
        self.real = real
        self.lock = threading.Lock()
        self.running = 0
        self.peak = 0
        self.calls = 0
        self.gate: threading.Event | None = None  # set: every call waits for it first

    def __call__(self, password_hash: str, password: str) -> bool:
        with self.lock:
            self.calls += 1
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            if self.gate is not None:
                self.gate.wait(10)
            return self.real(password_hash, password)
        finally:
            with self.lock:
                self.running -= 1


@pytest.fixture
def verify(monkeypatch: pytest.MonkeyPatch) -> CountingVerify:
    counting = CountingVerify(credentials.verify_password)
    monkeypatch.setattr(credentials, "verify_password", counting)
    return counting


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'eclair.db'}")
    yield opened
    opened.close()


def test_brute_force_is_refused_without_hashing(store: Store, verify: CountingVerify) -> None:
    accounts = Accounts(store, bind_host="127.0.0.1", throttle=LoginThrottle(free_failures=5))
    accounts.add_user("alice", "correct horse")
    refused = 0
    for i in range(60):
        try:
            assert accounts.authenticate("alice", f"guess {i}", client="10.0.0.9") is None
        except RateLimited as exc:
            assert exc.code == "too_many_login_attempts" and exc.retry_after >= 1
            refused += 1
    assert refused == 54 and verify.calls == 6, "only the free attempts and the one after them hashed"
    with pytest.raises(RateLimited):
        accounts.authenticate("alice", "correct horse", client="10.0.0.9")
    with pytest.raises(RateLimited):
        accounts.authenticate("alice", "correct horse", client="10.0.0.10")  # the name is throttled too
    assert verify.calls == 6
    assert accounts.authenticate("bob", "whatever", client="10.0.0.10") is None, "other names are not"


def test_a_success_resets_the_names_count(store: Store) -> None:
    clock = [0.0]
    accounts = Accounts(
        store, bind_host="127.0.0.1", throttle=LoginThrottle(free_failures=2, clock=lambda: clock[0])
    )
    alice = accounts.add_user("alice", "correct horse")
    for _ in range(3):
        accounts.authenticate("alice", "wrong password")
    clock[0] += 1
    assert accounts.authenticate("alice", "correct horse") == alice
    for _ in range(3):  # two free failures again, and the one after them
        assert accounts.authenticate("alice", "wrong password") is None


def test_unknown_names_cost_one_verification_too(store: Store, verify: CountingVerify) -> None:
    accounts = Accounts(store, bind_host="127.0.0.1")
    accounts.add_user("alice", "correct horse")
    assert accounts.authenticate("nobody", "correct horse") is None
    assert accounts.authenticate("not a valid name!", "correct horse") is None
    assert accounts.authenticate("alice", "wrong password") is None
    assert verify.calls == 3, "a missing user spends the same argon2 work as a wrong password"


def test_concurrent_logins_never_hash_more_than_the_slots(store: Store, verify: CountingVerify) -> None:
    accounts = Accounts(
        store, bind_host="127.0.0.1", throttle=LoginThrottle(free_failures=1000), hash_slots=2
    )
    accounts.add_user("alice", "correct horse")

    def attempt(i: int) -> str:
        try:
            return "ok" if accounts.authenticate(f"user{i}", "wrong password", client=f"10.0.{i}.1") else "no"
        except RateLimited:
            return "busy"

    with ThreadPoolExecutor(24) as pool:
        outcomes = list(pool.map(attempt, range(24)))
    assert verify.peak <= 2, f"{verify.peak} argon2 hashes ran at once"
    assert set(outcomes) <= {"no", "busy"} and outcomes.count("no") == verify.calls


def test_a_login_that_finds_no_slot_in_time_is_told_to_retry(store: Store, verify: CountingVerify) -> None:
    throttle = LoginThrottle(free_failures=1)
    accounts = Accounts(store, bind_host="127.0.0.1", throttle=throttle, hash_slots=1)
    accounts.add_user("alice", "correct horse")
    verify.gate = threading.Event()
    holder = threading.Thread(target=accounts.authenticate, args=("someone", "x"))
    holder.start()
    while verify.running == 0:
        time.sleep(0.01)
    started = time.monotonic()
    with pytest.raises(RateLimited) as caught:
        accounts.authenticate("alice", "correct horse", client="10.0.0.1")
    waited = time.monotonic() - started
    verify.gate.set()
    holder.join()
    assert caught.value.code == "login_busy" and caught.value.retry_after >= 1
    assert HASH_WAIT_S - 0.1 <= waited < HASH_WAIT_S + 2
    verify.gate = None
    # The turned-away attempt did not count as a failure: alice still has her free one.
    assert accounts.authenticate("alice", "correct horse", client="10.0.0.1") is not None
