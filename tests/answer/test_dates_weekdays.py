"""Weekday questions in the forms people write them: holidays restated in parentheses,
numeric dates (day first in French, month first in English), ordinals, "fall on", and
yes/no checks ("was 1 May 2000 a Monday?")."""

from __future__ import annotations

from datetime import date

import pytest

from eclair.answer.dates import interpret_date
from eclair.answer.router import answer_with_tools

TODAY = date(2026, 11, 29)  # a Sunday


@pytest.mark.parametrize(
    ("message", "lang", "iso", "weekday"),
    [
        (
            "Which day of the week will Bastille Day 2031 (14 July 2031) fall on?",
            "en",
            "2031-07-14",
            "Monday",
        ),
        ("What day will New Year's Day 2032 (1 January 2032) be?", "en", "2032-01-01", "Thursday"),
        (
            "Quel jour de la semaine tombera le Nouvel An 2032 (1er janvier 2032) ?",
            "fr",
            "2032-01-01",
            "jeudi",
        ),
        ("Noël 2030, soit le 25 décembre 2030, tombe quel jour ?", "fr", "2030-12-25", "mercredi"),
        ("What day was 4 July 1976?", "en", "1976-07-04", "Sunday"),
        ("What day did 1 May 1990 fall on?", "en", "1990-05-01", "Tuesday"),
        ("Quel jour de la semaine tombe le 25/12/2030 ?", "fr", "2030-12-25", "mercredi"),
        ("What day of the week is 12/25/2030?", "en", "2030-12-25", "Wednesday"),
        ("What day of the week was 07/14/1976?", "en", "1976-07-14", "Wednesday"),
        ("Quel jour de la semaine était le 07/04/1976 ?", "fr", "1976-04-07", "mercredi"),
        ("What day of the week was March 3rd, 2021?", "en", "2021-03-03", "Wednesday"),
        ("what day is the 3rd of March 2025", "en", "2025-03-03", "Monday"),
        ("May 1st 2031 will be which day?", "en", "2031-05-01", "Thursday"),
        ("Le 1er mai 2031, c'est quel jour ?", "fr", "2031-05-01", "jeudi"),
        ("Quel jour était le premier mai 1995 ?", "fr", "1995-05-01", "lundi"),
        ("What day of the week is Valentine's Day 2027?", "en", "2027-02-14", "Sunday"),
        ("Quel jour de la semaine tombe la Saint-Valentin 2027 ?", "fr", "2027-02-14", "dimanche"),
        ("On which day of the week did 20 July 1969 fall?", "en", "1969-07-20", "Sunday"),
        ("Le 29/02/2000 était quel jour de la semaine ?", "fr", "2000-02-29", "mardi"),
    ],
)
def test_weekday_of_a_date(message: str, lang: str, iso: str, weekday: str) -> None:
    answer = interpret_date(message, lang, TODAY)
    assert answer is not None, message
    assert answer.value == iso
    assert weekday in answer.text


@pytest.mark.parametrize(
    ("message", "lang", "value", "reply"),
    [
        ("Is 25 December 2030 a Wednesday?", "en", "yes", "Yes: 25 December 2030 will be a Wednesday."),
        ("Was 1 January 2000 a Monday?", "en", "no", "No: 1 January 2000 was a Saturday, not a Monday."),
        ("Was July 4, 1976 a Sunday?", "en", "yes", "Yes: 4 July 1976 was a Sunday."),
        ("Will 14 July 2031 be a Friday?", "en", "no", "No: 14 July 2031 will be a Monday, not a Friday."),
        ("Le 14 juillet 2026 est-il un mardi ?", "fr", "yes", "Oui : le 14 juillet 2026 était un mardi."),
        (
            "Est-ce que le 1er mai 2031 tombe un vendredi ?",
            "fr",
            "no",
            "Non : le 1er mai 2031 sera un jeudi, et non un vendredi.",
        ),
        ("Le 11/11/2026 était-il un mercredi ?", "fr", "yes", "Oui : le 11 novembre 2026 était un mercredi."),
        (
            "Le 31 décembre 2024, c'était un lundi ?",
            "fr",
            "no",
            "Non : le 31 décembre 2024 était un mardi, et non un lundi.",
        ),
    ],
)
def test_a_weekday_claim_is_checked(message: str, lang: str, value: str, reply: str) -> None:
    answer = interpret_date(message, lang, TODAY)
    assert answer is not None, message
    assert (answer.value, answer.text) == (value, reply)


def test_a_weekday_written_with_its_date_is_a_label_not_a_claim() -> None:
    answer = interpret_date("What date is 10 days after Monday 3 March 2025?", "en", TODAY)
    assert answer is not None and answer.value == "2025-03-13"


@pytest.mark.parametrize(
    ("message", "lang", "route"),
    [
        ("Today is a good day. What is 3 + 4?", "en", "calculator"),
        ("It's Sunday. What is today's date?", "en", "date"),
    ],
)
def test_a_passing_today_does_not_capture_the_question(message: str, lang: str, route: str) -> None:
    reply = answer_with_tools(message, lang, TODAY)  # type: ignore[arg-type]
    assert reply is not None and reply.route == route
    if route == "date":  # the real today's weekday, stated alone: the real today answers
        assert "29 November 2026" in reply.text
