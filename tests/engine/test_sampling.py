"""Text assembly: UTF-8 split across tokens, stop strings across token boundaries."""

from __future__ import annotations

import numpy as np
import pytest

from eclair.engine.protocol import SamplingParams
from eclair.engine.sampling import PENALTY_LAST_N, GreedyPicker, TextAssembler

PIECES = {1: b"Hel", 2: b"lo ", 3: "é".encode()[:1], 4: "é".encode()[1:], 5: b"END", 6: b"!", 7: b"lo"}


def test_a_character_split_across_tokens_is_emitted_once_complete() -> None:
    text = TextAssembler((), PIECES.__getitem__)
    assert text.feed(1) == "Hel"
    assert text.feed(3) == ""
    assert text.feed(4) == "é"
    assert text.finish() == ""


def test_stop_string_across_tokens_is_never_emitted() -> None:
    text = TextAssembler(("lo E",), PIECES.__getitem__)
    shown = text.feed(1) + text.feed(2)
    assert not text.stopped
    shown += text.feed(5)
    assert text.stopped and shown == "Hel"
    assert text.finish() == ""


def test_held_back_text_is_released_at_the_end() -> None:
    text = TextAssembler(("lo?",), PIECES.__getitem__)
    assert text.feed(1) + text.feed(7) == "Hel"
    assert text.pending_tokens == 2
    assert text.finish() == "lo"


def test_greedy_without_penalties_is_the_argmax() -> None:
    row = np.array([0.1, 3.0, 2.9, -1.0], dtype=np.float32)
    assert GreedyPicker(SamplingParams(temperature=0, repeat_penalty=1.0)).pick(row, [1, 1, 1]) == 1


def test_repeat_penalty_divides_positive_and_multiplies_negative_logits() -> None:
    picker = GreedyPicker(SamplingParams(temperature=0, repeat_penalty=2.0))
    row = np.array([0.1, 3.0, 2.0, -1.0], dtype=np.float32)
    assert picker.pick(row, [1, 3]) == 2
    assert row.tolist() == pytest.approx([0.1, 1.5, 2.0, -2.0])


def test_frequency_and_presence_penalties_follow_counts_in_the_window() -> None:
    picker = GreedyPicker(
        SamplingParams(temperature=0, repeat_penalty=1.0, frequency_penalty=0.5, presence_penalty=0.25)
    )
    row = np.array([2.0, 3.0, 0.0], dtype=np.float32)
    old = [1] * PENALTY_LAST_N
    assert picker.pick(row, [*old, 0, 0]) == 0  # the window holds 62 uses of token 1, 2 of token 0
    assert row[0] == pytest.approx(2.0 - 1.0 - 0.25)
    assert row[1] == pytest.approx(3.0 - 31.0 - 0.25)
    assert row[2] == 0.0
