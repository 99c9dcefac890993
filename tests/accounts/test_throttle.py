"""The login throttle on its own, with a clock the tests move."""

from __future__ import annotations

import pytest

from eclair.accounts.throttle import ADDRESS_ALLOWANCE, FORGET_AFTER_S, LoginThrottle
from eclair.errors import RateLimited


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def refused_for(throttle: LoginThrottle, name: str, address: str | None = "10.0.0.1") -> float:
    with pytest.raises(RateLimited) as caught:
        throttle.begin(name, address)
    assert caught.value.code == "too_many_login_attempts" and caught.value.status == 429
    return caught.value.retry_after


def test_waits_double_after_the_free_failures_up_to_the_cap(clock: Clock) -> None:
    throttle = LoginThrottle(free_failures=3, max_delay_s=8, clock=clock)
    for _ in range(3):
        throttle.begin("alice", "10.0.0.1")  # failures: never settled as a success
    throttle.begin("alice", "10.0.0.1")  # the fourth goes through, and opens a wait
    waits = []
    for _ in range(6):
        waits.append(refused_for(throttle, "alice"))
        assert refused_for(throttle, "alice") == waits[-1], "a refused attempt does not lengthen the wait"
        clock.now += waits[-1]
        throttle.begin("alice", "10.0.0.1")
    assert waits == [1, 2, 4, 8, 8, 8]


def test_the_wait_is_rounded_up_to_whole_seconds(clock: Clock) -> None:
    throttle = LoginThrottle(free_failures=1, clock=clock)
    throttle.begin("alice", None)
    throttle.begin("alice", None)
    clock.now += 0.4
    assert refused_for(throttle, "alice", None) == 1, "0.6 s left: Retry-After 1, never 0"


def test_a_success_clears_the_names_count(clock: Clock) -> None:
    throttle = LoginThrottle(free_failures=2, clock=clock)
    for _ in range(2):
        throttle.begin("alice", "10.0.0.1")
    throttle.succeeded(throttle.begin("alice", "10.0.0.1"))
    for _ in range(3):
        throttle.begin("alice", "10.0.0.1")  # the name starts afresh: three more go through
    refused_for(throttle, "alice")


def test_an_address_trying_many_names_is_slowed_down(clock: Clock) -> None:
    throttle = LoginThrottle(free_failures=2, clock=clock)
    for i in range(2 * ADDRESS_ALLOWANCE + 1):
        throttle.begin(f"user{i}", "10.0.0.1")
    refused_for(throttle, "someone-new", "10.0.0.1")
    throttle.begin("someone-new", "10.0.0.2")  # another address is not affected
    # A success from that address takes back its own provisional failure only.
    clock.now += 1
    throttle.succeeded(throttle.begin("user0", "10.0.0.1"))
    refused_for(throttle, "someone-else", "10.0.0.1")


def test_attempts_in_flight_count_before_their_result(clock: Clock) -> None:
    """Concurrent attempts cannot all slip in before the first failure is recorded."""
    throttle = LoginThrottle(free_failures=5, clock=clock)
    let_through = 0
    for _ in range(50):  # 50 logins arrive together; none has finished hashing yet
        try:
            throttle.begin("alice", None)
            let_through += 1
        except RateLimited:
            pass
    assert let_through == 6


def test_cancelled_attempts_count_for_nothing(clock: Clock) -> None:
    throttle = LoginThrottle(free_failures=2, clock=clock)
    for _ in range(10):
        throttle.cancelled(throttle.begin("alice", "10.0.0.1"))
    throttle.begin("alice", "10.0.0.1")
    throttle.begin("alice", "10.0.0.1")


def test_old_failures_are_forgotten(clock: Clock) -> None:
    throttle = LoginThrottle(free_failures=2, clock=clock)
    for _ in range(3):
        throttle.begin("alice", None)
    clock.now += FORGET_AFTER_S + 1
    for _ in range(3):
        throttle.begin("alice", None)
    refused_for(throttle, "alice", None)


def test_memory_is_bounded_by_the_least_recently_used(clock: Clock) -> None:
    throttle = LoginThrottle(free_failures=1, max_entries=100, clock=clock)
    for i in range(10_000):
        throttle.begin(f"invented-{i}", f"10.{i // 65536}.{i // 256 % 256}.{i % 256}")
    assert len(throttle._names.records) == 100 and len(throttle._addresses.records) == 100
    throttle.begin("x" * 100_000, None)
    assert max(len(key) for key in throttle._names.records) <= 128
