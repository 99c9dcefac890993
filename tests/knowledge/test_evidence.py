"""Claims and evidence: what counts as support, and when a passage does not answer."""

from __future__ import annotations

import pytest

from eclair.answer.types import Passage
from eclair.knowledge.claims import extract_claims, is_supported, units_agree, unsupported_claims
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


def test_the_source_a_question_names_is_not_what_it_asks() -> None:
    q = analyse_question("According to the Tarrow parish guide, how many bells does the church have?")
    assert q.predicates == {"bell", "church"} and "tarrow" in q.anchors
    q = analyse_question("Combien de cloches l'église a-t-elle, selon le guide de la paroisse de Tarrow ?")
    assert q.predicates == {"cloch", "eglis"} and "tarrow" in q.anchors
    q = analyse_question("D'après la notice, combien de programmes le four Ardent F9 propose-t-il ?")
    assert "notic" not in q.predicates and "programm" in q.predicates


@pytest.mark.parametrize(
    "question",
    [
        "What share of the budget goes to repairs?",
        "Which proportion of the members are students?",
        "Quelle part du budget va aux réparations ?",
        "Quel pourcentage des adhérents sont étudiants ?",
    ],
)
def test_share_questions_expect_a_number(question: str) -> None:
    q = analyse_question(question)
    assert q.expects == "number"
    assert not q.predicates & {"shar", "proportion", "part", "pourcentag"}


def test_who_did_asks_for_an_agent_who_is_for_a_role_holder() -> None:
    assert analyse_question("Who designed the Tarrow bridge?").agentive
    assert analyse_question("Qui a fondé la chorale de Tarrow ?").agentive
    assert not analyse_question("Who is the treasurer of the Tarrow choir?").agentive
    assert not analyse_question("Qui est la trésorière de la chorale ?").agentive


CHOIR_EN = "The Tarrow Choir sings at St Anne's church every Sunday. It has 40 singers. "
CHOIR_FR = "L'Harmonie de Tarrow joue chaque dimanche au kiosque. Elle compte 40 musiciens. "


@pytest.mark.parametrize(
    ("question", "text", "answers"),
    [
        # a founding with no founder, about another named thing
        (
            "Qui a fondé l'Harmonie de Tarrow ?",
            CHOIR_FR + "Fondée en 1902, la fanfare Vercel répète avec elle.",
            False,
        ),
        (
            "Who founded the Tarrow Choir?",
            CHOIR_EN + "Founded in 1902, the Marlow Band rehearses with it.",
            False,
        ),
        (
            "Who founded the Tarrow Choir?",
            CHOIR_EN + "It was founded in 1902 by the organist Agnes Pell.",
            True,
        ),
        ("Qui a fondé l'Harmonie de Tarrow ?", CHOIR_FR + "Elle a été fondée en 1902 par Léon Brac.", True),
        # the agent of another act
        (
            "Who founded the Tarrow Choir?",
            CHOIR_EN + "Its songbook was printed in 1902 by Marlow Press.",
            False,
        ),
        # the date of another named thing
        (
            "When was the Tarrow Choir founded?",
            CHOIR_EN + "Founded in 1902, the Marlow Band rehearses with it.",
            False,
        ),
        ("When was the Tarrow Choir founded?", CHOIR_EN + "The choir was founded in 1902.", True),
        # a name inside a complement only places the fact
        (
            "When was the Tarrow Choir founded?",
            CHOIR_EN + "It was founded in 1902 in a barn on Mill Lane.",
            True,
        ),
    ],
)
def test_the_fact_must_be_about_the_asked_subject(question: str, text: str, answers: bool) -> None:
    _, evidence = best_evidence(question, [passage(text, source="notes.txt")])
    assert bool(evidence) is answers, evidence[:1]


@pytest.mark.parametrize(
    ("answer", "agrees"),
    [
        ("La garantie passe à 5 ans.", True),
        ("The warranty lasts five years.", True),
        ("Register within 30 days.", True),
        ("Il faut s'inscrire dans les 30 jours.", True),  # the same unit in the other language
        ("La garantie est de 5 ans à 30 mois.", False),  # 30 counts days in the source
        ("The warranty lasts 5 months.", False),
        ("It opened on 12 mars 1998.", True),  # months agree across languages
        ("It opened on 12 May 1998.", False),
    ],
)
def test_a_number_must_count_what_the_source_counts(answer: str, agrees: bool) -> None:
    source = (
        "The Brisa B2 fan is guaranteed for 5 years if registered within 30 days. "
        "The shop opened on 12 March 1998."
    )
    assert units_agree(answer, [source]) is agrees


@pytest.mark.parametrize(
    ("question", "text", "answer"),
    [
        (
            "How much did the bakery's new delivery van cost?",
            "In May the bakery bought a new electric delivery van. It cost 21,000 euros, paid from reserves.",
            "21,000 euros",
        ),
        (
            "Combien a coûté le nouveau pressoir de la coopérative ?",
            "La coopérative a acheté un nouveau pressoir en 2021. Il a coûté 8 400 €, payés par les membres.",
            "8 400 €",
        ),
    ],
)
def test_a_sentence_opening_on_a_pronoun_speaks_of_the_one_before(
    question: str, text: str, answer: str
) -> None:
    _, evidence = best_evidence(question, [passage(text)])
    assert evidence and answer in evidence[0].citation().quote


def test_a_price_sentence_about_something_else_does_not_answer() -> None:
    text = "Les enfants paient 7 € l'aller-retour. Le transport d'un vélo coûte 6 € par trajet."
    _, evidence = best_evidence("How much does a one-way ticket cost for a child?", [passage(text)])
    assert evidence == []


BUNDLE_EN = "A book of 10 bus tickets costs £14 and never expires."
BUNDLE_FR = "Un carnet de 10 tickets de bus coûte 14 € et n'expire jamais."


@pytest.mark.parametrize(
    ("question", "text", "answers"),
    [
        ("How much is a single bus ticket?", BUNDLE_EN, False),
        ("What does one bus ticket cost?", BUNDLE_EN, False),
        ("Combien coûte un ticket de bus ?", BUNDLE_FR, False),
        ("How much is a book of 10 bus tickets?", BUNDLE_EN, True),
        ("Combien coûte un carnet de 10 tickets de bus ?", BUNDLE_FR, True),
    ],
)
def test_the_price_of_a_bundle_does_not_answer_the_price_of_one(
    question: str, text: str, answers: bool
) -> None:
    _, evidence = best_evidence(question, [passage(text)])
    assert bool(evidence) == answers
