"""Claims and evidence: what counts as support, and when a passage does not answer."""

from __future__ import annotations

import pytest

from eclair.answer.types import Passage
from eclair.knowledge.claims import extract_claims, is_supported, unsupported_claims
from eclair.knowledge.evidence import analyse_question, best_evidence

SOURCE = (
    "La tour Eiffel, construite par l'entreprise de Gustave Eiffel, mesure 330 mètres (1,083 ft). "
    "Inaugurée le 31 mars 1889, elle compte 3 étages."
)


def passage(text: str, source: str = "doc.txt", start: int = 0, document_id: str = "d1") -> Passage:
    return Passage(f"{document_id}:0", source, text, start, start + len(text), 1.0, document_id)


def test_claims_found_in_an_answer() -> None:
    claims = extract_claims(
        "The Eiffel Tower is 330 metres tall; it opened on 31 March 1889 with three floors."
    )
    kinds = {(c.kind, c.key) for c in claims}
    assert {("number", "330"), ("number", "31"), ("number", "1889"), ("number", "3"), ("month", "3")} <= kinds
    assert ("name", "eiffel") in kinds and ("name", "tower") in kinds
    assert not any(c.key in {"the", "it"} for c in claims)


@pytest.mark.parametrize(
    ("answer", "supported"),
    [
        ("Elle mesure 1 083 pieds.", True),
        ("Elle mesure 1083 pieds.", True),
        ("Inaugurée en mars 1889.", True),
        ("It opened in March 1889.", True),  # months match across languages
        ("Elle a trois étages.", True),  # number words match digits
        ("Gustave Eiffel l'a construite.", True),
        ("Elle mesure 324 mètres.", False),
        ("Inaugurée en mai 1889.", False),
        ("Elle a quatre étages.", False),
        ("Maurice Koechlin l'a conçue.", False),
    ],
)
def test_support(answer: str, supported: bool) -> None:
    assert (not unsupported_claims(answer, [SOURCE])) is supported


def test_decimal_comma_and_point() -> None:
    (claim,) = [c for c in extract_claims("Il faut 12,5 litres.") if c.kind == "number"]
    assert is_supported(claim, "Volume : 12.5 L") and not is_supported(claim, "Volume : 125 L")


def test_question_analysis() -> None:
    q = analyse_question("Combien de visiteurs le Musée Rodin accueille-t-il ?")
    assert q.expects == "number" and q.counted == "visiteur"
    assert q.anchors == {"mus", "rodin"} and q.predicates == {"visiteur", "accueill"}
    assert analyse_question("When did the keepers leave?").expects == "date"
    assert analyse_question("How much does a ticket cost?").expects == "money"
    assert analyse_question("Who is the treasurer?").expects == "name"
    assert analyse_question("Quel jour le musée est-il fermé ?").expects == "weekday"
    assert analyse_question("Who is the current mayor?").present


LIGHTHOUSE = (
    "Greyhaven Lighthouse guide. The lighthouse was designed by the engineer Alistair Fenwick and built in 1861. "
    "It is open to visitors from 1 April, every day except Tuesday. A family ticket costs 24 pounds. "
    "The tower has 142 steps. Its first keeper, Thomas Pryce, served until 1902."
)


@pytest.mark.parametrize(
    ("question", "quote"),
    [
        ("Who designed Greyhaven Lighthouse?", "Alistair Fenwick"),
        ("How much is a family ticket?", "24 pounds"),
        ("How many steps does the tower have?", "142 steps"),
        ("When was the lighthouse built?", "1861"),
    ],
)
def test_best_sentence_answers(question: str, quote: str) -> None:
    _, evidence = best_evidence(question, [passage(LIGHTHOUSE, "greyhaven.txt")])
    assert evidence and quote in evidence[0].text


@pytest.mark.parametrize(
    "question",
    [
        "How many visitors came last year?",  # names the visitors, counts nothing
        "What is the population of Lyon?",  # not what the document is about
        "Who is the current keeper?",  # the keeper it names served until 1902
        "What is the phone number of the trust?",  # a concept the document never mentions
        "Quelle est la recette de la tarte aux pommes ?",
    ],
)
def test_unanswered_questions_get_no_evidence(question: str) -> None:
    _, evidence = best_evidence(question, [passage(LIGHTHOUSE, "greyhaven.txt")])
    assert evidence == []


def test_sentence_needing_its_context_is_quoted_with_it() -> None:
    text = "Error codes of the kettle. E2: the lid is open. E3: dry boil protection. It switched on empty."
    _, evidence = best_evidence("What does error code E3 mean?", [passage(text, "manual.pdf")])
    citation = evidence[0].citation()
    assert "E3: dry boil protection." in citation.quote
    assert text[citation.start : citation.end] == citation.quote


def test_a_question_finds_evidence_in_the_other_language() -> None:
    text = "Histoire de Brémont. La gare de Brémont est inaugurée le 15 mai 1872. Le pont date de 1690."
    _, evidence = best_evidence(
        "When was the railway station of Brémont opened?", [passage(text, "bremont.md")]
    )
    assert evidence and "15 mai 1872" in evidence[0].text


def test_equivalents_go_both_ways() -> None:
    from eclair.knowledge.bilingual import equivalents

    assert "gar" in equivalents("station") and "station" in equivalents("gar")
    assert equivalents("zzzz") == frozenset()
