"""Acts a sentence states without their verb (knowledge/authorship.py)."""

from __future__ import annotations

import pytest

from eclair.knowledge import lexical
from eclair.knowledge.authorship import implied_acts


@pytest.mark.parametrize(
    ("sentence", "act"),
    [
        ("Il est l'auteur des romans Le Rouge et le Noir et La Chartreuse de Parme.", "ecrit"),
        ("She is the author of Pride and Prejudice.", "wrote"),
        ("He was the composer of the Boléro.", "composed"),
    ],
)
def test_an_agent_noun_with_of_names_the_act(sentence: str, act: str) -> None:
    assert any(
        lexical.contains_term({lexical.stem(act)}, s) or lexical.stem(act) == s
        for s in implied_acts(sentence)
    )


def test_an_agent_noun_alone_names_no_work() -> None:
    assert not implied_acts("The author lived in Paris for ten years.")
