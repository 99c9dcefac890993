"""Stems that name the same word (knowledge/lexical.py)."""

from __future__ import annotations

import pytest

from eclair.knowledge import lexical
from eclair.knowledge.question import analyse_question


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


@pytest.mark.parametrize(
    "question",
    [
        "Combien de temps dure la traversée entre Lorvan et Kerhoat ?",
        "How long is the walk between the two huts?",
        "Which of the trails leads towards the lake?",
        "Qui, parmi les bénévoles, tient la caisse ?",
        "Au bout de combien de semaines est-ce que je pourrai revenir ?",
    ],
)
def test_prepositions_are_not_what_is_asked(question: str) -> None:
    assert not analyse_question(question).predicates & {
        "entr",
        "between",
        "toward",
        "parmi",
        "bout",
        "pourrai",
    }
