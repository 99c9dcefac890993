"""What a grounded answer must give: the asked year, the asked rank, the asked measure, the
asked product; and leader-dot lines read as "label: value" (knowledge/evidence.py, extract.py)."""

from __future__ import annotations

import pytest

from eclair.knowledge import lexical
from eclair.knowledge.evidence import best_evidence
from eclair.knowledge.extract import tables_as_sentences
from eclair.knowledge.question import analyse_question
from eclair.text.passages import Passage


def passage(text: str) -> list[Passage]:
    return [Passage(chunk_id="c", source="doc.md", text=text, start=0, end=len(text), document_id="d")]


CLUB = (
    "Millbrook Tool Library — Annual Report 2025\n\n"
    "The library lends tools to local residents.\n\n"
    "We opened in 2019 in the old fire station with 61 founding members.\n\n"
    "Présidence : Odile Marchetti, présidente. Le vice-président, Yannick Le Goff, gère les parcelles.\n\n"
    "The old K2 model, with 6 pots, has not been made since 2024. The K3 draws 24 W.\n\n"
    "Income for 2025 was £14,260, of which membership fees brought in £8,115."
)


@pytest.mark.parametrize(
    ("question", "unwanted"),
    [
        ("How many members did the Millbrook tool library have at the end of 2025?", "61 founding"),
        ("Qui est le vice-président ?", "Odile"),
        ("What is the power of the old K2 model?", "6 pots"),
        ("What was the library's export revenue in 2025?", "14,260"),
    ],
)
def test_a_sentence_about_a_neighbouring_fact_does_not_answer(question: str, unwanted: str) -> None:
    _, evidence = best_evidence(question, passage(CLUB))
    assert all(unwanted not in e.text for e in evidence), evidence[:1]


def test_the_deputy_asked_is_the_deputy_named() -> None:
    _, evidence = best_evidence("Qui est le vice-président ?", passage(CLUB))
    assert evidence and "Yannick Le Goff" in evidence[0].text


@pytest.mark.parametrize(
    ("line", "sentence"),
    [
        ("  Child single ........... GBP 4.20", "  Child single: GBP 4.20."),
        ("Passengers carried in 2025 ........ 438,950", "Passengers carried in 2025: 438,950."),
    ],
)
def test_a_leader_of_dots_joins_a_label_to_its_value(line: str, sentence: str) -> None:
    assert tables_as_sentences(line) == sentence


def test_each_value_stays_with_its_own_label() -> None:
    text = tables_as_sentences("Adult single ........ GBP 8.40\nAdult return ........ GBP 14.60")
    _, evidence = best_evidence("How much is an adult return?", passage(text))
    assert evidence and "14.60" in evidence[0].text and "8.40" not in evidence[0].text


# A coffee machine's leaflet, where how often, how long and how much sit side by side.
MACHINE = (
    "Brewmaster C4 coffee machine — care leaflet\n\n"
    "The water tank holds up to 2.2 litres.\n\n"
    "Rinse the milk frother every 3 days and replace the filter every 8 weeks.\n\n"
    "To clean the brewing unit, mix 15 grams of cleaning powder in 1 litre of warm water.\n\n"
    "The hot plate keeps the jug warm for up to 40 minutes.\n\n"
    "Give 14 days' notice to cancel the maintenance plan."
)


@pytest.mark.parametrize(
    ("question", "unwanted"),
    [
        # how often is not how much
        ("How much filter capacity does the machine have?", "every 8 weeks"),
        # an amount of a thing is not a length of time
        ("How much coffee can the jug keep warm?", "40 minutes"),
        # a limit asked is answered by a limit, not by the amounts of a recipe
        ("How much water can the machine take at most?", "15 grams"),
        ("Combien d'eau la machine peut-elle contenir au maximum ?", "15 grams"),
    ],
)
def test_a_number_of_another_kind_does_not_answer(question: str, unwanted: str) -> None:
    _, evidence = best_evidence(question, passage(MACHINE))
    assert all(unwanted not in e.text for e in evidence), evidence[:1]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How often should the filter be replaced?", "every 8 weeks"),
        ("After how many weeks should the filter be replaced?", "every 8 weeks"),
        ("How much water does the tank hold at most?", "2.2 litres"),
        ("How much notice is needed to cancel the maintenance plan?", "14 days"),
    ],
)
def test_the_number_of_the_kind_asked_answers(question: str, expected: str) -> None:
    _, evidence = best_evidence(question, passage(MACHINE))
    assert evidence and expected in evidence[0].text, evidence[:1]


