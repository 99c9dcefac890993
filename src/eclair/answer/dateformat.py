"""How the date tool writes dates, day counts and durations in its replies (EN and FR).

Contract: pure formatting, no parsing and no clock. :class:`DateAnswer` is what every part
of the date tool returns; ``checks`` are the folded words whose presence in an earlier answer
means that answer said the same (pushback re-verifies with them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from eclair.answer.datetext import Duration
from eclair.answer.facts import fold1
from eclair.answer.phrasing import MONTHS, WEEKDAYS


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


def days_text(n: int, lang: str) -> str:
    if lang == "fr":
        return f"{n} jour" if abs(n) < 2 else f"{n} jours"
    return f"{n} day" if abs(n) == 1 else f"{n} days"


_UNIT_NAMES = {
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
}


def unit_text(n: int, unit: str, lang: str) -> str:
    """``3 weeks``, ``1 an``, ``0 jour`` (French singular below 2, English only for 1)."""
    single = n == 1 if lang == "en" else n < 2
    return f"{n} {_UNIT_NAMES[lang][unit][0 if single else 1]}"


def duration_text(d: Duration, lang: str) -> str:
    """``2 weeks and 3 days``, ``1 an, 2 mois et 5 jours``; ``0 days`` when empty."""
    parts = [unit_text(getattr(d, u), u, lang) for u in ("years", "months", "weeks", "days") if getattr(d, u)]
    if not parts:
        return unit_text(0, "days", lang)
    joiner = " et " if lang == "fr" else " and "
    return joiner.join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 1 else parts[0]


def weekday_checks(d: date) -> tuple[str, ...]:
    return (WEEKDAYS["en"][d.weekday()].lower(), WEEKDAYS["fr"][d.weekday()])


def date_checks(d: date) -> tuple[str, ...]:
    return (
        format_date(d, "en").lower(),
        fold1(format_date(d, "fr")),
        d.isoformat(),
        f"{MONTHS['en'][d.month - 1].lower()} {d.day}, {d.year}",
    )
