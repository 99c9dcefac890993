"""The days and dates a sentence speaks for, against those a question asks about.

"What time does the clinic close on a Wednesday?" is not answered by the Sunday hours, nor
"à partir du 2 mai" by the hours "jusqu'au 1er mai", nor "in August" by a line for
"September to June". :func:`speaks_for_other_period` says when a sentence names days or dates
and none of them covers the one the question names.

Contract: it only makes the relevance gate stricter, and only when it is sure: the question
must name a weekday, a date or a month, the sentence must name its own, and a sentence that
speaks of every day ("daily", "tous les jours") or of exceptions ("sauf le lundi", "except
Mondays") is left alone: what it says of the other days is not read here.
"""

from __future__ import annotations

import re

from eclair.knowledge import lexical
from eclair.text.calendar import MONTHS, WEEKDAYS
from eclair.text.fold import fold

_WEEKDAY = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# alone, a month is written in full: "sept" is also seven, "mar" a word of its own and "may"
# a verb ("may I cancel?")
_FULL_MONTH = "|".join(
    sorted(
        (m for m in MONTHS if len(m) > 4 or m in ("mars", "mai", "juin", "june", "july", "aout")),
        key=len,
        reverse=True,
    )
)
_TO = r"[ \t]{0,3}(?:to|through|thru|until|till|au|a|jusqu'au|jusqu'a|[-–—])[ \t]{0,3}"

_DAY_RANGE = re.compile(rf"\b({_WEEKDAY})s?\.?{_TO}({_WEEKDAY})s?\b")
_DAY = re.compile(rf"\b({_WEEKDAY})s?\b")
# groups of days said in one word
_DAY_GROUPS = (
    (re.compile(r"\b(?:weekdays?|en semaine|jours ouvrables|working days|business days)\b"), range(5)),
    (re.compile(r"\b(?:week-?ends?)\b"), range(5, 7)),
)
# every day, or a rule with exceptions: what it says of the other days is not read here
_ALL_DAYS = re.compile(
    r"\b(?:every ?day|daily|7 days|seven days|tous les jours|chaque jour|7 ?j(?:ours)? ?(?:sur|/) ?7|"
    r"except|excepte|sauf|hormis|other than|apart from|but not)\b"
)

_DATE = rf"(?:(\d{{1,2}})(?:er|st|nd|rd|th|e)?[ \t]{{1,3}}({_MONTH})\b\.?|\b({_MONTH})\.?[ \t]{{1,3}}(\d{{1,2}})(?:st|nd|rd|th)?\b)"
_MONTH_ONLY = rf"\b({_FULL_MONTH})\b"
_BOUND_MONTH = rf"\b({_FULL_MONTH}|may)\b"  # next to "from", "until" or "to", "May" is the month
_DATE_RANGE = re.compile(rf"(?:{_DATE}|{_BOUND_MONTH}){_TO}(?:{_DATE}|{_BOUND_MONTH})")
_UNTIL = re.compile(
    rf"\b(?:until|till|up to|through|jusqu'au|jusqu'a|jusqu'en|avant le|before)[ \t]{{1,3}}(?:{_DATE}|{_BOUND_MONTH})"
)
_FROM = re.compile(
    rf"\b(?:from|starting|since|after|a partir du|a partir de|a compter du|des le|depuis le|apres le)[ \t]{{1,3}}(?:{_DATE}|{_BOUND_MONTH})"
)
_ANY_DATE = re.compile(rf"{_DATE}|{_MONTH_ONLY}")

_YEAR_DAYS = 366


def _ordinal(month: int, day: int) -> int:
    """Day of a leap year, 0-based: month and day compared around the year."""
    return sum((31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[: month - 1]) + day - 1


def _months(first: int, last: int) -> tuple[int, int]:
    return _ordinal(first, 1), _ordinal(last, (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[last - 1])


# A season asked about is its months (meteorological seasons of the northern hemisphere, where
# the documents' dates are read): "the winter timetable" is not the one "from May to September"
# ("été" only as the season: "en été", "l'été", "d'été", not the participle)
_SEASONS = (
    (re.compile(r"\b(?:summer|en ete|l'ete|d'ete|cet ete|estivale?s?)\b"), _months(6, 8)),
    (re.compile(r"\b(?:winter|hiver|hivernale?s?)\b"), _months(12, 2)),
    (re.compile(r"\b(?:spring(?:time)?|printemps|printaniere?s?)\b"), _months(3, 5)),
    (re.compile(r"\b(?:autumn|automne|automnale?s?)\b"), _months(9, 11)),
)


def _span(groups: tuple[str | None, ...]) -> tuple[int, int]:
    """The days (first, last) of a date ("2 mai") or a whole month ("août") matched by
    ``_DATE`` then ``_MONTH_ONLY`` (five groups)."""
    day1, month1, month2, day2, month_only = groups
    if month_only:
        month = MONTHS[month_only]
        last = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
        return _ordinal(month, 1), _ordinal(month, last)
    month = MONTHS[month1 or month2 or ""]
    day = min(int(day1 or day2 or 1), 31)
    return _ordinal(month, day), _ordinal(month, day)


def _inside(day: int, first: int, last: int) -> bool:
    """Whether ``day`` is in the interval from ``first`` to ``last``, around the year end."""
    return first <= day <= last if first <= last else day >= first or day <= last


def _overlaps(asked: tuple[int, int], first: int, last: int) -> bool:
    start, end = asked  # (around the year end when start > end: winter)
    days = range(start, end + 1) if start <= end else [*range(start, _YEAR_DAYS), *range(end + 1)]
    return any(_inside(d, first, last) for d in days)


def _days(text: str) -> set[int] | None:
    """The weekdays ``text`` names (ranges spelt out), or None when it names none."""
    found: set[int] = set()
    for m in _DAY_RANGE.finditer(text):
        first, last = WEEKDAYS[m.group(1)], WEEKDAYS[m.group(2)]
        found.update(range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)])
    for m in _DAY.finditer(text):
        found.add(WEEKDAYS[m.group(1)])
    for pattern, days in _DAY_GROUPS:
        if pattern.search(text):
            found.update(days)
    return found or None


