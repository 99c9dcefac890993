"""Arithmetic on dates: a date moved by a duration, the days between dates, a weekday moved on.

Contract: the functions here receive a folded message (see :func:`eclair.answer.facts.fold1`)
with the dates and the duration already found (:mod:`eclair.answer.datetext`), ``today``
(injected or stated by the message) and ``today_label``, the words that name it in a reply
("28 November 2026", or "3 March 2025, as you said"). Each returns a
:class:`~eclair.answer.dateformat.DateAnswer`, or None when the direction or the dates of the
computation cannot be read with confidence. Months and years are calendar units: adding one
month to 31 January gives the last day of February.
"""

from __future__ import annotations

import re
from datetime import date

from eclair.answer.dateformat import DateAnswer, date_checks, days_text, duration_text, format_date, unit_text
from eclair.answer.datetext import Duration, FoundDate, shift
from eclair.answer.phrasing import WEEKDAYS, capitalise, say

FROM_TODAY = re.compile(r"\b(?:in|dans|d'ici|within|from now|from today|a partir d'aujourd'hui)\b")
_AGO = re.compile(r"\b(?:ago|il y a|back|earlier|plus tot)\b")
_AFTER = re.compile(r"\b(?:after|from|later than|apres|plus|past|beyond|later|plus tard)\b|\+")
_BEFORE = re.compile(r"\b(?:before|earlier than|avant|moins|minus|prior to)\b|\s-\s")
# A verb settles the direction whatever the preposition: "subtract 30 days from 1 March".
_SUBTRACT = re.compile(
    r"\b(?:subtract(?:ing)?|take away|taking away|remove|removing|deduct(?:ing)?|go back|going back|"
    r"soustrai\w*|retir\w*|retranch\w*|enlev\w*|ote[rsz]?|otant|recul\w*)\b"
)
_ADD = re.compile(r"\b(?:add|adding|ajout\w*|rajout\w*)\b")
_DATE_WORD = re.compile(r"\b(?:date|day|jour|when|quand|weekday)\b")
_SINCE_CUE = re.compile(r"\b(?:since|ago|depuis|passed|ecoule|ecoules)\b")
_WEEKS_ASKED = re.compile(
    r"\b(?:how many|number of|combien de|nombre de) (?:full |whole )?(?:weeks|semaines)\b"
)
_INCLUSIVE = re.compile(
    r"\b(?:inclusive(?:ly)?|including both|both (?:days |dates |ends )?(?:included|inclusive|counted|counting)|"
    r"counting both|les (?:deux|2) (?:jours |dates )?(?:inclus|compris)|inclusivement|bornes incluses|"
    r"en comptant les (?:deux|2)|(?:premier|1er) et (?:le )?dernier (?:jour )?(?:inclus|compris)|"
    r"included|inclus|incluse|incluses)\b"
)
_EXCLUSIVE = re.compile(
    r"\b(?:strictly between|excluding both|not counting either|neither (?:day|date) (?:included|counted)|"
    r"les (?:deux|2) (?:jours |dates )?exclus|strictement entre|sans compter ni)\b"
)


def _direction(text: str, between: str) -> int:
    """+1 or -1 for "100 days after/before <date>", "add/subtract"; 0 when unclear."""
    if _SUBTRACT.search(text):
        return -1
    if _ADD.search(text):
        return 1
    if _BEFORE.search(between):
        return -1
    return 1 if _AFTER.search(between) else 0


def shifted(
    text: str, lang: str, today: date, today_label: str, dates: list[FoundDate], duration: Duration
) -> DateAnswer | None:
    """A date moved by ``duration``: from the one explicit date, else from today."""
    explicit = [d for d in dates if not d.relative]
    amount = duration_text(duration, lang)
    if len(explicit) == 1:
        base = explicit[0].value
        # "100 days after 1 March", "1 March plus 100 days", "45 jours avant le 1er mars"
        start = explicit[0]
        between = (
            text[duration.end : start.start]
            if start.start > duration.end
            else text[start.end : duration.start]
        )
        sign = _direction(text, between)
        if sign == 0:
            return None
        result = shift(base, duration, sign)
        return DateAnswer(
            say(
                "date.shift",
                lang,
                amount=capitalise(amount) if lang == "fr" else amount,
                direction=say("date.after" if sign > 0 else "date.before", lang),
                base=format_date(base, lang),
                weekday=WEEKDAYS[lang][result.weekday()],
                result=format_date(result, lang),
            ),
            result.isoformat(),
            date_checks(result),
        )
    if explicit:
        return None
    context = text[: duration.start][-25:] + " " + text[duration.end :][:25]
    if _AGO.search(context) or _SUBTRACT.search(text):
        sign = -1
    elif FROM_TODAY.search(context) or _ADD.search(text) or any(d.relative for d in dates):
        sign = 1 if not _BEFORE.search(context) else -1
    else:
        return None
    if not _DATE_WORD.search(text[: duration.start] + text[duration.end :]):
        return None
    base = dates[0].value if dates else today
    result = shift(base, duration, sign)
    return DateAnswer(
        say(
            "date.shift_from_today" if sign > 0 else "date.shift_ago",
            lang,
            amount=amount,
            weekday=WEEKDAYS[lang][result.weekday()],
            result=format_date(result, lang),
            today=today_label,
        ),
        result.isoformat(),
        date_checks(result),
    )


