"""The calendar's words, English and French: the one month and weekday vocabulary.

- :data:`MONTH_NAMES` / :data:`WEEKDAY_NAMES`: display forms by language (January…, janvier…;
  Monday…, lundi…), index 0 = January / Monday.
- :data:`MONTHS` / :data:`WEEKDAYS`: folded words (names and the usual abbreviations, both
  languages) → month number 1–12 / weekday number 0–6 (Monday = 0, as :mod:`datetime`).
"""

from __future__ import annotations

from eclair.text.fold import fold

MONTH_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"),
}  # fmt: skip
WEEKDAY_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
}
_MONTH_ABBREVIATIONS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sept": 9, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12, "janv": 1, "fevr": 2, "fev": 2, "avr": 4, "juil": 7,
}  # fmt: skip

MONTHS: dict[str, int] = {
    **{fold(name): i for names in MONTH_NAMES.values() for i, name in enumerate(names, 1)},
    **_MONTH_ABBREVIATIONS,
}
WEEKDAYS: dict[str, int] = {fold(name): i for names in WEEKDAY_NAMES.values() for i, name in enumerate(names)}
