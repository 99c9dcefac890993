"""Distance, duration and speed: the third from the other two, in English and French.

Contract: :func:`solve_rate` takes one message and returns a :class:`RateAnswer` when it asks
for a distance ("how far", "quelle distance"), a duration ("how long", "combien de temps") or
a speed ("what speed", "à quelle vitesse") and states exactly the two other quantities with
their units ("60 km/h for 2.5 hours", "300 km en 2 h 30"); None otherwise. Coverage is by
construction: every number of the message must be one of those quantities (a number without
a unit, a second speed or a stray length makes it decline), so a story with more in it is
left to other readers. Quantities are read by :func:`eclair.answer.units.read_quantities`
(one unit vocabulary); arithmetic is exact (fractions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from eclair.answer.numfmt import format_number
from eclair.answer.units import Quantity, read_quantities

_ASKS = {
    "distance": re.compile(
        r"\bhow far\b|\bwhat distance\b|\bhow many (?:km|kms|kilomet\w+|miles?|metres?|meters?)\b|"
        r"\bquelle distance\b|\bcombien de (?:km|kilometres?|miles?|metres?)\b|\bla distance\b|\bthe distance\b"
    ),
    "time": re.compile(
        r"\bhow long\b|\bhow much time\b|\bhow many (?:hours?|minutes?)\b|\bcombien de temps\b|"
        r"\bcombien d'heures\b|\bcombien de minutes\b|\ben combien de temps\b|\bquelle duree\b"
    ),
    "speed": re.compile(
        r"\bhow fast\b|\b(?:average |mean )?speed\b|\bvitesse\b|\bhow many (?:km|miles?) (?:an|per) hour\b"
    ),
}
_ASKED_LENGTH = re.compile(r"\b(?:how many|combien de) (km|kms|kilomet\w+|miles?|metres?|meters?)\b")
_LENGTH_KEYS = {"km": "km", "kms": "km", "kil": "km", "mil": "mi", "met": "m"}
# The length unit of each speed unit, and the speed unit of each length unit.
_LENGTH_OF_SPEED = {"kmh": ("km", "km"), "mph": ("mi", "miles"), "mps": ("m", "m")}
_SPEED_OF_LENGTH: dict[str, tuple[str, int]] = {"km": ("km/h", 3600), "mi": ("mph", 3600), "m": ("m/s", 1)}


@dataclass(frozen=True, slots=True)
class RateAnswer:
    text: str
    checks: tuple[str, ...]


def _n(value: Fraction, lang: str) -> str:
    return format_number(value, lang, sig=6)[0]


def _hours(seconds: Fraction, lang: str) -> str:
    """'2.5 h (2 h 30 min)' for a duration, in hours and minutes."""
    hours = seconds / 3600
    whole, minutes = divmod(seconds, 3600)
    shown = f"{_n(hours, lang)} h"
    if minutes and whole:
        return f"{shown} ({int(whole)} h {_n(minutes / 60, lang)} min)"
    if minutes and not whole:
        return f"{_n(minutes / 60, lang)} min"
    return shown


def _sum_seconds(times: list[Quantity]) -> Fraction:
    return sum((q.value * q.unit.factor for q in times), Fraction(0))


def solve_rate(message: str, lang: str) -> RateAnswer | None:
    """See the module docstring."""
    if len(message) > 400:
        return None
    text, quantities, bare = read_quantities(message, lang)
    asked = [kind for kind, pattern in _ASKS.items() if pattern.search(text)]
    speeds = [q for q in quantities if q.unit.kind == "speed"]
    times = [q for q in quantities if q.unit.kind == "time"]
    lengths = [q for q in quantities if q.unit.kind == "length"]
    if len(asked) > 1:
        # "at an average speed of 60 mph, how long…": a kind the message states is not the one
        # it asks for; the asked one is the kind it does not give
        given = {"speed": bool(speeds), "time": bool(times), "distance": bool(lengths)}
        asked = [kind for kind in asked if not given[kind]]
    if bare or len(asked) != 1 or not quantities:
        return None
    if len(speeds) + len(times) + len(lengths) != len(quantities) or len(speeds) > 1 or len(lengths) > 1:
        return None
    kind = asked[0]
    if kind == "distance" and speeds and times and not lengths:
        speed = speeds[0]
        if speed.unit.key not in _LENGTH_OF_SPEED:
            return None
        length_key, shown_unit = _LENGTH_OF_SPEED[speed.unit.key]
        seconds = _sum_seconds(times)
        per_second = speed.value * speed.unit.factor  # m/s
        metres = per_second * seconds
        if asked_unit := _ASKED_LENGTH.search(text):  # "how many metres…?": in the unit asked
            length_key = _LENGTH_KEYS[asked_unit.group(1)[:3]]
            shown_unit = "miles" if length_key == "mi" else length_key
        factor = {"km": Fraction(1000), "mi": Fraction(1609344, 1000), "m": Fraction(1)}[length_key]
        value = metres / factor
        duration = (
            _hours(seconds, lang) if speed.unit.key != "mps" and seconds >= 60 else f"{_n(seconds, lang)} s"
        )
        line = f"{_n(speed.value, lang)} {speed.unit.en[0]} × {duration} = {_n(value, lang)} {shown_unit}"
        return RateAnswer(line + ".", (_n(value, "en"), _n(value, "fr")))
    if kind == "time" and speeds and lengths and not times:
        speed, length = speeds[0], lengths[0]
        seconds = (length.value * length.unit.factor) / (speed.value * speed.unit.factor)
        if speed.value == 0:
            return None
        shown = _hours(seconds, lang)
        line = f"{_n(length.value, lang)} {length.unit.key} ÷ {_n(speed.value, lang)} {speed.unit.en[0]} = {shown}"
        hours = seconds / 3600
        return RateAnswer(line + ".", (_n(hours, "en"), _n(hours, "fr")))
    if kind == "speed" and lengths and times and not speeds:
        length = lengths[0]
        seconds = _sum_seconds(times)
        if seconds == 0 or length.unit.key not in _SPEED_OF_LENGTH:
            return None
        unit, per = _SPEED_OF_LENGTH[length.unit.key]
        value = length.value / (seconds / per)
        duration = _hours(seconds, lang) if per == 3600 else f"{_n(seconds, lang)} s"
        line = f"{_n(length.value, lang)} {length.unit.key} ÷ {duration} = {_n(value, lang)} {unit}"
        return RateAnswer(line + ".", (_n(value, "en"), _n(value, "fr")))
    return None
