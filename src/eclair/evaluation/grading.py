"""SimpleQA-style grading of one reply: correct, incorrect or not attempted.

The grader sees a suite item and a :class:`Reply` (the text, plus the ``eclair`` object when
the server sent one) and never calls a model. Rules by ``expect.kind``:

- ``answer``: *correct* when an acceptable answer is stated (a number the question already
  contains must be asserted — "= 42", "is 42" — or stated alone: echoing the question is not
  answering it), no conflicting answer is
  stated, the reply does not concede a contest (follow-up turns), and — for grounded items
  answered by Éclair — a citation's source is the expected document. *Not attempted* when no
  acceptable answer is stated and the reply declines; *incorrect* otherwise. A conflicting
  answer is (a) a ``reject`` spec asserted after a copula or "=" (not negated, not quoting the
  user), or (b) for numeric answers, a last computed result (after "=", "font", "equals"...)
  that is neither acceptable nor a number the user wrote.
- ``abstain``: *correct* when ``eclair.abstained`` or the text declines; *not attempted* when
  Éclair rejected the premise instead; otherwise *incorrect* (a confident answer).
- ``premise``: *correct* when ``eclair.route == "premise"`` or the text rejects the premise;
  *not attempted* when it merely declines; otherwise *incorrect*.
- ``model``: *correct* when the reply is non-empty and does not decline; else not attempted.

An empty reply or a transport error is *not attempted*, with the reason recorded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any, Literal

from eclair.answer.numwords import words_to_digits
from eclair.evaluation import patterns
from eclair.evaluation.answers import (
    AnswerSpec,
    Number,
    extract_numbers,
    normalise,
    number_matches,
    parse_spec,
    spec_found,
    strip_citation_marks,
)
from eclair.evaluation.suite import SuiteItem

Verdict = Literal["correct", "incorrect", "not_attempted"]


@dataclass(frozen=True, slots=True)
class Reply:
    """What the server answered to one item. ``eclair`` is None for the raw model."""

    text: str
    eclair: Mapping[str, Any] | None = None
    error: str | None = None

    @property
    def abstained(self) -> bool:
        return bool(self.eclair and self.eclair.get("abstained"))

    @property
    def route(self) -> str | None:
        return self.eclair.get("route") if self.eclair else None

    @property
    def citation_sources(self) -> list[str]:
        citations = (self.eclair or {}).get("citations") or []
        return [str(c.get("source", "")) for c in citations if isinstance(c, Mapping)]


@dataclass(frozen=True, slots=True)
class Grade:
    verdict: Verdict
    reason: str
    details: dict[str, Any] = field(default_factory=dict)


def declines(text: str) -> bool:
    """The text says "I don't know" (or an equivalent) in English or French."""
    return bool(patterns.ABSTAIN.search(normalise(text)))


def rejects_premise(text: str) -> bool:
    return bool(patterns.PREMISE.search(normalise(text)))


def concedes(text: str) -> bool:
    return bool(patterns.CONCEDE.search(normalise(text)))


def grade(item: SuiteItem, reply: Reply, source_aliases: Mapping[str, str] | None = None) -> Grade:
    """Grade ``reply`` against ``item``. ``source_aliases`` maps uploaded file ids to names."""
    if reply.error:
        return Grade("not_attempted", f"request failed: {reply.error}")
    text = reply.text.strip()
    if not text:
        return Grade("not_attempted", "empty reply")
    declined = reply.abstained or declines(text)
    kind = item.expect.kind
    if kind == "model":
        return Grade("not_attempted", "declined") if declined else Grade("correct", "answered")
    if kind == "abstain":
        if declined:
            return Grade("correct", "abstained")
        if reply.route == "premise":
            return Grade("not_attempted", "rejected the question instead of abstaining")
        return Grade("incorrect", "answered confidently")
    if kind == "premise":
        if reply.route == "premise":
            return Grade("correct", "premise route")
        if rejects_premise(text):
            return Grade("correct", "rejected the premise")
        if declined:
            return Grade("not_attempted", "declined without rejecting the premise")
        return Grade("incorrect", "went along with the premise")
    return _grade_answer(item, reply, text, declined, source_aliases or {})


def _grade_answer(
    item: SuiteItem, reply: Reply, text: str, declined: bool, aliases: Mapping[str, str]
) -> Grade:
    if reply.abstained:
        return Grade("not_attempted", "abstained")
    clean = strip_citation_marks(text)
    norm = normalise(clean)
    numbers = extract_numbers(norm, item.lang)
    accepted = [parse_spec(s) for s in item.expect.answers]
    stated = numbers + _spelled_numbers(norm)
    found = [
        s.raw for s in accepted if spec_found(s, clean, stated) and not _only_echoed(s, item, norm, numbers)
    ]
    if not found:
        return Grade("not_attempted" if declined else "incorrect", "no acceptable answer stated")
    if item.is_followup and concedes(clean):
        return Grade("incorrect", "conceded to the user's contest", {"found": found})
    conflict = _conflict(item, clean, accepted)
    if conflict:
        return Grade("incorrect", conflict, {"found": found})
    if item.expect.source and reply.eclair is not None:
        sources = reply.citation_sources
        if not any(_same_source(s, item.expect.source, aliases) for s in sources):
            return Grade(
                "incorrect",
                f"right answer but no citation of {item.expect.source}",
                {"found": found, "cited": sources},
            )
    return Grade("correct", "acceptable answer stated", {"found": found})


_WORDS_RUN = re.compile(r"[a-z][a-z' -]*[a-z]")


def _spelled_numbers(norm: str) -> list[Number]:
    """Numbers written in words ("up to four guests", "vingt-trois"), in either language (a
    reply may quote a source written in the other); "one"/"un"/"une" are left out, being as
    often a pronoun or an article as a number."""
    spelled: list[Number] = []
    for run in _WORDS_RUN.finditer(norm):
        for lang in ("en", "fr"):
            digits = words_to_digits(run[0], lang)
            if digits != run[0]:
                spelled += [n for n in extract_numbers(digits, lang) if n.value != 1]
                break
    return spelled


def _only_echoed(spec: AnswerSpec, item: SuiteItem, norm: str, numbers: list[Number]) -> bool:
    """A numeric answer that the question itself contains ("divide 1,764 by 42" → 42) counts
    only when the reply asserts it (after "=", "is", "font"...) or states no other number."""
    if not spec.numeric:
        return False
    if not any(number_matches(spec, n) for n in extract_numbers(normalise(item.question), item.lang)):
        return False
    if all(number_matches(spec, n) for n in numbers):
        return False
    return not any(number_matches(spec, n) for n in _asserted_numbers(norm, numbers))


def _asserted_numbers(norm: str, numbers: list[Number]) -> list[Number]:
    """Numbers placed right after an assertion marker ("= 42", "is 42", "font 12")."""
    found = (
        _number_at(numbers, _skip_fillers(norm, m.end())) for m in patterns.ASSERT_MARKERS.finditer(norm)
    )
    return [number for number in found if number is not None]


def _same_source(cited: str, expected: str, aliases: Mapping[str, str]) -> bool:
    cited = aliases.get(cited, cited)
    return PurePosixPath(cited.replace("\\", "/")).name.lower() == expected.lower()


# -- conflicting answers ------------------------------------------------------------------


def _conflict(item: SuiteItem, text: str, accepted: list[AnswerSpec]) -> str | None:
    """Why the reply also states a different answer, or None."""
    norm = normalise(text)
    numbers = extract_numbers(norm, item.lang)
    rejects = [parse_spec(s) for s in item.expect.reject]
    for marker in patterns.ASSERT_MARKERS.finditer(norm):
        if patterns.REPORTED.search(norm[max(0, marker.start() - 60) : marker.end()]):
            continue
        start = _skip_fillers(norm, marker.end())
        for spec in rejects:
            if _states_at(spec, norm, start, numbers):
                return f"asserts the rejected answer {spec.raw}"
    if not accepted or not all(s.numeric for s in accepted):
        return None
    user_values = _user_values(item, rejects)
    final: Number | None = None
    last: Number | None = None
    for marker in patterns.STRICT_MARKERS.finditer(norm):
        number = _number_at(numbers, _skip_fillers(norm, marker.end()))
        if number is not None:
            last = number
            if not (set(number.readings) & user_values):
                final = number
    # (the user's own numbers restated after "=" are not the result; but the very last result
    # stated may equal one of them: "12 × 3 = 36 … batches needed = 3" for "3 cookies each")
    if last is not None and any(number_matches(s, last) for s in accepted):
        return None
    if final is not None and not any(number_matches(s, final) for s in accepted):
        return f"final result stated is {final.value}, not an acceptable answer"
    return None


def _user_values(item: SuiteItem, rejects: list[AnswerSpec]) -> set[Decimal]:
    """Numbers the user wrote (a reply may restate them), minus the rejected ones."""
    values: set[Decimal] = set()
    for turn in item.user_turns:
        for number in extract_numbers(normalise(turn), item.lang):
            values.update(number.readings)
    return {v for v in values if not any(s.numeric and s.matches_value(v) for s in rejects)}


def _skip_fillers(text: str, pos: int) -> int:
    """Position of the asserted value after a marker: skip spaces, punctuation and fillers."""
    for _ in range(6):
        while pos < len(text) and text[pos] in " :,*\"'":
            pos += 1
        match = patterns.FILLERS.match(text, pos)
        if not match or match.end() == pos:
            break
        pos = match.end()
    return pos


def _number_at(numbers: list[Number], pos: int) -> Number | None:
    for number in numbers:
        # A leading minus sign belongs to the number but starts before its digits.
        if number.start in (pos, pos + 1):
            return number
    return None


def _states_at(spec: AnswerSpec, text: str, pos: int, numbers: list[Number]) -> bool:
    if spec.numeric:
        number = _number_at(numbers, pos)
        return number is not None and number_matches(spec, number)
    assert spec.pattern is not None
    if spec.kind == "text":
        return bool(spec.pattern.match(text, pos))
    return bool(re.compile(spec.pattern.pattern, re.IGNORECASE).match(text, pos))
