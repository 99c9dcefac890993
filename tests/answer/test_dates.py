"""The date tool, with an injected today."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from eclair.answer.dates import interpret_date

TODAY = date(2026, 11, 28)  # a Saturday


@pytest.mark.parametrize(
    ("message", "lang", "reply"),
    [
        ("what day of the week was 14 July 1789", "en", "14 July 1789 was a Tuesday."),
        ("What day of the week was July 4, 1776?", "en", "4 July 1776 was a Thursday."),
        ("Which day of the week was the 4th of July 1776?", "en", "4 July 1776 was a Thursday."),
        ("What day of the week was January 1, 2000?", "en", "1 January 2000 was a Saturday."),
        ("Quel jour de la semaine était le 1er janvier 2000 ?", "fr", "Le 1er janvier 2000 était un samedi."),
        ("quel jour de la semaine tombe le 1er janvier 2030", "fr", "Le 1er janvier 2030 sera un mardi."),
        (
            "quel jour de la semaine était le quatorze juillet mille sept cent quatre-vingt-neuf",
            "fr",
            "Le 14 juillet 1789 était un mardi.",
        ),
        ("What day of the week will Christmas 2030 be?", "en", "25 December 2030 will be a Wednesday."),
        ("what day of the week was 11/09/2001", "fr", "Le 11 septembre 2001 était un mardi."),
        (
            "how many days between 2024-03-01 and 2024-12-25",
            "en",
            "There are 299 days between 1 March 2024 and 25 December 2024 (42 weeks and 5 days).",
        ),
        (
            "How many days between January 1 and March 1, 2024?",
            "en",
            "There are 60 days between 1 January 2024 and 1 March 2024 (8 weeks and 4 days).",
        ),
        (
            "Combien de jours entre le 1er janvier 2024 et le 31 décembre 2024 ?",
            "fr",
            "Il y a 365 jours entre le 1er janvier 2024 et le 31 décembre 2024 (52 semaines et 1 jour).",
        ),
        (
            "how many days between 1 Jan 2024 and 29 Jan 2024",
            "en",
            "There are 28 days between 1 January 2024 and 29 January 2024 (exactly 4 weeks).",
        ),
        (
            "quelle date serons-nous dans 100 jours",
            "fr",
            "Dans 100 jours, nous serons le lundi 8 mars 2027 (nous sommes le 28 novembre 2026).",
        ),
        (
            "What day will it be in 100 days?",
            "en",
            "In 100 days, it will be Monday 8 March 2027 (today is 28 November 2026).",
        ),
        (
            "what date was it 45 days ago",
            "en",
            "45 days ago, it was Wednesday 14 October 2026 (today is 28 November 2026).",
        ),
        (
            "What is the date 2 weeks from today?",
            "en",
            "In 2 weeks, it will be Saturday 12 December 2026 (today is 28 November 2026).",
        ),
        ("What is 100 days after 1 March 2024?", "en", "100 days after 1 March 2024 is Sunday 9 June 2024."),
        (
            "What date is 30 days after 2024-02-15?",
            "en",
            "30 days after 15 February 2024 is Saturday 16 March 2024.",
        ),
        (
            "45 jours avant le 1er mars 2024",
            "fr",
            "45 jours avant le 1er mars 2024, c'est le mardi 16 janvier 2024.",
        ),
        (
            "How many days until Christmas?",
            "en",
            "25 December 2026 is 27 days from today (28 November 2026).",
        ),
        (
            "combien de jours jusqu'à Noël ?",
            "fr",
            "Le 25 décembre 2026 est dans 27 jours (nous sommes le 28 novembre 2026).",
        ),
        (
            "how many days since 1 January 2000",
            "en",
            "1 January 2000 was 9828 days ago (today is 28 November 2026).",
        ),
        ("what is today's date", "en", "Today is Saturday 28 November 2026."),
        ("quel jour sommes-nous ?", "fr", "Nous sommes le samedi 28 novembre 2026."),
        ("is 2028 a leap year", "en", "Yes, 2028 is a leap year: February has 29 days."),
        (
            "1900 était-elle une année bissextile ?",
            "fr",
            "Non, 1900 n'était pas une année bissextile : février comptait 28 jours.",
        ),
        ("How many days are there in a leap year?", "en", "A leap year has 366 days (February has 29)."),
        ("how many days in February 2024", "en", "February 2024 has 29 days."),
        (
            "what day of the week is 30 February 2023",
            "en",
            "That date does not exist: February 2023 has only 28 days.",
        ),
    ],
)
def test_date_questions(message: str, lang: str, reply: str) -> None:
    answer = interpret_date(message, lang, TODAY)
    assert answer is not None, message
    assert answer.text == reply


def test_old_dates_mention_the_calendar() -> None:
    answer = interpret_date("Quel jour était le 25 décembre 800 ?", "fr", TODAY)
    assert answer is not None and "grégorien proleptique" in answer.text


def test_today_is_injected() -> None:
    answer = interpret_date("what date will it be in 1 day", "en", date(2024, 2, 28))
    assert answer is not None and answer.value == "2024-02-29"


def test_month_arithmetic_clamps() -> None:
    answer = interpret_date("What is 1 month after 31 January 2023?", "en", TODAY)
    assert answer is not None and answer.value == "2023-02-28"


@pytest.mark.parametrize(
    "message",
    [
        "When was the Eiffel Tower built?",
        "What happened on 14 July 1789?",
        "I will go to Paris in 3 days",
        "hello",
    ],
)
def test_not_a_date_question(message: str) -> None:
    assert interpret_date(message, "en", TODAY) is None


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("What date will it be 1,000 days from today?", "en"),
        ("Which date is it 1,000 days from today?", "en"),
        ("Quelle date serons-nous dans 1 000 jours ?", "fr"),
        ("Dans 1 000 jours, quelle date serons-nous ?", "fr"),
        ("Quel jour serons-nous dans 1\u202f000 jours ?", "fr"),  # a narrow no-break space groups too
    ],
)
def test_grouped_thousands_are_one_count_of_days(message: str, lang: str) -> None:
    answer = interpret_date(message, lang, TODAY)
    assert answer is not None, message
    assert answer.value == (TODAY + timedelta(days=1000)).isoformat()
    assert "1000" in answer.text


@pytest.mark.parametrize(
    ("message", "lang"),
    [("What date was it 1,000 days ago?", "en"), ("Quelle date était-ce il y a 1 000 jours ?", "fr")],
)
def test_grouped_thousands_count_back_too(message: str, lang: str) -> None:
    answer = interpret_date(message, lang, TODAY)
    assert answer is not None and answer.value == (TODAY - timedelta(days=1000)).isoformat()


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("dans 1 000 jours", "fr"),
        ("1,000 days from today", "en"),
    ],
)
def test_a_bare_count_of_days_is_never_read_as_another_count(message: str, lang: str) -> None:
    answer = interpret_date(message, lang, TODAY)
    assert answer is None or answer.value == (TODAY + timedelta(days=1000)).isoformat(), answer


def test_how_many_days_are_in_a_month() -> None:
    answer = interpret_date("How many days are in February 2028?", "en", TODAY)
    assert answer is not None and answer.value == "29"


@pytest.mark.parametrize(
    ("message", "lang", "value"),
    [
        (
            "How many whole weeks are there between Monday 5 January 2026 and Monday 30 March 2026?",
            "en",
            "12",
        ),
        (
            "Combien y a-t-il de jours du 1er janvier 2024 au 31 décembre 2024, ces deux jours inclus ?",
            "fr",
            "366",
        ),
    ],
)
def test_counting_questions_worded_otherwise(message: str, lang: str, value: str) -> None:
    answer = interpret_date(message, lang, TODAY)
    assert answer is not None and answer.value == value, answer
