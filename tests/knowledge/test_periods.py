"""The days and periods a sentence speaks for (knowledge/periods.py), the name asked without
"who", hours asked as a schedule, and measures that count nothing (knowledge/question.py,
sentencekind.py): a sentence about a neighbouring day, season or figure does not answer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eclair.knowledge.evidence import best_evidence
from eclair.knowledge.periods import speaks_for_other_period
from eclair.knowledge.question import analyse_question, holds_role
from eclair.text.calendar import MONTH_NAMES, WEEKDAY_NAMES
from eclair.text.passages import Passage


def passage(text: str) -> list[Passage]:
    return [Passage(chunk_id="c", source="guide.md", text=text, start=0, end=len(text), document_id="d")]


@pytest.mark.parametrize(
    ("question", "sentence", "other"),
    [
        ("What time does the clinic close on a Wednesday?", "Saturday: 9:00 to 12:00.", True),
        ("What time does the clinic close on a Wednesday?", "Monday to Friday: 8:00 to 18:00.", False),
        ("What time does the clinic close on a Wednesday?", "Open every day except Sunday, 9 to 5.", False),
        ("À quelle heure ferme la mairie le jeudi ?", "Du lundi au mercredi : 8 h 30 – 17 h.", True),
        ("À quelle heure ferme la mairie le jeudi ?", "En semaine, 8 h 30 – 17 h.", False),
        ("Until when is the desk open from 20 April?", "Until 19 April: 9:00 to 17:00.", True),
        ("Until when is the desk open from 20 April?", "From 20 April to 30 June: 9:00 to 19:00.", False),
        ("Le guichet est-il ouvert en octobre ?", "De mai à septembre : tous les après-midi.", True),
        ("Is the kiosk open in November?", "From May to September: afternoons only.", True),
        ("Is the kiosk open in January?", "From November to February: weekends only.", False),
        ("When may I cancel a booking?", "Until 3 March: free cancellation.", False),  # "may" is a verb
        ("How many visitors came in 2025?", "From 1 May to 31 July, 300 visitors.", False),
        # a season asked about is its months
        ("When do the winter classes start?", "Classes run from 1 May to 30 September, at 18:00.", True),
        ("When do the winter classes start?", "Classes run from 1 November to 31 March, at 18:00.", False),
        (
            "À quelle heure commencent les visites d'été ?",
            "D'octobre à avril, les visites commencent à 14 h.",
            True,
        ),
        (
            "À quelle heure commencent les visites d'été ?",
            "De juin à août, les visites commencent à 10 h.",
            False,
        ),
        ("What time is the market open in spring?", "The market opens at 8:00.", False),  # no months said
    ],
)
def test_a_sentence_for_another_day_or_period(question: str, sentence: str, other: bool) -> None:
    assert speaks_for_other_period(question, sentence) is other


@given(
    st.sampled_from(sorted(WEEKDAY_NAMES)),
    st.integers(0, 6),
    st.integers(0, 6),
    st.integers(0, 6),
)
def test_a_sentence_whose_range_holds_the_asked_day_is_never_set_aside(
    lang: str, first: int, span: int, offset: int
) -> None:
    names = WEEKDAY_NAMES[lang]
    last = min(6, first + span)
    asked = names[min(last, first + offset)]
    to = "to" if lang == "en" else "au"
    question = f"When does it open on {asked}?" if lang == "en" else f"Quand ouvre-t-il le {asked} ?"
    assert not speaks_for_other_period(question, f"{names[first]} {to} {names[last]}: 10:00.")


@given(st.integers(1, 12), st.integers(1, 12), st.integers(0, 11))
def test_a_sentence_whose_months_hold_the_asked_month_is_never_set_aside(
    first: int, last: int, step: int
) -> None:
    months = MONTH_NAMES["en"]
    inside = first + step % (((last - first) % 12) + 1)
    asked = months[(inside - 1) % 12]
    sentence = f"From {months[first - 1]} to {months[last - 1]}: open at 10:00."
    assert not speaks_for_other_period(f"Is it open in {asked}?", sentence)


GUIDE = (
    "Harbour Kiosk — Visitor Guide 2026\n\n"
    "In low season the kiosk opens 10:00 – 16:00 and is closed on Mondays.\n\n"
    "In high season the kiosk opens every day, 9:00 – 21:00.\n\n"
    "The kiosk is run by the town council. Its manager is Ms Ilse Varga; her deputy is Mr Tomas Wren.\n\n"
    "Herb tea is sold at the kiosk in 250 g bags. The kiosk sold 380 bags in 2025, against 295 in 2024.\n\n"
    "The ferry info line runs from 1 June to 30 September, every day from 7 am to 7 pm."
)


@pytest.mark.parametrize(
    ("question", "wanted", "unwanted"),
    [
        ("In high season, what time does the kiosk close?", "21:00", "16:00"),
        ("En basse saison, à quelle heure ferme le kiosque ?", "16:00", "21:00"),
        ("How many bags did the kiosk sell in 2025?", "380", "250 g"),
        ("What are the hours of the ferry info line?", "7 am", None),
        ("Comment s'appelle l'adjoint de la gérante du kiosque ?", "Tomas Wren", None),
    ],
)
def test_the_sentence_for_the_asked_day_season_or_count(
    question: str, wanted: str, unwanted: str | None
) -> None:
    _, evidence = best_evidence(question, passage(GUIDE))
    assert evidence and wanted in evidence[0].text, evidence[:2]
    assert unwanted is None or unwanted not in evidence[0].text


@pytest.mark.parametrize(
    "question",
    ["Comment s'appelle le maire de Porthallow ?", "What is the name of the harbour master?"],
)
def test_a_name_asked_without_who_is_not_answered_by_a_sentence_naming_no_one(question: str) -> None:
    q = analyse_question(question)
    assert q.expects == "name" and holds_role(q) and not q.agentive
    text = "Pour le maire et par délégation, l'adjointe au port. The harbour is managed by the town."
    assert not best_evidence(question, passage(text))[1]


def test_the_hours_of_the_asked_weekday() -> None:
    text = "On Saturday the kiosk opens 9:00 to 13:00. From Tuesday to Friday the kiosk opens 8:00 to 17:30."
    _, evidence = best_evidence("What time does the kiosk close on a Wednesday?", passage(text))
    assert evidence and "17:30" in evidence[0].text and "13:00" not in evidence[0].text


def test_what_a_named_kind_costs_is_not_the_price_of_another_kind() -> None:
    text = "Course fees 2026. Two-day beginner canoe course: adult £140; junior £95. Kayak hire: £20 an hour."
    assert not best_evidence("What does a paddleboard course cost for an adult?", passage(text))[1]
    _, evidence = best_evidence("What does a beginner canoe course cost for an adult?", passage(text))
    assert evidence and "£140" in evidence[0].text


def test_years_are_counted_in_the_other_language() -> None:
    text = (
        "Règlement.\n\n- Être titulaire du permis B depuis au moins 2 ans (4 ans pour conduire les minibus)."
    )
    _, evidence = best_evidence(
        "How many years must I have held a driving licence to drive the minibuses?", passage(text)
    )
    assert evidence and "4 ans" in evidence[0].text


def test_when_something_ends_is_not_when_it_starts() -> None:
    text = "Harbour Kiosk — 2026.\n\nRepairs are planned for March 2026, before the season opens."
    assert not best_evidence("À quelle date se termine la saison 2026 du kiosque ?", passage(text))[1]
    text += " The 2026 season opens on 4 April and ends on 27 September."
    _, evidence = best_evidence("À quelle date se termine la saison 2026 du kiosque ?", passage(text))
    assert evidence and "27 September" in evidence[0].text
