"""Who holds a role, from what age, when it is free, how many at most, which amount of money
(knowledge/question.py, sentencekind.py, qualifiers.py, evidence.py): a sentence about a
neighbouring fact of the same document does not answer."""

from __future__ import annotations

import pytest

from eclair.knowledge import lexical
from eclair.knowledge.evidence import best_evidence
from eclair.knowledge.fidelity import states_expected
from eclair.knowledge.question import analyse_question
from eclair.text.passages import Passage


def passage(text: str) -> list[Passage]:
    return [Passage(chunk_id="c", source="doc.txt", text=text, start=0, end=len(text), document_id="d")]


HIRE = (
    "Brackenfold Canoe Hire is a small, family-run centre at the old Millbeck railway station, at the "
    "start of the Heron Loop trail. The centre is run by our general manager, Ada Pennock-Ward. "
    "Her deputy, Tom Reyes, looks after the fleet.\n\n"
    "- Members aged 16 or 17 may hire open canoes only, with a guardian's consent.\n"
    "- Members must be 18 or older to hire power boats.\n\n"
    "Delivery of kit is free on orders above GBP 60. Below that amount, a flat charge of GBP 6.95 applies.\n\n"
    "The taster course consists of 4 sessions of 90 minutes and costs GBP 80. Each course takes at most 8 participants.\n\n"
    "The centre is open:\n- Tuesday, 17:00 to 20:00\n- Thursday, 17:00 to 20:00\n- Saturday, 09:30 to 13:30\n\n"
    "Revenue reached GBP 1.2 million in 2025. Workshops take place on one Sunday a month from May to July, led by Tom Reyes."
)


@pytest.mark.parametrize(
    ("question", "wanted", "unwanted"),
    [
        ("Who runs Brackenfold Canoe Hire?", "Ada Pennock-Ward", "Millbeck"),
        ("Qui dirige Brackenfold Canoe Hire ?", "Ada Pennock-Ward", "Millbeck"),
        ("From what age can members hire power boats at Brackenfold?", "18 or older", "16 or 17"),
        (
            "À partir de quel âge peut-on louer des bateaux électriques chez Brackenfold ?",
            "18 or older",
            "16 or 17",
        ),
        (
            "Chez Brackenfold, à partir de quel montant la livraison est-elle gratuite ?",
            "free on orders",
            "flat charge",
        ),
        (
            "What is the maximum number of participants on a Brackenfold taster course?",
            "at most 8",
            "4 sessions",
        ),
    ],
)
def test_the_sentence_that_states_the_condition_answers(question: str, wanted: str, unwanted: str) -> None:
    _, evidence = best_evidence(question, passage(HIRE))
    assert evidence and wanted in evidence[0].text, evidence[:2]
    assert all(unwanted not in e.text for e in evidence[:1])


@pytest.mark.parametrize(
    ("question", "unwanted"),
    [
        ("Who is the mayor of Brackenfold?", "Tom Reyes"),  # "May" is not "mayor", "mairie" not "maire"
        ("What was Brackenfold's export revenue in 2025?", "1.2 million"),
        ("Quel était le chiffre d'affaires à l'export de Brackenfold en 2025 ?", "1.2 million"),
    ],
)
def test_a_neighbouring_fact_does_not_answer(question: str, unwanted: str) -> None:
    _, evidence = best_evidence(question, passage(HIRE))
    assert all(unwanted not in e.text for e in evidence), evidence[:1]


def test_the_revenue_itself_is_still_answered() -> None:
    _, evidence = best_evidence("Quel est le chiffre d'affaires de Brackenfold en 2025 ?", passage(HIRE))
    assert evidence and "1.2 million" in evidence[0].text


def test_calendar_words_are_whole_words() -> None:
    assert not lexical.term_match("mair", "mai")
    assert lexical.term_match("dimanch", "dimanche")


@pytest.mark.parametrize(
    ("question", "expects"),
    [
        ("Je suis étudiant : combien me coûterait l'adhésion annuelle ?", "money"),
        ("How much would a season ticket cost?", "money"),
        ("From what age can children use the kettle?", "number"),
        ("À partir de quel âge peut-on louer un vélo ?", "number"),
    ],
)
def test_what_kind_of_answer_is_expected(question: str, expects: str) -> None:
    assert analyse_question(question).expects == expects


def test_an_answer_to_a_measure_states_it_in_its_unit() -> None:
    question = analyse_question("Quelle est la puissance du Kéfirol K3 Duo ?")
    assert not states_expected(question, "La puissance de Kéfirol K3 Duo est Kéfirol K3 Duo.")
    assert states_expected(question, "Le Kéfirol K3 Duo a une puissance de 40 W.")


RULES = (
    "Cancellation is free up to 48 hours before the hire starts. Later cancellations are charged 50%.\n\n"
    "- Annual membership, adult: £35.\n- Reduced membership, students: £15.\n\n"
    "Membership fees brought in £3,960 in 2025. Borrowing the rotavator requires a deposit of £20."
)


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("Jusqu'à combien d'heures avant la location peut-on annuler sans frais ?", "48 hours"),
        ("Combien coûte la cotisation annuelle pour un étudiant ?", "£15"),
        ("What deposit do I need to leave to borrow the rotavator?", "£20"),
    ],
)
def test_conditions_said_in_other_words_are_found(question: str, wanted: str) -> None:
    _, evidence = best_evidence(question, passage(RULES))
    assert evidence and wanted in evidence[0].text, evidence[:2]
    assert all("brought in" not in e.text for e in evidence)  # a sum collected is not a price


OFFICERS = (
    "Elle remercie la mairie pour le prêt de la salle et salue le travail du vice-président, Yannick Le Goff. "
    "Le bureau se compose de la présidente, Odile Marchetti, du vice-président et de la trésorière Samia Berrada. "
    "Maximilien Dupuis, né le 6 mai 1758 à Arras, est un avocat."
)


def test_a_role_holder_is_named_next_to_the_role() -> None:
    _, evidence = best_evidence("Who is the mayor of Lauvergne?", passage(OFFICERS))
    assert all("Yannick" not in e.text and "Samia" not in e.text for e in evidence), evidence[:1]
    _, evidence = best_evidence("Qui est la trésorière ?", passage(OFFICERS))
    assert evidence and "Samia Berrada" in evidence[0].text


def test_who_someone_was_is_not_a_role_and_places_do_not_matter() -> None:
    _, evidence = best_evidence("Qui était Maximilien Dupuis ?", passage(OFFICERS))
    assert evidence and "avocat" in evidence[0].text
