"""Dates and durations written in English or French, found in a message.

Contract: :func:`find_dates` returns every date mentioned in a folded message (see
:func:`eclair.answer.facts.fold1`), with its span, in order: ISO ``2024-03-01``, numeric
``14/07/1789`` (day first in French; in English month first unless that is impossible, and
a date that reads both ways carries its ``other_reading``),
``14 July 1789``, ``the 14th of July``, ``July 14, 1789``, ``le 1er janvier 2030``, relative
words (``today``, ``demain``...) and a few fixed holidays (``Christmas``, ``Noël``). A date
without a year takes the year written once elsewhere in the message, else the year of
``today``. A day range ("du 1er au 10 mars", "from 3 to 17 May 2025") gives two dates. The
same date written twice in a row ("Christmas 2030 (25 December 2030)") is one date. An
impossible date ("30 February") is returned as an :class:`InvalidDate` so the caller can say
why. :func:`find_durations` reads "100 days", "3 weeks and 2 days", "deux mois". Years must
lie in 1..9999 (Python's calendar).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Protocol

from eclair.text.calendar import MONTHS, WEEKDAYS

_MONTHS = MONTHS
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "premier": 1, "premiere": 1,
}  # fmt: skip
_ORD_ALT = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_DAY = rf"(?P<day>\d{{1,2}}|{_ORD_ALT}|twenty-(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirty-first)(?:st|nd|rd|th|er|re|e|eme)?"
_YEAR = r"(?P<year>\d{1,4})(?!\d)"
_MONTH = rf"(?P<month>{_MONTH_ALT})\.?"

_PATTERNS = [
    ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")),
    ("numeric", re.compile(r"\b(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>\d{4}|\d{2})\b")),
    ("dmy", re.compile(rf"\b{_DAY}(?: of)? {_MONTH}(?:,? {_YEAR})?\b")),
    ("mdy", re.compile(rf"\b{_MONTH} (?:the )?{_DAY}(?:,? {_YEAR})?\b")),
]
_RELATIVE = {
    "today": 0, "now": 0, "aujourd'hui": 0, "aujourd hui": 0, "tomorrow": 1, "demain": 1,
    "yesterday": -1, "hier": -1, "apres-demain": 2, "apres demain": 2, "avant-hier": -2, "avant hier": -2,
    "the day after tomorrow": 2, "the day before yesterday": -2,
}  # fmt: skip
_RELATIVE_RE = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, _RELATIVE), key=len, reverse=True)) + r")\b"
)
WEEKDAY_NAMES = WEEKDAYS
WEEKDAY_ALT = "|".join(WEEKDAY_NAMES)
# "next Friday", "vendredi prochain", "last Monday", "ce samedi": a weekday counted from today.
_NAMED_WEEKDAY = re.compile(
    rf"\b(?:(?P<before>next|this|coming|last|ce|this coming)\s+(?P<weekday>{WEEKDAY_ALT})|"
    rf"(?P<weekday2>{WEEKDAY_ALT})\s+(?P<after>prochain|dernier|passe|qui vient))\b"
)
_HOLIDAYS = {
    "christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25), "xmas": (12, 25),
    "new year's eve": (12, 31), "new year's day": (1, 1), "new year": (1, 1), "halloween": (10, 31),
    "valentine's day": (2, 14), "bastille day": (7, 14), "noel": (12, 25), "reveillon de noel": (12, 24),
    "jour de l'an": (1, 1), "nouvel an": (1, 1), "saint-sylvestre": (12, 31), "saint sylvestre": (12, 31),
    "saint-valentin": (2, 14), "saint valentin": (2, 14), "fete nationale": (7, 14),
}  # fmt: skip
_HOLIDAY_RE = re.compile(
    r"\b(?:"
    + "|".join(sorted(map(re.escape, _HOLIDAYS), key=len, reverse=True))
    + r")(?: (?P<year>\d{4}))?\b"
)


@dataclass(frozen=True, slots=True)
class FoundDate:
    value: date
    start: int
    end: int
    has_year: bool = True
    relative: bool = False  # "today", "tomorrow"...
    holiday: bool = False
    # "03/04/2026" in English: month first (read so) or day first; "next Friday" said on a
    # Monday: this week's or next week's. The caller must not guess.
    other_reading: date | None = None
    weekday_named: bool = False  # "next Friday": counted from the real today


@dataclass(frozen=True, slots=True)
class InvalidDate:
    day: int
    month: int
    year: int | None
    start: int
    end: int


class Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def blank(text: str, spans: Iterable[Span]) -> str:
    """``text`` with the spans replaced by spaces (offsets unchanged), so "14 July" is not
    read again as a duration and a stated today is not read as a date of the question."""
    for f in spans:
        text = text[: f.start] + " " * (f.end - f.start) + text[f.end :]
    return text


def _day_number(word: str) -> int:
    """1..31 from "14", "first", "twenty-third"; KeyError for anything else."""
    if word.isdigit():
        return int(word)
    if word.startswith("twenty-"):
        return 20 + _ORDINALS[word.split("-", 1)[1]]
    if word == "thirty-first":
        return 31
    return _ORDINALS[word]


def _make(
    year: int, month: int, day: int, start: int, end: int, *, has_year: bool = True, holiday: bool = False
) -> FoundDate | InvalidDate:
    if not 1 <= year <= 9999 or not 1 <= month <= 12 or day < 1:
        return InvalidDate(day, month, year, start, end)
    if day > calendar.monthrange(year, month)[1]:
        return InvalidDate(day, month, year if has_year else None, start, end)
    return FoundDate(date(year, month, day), start, end, has_year=has_year, holiday=holiday)


def find_dates(folded: str, lang: str, today: date) -> list[FoundDate | InvalidDate]:
    """Dates mentioned in ``folded`` (lower case, no accents, numbers in digits), in order."""
    found: list[FoundDate | InvalidDate] = []

    def free(s: int, e: int) -> bool:
        return all(e <= f.start or s >= f.end for f in found)

    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(folded):
            if not free(m.start(), m.end()):
                continue
            year_text = m.groupdict().get("year")
            year = int(year_text) if year_text else today.year
            if kind == "numeric":
                a, b = int(m["a"]), int(m["b"])
                day, month = (a, b) if lang == "fr" or a > 12 else (b, a)
                if b > 12 and a <= 12:
                    day, month = b, a
                if len(year_text or "") == 2:
                    year += 2000 if year < 50 else 1900
                if lang != "fr" and a != b and 1 <= a <= 12 and 1 <= b <= 12:
                    made = _make(year, month, day, m.start(), m.end(), has_year=True)
                    if isinstance(made, FoundDate):
                        other = _make(year, day, month, m.start(), m.end())
                        other_value = other.value if isinstance(other, FoundDate) else None
                        found.append(replace(made, other_reading=other_value))
                        continue
            elif kind == "iso":
                day, month = int(m["day"]), int(m["month"])
            else:
                try:
                    day = _day_number(m["day"])
                except KeyError:
                    continue
                month = _MONTHS[m["month"]]
                if kind == "mdy" and m["month"] == "may" and not year_text and m[0][-1].isdigit():
                    continue  # "may 5" is too often the verb ("May 5th" is not)
            found.append(_make(year, month, day, m.start(), m.end(), has_year=bool(year_text)))
    for m in _HOLIDAY_RE.finditer(folded):
        if free(m.start(), m.end()):
            name = m[0][: len(m[0]) - len(m["year"]) - 1] if m["year"] else m[0]
            month, day = _HOLIDAYS[name]
            year = int(m["year"]) if m["year"] else today.year
            found.append(_make(year, month, day, m.start(), m.end(), has_year=bool(m["year"]), holiday=True))
    found.extend(_range_starts(folded, found))
    # "between January 1 and March 1, 2024": a date without a year takes the year written
    # with the other one.
    years = [f.value.year for f in found if isinstance(f, FoundDate) and f.has_year]
    if not years:  # "In 1969, what day of the week was July 20?": a year written apart
        rest = blank(folded, found)
        years = [int(y) for y in re.findall(r"(?<![\d/.-])(1\d{3}|20\d{2})(?![\d/.-])", rest)]
    if len(set(years)) == 1:
        found = [
            _make(years[0], f.value.month, f.value.day, f.start, f.end, has_year=True)
            if isinstance(f, FoundDate) and not f.has_year
            else f
            for f in found
        ]
    for m in _RELATIVE_RE.finditer(folded):
        if free(m.start(), m.end()):
            value = today + timedelta(days=_RELATIVE[m[0]])
            found.append(FoundDate(value, m.start(), m.end(), relative=True))
    for m in _NAMED_WEEKDAY.finditer(folded):
        if free(m.start(), m.end()):
            found.append(_named_weekday(m, today))
    return _merge_repeats(folded, sorted(found, key=lambda f: f.start))


def _named_weekday(m: re.Match[str], today: date) -> FoundDate:
    """The date of "next Friday", "lundi dernier", "this Saturday" seen from ``today``."""
    weekday = WEEKDAY_NAMES[m["weekday"] or m["weekday2"]]
    word = m["before"] or m["after"]
    if word in ("last", "dernier", "passe"):
        value = today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
        return FoundDate(value, m.start(), m.end(), relative=True, weekday_named=True)
    ahead = (weekday - today.weekday() - 1) % 7 + 1  # the coming one, 1 to 7 days ahead
    other = None
    if word == "next" and today.weekday() < weekday:
        other = today + timedelta(days=ahead + 7)  # "next Friday" on a Monday: this week's, or next week's?
    return FoundDate(
        today + timedelta(days=ahead),
        m.start(),
        m.end(),
        relative=True,
        other_reading=other,
        weekday_named=True,
    )


# "du 1er au 10 mars", "from the 3rd to the 17th of May 2025": the first day borrows the
# month and year of the date that closes the range.
_RANGE_START = re.compile(
    r"\b(?:from|between|du|entre(?: le)?) (?:the )?(?P<day>\d{1,2})(?:st|nd|rd|th|er|re|e|eme)? "
    r"(?:to|and|until|till|through|au|a|et(?: le)?|-) (?:the )?(?=\d)"
)
# What may separate two writings of one date: "Christmas 2030 (25 December 2030)",
# "1 May 2025, i.e. 2025-05-01", "Noël, soit le 25 décembre".
_RESTATEMENT = re.compile(
    r"[\s,:(\[-]*(?:i\.?e\.?|that is|namely|soit|c'est-a-dire)?[\s,:(\[-]*(?:le |the )?"
)


def _range_starts(folded: str, found: list[FoundDate | InvalidDate]) -> list[FoundDate | InvalidDate]:
    starts: list[FoundDate | InvalidDate] = []
    for m in _RANGE_START.finditer(folded):
        closing = next((f for f in found if f.start == m.end()), None)
        if isinstance(closing, FoundDate) and not closing.relative and not closing.holiday:
            value = closing.value
            starts.append(
                _make(
                    value.year,
                    value.month,
                    int(m["day"]),
                    m.start("day"),
                    m.end("day"),
                    has_year=closing.has_year,
                )
            )
    return starts


def _merge_repeats(folded: str, found: list[FoundDate | InvalidDate]) -> list[FoundDate | InvalidDate]:
    merged: list[FoundDate | InvalidDate] = []
    for f in found:
        last = merged[-1] if merged else None
        if (
            isinstance(f, FoundDate)
            and isinstance(last, FoundDate)
            and f.value == last.value
            and not f.relative
            and _RESTATEMENT.fullmatch(folded[last.end : f.start])
        ):
            merged[-1] = FoundDate(last.value, last.start, f.end, has_year=last.has_year or f.has_year)
            continue
        merged.append(f)
    return merged


_DURATION_UNITS = {
    "day": "days", "days": "days", "jour": "days", "jours": "days", "week": "weeks", "weeks": "weeks",
    "semaine": "weeks", "semaines": "weeks", "month": "months", "months": "months", "mois": "months",
    "year": "years", "years": "years", "an": "years", "ans": "years", "annee": "years", "annees": "years",
    "fortnight": "fortnights", "fortnights": "fortnights", "quinzaine": "fortnights",
}  # fmt: skip
_DURATION_RE = re.compile(
    r"\b(?P<n>\d{1,6}|a|an|one|un|une) (?P<unit>"
    + "|".join(sorted(_DURATION_UNITS, key=len, reverse=True))
    + r")\b"
)


@dataclass(frozen=True, slots=True)
class Duration:
    days: int = 0
    weeks: int = 0
    months: int = 0
    years: int = 0
    start: int = 0
    end: int = 0

    def is_empty(self) -> bool:
        return not (self.days or self.weeks or self.months or self.years)


# between the parts of one duration ("2 weeks and 3 days", "1 an, 2 mois et 3 jours")
_COMPOUND_GAP = re.compile(r"\s*(?:,|and|et|plus|\+)?\s*(?:,|and|et)?\s*")
# a second, equal duration that adds to the first ("another 45 days", "45 jours de plus")
_MORE = re.compile(
    r"\b(?:another|more|again|additional|extra|further|encore|de plus|supplementaires?|en plus|autres?)\b"
)


def find_durations(folded: str) -> Duration | None:
    """The sum of the durations written in ``folded`` ("2 weeks and 3 days"), or None."""
    parts = {"days": 0, "weeks": 0, "months": 0, "years": 0}
    start, end = None, 0
    seen: set[tuple[str, int]] = set()
    for m in _DURATION_RE.finditer(folded):
        n = 1 if m["n"] in ("a", "an", "one", "un", "une") else int(m["n"])
        unit = _DURATION_UNITS[m["unit"]]
        if unit == "fortnights":
            unit, n = "weeks", 2 * n
        if (
            (unit, n) in seen
            and not _COMPOUND_GAP.fullmatch(folded[end : m.start()])
            and not _MORE.search(folded[end : m.end() + 16])
        ):
            continue  # "it lasts 45 days: what date is it if I add 45 days?" says one duration twice
        seen.add((unit, n))
        parts[unit] += n
        start = m.start() if start is None else start
        end = m.end()
    if start is None:
        return None
    return Duration(**parts, start=start, end=end)


def shift(base: date, duration: Duration, sign: int) -> date:
    """``base`` moved by ``duration`` (months and years clamp to the end of the month)."""
    months = sign * (duration.months + 12 * duration.years)
    if months:
        total = base.year * 12 + (base.month - 1) + months
        year, month = divmod(total, 12)
        month += 1
        if not 1 <= year <= 9999:
            raise OverflowError("year out of range")
        day = min(base.day, calendar.monthrange(year, month)[1])
        base = date(year, month, day)
    return base + timedelta(days=sign * (duration.days + 7 * duration.weeks))