def _intervals(text: str) -> list[tuple[int, int]]:
    """The periods of the year ``text`` speaks for: ranges, "until X" and "from X" (half a
    year on the open side: a season, not the rest of time)."""
    found: list[tuple[int, int]] = []
    taken: list[tuple[int, int]] = []
    for m in _DATE_RANGE.finditer(text):
        first, _ = _span(m.groups()[:5])
        _, last = _span(m.groups()[5:10])
        found.append((first, last))
        taken.append(m.span())
    for pattern, until in ((_UNTIL, True), (_FROM, False)):
        for m in pattern.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            first, last = _span(m.groups()[:5])
            found.append(
                ((last - _YEAR_DAYS // 2) % _YEAR_DAYS, last)
                if until
                else (first, (first + _YEAR_DAYS // 2) % _YEAR_DAYS)
            )
            taken.append(m.span())
    for m in _ANY_DATE.finditer(text):  # "July and August: 8:00 to 17:00"
        if not any(a <= m.start() < b for a, b in taken):
            found.append(_span(m.groups()))
    return found


def speaks_for_other_period(question: str, sentence: str) -> bool:
    """Whether ``sentence`` names weekdays or periods of the year of its own, none of which is
    the one ``question`` asks about (see the module docstring)."""
    asked_text, said_text = fold(question), fold(sentence)
    asked_days, said_days = _days(asked_text), _days(said_text)
    if asked_days and said_days and not asked_days & said_days and not _ALL_DAYS.search(said_text):
        return True  # the Sunday hours do not say when it closes on Wednesday
    asked = [_span(m.groups()) for m in _ANY_DATE.finditer(asked_text)]
    asked += [span for pattern, span in _SEASONS if pattern.search(asked_text)]
    periods = _intervals(said_text)
    if len(asked) != 1 or not periods:
        return False
    return not any(_overlaps(asked[0], first, last) for first, last in periods)


def days_said_by_range(question: str, sentence: str) -> set[str]:
    """The stems of the weekdays ``question`` names that ``sentence`` covers without naming
    them ("Tuesday to Friday" says Wednesday): words the sentence holds for the relevance gate."""
    said = _days(fold(sentence))
    if not said:
        return set()
    return {
        term
        for m in _DAY.finditer(fold(question))
        if WEEKDAYS[m.group(1)] in said
        for term in lexical.terms(m.group())
    }


_CLOCK_TIME = r"(\d{1,2})(?:\s?[:h.]\s?(\d{2}))?\s?(a\.?m\.?|p\.?m\.?|h\b)?"
_HOUR_RANGE = re.compile(
    rf"(?<![\d:])({_CLOCK_TIME})\s{{0,3}}(?:to|until|till|[-–—]|a|au|jusqu'a)\s{{0,3}}({_CLOCK_TIME})(?![\d])"
)


def _minutes(hour: str, minute: str | None, suffix: str | None) -> int | None:
    """Minutes after midnight of a clock time, or None for a bare number ("9", not "9 h")."""
    h, m = int(hour), int(minute or 0)
    mark = (suffix or "").replace(".", "")
    if not minute and not mark:
        return None
    if mark == "pm" and h < 12:
        h += 12
    if mark == "am" and h == 12:
        h = 0
    return h * 60 + m if h < 24 and m < 60 else None


def hour_ranges(text: str) -> list[tuple[int | None, int | None]]:
    """The ranges of hours ``text`` states ("8:00 to 17:30", "9 h – 12 h 30"), as minutes after
    midnight; a side that is a bare number is None. The one reader of ranges of hours."""
    return [
        (_minutes(*m.group(2, 3, 4)), _minutes(*m.group(6, 7, 8))) for m in _HOUR_RANGE.finditer(fold(text))
    ]


_CLOCK_IN_TEXT = re.compile(rf"(?<![\d:,.]){_CLOCK_TIME}(?![\d])")


def clock_times(text: str) -> list[int]:
    """The clock times ``text`` states, as minutes after midnight (bare numbers left out)."""
    found = (_minutes(*m.group(1, 2, 3)) for m in _CLOCK_IN_TEXT.finditer(fold(text)))
    return [t for t in found if t is not None]


# opening and closing: a range of hours states both
_OPEN_CLOSE = lexical.wordset(
    "open opens opening opened close closes closing closed shut shuts ouvre ouvrent ouvert ouverte ouverture "
    "ferme ferment fermeture"
)


def schedule_words_said(question: str, sentence: str) -> set[str]:
    """The stems of the question's opening or closing words when ``sentence`` gives a range of
    hours ("8:00 to 17:30" says when it opens and when it closes)."""
    if not any(start is not None and end is not None for start, end in hour_ranges(sentence)):
        return set()
    return {t for w in lexical.words(question) if w in _OPEN_CLOSE for t in lexical.terms(w)}