ACCOUNTS = (
    "Westbrook Housing Cooperative — accounts\n\n"
    "Rents brought in £412,000 in 2025, against £398,000 in 2024. For 2025 the surplus came to £21,500.\n\n"
    "The rest of the surplus goes to the repairs fund."
)


@pytest.mark.parametrize(
    "question",
    [
        "What was the cooperative's surplus in 2024?",
        "Quel était l'excédent de la coopérative en 2024 ?",
    ],
)
def test_a_figure_of_another_year_does_not_answer(question: str) -> None:
    # the sentence before names 2024, but "for 2025 the surplus…" speaks of 2025; and a sentence
    # that names the surplus without an amount does not give it
    _, evidence = best_evidence(question, passage(ACCOUNTS))
    assert evidence == [], evidence[:1]


def test_the_year_asked_answers() -> None:
    _, evidence = best_evidence("What was the surplus in 2025?", passage(ACCOUNTS))
    assert evidence and "£21,500" in evidence[0].text


# The head of an organisation, named by a title other than the question's verb.
BOARD = (
    "Millpond Rowing Club — handbook\n\n"
    "Organisation\n\n"
    "- Club captain and head coach: Ruth Adeyemi\n"
    "- Chair of the committee: Declan Moss\n"
    "- Vice-chair: Sunita Rao\n\n"
    "The club house is managed by volunteers.\n"
)
RESEAU = (
    "Réseau des ludothèques de la Brenne\n\n"
    "Gouvernance\n\n"
    "- Directrice du réseau : Lucie Fabre\n"
    "- Directeur adjoint : Karim Benali\n\n"
    "Le réseau compte cinq ludothèques.\n"
)


@pytest.mark.parametrize(
    ("document", "question", "expected"),
    [
        (BOARD, "Who chairs the rowing club's committee?", "Declan Moss"),
        (BOARD, "Qui préside le comité du Millpond Rowing Club ?", "Declan Moss"),
        (RESEAU, "Who is in charge of the Brenne network?", "Lucie Fabre"),
        (RESEAU, "Qui dirige le réseau des ludothèques ?", "Lucie Fabre"),
        (RESEAU, "Qui est le directeur adjoint du réseau ?", "Karim Benali"),
    ],
)
def test_the_head_asked_is_named_by_a_title(document: str, question: str, expected: str) -> None:
    _, evidence = best_evidence(question, passage(document))
    assert evidence and expected in evidence[0].text, evidence[:1]


def test_a_manager_does_not_preside() -> None:
    # presiding is a chair's office: the head coach does not chair the committee
    _, evidence = best_evidence("Who presides over the club?", passage(BOARD))
    assert all("Ruth Adeyemi" not in e.text for e in evidence), evidence[:1]


def test_the_word_that_says_which_rate_is_asked_must_be_there() -> None:
    question = "How much is the family rate at the ice rink?"
    assert lexical.terms("family")[0] in analyse_question(question).essential
    rink = "Ice rink prices. The standard rate is £9 per session. Skate hire costs £3."
    _, found = best_evidence(
        question,
        [Passage(chunk_id="c", source="rink.md", text=rink, start=0, end=len(rink), document_id="d")],
    )
    assert not found, [e.text for e in found]  # the standard rate is not the family rate


def test_the_count_of_the_most_used_item_is_not_the_total() -> None:
    text = (
        "Brindle Lane repair café, 2025. The most requested repair was the toaster, with 57 visits. "
        "In 2025 the café recorded 412 repairs in all."
    )
    _, found = best_evidence(
        "How many repairs did the Brindle Lane repair café record in 2025?",
        [Passage(chunk_id="c", source="brindle.md", text=text, start=0, end=len(text), document_id="d")],
    )
    assert found and "412" in found[0].text, [e.text for e in found]
    assert all("57" not in e.text for e in found)
