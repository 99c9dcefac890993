from __future__ import annotations

import pytest

from eclair.engine.stops import StopMatcher


def run(stops: list[str], pieces: list[str]) -> tuple[str, bool]:
    matcher = StopMatcher(stops)
    out = "".join(matcher.feed(p) for p in pieces)
    if not matcher.stopped:
        out += matcher.flush()
    return out, matcher.stopped


@pytest.mark.parametrize(
    ("stops", "pieces", "expected", "stopped"),
    [
        ([], ["a", "b"], "ab", False),
        (["END"], ["hello E", "N", "D more"], "hello ", True),
        (["END"], ["hello E", "N", "x"], "hello ENx", False),
        (["END"], ["E", "N"], "EN", False),
        (["\n\n", "User:"], ["line\n", "\nUser:"], "line", True),
        (["abc", "bcd"], ["xab", "cd"], "x", True),
        (["ab"], ["aab"], "a", True),
        (["é!"], ["caf", "é", "!"], "caf", True),
    ],
)
def test_stop_matching(stops: list[str], pieces: list[str], expected: str, stopped: bool) -> None:
    assert run(stops, pieces) == (expected, stopped)


def test_text_is_held_only_while_it_could_start_a_stop() -> None:
    matcher = StopMatcher(["STOP"])
    assert matcher.feed("go S") == "go "
    assert matcher.feed("T") == ""
    assert matcher.feed("x") == "STx"
    assert matcher.feed("after") == "after"
