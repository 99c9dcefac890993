"""The date tool: weekdays, days between dates, dates plus or minus a duration, ages, leap years.

Contract: :func:`interpret_date` reads one message with an injected ``today`` and returns a
:class:`DateAnswer` (the reply and the computed value) or None when the message is not a
date computation. It answers:

- weekday of a date: "what day of the week was 14 July 1789", "quel jour tombe le 1er janvier
  2030", "Christmas Day 2030 (25 December 2030)"; and checks one: "was 1 May 2000 a Monday?";
- days (or weeks, months, years) between two dates, or from/to today: "how many days between
  2024-03-01 and 2024-12-25", "du 1er au 10 mars, les deux inclus", "combien de jours jusqu'à
  Noël"; counting both ends when asked ("inclusive", "les deux inclus");
- a date moved by a duration: "what date will it be in 100 days", "add 3 months to 31 January
  2024" (month ends clamp), "45 days before 2024-03-01", "il y a 100 jours";
- an age on a date from a birth date (:mod:`eclair.answer.dateage`);
- today's date, leap years, the number of days in a month.

A message may state its own today ("if today is 3 March 2025", "nous sommes le 28 janvier";
:mod:`eclair.answer.dateref`): it then replaces the injected ``today``, and the reply says which
date it took as today. A stated weekday alone ("if today is a Tuesday") answers weekday
questions ("what day will it be in 100 days"). Impossible dates ("30 February 2023") get an
explanation rather than an answer, and so does an English numeric date that reads both ways
("03/04/2026": 4 March or 3 April?). Two dates without a year ("between Christmas and New
Year") are taken in the order that makes them nearer. Dates before 15 October 1582 are computed in the proleptic
Gregorian calendar, and the reply says so. Nothing here reads the clock.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import replace
from datetime import date

from eclair.answer.dateage import AGE_CUE, answer_age, answer_span
from eclair.answer.datecalc import FROM_TODAY, between, shifted, weekday_shift
from eclair.answer.dateformat import DateAnswer, date_checks, format_date, weekday_checks
from eclair.answer.dateref import WEEKDAY_ALT, WEEKDAY_NAMES, find_reference
from eclair.answer.datetext import (
    _MONTH_ALT,
    _MONTHS,
    Duration,
    FoundDate,
    InvalidDate,
    blank,
    find_dates,
    find_durations,
    shift,
)
from eclair.answer.facts import fold1
from eclair.answer.numwords import words_to_digits
from eclair.answer.phrasing import MONTHS, WEEKDAYS, capitalise, say

__all__ = ["DateAnswer", "format_date", "interpret_date"]

GREGORIAN_START = date(1582, 10, 15)

_WEEKDAY_CUE = re.compile(
    r"\b(?:what|which) (?:day of the week|weekday|day)\b|\bday of the week\b|\b(?:on )?what day\b|"
    r"\bquel jour\b|\bjour de la semaine\b|\bquel(?:le)? (?:jour|date) (?:tombe|etait|sera|est)\b"
)
_BETWEEN_CUE = re.compile(
    r"\bhow many (?:full |whole |complete )?(?:days|weeks)\b|\bcombien (?:y a-t-il |il y a |de temps, en )?(?:de |d.)(?:jours|semaines(?: completes| entieres)?)\b|"
    r"\bnumber of (?:full |whole )?(?:days|weeks)\b|\bnombre de (?:jours|semaines)\b|\bhow long (?:until|till|since|before)\b|"
    r"\bdays (?:between|until|till|since|from)\b|\bjours (?:separent|entre|jusqu'a|avant|depuis)\b"
)
_TODAY_CUE = re.compile(
    r"\bwhat(?:'s| is) (?:the date(?! (?:of|for)\b)|today's date|the date today)\b|\bwhat day is (?:it|today)\b|"
    r"\bquel jour (?:sommes-nous|on est|est-on|nous sommes)\b|\bon est quel jour\b|"
    r"\bquelle (?:est la )?date (?:sommes-nous|on est|est-on|aujourd'hui|d'aujourd'hui)\b|"
    # "quelle est la date ?" asks today's; "quelle est la date de la prise de la Bastille ?" an event's
    r"\bquelle est la date(?! (?:de|du|des|d')\b)|\bwhat date is (?:it|today)\b|\bwhat day of the week is (?:it|today)\b|"
    r"\bquel jour de la semaine (?:sommes-nous|on est|est-on|est-ce aujourd'hui)\b|\bwhat year is (?:it|this)\b|"
    r"\ben quelle annee (?:sommes-nous|on est|est-on)\b|\bquelle annee (?:sommes-nous|on est|est-on)\b"
)
# "what is tomorrow's date", "quelle date serons-nous demain": a date asked in one sentence
_ASKS_DATE = re.compile(r"\b(?:what|which|quel|quelle)\b[^.?!;]{0,30}\b(?:date|day|jour)\b")
_YES_NO = re.compile(
    r"^\s*(?:is|was|will|does|did|would|isn't|wasn't|est-ce|etait-ce|c'etait|c'est)\b|\?\s*$"
)
_ASKS = re.compile(r"\b(?:what|which|when|quel|quelle|quoi|quand)\b|\?")
_WEEKDAY_WORD = re.compile(rf"\b(?P<weekday>{WEEKDAY_ALT})s?\b")
_LEAP_RE = re.compile(r"\b(?:leap year|leap-year|bissextile)\b")
_MONTH_DAYS_RE = re.compile(
    rf"\b(?:how many days (?:are there |are |is there |were there |were |does |do |did )?(?:in |has |have )?|combien de jours (?:y a-t-il |compte |a |comptent )?"
    rf"(?:en |dans |dans le mois de |le mois de |le mois d'|pour )?)(?:the month of )?(?P<month>{_MONTH_ALT})"
    rf"(?: (?P<year>\d{{1,4}}))?\b(?! \d)"
)


def _tense(d: date, today: date) -> str:
    return "past" if d < today else "today" if d == today else "future"


def _invalid(bad: InvalidDate, lang: str) -> DateAnswer:
    if not 1 <= (bad.year or 1) <= 9999 or not 1 <= bad.month <= 12:
        return DateAnswer(say("date.out_of_range", lang), "invalid")
    year = bad.year or 2001
    days = calendar.monthrange(year, bad.month)[1]
    month = MONTHS[lang][bad.month - 1]
    year_part = f"{bad.year} " if bad.year and bad.month == 2 else ""
    return DateAnswer(
        say(
            "date.invalid",
            lang,
            month=capitalise(month) if lang == "en" else month,
            year_part=year_part,
            days=days,
        ),
        "invalid",
        ("not exist", "n'existe pas", "invalid"),
    )


_GROUPED_COUNT = re.compile(
    r"(?<![\d,.])(\d{1,3}(?:[,\u00a0\u202f ]\d{3})+)(?=\s*(?:days?|weeks?|months?|years?|hours?|minutes?|jours?|"
    r"semaines?|mois|ans|annees|heures?)\b)"
)


def interpret_date(message: str, lang: str, today: date) -> DateAnswer | None:
    """The date computation asked for in ``message``, or None (see the module docstring)."""
    if len(message) > 400:
        return None
    # 1. read the message; a today it states replaces the injected one
    text = words_to_digits(fold1(message), lang)
    # "1,000 days", "1 000 jours": one number (a same-length rewrite keeps every span)
    text = _GROUPED_COUNT.sub(lambda m: re.sub(r"[, \u00a0\u202f]", "", m[1]).rjust(len(m[1])), text)
    found = find_dates(text, lang, today)
    reference = find_reference(text, found)
    if reference is not None and reference.weekday is not None:
        blanked = blank(text, [reference])
        if answer := weekday_shift(blanked, lang, reference.weekday, find_durations(blanked)):
            return answer
        # "It's Monday. What is the date?": the weekday alone does not say. When it is not the real
        # today's, "today" and "next Friday" name a date the message does not give.
        if reference.weekday != today.weekday():
            found = [f for f in found if not (isinstance(f, FoundDate) and f.relative)]
            if not found:
                weekday = WEEKDAYS[lang][reference.weekday]
                return DateAnswer(say("date.date_needs_today", lang, weekday=weekday), "invalid")
        reference = None
    if reference is not None and reference.value is not None:
        text = blank(text, [reference])
        today = reference.value
        found = find_dates(text, lang, today)
    invalid = [f for f in found if isinstance(f, InvalidDate)]
    dates = [f for f in found if isinstance(f, FoundDate)]
    for f in dates:
        if f.other_reading is not None:
            # Coverage: asking which date is meant only makes sense for a question this tool
            # answers ("what will the weather be like next Saturday?" is not one).
            one_reading = [replace(d, other_reading=None) if d is f else d for d in dates]
            duration_first = find_durations(blank(text, found))
            if (
                _answer(text, lang, today, format_date(today, lang), one_reading, invalid, duration_first)
                is None
            ):
                return None
            # "03/04/2026": 4 March or 3 April; a weekday or a count would be a guess.
            first, second = (format_date(d, lang, weekday=True) for d in (f.value, f.other_reading))
            key = "date.ambiguous_weekday" if f.weekday_named else "date.ambiguous"
            written = text[f.start : f.end]
            return DateAnswer(say(key, lang, written=written, first=first, second=second), "ambiguous")
    duration = find_durations(blank(text, found))
    if reference is None and not found and duration and _ASKS.search(text):
        anchor = _weekday_anchor(text, duration)
        answer = None if anchor is None else weekday_shift(text, lang, anchor, duration, anchored=True)
        if answer:
            return DateAnswer(capitalise(answer.text), answer.value, answer.checks)
    # 2. compute
    today_label = format_date(today, lang)
    if reference is not None:
        today_label = say("date.stated_today", lang, today=today_label)
    try:
        answer = _answer(text, lang, today, today_label, dates, invalid, duration)
    except OverflowError:
        return DateAnswer(say("date.out_of_range", lang), "invalid")
    # 3. say which today a stated one replaced, when the reply does not already
    if answer is not None and reference is not None and today_label not in answer.text:
        reply = (
            answer.text
            if lang == "en" or answer.text[:1].isdigit()
            else answer.text[:1].lower() + answer.text[1:]
        )
        text_out = say("date.taking_today", lang, today=format_date(today, lang), reply=reply)
        return DateAnswer(text_out, answer.value, answer.checks)
    return answer


def _answer(
    text: str,
    lang: str,
    today: date,
    today_label: str,
    dates: list[FoundDate],
    invalid: list[InvalidDate],
    duration: Duration | None,
) -> DateAnswer | None:
    if _LEAP_RE.search(text):
        return _leap_year(text, lang, today)
    if (m := _MONTH_DAYS_RE.search(text)) and not dates:
        return _month_days(m, lang)
    if invalid and (
        _WEEKDAY_CUE.search(text) or _BETWEEN_CUE.search(text) or duration or dates or AGE_CUE.search(text)
    ):
        return _invalid(invalid[0], lang)
    if AGE_CUE.search(text):
        if duration and not duration.is_empty() and FROM_TODAY.search(text):  # "how old in 10 years"
            later = shift(today, duration, 1)
            dates = [*dates, FoundDate(later, len(text), len(text), relative=True)]
        if answer := answer_age(text, lang, today, dates, today_label):
            return answer
    if (
        duration
        and not duration.is_empty()
        and (answer := shifted(text, lang, today, today_label, dates, duration))
    ):
        return answer
    if answer := answer_span(text, lang, dates):
        return answer
    if _BETWEEN_CUE.search(text) and dates:
        answer = between(text, lang, today, today_label, dates)
        if answer is not None and answer.value == "0" and duration is not None and not duration.is_empty():
            return None  # "1000 days from today" is not "0 days from today": coverage
        return answer
    explicit = [d for d in dates if not d.relative]
    if len(explicit) == 1 and len(dates) == 1 and (claim := _weekday_claim(text, lang, today, explicit[0])):
        return claim
    if _WEEKDAY_CUE.search(text) and len(explicit) == 1 and len(dates) == 1:
        return _weekday_of(explicit[0].value, lang, today)
    asks_day = _WEEKDAY_CUE.search(text) or _ASKS_DATE.search(text)
    if not dates and _WEEKDAY_WORD.search(text):
        return None  # "what's the date on Friday?": which Friday is not said
    if (_TODAY_CUE.search(text) and all(d.relative for d in dates)) or (
        asks_day and len(dates) == 1 and dates[0].relative
    ):
        d = dates[0].value if dates else today
        if d == today:
            weekday = WEEKDAYS[lang][today.weekday()]
            reply = say("date.today", lang, weekday=weekday, today=format_date(today, lang))
            return DateAnswer(reply, today.isoformat(), date_checks(today))
        answer = _weekday_of(d, lang, today)
        return DateAnswer(answer.text, answer.value, answer.checks + date_checks(d))
    return None


def _leap_year(text: str, lang: str, today: date) -> DateAnswer | None:
    years = re.findall(r"\b(\d{1,4})\b", text)
    if len(years) == 1:
        year = int(years[0])
        if not 1 <= year <= 9999:
            return DateAnswer(say("date.out_of_range", lang), "invalid")
        leap = calendar.isleap(year)
        past = year < today.year
        key = f"date.leap_{'was_' if past else ''}{'yes' if leap else 'no'}"
        checks = (
            ("yes", "oui", "is a leap", "est une annee bissextile") if leap else ("no", "non", "not a leap")
        )
        return DateAnswer(say(key, lang, year=year), "yes" if leap else "no", checks)
    if not years and _BETWEEN_CUE.search(text):  # "how many days in a leap year"
        return DateAnswer(say("date.leap_days", lang), "366", ("366",))
    return None


def _month_days(m: re.Match[str], lang: str) -> DateAnswer:
    month = _MONTHS[m["month"]]
    month_year = int(m["year"]) if m["year"] else None
    if month_year is not None and not 1 <= month_year <= 9999:
        return DateAnswer(say("date.out_of_range", lang), "invalid")
    name = MONTHS[lang][month - 1]
    if month_year is None and month == 2:
        return DateAnswer(say("date.month_days_february", lang), "28/29", ("28",))
    days = calendar.monthrange(month_year or 2001, month)[1]
    label = f"{name} {month_year}" if month_year else name
    return DateAnswer(
        say("date.month_days", lang, month=capitalise(label), days=days), str(days), (str(days),)
    )


def _weekday_of(d: date, lang: str, today: date) -> DateAnswer:
    weekday = WEEKDAYS[lang][d.weekday()]
    text_out = say(f"date.weekday_{_tense(d, today)}", lang, date=format_date(d, lang), weekday=weekday)
    if d < GREGORIAN_START:
        text_out = text_out[:-1] + say("date.proleptic", lang) + "."
    return DateAnswer(text_out, d.isoformat(), weekday_checks(d))


def _weekday_anchor(text: str, duration: Duration) -> int | None:
    """The weekday a duration counts from when it is named right next to it: "3 days after
    Friday", "mardi plus 10 jours", "2 semaines avant un jeudi"."""
    near = text[max(0, duration.start - 20) : duration.start] + " " + text[duration.end : duration.end + 20]
    names = [m["weekday"] for m in _WEEKDAY_WORD.finditer(text)]
    if len(names) != 1 or not _WEEKDAY_WORD.search(near):
        return None
    return WEEKDAY_NAMES[names[0]]


def _weekday_claim(text: str, lang: str, today: date, found: FoundDate) -> DateAnswer | None:
    """ "Was 1 May 2000 a Monday?": a weekday named apart from the date, in a yes/no question."""
    if not _YES_NO.search(text):
        return None
    claims = [
        m
        for m in _WEEKDAY_WORD.finditer(text)
        # "Monday 3 March 2025" names the date's own weekday; it is not the question
        if m.end() > found.start or not re.fullmatch(r"[\s,]*(?:the |le )?", text[m.end() : found.start])
    ]
    if len(claims) != 1:
        return None
    claimed = WEEKDAY_NAMES[claims[0]["weekday"]]
    answer = _weekday_of(found.value, lang, today)
    body = answer.text[:1].lower() + answer.text[1:] if lang == "fr" else answer.text
    if claimed == found.value.weekday():
        return DateAnswer(say("date.weekday_claim_yes", lang, reply=body), "yes", answer.checks)
    body = body[:-1]
    reply = say("date.weekday_claim_no", lang, reply_body=body, claimed=WEEKDAYS[lang][claimed])
    return DateAnswer(reply, "no", answer.checks)
