"""A today stated in the message replaces the real one, and the reply says which it used."""

from __future__ import annotations

from datetime import date

import pytest

from eclair.answer.dateref import find_reference
from eclair.answer.dates import interpret_date
from eclair.answer.datetext import find_dates
from eclair.answer.facts import fold1
from eclair.answer.numwords import words_to_digits

TODAY = date(2026, 11, 29)  # the real today of these tests, a Sunday


@pytest.mark.parametrize(
    ("message", "lang", "value", "stated"),
    [
        ("If today is 3 March 2025, what will the date be in 6 weeks?", "en", "2025-04-14", "3 March 2025"),
        (
            "Suppose it's 10 October 2025. What was the date 100 days ago?",
            "en",
            "2025-07-02",
            "10 October 2025",
        ),
        (
            "Let's say today is 31 January 2024. What date is it in one month?",
            "en",
            "2024-02-29",
            "31 January 2024",
        ),
        ("Today is 14 July 2027. What's the date in ten days?", "en", "2027-07-24", "14 July 2027"),
        (
            "Assuming today is 30/08/2025, what date will it be in 200 days?",
            "fr",
            "2026-03-18",
            "30 août 2025",
        ),
        (
            "It's Monday 15 September 2025. What was the date 30 days ago?",
            "en",
            "2025-08-16",
            "15 September 2025",
        ),
        (
            "Nous sommes le 28 janvier 2026. Quelle date serons-nous dans 45 jours ?",
            "fr",
            "2026-03-14",
            "28 janvier 2026",
        ),
        (
            "Aujourd'hui c'est le 5 mai 2025. Quelle date était-il il y a trois semaines ?",
            "fr",
            "2025-04-14",
            "5 mai 2025",
        ),
        (
            "Si on est le 31 décembre 2024, quelle date serons-nous dans 2 mois ?",
            "fr",
            "2025-02-28",
            "31 décembre 2024",
        ),
        ("On est le 1er décembre 2025. Dans combien de jours est Noël ?", "fr", "24", "1er décembre 2025"),
        ("Suppose it's 10 June 2025. How many days until Christmas?", "en", "198", "10 June 2025"),
        ("Today is 20 December 2025. How many days until New Year's Day?", "en", "12", "20 December 2025"),
        (
            "Supposons que nous soyons le 1er février 2026 : combien de jours jusqu'au 14 juillet ?",
            "fr",
            "163",
            "1er février 2026",
        ),
        ("If today is 28 February 2024, what is tomorrow's date?", "en", "2024-02-29", "28 February 2024"),
        (
            "Si aujourd'hui est le 28 février 2023, quelle date serons-nous demain ?",
            "fr",
            "2023-03-01",
            "28 février 2023",
        ),
    ],
)
def test_a_stated_today_replaces_the_real_one(message: str, lang: str, value: str, stated: str) -> None:
    answer = interpret_date(message, lang, TODAY)
    assert answer is not None, message
    assert answer.value == value
    assert stated in answer.text  # the reply names the today it used
    assert "29 November 2026" not in answer.text and "29 novembre 2026" not in answer.text


def test_the_reply_says_the_today_was_the_users() -> None:
    answer = interpret_date("If today is 3 March 2025, what will the date be in 6 weeks?", "en", TODAY)
    assert answer is not None
    assert answer.text == "In 6 weeks, it will be Monday 14 April 2025 (today is 3 March 2025, as you said)."
    answer = interpret_date("If today is 28 February 2024, what is tomorrow's date?", "en", TODAY)
    assert answer is not None
    assert answer.text == "Taking today as 28 February 2024: 29 February 2024 will be a Thursday."


@pytest.mark.parametrize(
    ("message", "lang", "weekday"),
    [
        ("If today is Tuesday, what day of the week will it be in 100 days?", "en", "thursday"),
        ("If it's a Sunday today, what day was it 10 days ago?", "en", "thursday"),
        ("Suppose today is a Friday. What day will it be in 3 weeks?", "en", "friday"),
        ("If today is Monday, what day is it in 365 days?", "en", "tuesday"),
        ("Si on est un vendredi, quel jour serons-nous dans 30 jours ?", "fr", "sunday"),
        ("Aujourd'hui c'est mercredi. Quel jour étions-nous il y a 15 jours ?", "fr", "tuesday"),
        ("On est samedi : quel jour de la semaine sera-t-il dans 1000 jours ?", "fr", "friday"),
    ],
)
def test_a_stated_weekday_moves_by_days(message: str, lang: str, weekday: str) -> None:
    answer = interpret_date(message, lang, TODAY)
    assert answer is not None, message
    assert answer.value == weekday and "2026" not in answer.text


def test_a_stated_weekday_answers_days_in_full() -> None:
    answer = interpret_date("If today is Tuesday, what day of the week will it be in 100 days?", "en", TODAY)
    assert answer is not None
    assert (
        answer.text
        == "If today is a Tuesday, in 100 days it will be a Thursday (100 days is 14 weeks and 2 days)."
    )


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("If today is Tuesday, what day will it be in 2 months?", "en"),
        ("Si on est jeudi, quel jour serons-nous dans un an ?", "fr"),
    ],
)
def test_a_stated_weekday_cannot_move_by_months(message: str, lang: str) -> None:
    answer = interpret_date(message, lang, TODAY)
    assert answer is not None and answer.value == "unknown"
    assert "2026" not in answer.text  # not silently computed from the real today


def _reference(message: str, lang: str) -> object:
    text = words_to_digits(fold1(message), lang)
    return find_reference(text, find_dates(text, lang, TODAY))


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("How many days from today is 25 December 2026?", "en"),
        ("What weekday it is on 1 May 2025?", "en"),
        ("Quel jour sommes-nous ?", "fr"),
        ("Combien de jours entre aujourd'hui et le 14 juillet ?", "fr"),
        ("I think it is 3 March 2025 that she left.", "en"),
    ],
)
def test_not_a_stated_today(message: str, lang: str) -> None:
    assert _reference(message, lang) is None


def test_a_stated_today_is_used_for_the_real_question_only() -> None:
    # the stated date is blanked: it is neither the start of the count nor a second date
    answer = interpret_date(
        "Nous sommes le 1er mars 2025. Combien de jours jusqu'au 1er avril ?", "fr", TODAY
    )
    assert answer is not None and answer.value == "31"
