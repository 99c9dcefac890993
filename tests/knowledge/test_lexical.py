"""Stems that name the same word (knowledge/lexical.py)."""

from __future__ import annotations

import pytest

from eclair.knowledge import lexical


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("electromagnetiqu", "electromagnetic", True),  # French and English, parted at the ending
        ("environnemental", "environmental", False),  # parted too early: not read as one word
        ("depart", "departur", True),  # a long prefix of the other (the stemmer's case)
        ("construct", "constitut", False),
    ],
)
def test_words_that_differ_only_by_their_ending_match(a: str, b: str, same: bool) -> None:
    assert lexical.term_match(a, b) is same
