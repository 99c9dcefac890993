"""Ages on a date from a birth date, and spans in whole years or months."""

from __future__ import annotations

from datetime import date

import pytest

from eclair.answer.dateage import birthday_in, breakdown, full_years
from eclair.answer.dates import interpret_date
from eclair.answer.datetext import Duration

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("message", "lang", "age"),
    [
        ("I was born on 12 March 1990. How old was I on 1 January 2025?", "en", "34"),
        ("I was born on 12 March 1990. How old was I on 12 March 2025?", "en", "35"),
        ("How old will someone born on 29 February 2000 be on 28 February 2030?", "en", "29"),
        ("How old will someone born on 29 February 2000 be on 1 March 2030?", "en", "30"),
        ("How old will I be on 1 June 2040 if I was born on 5 May 1985?", "en", "55"),
        ("How old is someone born on 1 January 2000?", "en", "26"),
        ("Today is 1 March 2025. I was born on 2 March 1995. How old am I?", "en", "29"),
        ("How old will I be in 10 years if I was born on 3 December 1990?", "en", "45"),
        ("What age was a baby born on 31 December 1999 on 1 January 2000?", "en", "0"),
        ("Je suis né le 3 avril 1985. Quel âge avais-je le 1er janvier 2000 ?", "fr", "14"),
        ("Quel âge aura une personne née le 5 mai 1980 le 1er janvier 2030 ?", "fr", "49"),
        ("Née le 10 octobre 2000, quel âge aurai-je le 9 octobre 2030 ?", "fr", "29"),
        ("Quel âge aurai-je le 14 juillet 2030 ? Je suis née le 14 juillet 1980.", "fr", "50"),
        ("Nous sommes le 15 juin 2025. Quel âge a une personne née le 20 juin 1990 ?", "fr", "34"),
        ("Quel âge a quelqu'un né le 25/12/2000 ?", "fr", "25"),
    ],
)
def test_age_on_a_date(message: str, lang: str, age: str) -> None:
    answer = interpret_date(message, lang, TODAY)
    assert answer is not None, message
    assert answer.value == age


@pytest.mark.parametrize(
    ("message", "lang", "reply"),
    [
        (
            "I was born on 12 March 1990. How old was I on 1 January 2025?",
            "en",
            "You were 34 years old on 1 January 2025 (born on 12 March 1990; 35 from 12 March 2025).",
        ),
        (
            "Quel âge aura une personne née le 5 mai 1980 le 1er janvier 2030 ?",
            "fr",
            "Une personne née le 5 mai 1980 aura 49 ans le 1er janvier 2030 (50 ans à partir du 5 mai 2030).",
        ),
        (
            "Today is 1 March 2025. I was born on 2 March 1995. How old am I?",
            "en",
            "You are 29 years old today, 1 March 2025, as you said (born on 2 March 1995; 30 from 2 March 2025).",
        ),
        (
            "How old was I on 1 January 1980 if I was born on 5 May 1985?",
            "en",
            "1 January 1980 is before the birth date (5 May 1985): there is no age to give on that day.",
        ),
    ],
)
def test_age_replies(message: str, lang: str, reply: str) -> None:
    answer = interpret_date(message, lang, TODAY)
    assert answer is not None and answer.text == reply


@pytest.mark.parametrize(
    ("message", "lang", "count"),
    [
        ("How many years between 12 March 1990 and 1 January 2025?", "en", "34"),
        ("How many full years between 29 February 2020 and 28 February 2024?", "en", "3"),
        ("Combien d'années entre le 14 juillet 1789 et le 4 septembre 1870 ?", "fr", "81"),
        ("Combien d'ans entre le 1er janvier 2000 et le 1er janvier 2025 ?", "fr", "25"),
        ("How many months between 15 January 2024 and 10 June 2024?", "en", "4"),
        ("Combien de mois séparent le 1er janvier 2025 et le 1er octobre 2025 ?", "fr", "9"),
    ],
)
def test_whole_years_and_months_between(message: str, lang: str, count: str) -> None:
    answer = interpret_date(message, lang, TODAY)
    assert answer is not None, message
    assert answer.value == count


def test_span_reply_gives_the_breakdown() -> None:
    answer = interpret_date("How many years between 12 March 1990 and 1 January 2025?", "en", TODAY)
    assert answer is not None
    assert answer.text == (
        "There are 34 full years between 12 March 1990 and 1 January 2025 (34 years, 9 months and 20 days)."
    )


@pytest.mark.parametrize(
    "message",
    [
        "I was born in Paris. How old is the Eiffel Tower?",
        "How old was Mozart when he died?",
        "Quel âge a la tour Eiffel ?",
        "How many years did the Hundred Years' War last?",
    ],
)
def test_not_an_age_computation(message: str) -> None:
    assert interpret_date(message, "en", TODAY) is None


def test_calendar_helpers() -> None:
    assert full_years(date(2000, 2, 29), date(2001, 2, 28)) == 0
    assert full_years(date(2000, 2, 29), date(2001, 3, 1)) == 1
    assert birthday_in(date(2000, 2, 29), 2001) == date(2001, 3, 1)
    assert breakdown(date(2024, 1, 31), date(2024, 2, 29)) == Duration(months=1)
    assert breakdown(date(2023, 5, 20), date(2024, 5, 19)) == Duration(months=11, days=29)
