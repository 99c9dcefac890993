"""Dates moved by durations and days counted between dates, in English and French."""

from __future__ import annotations

from datetime import date

import pytest

from eclair.answer.dates import interpret_date

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("message", "lang", "iso"),
    [
        ("What date is 100 days after 14 July 2026?", "en", "2026-10-22"),
        ("Quelle date tombe 45 jours avant le 31 mars 2026 ?", "fr", "2026-02-14"),
        ("What date is 6 weeks before 1 January 2025?", "en", "2024-11-20"),
        ("Ajoute 2 semaines au 20 décembre 2025.", "fr", "2026-01-03"),
        ("Subtract 30 days from 1 March 2024.", "en", "2024-01-31"),
        ("Retire un jour au 1er mars 2023.", "fr", "2023-02-28"),
        ("Add 3 months to 31 January 2024.", "en", "2024-04-30"),
        ("What is 1 month after 31 January 2023?", "en", "2023-02-28"),
        ("What is 29 February 2024 plus 1 year?", "en", "2025-02-28"),
        ("Quelle date sera-t-il 10 ans après le 29 février 2024 ?", "fr", "2034-02-28"),
        ("What's the date 2 years and 3 months after 30 November 2025?", "en", "2028-02-29"),
        ("Quelle date sera-t-il mille jours après Noël 2024 ?", "fr", "2027-09-21"),
        ("What date is a fortnight after 25/12/2025?", "en", "2026-01-08"),
        ("Quelle date est 3 semaines après le 15/02/2026 ?", "fr", "2026-03-08"),
    ],
)
def test_a_date_moved_by_a_duration(message: str, lang: str, iso: str) -> None:
    answer = interpret_date(message, lang, TODAY)
    assert answer is not None, message
    assert answer.value == iso


@pytest.mark.parametrize(
    ("message", "lang", "days"),
    [
        ("How many days from 15 August 2023 to 25 December 2023?", "en", "132"),
        ("How many days from 1 March 2025 to 10 March 2025 inclusive?", "en", "10"),
        ("How many days from the 1st to the 10th of March 2025, counting both days?", "en", "10"),
        ("Combien de jours du 1er au 10 mars 2025, les deux inclus ?", "fr", "10"),
        ("Combien de jours entre le 1er et le 31 janvier 2026 inclus ?", "fr", "31"),
        ("How many days between 1 July 2025 and 31 December 2025, both included?", "en", "184"),
        ("How many days are strictly between 14 February 2024 and 14 February 2025?", "en", "365"),
        ("Combien de jours strictement entre le 1er mars 2030 et le 1er mai 2030 ?", "fr", "60"),
        ("Combien de jours séparent le 1er janvier 2024 du 25 décembre 2024 ?", "fr", "359"),
        ("How many days between 1 February 2023 and 1 March 2023?", "en", "28"),
        ("Combien de jours entre le 01/02/2024 et le 01/03/2024 ?", "fr", "29"),
    ],
)
def test_days_between_two_dates(message: str, lang: str, days: str) -> None:
    answer = interpret_date(message, lang, TODAY)
    assert answer is not None, message
    assert answer.value == days


def test_inclusive_counts_say_so() -> None:
    answer = interpret_date("How many days from 1 March 2025 to 10 March 2025 inclusive?", "en", TODAY)
    assert answer is not None
    assert answer.text == (
        "From 1 March 2025 to 10 March 2025, counting both days, there are 10 days (9 days between the two dates)."
    )


@pytest.mark.parametrize(
    ("message", "lang", "weeks", "reply"),
    [
        (
            "How many weeks between 6 January 2025 and 31 March 2025?",
            "en",
            "12",
            "There are 12 weeks between 6 January 2025 and 31 March 2025 (84 days).",
        ),
        (
            "Combien de semaines entre le 1er mars 2026 et le 1er juin 2026 ?",
            "fr",
            "13",
            "Il y a 13 semaines et 1 jour entre le 1er mars 2026 et le 1er juin 2026 (92 jours).",
        ),
        (
            "How many weeks between 1 May 2025 and 4 May 2025?",
            "en",
            "0",
            "There are 0 weeks between 1 May 2025 and 4 May 2025 (3 days).",
        ),
    ],
)
def test_weeks_between_two_dates(message: str, lang: str, weeks: str, reply: str) -> None:
    answer = interpret_date(message, lang, TODAY)
    assert answer is not None
    assert (answer.value, answer.text) == (weeks, reply)


@pytest.mark.parametrize(
    ("message", "lang", "weekday"),
    [
        ("What day is 3 days after Friday?", "en", "monday"),
        ("What is Tuesday plus 10 days?", "en", "friday"),
        ("What day of the week comes 100 days before a Wednesday?", "en", "monday"),
        ("Quel jour sera-t-il 2 semaines et 3 jours après un lundi ?", "fr", "thursday"),
        ("Mardi moins 9 jours, c'est quel jour ?", "fr", "sunday"),
        ("Quel jour tombe 50 jours après un samedi ?", "fr", "sunday"),
    ],
)
def test_a_weekday_moved_by_days(message: str, lang: str, weekday: str) -> None:
    answer = interpret_date(message, lang, TODAY)
    assert answer is not None, message
    assert answer.value == weekday


def test_a_weekday_in_a_statement_is_not_a_question() -> None:
    assert interpret_date("I will see you on Friday in 3 days.", "en", TODAY) is None