def between(text: str, lang: str, today: date, today_label: str, dates: list[FoundDate]) -> DateAnswer | None:
    """Days (or weeks) between the first two dates, or between today and the only one."""
    if len(dates) >= 2:
        first, second = dates[0], dates[1]
        end = second.value
        if not first.has_year and not second.has_year and end < first.value:
            # "between Christmas and New Year", "from 20 December to 5 January": with no year
            # written, the second date is the next one when that is the nearer reading.
            rolled = shift(end, Duration(years=1), 1)
            if (rolled - first.value).days < (first.value - end).days:
                end = rolled
        return _between_two(text, lang, first.value, end)
    only = dates[0]
    target = only.value
    if not only.has_year and not _SINCE_CUE.search(text) and target < today:
        target = target.replace(year=target.year + 1)  # "until Christmas": the next one
    days = (target - today).days
    if days == 0:
        return DateAnswer(say("date.same", lang, today=today_label), "0", ("0",))
    key, shown = ("date.until", target) if days > 0 else ("date.since", target)
    count = days_text(abs(days), lang)
    if _WEEKS_ASKED.search(text) and abs(days) >= 7:  # "how many weeks until Christmas"
        count += f" ({duration_text(Duration(weeks=abs(days) // 7, days=abs(days) % 7), lang)})"
    return DateAnswer(
        say(
            key,
            lang,
            end=format_date(shown, lang),
            start=format_date(shown, lang),
            days=count,
            today=today_label,
        ),
        str(abs(days)),
        (str(abs(days)),),
    )


def _between_two(text: str, lang: str, a: date, b: date) -> DateAnswer:
    first, second = sorted((a, b))
    gap = (second - first).days
    start, end = format_date(first, lang), format_date(second, lang)
    if _INCLUSIVE.search(text) or _EXCLUSIVE.search(text):
        count = gap + 1 if _INCLUSIVE.search(text) else max(gap - 1, 0)
        key = "date.between_inclusive" if _INCLUSIVE.search(text) else "date.between_exclusive"
        reply = say(key, lang, start=start, end=end, days=days_text(count, lang), gap=days_text(gap, lang))
        return DateAnswer(reply, str(count), (str(count),))
    weeks, rest = divmod(gap, 7)
    if _WEEKS_ASKED.search(text):
        reply = say(
            "date.between_weeks",
            lang,
            verb="is" if weeks == 1 and not rest else "are",
            weeks=duration_text(Duration(weeks=weeks, days=rest), lang)
            if weeks
            else unit_text(0, "weeks", lang),
            start=start,
            end=end,
            days=days_text(gap, lang),
        )
        return DateAnswer(reply, str(weeks), (str(weeks),))
    in_weeks = ""
    if gap >= 7:
        as_weeks = duration_text(Duration(weeks=weeks, days=rest), lang)
        in_weeks = say("date.weeks_exact", lang, weeks=as_weeks) if rest == 0 else f" ({as_weeks})"
    reply = say(
        "date.between",
        lang,
        days=days_text(gap, lang),
        verb="is" if gap == 1 else "are",
        start=start,
        end=end,
        weeks=in_weeks,
    )
    return DateAnswer(reply, str(gap), (str(gap),))


def weekday_shift(
    text: str, lang: str, weekday: int, duration: Duration | None, *, anchored: bool = False
) -> DateAnswer | None:
    """ "If today is a Tuesday, what day will it be in 100 days?", or with ``anchored`` a
    weekday named next to the duration ("3 days after a Friday", "mardi plus 10 jours"). Only
    days and weeks move a weekday alone; for months and years the reply asks for the date
    (months differ in length)."""
    if duration is None or duration.is_empty():
        return None
    if duration.months or duration.years:
        reply = say("date.weekday_needs_date", lang, start=WEEKDAYS[lang][weekday])
        return DateAnswer(reply, "unknown", ("date", "length", "longueur"))
    context = text[: duration.start][-25:] + " " + text[duration.end :][:25]
    if _AGO.search(context) or _BEFORE.search(context) or _SUBTRACT.search(text):
        sign = -1
    elif FROM_TODAY.search(context) or _AFTER.search(context) or _ADD.search(text):
        sign = 1
    else:
        return None
    total = duration.days + 7 * duration.weeks
    result = (weekday + sign * total) % 7
    amount = duration_text(duration, lang)
    key = "date.weekday_after" if anchored else "date.weekday_shift_future"
    if sign < 0:
        key = "date.weekday_before" if anchored else "date.weekday_shift_past"
    reply = say(
        key,
        lang,
        start=WEEKDAYS[lang][weekday],
        amount=amount,
        result=WEEKDAYS[lang][result],
    )
    if total >= 7 and not duration.weeks:  # "100 days is 14 weeks and 2 days"
        weeks = duration_text(Duration(weeks=total // 7, days=total % 7), lang)
        reply = reply[:-1] + say("date.weekday_shift_note", lang, amount=amount, weeks=weeks) + "."
    checks = (WEEKDAYS["en"][result].lower(), WEEKDAYS["fr"][result])
    return DateAnswer(reply, WEEKDAYS["en"][result].lower(), checks)
