"""Ages and spans in whole years or months: "how old was I on…", "how many years between…".

Contract: :func:`answer_age` answers an age question that gives a birth date ("I was born on
12 March 1990. How old was I on 1 January 2025?", "quel âge aura une personne née le 5 mai
1980 le 1er janvier 2030 ?"): the age on the other date of the message, or on ``today`` when
there is none; for a year alone ("quel âge aura-t-il en 2030") both ages of that year, before
and from the birthday. An age counts completed years: before the birthday of the year it is one
less. Someone born on 29 February has their birthday on 1 March in common years.
:func:`answer_span` answers "how many years / months between two dates" in completed units,
with the exact years-months-days breakdown. Both return None when the message is not such a
question; neither reads the clock.
"""

from __future__ import annotations

import re
from datetime import date

from eclair.answer.dateformat import DateAnswer, duration_text, format_date, unit_text
from eclair.answer.datetext import Duration, FoundDate, blank, shift
from eclair.answer.phrasing import say

AGE_CUE = re.compile(
    r"\bhow old\b|\bwhat (?:was|is|will be) (?:my|his|her|their|the) age\b|\bwhat age\b|\bage (?:on|at)\b|"
    r"\bquel age\b|\bage (?:avai[st]|aura[is]?|aurai[st]?|a-t-(?:il|elle|on))\b"
)
_BIRTH_CUE = re.compile(r"\b(?:born|birth|birthday|dob|ne|nee|nes|nees|naissance|naquit|suis ne)\b")
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|my|me|am i|je|j'|moi|mon|ma|suis|ai-je|aurai-je|avais-je)\b|\bj'")
SPAN_CUE = re.compile(
    r"\bhow many (?:full |whole |complete )?(?P<en>years|months)\b|"
    r"\bcombien d'(?P<fr_years>annees|ans)\b|\bcombien de (?P<fr_months>mois)\b"
)


def full_years(birth: date, on: date) -> int:
    """Completed years from ``birth`` to ``on`` (negative when ``on`` comes first)."""
    years = on.year - birth.year
    return years - 1 if (on.month, on.day) < (birth.month, birth.day) else years


def birthday_in(birth: date, year: int) -> date:
    """The birthday in ``year``: 29 February falls on 1 March in common years."""
    try:
        return birth.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def breakdown(start: date, end: date) -> Duration:
    """``end - start`` (``start <= end``) as years, months and days, months counted by calendar."""
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and shift(start, Duration(months=months), 1) > end:
        months -= 1
    days = (end - shift(start, Duration(months=months), 1)).days
    return Duration(years=months // 12, months=months % 12, days=days)


def _birth_and_target(text: str, dates: list[FoundDate], today: date) -> tuple[date, date, bool] | None:
    """(birth, target, target_is_today) from the dates of an age question."""
    explicit = [d for d in dates if not d.relative]
    cues = [m.end() for m in _BIRTH_CUE.finditer(text)]
    if not explicit:
        return None
    birth = next((d for d in explicit if any(0 <= d.start - c <= 25 for c in cues)), None)
    if birth is None:
        if len(explicit) < 2 and not cues:
            return None
        birth = min(explicit, key=lambda d: d.value)
    others = [d for d in dates if d is not birth]
    if not others:
        return birth.value, today, True
    return birth.value, others[0].value, False


def answer_age(
    text: str, lang: str, today: date, dates: list[FoundDate], today_label: str
) -> DateAnswer | None:
    if not AGE_CUE.search(text):
        return None
    found = _birth_and_target(text, dates, today)
    if found is None:
        return None
    birth, target, on_today = found
    if on_today and (year := _year_asked(text, dates)) is not None:
        return _age_in_year(birth, year, lang)
    if target < birth:
        text_out = say("date.age_unborn", lang, on=format_date(target, lang), birth=format_date(birth, lang))
        return DateAnswer(text_out, "invalid", ("before", "avant"))
    age = full_years(birth, target)
    tense = "past" if target < today else "present" if target == today else "future"
    person = "you" if _FIRST_PERSON.search(text) else "someone"
    when = (
        say("date.age_today", lang, today=today_label)
        if on_today
        else say("date.age_on", lang, on=format_date(target, lang))
    )
    upcoming = birthday_in(birth, target.year)
    note = ""
    if upcoming > target:  # the birthday of that year has not come yet
        note = say("date.age_next", lang, next_age=age + 1, birthday=format_date(upcoming, lang))
    if note:
        separator = " ; " if lang == "fr" else "; "
        note = f"{separator}{note}" if person == "you" else f" ({note})"
    text_out = say(
        f"date.age_{person}_{tense}",
        lang,
        age=_years_old(age, lang),
        when=when,
        birth=format_date(birth, lang),
        note=note,
    )
    return DateAnswer(text_out, str(age), (str(age),))


# "quel âge aura en 2030 …", "how old will she be in 2040": a year, not a date.
_IN_YEAR = re.compile(r"\b(?:in|by|en|au cours de|courant)\s+(\d{4})\b")


def _year_asked(text: str, dates: list[FoundDate]) -> int | None:
    years = {int(m[1]) for m in _IN_YEAR.finditer(blank(text, dates))}
    return years.pop() if len(years) == 1 else None


def _age_in_year(birth: date, year: int, lang: str) -> DateAnswer:
    """The age during ``year``: one less before that year's birthday, so both are given."""
    after = year - birth.year
    if after < 1:
        return DateAnswer(
            say("date.age_unborn", lang, on=str(year), birth=format_date(birth, lang)),
            "invalid",
            ("before", "avant"),
        )
    text_out = say(
        "date.age_in_year",
        lang,
        year=year,
        birth=format_date(birth, lang),
        after=after,
        before=after - 1,
        birthday=format_date(birthday_in(birth, year), lang),
    )
    return DateAnswer(text_out, str(after), (str(after),))


def _years_old(age: int, lang: str) -> str:
    if lang == "fr":
        return unit_text(age, "years", "fr")
    return f"{unit_text(age, 'years', 'en')} old"


def answer_span(text: str, lang: str, dates: list[FoundDate]) -> DateAnswer | None:
    """Whole years or months between the first two dates of ``text``."""
    m = SPAN_CUE.search(text)
    if not m or len(dates) < 2:
        return None
    start, end = sorted((dates[0].value, dates[1].value))
    parts = breakdown(start, end)
    if m["fr_months"] or m["en"] == "months":
        count, unit = parts.years * 12 + parts.months, "months"
    else:
        count, unit = parts.years, "years"
    exact = parts.days == 0 and (unit == "months" or not parts.months)
    detail = "" if exact else f" ({duration_text(parts, lang)})"
    text_out = say(
        "date.span",
        lang,
        verb="is" if count == 1 else "are",
        amount=_full_units(count, unit, lang),
        start=format_date(start, lang),
        end=format_date(end, lang),
        detail=detail,
    )
    return DateAnswer(text_out, str(count), (str(count),))


def _full_units(count: int, unit: str, lang: str) -> str:
    """``34 full years``, ``1 année complète``, ``5 mois complets``."""
    one = count == 1 if lang == "en" else count < 2
    if lang == "fr":
        word = (
            ("année complète", "années complètes") if unit == "years" else ("mois complet", "mois complets")
        )
    else:
        word = ("full year", "full years") if unit == "years" else ("full month", "full months")
    return f"{count} {word[0 if one else 1]}"
