"""The present a message sets for itself: "if today is 3 March 2025", "nous sommes le 28 janvier".

Contract: :func:`find_reference` looks in a folded message (see
:func:`eclair.answer.facts.fold1`, numbers in digits) for a clause that states what today is,
and returns a :class:`Reference`: the stated date, or only a weekday ("if today is a
Tuesday", "on est lundi"), with the span of the clause so that the caller can blank it and
compute with the stated day as today. A clause counts only when the date (or weekday) comes
right after a cue that sets the present: "today is", "if it's", "suppose it is", "we are on",
"nous sommes le", "on est le", "aujourd'hui c'est", "si on est le", "supposons que nous soyons
le"... "How many days from today is 25 December" is not one ("today" follows a preposition),
and neither is "it is" in the middle of a question ("what weekday it is on 1 May"). Nothing
here reads the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from eclair.answer.datetext import WEEKDAY_ALT, WEEKDAY_NAMES, FoundDate, InvalidDate

# Cues that state the present wherever they stand ("today is", "nous sommes le").
_STATES_TODAY = (
    r"today(?:'s date)? is|today being|the date today is|the current date is|current date is|"
    r"(?:the )?date is now|nous (?:sommes|soyons|serions)|on (?:est|soit|serait)|"
    r"aujourd'hui,? (?:c'est|ce serait|nous sommes|on est|est|soit|serait)|"
    r"la date (?:d'aujourd'hui|du jour) (?:est|soit|serait)|c'est aujourd'hui"
)
# Cues that state the present only after "if", "suppose"... or at the start of a sentence
# ("It's 3 March 2025."): elsewhere "it is" is part of the question.
_STATES_IF_LED = r"it(?:'s| is)(?: now| today)?|we(?:'re| are)(?: now)?(?: on)?"
_LEAD = (
    r"(?:^|[.!?;]\s*|\b(?:if|suppose|supposing|assume|assuming|imagine|pretend|say|let's say|"
    r"given|considering)(?: that)? )"
)
_CUE = re.compile(
    rf"(?:(?P<plain>\b(?:{_STATES_TODAY}))|(?P<led>{_LEAD}(?:{_STATES_IF_LED})))"
    rf"(?P<tail>,? (?:the |le |un |a |on |ce )?(?:(?P<weekday>{WEEKDAY_ALT}),? ?)?)"
)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:from|until|till|since|after|before|than|to|between|and|depuis|jusqu'a|jusqu'au|apres|avant|entre|et)\s*$"
)
_WEEKDAY_ONLY_END = re.compile(
    r"(?<!\s)(?P<today> today| aujourd'hui)?\s*+(?:$|[.,;:!?]|and\b|et\b|so\b|donc\b|alors\b|what\b|which\b|quel)"
)


@dataclass(frozen=True, slots=True)
class Reference:
    """Today as the message states it: a date, or only a weekday (0 = Monday)."""

    start: int
    end: int
    value: date | None = None
    weekday: int | None = None


def find_reference(folded: str, found: list[FoundDate | InvalidDate]) -> Reference | None:
    """The clause of ``folded`` that states today, given the dates found in it, or None."""
    for m in _CUE.finditer(folded):
        cue_start = m.start("plain") if m["plain"] else m.start("led")
        if _PREPOSITION_BEFORE.search(folded[max(0, cue_start - 15) : cue_start]):
            continue
        after = m.end()
        stated = next((f for f in found if f.start == after), None)
        if isinstance(stated, FoundDate) and not stated.relative:
            return Reference(cue_start, stated.end, value=stated.value)
        # "if it's a Sunday today, ...": the weekday alone ("today" belongs to the clause)
        if m["weekday"] and (end := _WEEKDAY_ONLY_END.match(folded, m.end("weekday"))):
            stop = end.end("today") if end["today"] else m.end("weekday")
            return Reference(cue_start, stop, weekday=WEEKDAY_NAMES[m["weekday"]])
    return None
