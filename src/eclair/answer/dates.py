"""The date tool: weekdays, days between dates, dates plus or minus a duration, leap years.

Contract: :func:`interpret_date` reads one message with an injected ``today`` and returns a
:class:`DateAnswer` (the reply and the computed value) or None when the message is not a
date computation. It answers:

- weekday of a date: "what day of the week was 14 July 1789", "quel jour tombe le 1er janvier 2030";
- days between two dates, or from/to today: "how many days between 2024-03-01 and 2024-12-25",
  "combien de jours jusqu'à Noël";
- a date moved by a duration: "what date will it be in 100 days", "quelle date serons-nous dans
  3 semaines", "45 days before 2024-03-01", "il y a 100 jours";
- today's date, leap years, the number of days in a month.

Impossible dates ("30 February 2023") get an explanation rather than an answer. Dates before
15 October 1582 are computed in the proleptic Gregorian calendar, and the reply says so.
Nothing here reads the clock: ``today`` comes from the caller.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from eclair.answer.datetext import (
    _MONTH_ALT,
    _MONTHS,
    Duration,
    FoundDate,
    InvalidDate,
    find_dates,
    find_durations,
    shift,
)
from eclair.answer.facts import fold1
from eclair.answer.numwords import words_to_digits
from eclair.answer.phrasing import MONTHS, WEEKDAYS, capitalise, say

GREGORIAN_START = date(1582, 10, 15)


@dataclass(frozen=True, slots=True)
class DateAnswer:
    text: str
    # What was computed: an ISO date, a day count, "yes"/"no", "invalid".
    value: str
    # Words whose presence in an earlier answer means that answer said the same thing.
    checks: tuple[str, ...] = ()


def format_date(d: date, lang: str, *, weekday: bool = False) -> str:
    if lang == "fr":
        text = f"{'1er' if d.day == 1 else d.day} {MONTHS['fr'][d.month - 1]} {d.year}"
    else:
        text = f"{d.day} {MONTHS['en'][d.month - 1]} {d.year}"
    return f"{WEEKDAYS[lang][d.weekday()]} {text}" if weekday else text


def _days(n: int, lang: str) -> str:
    if lang == "fr":
        return f"{n} jour" if abs(n) < 2 else f"{n} jours"
    return f"{n} day" if abs(n) == 1 else f"{n} days"


def _duration_text(d: Duration, lang: str) -> str:
    names = {
        "en": {
            "years": ("year", "years"),
            "months": ("month", "months"),
            "weeks": ("week", "weeks"),
            "days": ("day", "days"),
        },
        "fr": {
            "years": ("an", "ans"),
            "months": ("mois", "mois"),
            "weeks": ("semaine", "semaines"),
            "days": ("jour", "jours"),
        },
    }[lang]
    parts = []
    for unit in ("years", "months", "weeks", "days"):
        n = getattr(d, unit)
        if n:
            single = n == 1 if lang == "en" else n < 2
            parts.append(f"{n} {names[unit][0 if single else 1]}")
    joiner = " et " if lang == "fr" else " and "
    return joiner.join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 1 else parts[0]


_WEEKDAY_CUE = re.compile(
    r"\b(?:what|which) (?:day of the week|weekday|day)\b|\bday of the week\b|\bon what day\b|"
    r"\bquel jour\b|\bjour de la semaine\b|\bquel(?:le)? (?:jour|date) (?:tombe|etait|sera|est)\b"
)
_BETWEEN_CUE = re.compile(
    r"\bhow many (?:days|weeks)\b|\bcombien de (?:jours|semaines)\b|\bnumber of days\b|\bnombre de jours\b|"
    r"\bhow long (?:until|till|since|before)\b|\bdays (?:between|until|till|since|from)\b"
)
_SINCE_CUE = re.compile(r"\b(?:since|ago|depuis|passed|ecoule|ecoules)\b")
_TODAY_CUE = re.compile(
    r"\bwhat(?:'s| is) (?:the date|today's date|the date today)\b|\bwhat day is (?:it|today)\b|"
    r"\bquel jour (?:sommes-nous|on est|est-on|nous sommes)\b|\bon est quel jour\b|"
    r"\bquelle (?:est la )?date (?:sommes-nous|on est|est-on|aujourd'hui|d'aujourd'hui)\b|"
    r"\bquelle est la date\b|\bwhat date is (?:it|today)\b|\bwhat day of the week is (?:it|today)\b|"
    r"\bquel jour de la semaine (?:sommes-nous|on est|est-on|est-ce aujourd'hui)\b|\bwhat year is (?:it|this)\b|"
    r"\ben quelle annee (?:sommes-nous|on est|est-on)\b|\bquelle annee (?:sommes-nous|on est|est-on)\b"
)
_LEAP_RE = re.compile(r"\b(?:leap year|leap-year|bissextile)\b")
_MONTH_DAYS_RE = re.compile(
    rf"\b(?:how many days (?:are there |does |do )?(?:in |has )?|combien de jours (?:y a-t-il |compte |a |comptent )?"
    rf"(?:en |dans |dans le mois de |le mois de |le mois d'|pour )?)(?:the month of )?(?P<month>{_MONTH_ALT})"
    rf"(?: (?P<year>\d{{1,4}}))?\b(?! \d)"
)
_FROM_TODAY = re.compile(r"\b(?:in|dans|d'ici|within|from now|from today|a partir d'aujourd'hui)\b")
_AGO = re.compile(r"\b(?:ago|il y a|back)\b")
_AFTER = re.compile(r"\b(?:after|from|later than|apres|plus|past|beyond)\b|\+")
_BEFORE = re.compile(r"\b(?:before|earlier than|avant|moins|minus|prior to)\b|\s-\s")
_DATE_WORD = re.compile(r"\b(?:date|day|jour|when|quand|weekday)\b")


def _weekday_checks(d: date) -> tuple[str, ...]:
    return (WEEKDAYS["en"][d.weekday()].lower(), WEEKDAYS["fr"][d.weekday()])


def _date_checks(d: date) -> tuple[str, ...]:
    return (
        format_date(d, "en").lower(),
        fold1(format_date(d, "fr")),
        d.isoformat(),
        f"{MONTHS['en'][d.month - 1].lower()} {d.day}, {d.year}",
    )


def _tense(d: date, today: date) -> str:
    return "past" if d < today else "today" if d == today else "future"


def _proleptic(d: date, lang: str) -> str:
    return say("date.proleptic", lang) if d < GREGORIAN_START else ""


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


def interpret_date(message: str, lang: str, today: date) -> DateAnswer | None:
    """The date computation asked for in ``message``, or None (see the module docstring)."""
    if len(message) > 400:
        return None
    text = words_to_digits(fold1(message), lang)
    found = find_dates(text, lang, today)
    invalid = [f for f in found if isinstance(f, InvalidDate)]
    dates = [f for f in found if isinstance(f, FoundDate)]
    duration = find_durations(_blank(text, found))
    try:
        return _answer(text, lang, today, dates, invalid, duration)
    except OverflowError:
        return DateAnswer(say("date.out_of_range", lang), "invalid")


def _blank(text: str, spans: list[FoundDate | InvalidDate]) -> str:
    """``text`` with the date spans blanked out, so "14 July" is not read as a duration."""
    for f in spans:
        text = text[: f.start] + " " * (f.end - f.start) + text[f.end :]
    return text


def _answer(
    text: str,
    lang: str,
    today: date,
    dates: list[FoundDate],
    invalid: list[InvalidDate],
    duration: Duration | None,
) -> DateAnswer | None:
    # 1. leap years
    if _LEAP_RE.search(text):
        years = re.findall(r"\b(\d{1,4})\b", text)
        if len(years) == 1:
            year = int(years[0])
            if not 1 <= year <= 9999:
                return DateAnswer(say("date.out_of_range", lang), "invalid")
            leap = calendar.isleap(year)
            past = year < today.year
            key = f"date.leap_{'was_' if past else ''}{'yes' if leap else 'no'}"
            checks = (
                ("yes", "oui", "is a leap", "est une annee bissextile")
                if leap
                else ("no", "non", "not a leap")
            )
            return DateAnswer(say(key, lang, year=year), "yes" if leap else "no", checks)
        if not years and _BETWEEN_CUE.search(text):  # "how many days in a leap year"
            return DateAnswer(say("date.leap_days", lang), "366", ("366",))
        return None
    # 2. days in a month
    if (m := _MONTH_DAYS_RE.search(text)) and not dates:
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
    if invalid and (_WEEKDAY_CUE.search(text) or _BETWEEN_CUE.search(text) or duration or dates):
        return _invalid(invalid[0], lang)
    # 3. a date moved by a duration
    if duration and not duration.is_empty():
        answer = _shifted(text, lang, today, dates, duration)
        if answer:
            return answer
    # 4. days between dates
    if _BETWEEN_CUE.search(text) and dates:
        return _between(text, lang, today, dates)
    # 5. weekday of a date
    if _WEEKDAY_CUE.search(text) and len(dates) == 1 and not dates[0].relative:
        d = dates[0].value
        weekday = WEEKDAYS[lang][d.weekday()]
        text_out = say(f"date.weekday_{_tense(d, today)}", lang, date=format_date(d, lang), weekday=weekday)
        note = _proleptic(d, lang)
        if note:
            text_out = text_out[:-1] + note + "."
        return DateAnswer(text_out, d.isoformat(), _weekday_checks(d))
    # 6. today's date
    if (_TODAY_CUE.search(text) and all(d.relative for d in dates)) or (
        _WEEKDAY_CUE.search(text) and len(dates) == 1 and dates[0].relative
    ):
        d = dates[0].value if dates else today
        if d == today:
            return DateAnswer(
                say(
                    "date.today",
                    lang,
                    weekday=WEEKDAYS[lang][today.weekday()],
                    today=format_date(today, lang),
                ),
                today.isoformat(),
                _date_checks(today),
            )
        weekday = WEEKDAYS[lang][d.weekday()]
        return DateAnswer(
            say(f"date.weekday_{_tense(d, today)}", lang, date=format_date(d, lang), weekday=weekday),
            d.isoformat(),
            _weekday_checks(d),
        )
    return None


def _shifted(
    text: str, lang: str, today: date, dates: list[FoundDate], duration: Duration
) -> DateAnswer | None:
    before_duration = text[: duration.start]
    after_duration = text[duration.end :]
    explicit = [d for d in dates if not d.relative]
    amount = _duration_text(duration, lang)
    if explicit and len(explicit) == 1:
        base = explicit[0].value
        # "100 days after 1 March", "1 March plus 100 days", "45 jours avant le 1er mars"
        between = (
            text[duration.end : explicit[0].start]
            if explicit[0].start > duration.end
            else text[explicit[0].end : duration.start]
        )
        sign = -1 if _BEFORE.search(between) else 1 if _AFTER.search(between) else 0
        if sign == 0:
            return None
        result = shift(base, duration, sign)
        direction = say("date.after" if sign > 0 else "date.before", lang)
        return DateAnswer(
            say(
                "date.shift",
                lang,
                amount=capitalise(amount) if lang == "fr" else amount,
                direction=direction,
                base=format_date(base, lang),
                weekday=WEEKDAYS[lang][result.weekday()],
                result=format_date(result, lang),
            ),
            result.isoformat(),
            _date_checks(result),
        )
    if explicit:
        return None
    context = before_duration[-25:] + " " + after_duration[:25]
    if _AGO.search(context):
        sign = -1
    elif _FROM_TODAY.search(context) or any(d.relative for d in dates):
        sign = 1 if not _BEFORE.search(context) else -1
    else:
        return None
    if not _DATE_WORD.search(_blank_duration(text, duration)):
        return None
    base = dates[0].value if dates else today
    result = shift(base, duration, sign)
    key = "date.shift_from_today" if sign > 0 else "date.shift_ago"
    return DateAnswer(
        say(
            key,
            lang,
            amount=amount,
            weekday=WEEKDAYS[lang][result.weekday()],
            result=format_date(result, lang),
            today=format_date(today, lang),
        ),
        result.isoformat(),
        _date_checks(result),
    )


def _blank_duration(text: str, duration: Duration) -> str:
    return text[: duration.start] + text[duration.end :]


def _between(text: str, lang: str, today: date, dates: list[FoundDate]) -> DateAnswer | None:
    if len(dates) >= 2:
        start, end = dates[0].value, dates[1].value
        days = abs((end - start).days)
        weeks = ""
        if days >= 7:
            w, r = divmod(days, 7)
            if r == 0:
                weeks = say("date.weeks_exact", lang, weeks=_duration_text(Duration(weeks=w), lang))
            else:
                weeks = f" ({_duration_text(Duration(weeks=w, days=r), lang)})"
        first, second = sorted((start, end))
        return DateAnswer(
            say(
                "date.between",
                lang,
                days=_days(days, lang),
                verb="is" if days == 1 else "are",
                start=format_date(first, lang),
                end=format_date(second, lang),
                weeks=weeks,
            ),
            str(days),
            (str(days),),
        )
    only = dates[0]
    target = only.value
    since = bool(_SINCE_CUE.search(text))
    if not only.has_year and not since and target < today:
        target = target.replace(year=target.year + 1)  # "until Christmas": the next one
    days = (target - today).days
    if days == 0:
        return DateAnswer(say("date.same", lang, today=format_date(today, lang)), "0", ("0",))
    if days > 0:
        return DateAnswer(
            say(
                "date.until",
                lang,
                end=format_date(target, lang),
                days=_days(days, lang),
                today=format_date(today, lang),
            ),
            str(days),
            (str(days),),
        )
    return DateAnswer(
        say(
            "date.since",
            lang,
            start=format_date(target, lang),
            days=_days(-days, lang),
            today=format_date(today, lang),
        ),
        str(-days),
        (str(-days),),
    )
