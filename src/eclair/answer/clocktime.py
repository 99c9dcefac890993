"""Clock times moved by durations: "A train leaves at 14:40, the trip takes 2 hours 35
minutes and it is 48 minutes late: when does it arrive?", "Le film commence à 20 h 45 et dure
2 h 10 : à quelle heure se termine-t-il ?".

Contract: :func:`solve_clock` returns a :class:`ClockAnswer` only when the message states
exactly one clock time ("14:40", "2:40 pm", "à 20 h 45"), one or more durations read by
:func:`eclair.answer.units.read_quantities`, every other number being none, and asks for a
time ("what time", "when does it arrive/end", "à quelle heure", "quelle heure"). Durations are
added, unless the message says they come earlier ("earlier", "before", "plus tôt", "avant",
"en avance") with no word of lateness, then subtracted; a message with both is declined. The
result is on a 24-hour clock; crossing midnight is said ("the next day", "le lendemain").
Otherwise None, and the message goes on down the router.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from eclair.answer.facts import fold1
from eclair.answer.units import read_quantities

# "14:40", "2:40 pm", "2 pm"; "20 h 45" and "20h" only after "at/à…" (else "2 h 10" is a duration)
_COLON_TIME = re.compile(
    r"(?<![\d:.,])(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?!\d)(?:\s?(?P<ampm>[ap])\.?m\b\.?)?"
)
_AMPM_TIME = re.compile(r"(?<![\d:.,])(?P<h>1[0-2]|0?\d)\s?(?P<ampm>[ap])\.?m\b\.?")
_H_TIME = re.compile(
    r"\b(?:at|from|a|vers|des|de|depuis|starts? at|leaves? at|departs? at)\s+(?P<h>[01]?\d|2[0-3])\s?h\s?(?P<m>[0-5]\d)?(?!\d)"
)
_ASKS_TIME = re.compile(
    r"\b(?:what time|at what time|when (?:does|will|did)\b.{0,40}\b(?:arrive|end|finish|land|get|be back|stop|close)|"
    r"a quelle heure|quelle heure|l'heure d'arrivee|heure de (?:fin|arrivee))"
)
_EARLIER = re.compile(r"\b(?:earlier|early|before|ahead|plus tot|avant|en avance|d'avance)\b")
_LATER = re.compile(
    r"\b(?:late|later|delay|delayed|after|takes|lasts|en retard|retard|plus tard|apres|dure|prend)\b"
)


@dataclass(frozen=True, slots=True)
class ClockAnswer:
    text: str
    checks: tuple[str, ...]
    used: tuple[Fraction, ...]


def _clock(text: str) -> tuple[int, int, tuple[int, int], tuple[Fraction, ...]] | None:
    """(hour, minute, span, numbers) of the one clock time in ``text``, or None."""
    found = [(m, pattern) for pattern in (_COLON_TIME, _AMPM_TIME, _H_TIME) for m in pattern.finditer(text)]
    spans = {m.span("h") for m, _ in found}
    if len(spans) != 1:
        return None
    m, _ = found[0]
    hour, minute = int(m["h"]), int(m.groupdict().get("m") or 0)
    ampm = m.groupdict().get("ampm")
    if ampm == "p" and hour < 12:
        hour += 12
    elif ampm == "a" and hour == 12:
        hour = 0
    numbers = (Fraction(int(m["h"])),) + ((Fraction(minute),) if m.groupdict().get("m") else ())
    start = m.start("h")
    return hour, minute, (start, m.end()), numbers


def solve_clock(message: str, lang: str) -> ClockAnswer | None:
    """The clock time asked for, or None (see the module docstring)."""
    if len(message) > 400:
        return None
    text = fold1(message)
    if not _ASKS_TIME.search(text):
        return None
    clock = _clock(text)
    if clock is None:
        return None
    hour, minute, (start, end), clock_numbers = clock
    rest = f"{message[:start]} {message[end:]}"
    _, quantities, bare = read_quantities(rest, lang)
    if bare or not quantities or any(q.unit.kind != "time" for q in quantities):
        return None
    earlier, later = bool(_EARLIER.search(text)), bool(_LATER.search(text))
    if earlier and later:
        return None
    sign = -1 if earlier else 1
    seconds = sum((q.value * q.unit.factor for q in quantities), Fraction(0))
    if seconds.denominator != 1 or seconds % 60:
        return None
    total = hour * 60 + minute + sign * int(seconds // 60)
    days, minutes = divmod(total, 24 * 60)
    result = f"{minutes // 60:02d}:{minutes % 60:02d}"
    shown_start = f"{hour:02d}:{minute:02d}"
    moves = " ".join(f"{'+' if sign > 0 else '−'} {_duration(q.value, q.unit.key, lang)}" for q in quantities)
    day = ""
    if days:
        day = {"en": " the next day" if days == 1 else (" the day before" if days == -1 else ""),
               "fr": " le lendemain" if days == 1 else (" la veille" if days == -1 else "")}[lang]  # fmt: skip
    french = result.replace(":", " h ")
    if lang == "fr":
        text_out = f"{shown_start.replace(':', ' h ')} {moves} = {french}{day}."
    else:
        text_out = f"{shown_start} {moves} = {result}{day}."
    used = (*clock_numbers, *(q.value for q in quantities))
    return ClockAnswer(text_out, (result, french, result.lstrip("0")), used)


def _duration(value: Fraction, unit: str, lang: str) -> str:
    shown = str(value) if value.denominator == 1 else str(float(value))
    names = {"h": "h", "min": "min", "s": "s", "d": "d" if lang == "en" else "j"}
    return f"{shown} {names.get(unit, unit)}"
