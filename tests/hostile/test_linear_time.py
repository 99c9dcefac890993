"""Every text-analysis entry point takes time linear in its input (issue 16, findings 1 and 2).

A chat message or an uploaded file is read by the router, the knowledge analysis and the
text extraction before anything else happens, and ``re`` holds the GIL while it runs: one
superlinear step freezes every user. Before the fix, 32,000 spaces then "hi" took 8.6 s to
route, a 48 KB Markdown file of ``"**a "`` took 17 s to extract, and 256 KB of ``"<a"`` took
28 s to strip of its tags.

The property: for a short hostile unit (drawn by hypothesis from the characters that broke
the rules, or arbitrary text), the unit repeated to 1 KB, 4 KB, 16 KB… up to 1 MB is read in
a time that grows linearly: the slope of log(time) against log(length) stays under
:data:`MAX_SLOPE` (1 for linear, 2 for quadratic). Entry points whose work per character
is large (a question compared with every passage) stop at a smaller length; the lengths
they are given in the product are smaller still.
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from eclair.answer.context import inline_passages, split_question
from eclair.answer.grounded import clean
from eclair.answer.intent import classify_intent
from eclair.answer.language import detect_language
from eclair.answer.premise import check_premise
from eclair.answer.pushback import find_pushback
from eclair.answer.router import answer_with_tools, decide
from eclair.answer.types import Passage
from eclair.answer.unknowable import unknowable
from eclair.engine.protocol import ChatMessage
from eclair.knowledge import extract, lexical
from eclair.knowledge.chunking import chunk_spans, split_sentences
from eclair.knowledge.claims import extract_claims, units_agree, unsupported_claims
from eclair.knowledge.evidence import best_evidence
from eclair.knowledge.fidelity import fidelity_problem
from eclair.knowledge.question import analyse_question

TODAY = date(2026, 12, 4)
KB, MB = 1_000, 1_000_000
SIZES = (KB, 4 * KB, 16 * KB, 64 * KB, 256 * KB, MB)
# Linear gives about 1; quadratic 2. The margin absorbs cache and allocator effects at 1 MB.
MAX_SLOPE = 1.3
# Timer resolution and fixed costs: a shorter time says nothing about growth.
FLOOR_S = 200e-6
# One 4-fold step that costs 9 times more (quadratic: 16), once times are long enough to trust.
STEEP_SLOPE, RELIABLE_S = 1.6, 0.01
# What broke a rule once: runs of spaces, marks, openers without closers, operator words.
HOSTILE = (
    " ", "\t", "\u00a0", "\n", "\n\n", "7", "1,", "1.", "1 ", "**a ", "*a ", "_a ", "a-", " - ", "—",
    "(((", "[[[", "<<<", "<a", "<!--", "</", "&#", "[a](", "![", "# ", "> ", ".", "?", "!", ", ", "a1",
    "plus ", "fois ", "times ", "é", "Ab. ", "12:", "1 km ", "May 1 ", "one ", "who ", "Question: ",
)  # fmt: skip
UNITS = st.one_of(
    st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=3).map("".join),
    st.text(min_size=1, max_size=5),
)
# What ends the run: a pattern that needs something else there rescans the run from each
# of its characters ("[ \t]+\n" over spaces then "x").
TAILS = st.sampled_from(("", "x", "hi", "?", "\n"))
QUESTION = analyse_question("How many people live in Paris?")
ANSWER = "In 1889, Paris had 2 million people [1]."


def user(text: str) -> ChatMessage:
    return ChatMessage("user", text)


def passages(text: str) -> list[Passage]:
    """The text as the knowledge base hands it over: chunks with their offsets."""
    return [
        Passage(f"doc#{c.index}", "doc.md", text[c.start : c.end], c.start, c.end) for c in chunk_spans(text)
    ]


@dataclass(frozen=True)
class Entry:
    name: str
    read: Callable[[str], object]
    # The longest text timed: work per character times 1 MB must fit the test's budget.
    largest: int = MB


ENTRIES = (
    # a chat message, as the router and pushback read it
    Entry("router.decide", lambda t: decide([user(t)], TODAY)),
    Entry("router.decide, pasted text", lambda t: decide([user(t + "\nQuestion: how many people?")], TODAY)),
    Entry("router.answer_with_tools", lambda t: answer_with_tools(t, "fr", TODAY)),
    Entry(
        "pushback.find_pushback",
        lambda t: find_pushback([user("what is 6 x 7"), ChatMessage("assistant", t), user(t)], "en"),
    ),
    Entry("context.split_question", split_question),
    Entry("context.inline_passages", lambda t: inline_passages([user(t)], t, "how many people?")),
    Entry("language.detect_language", detect_language),
    Entry("intent.classify_intent", classify_intent),
    Entry("premise.check_premise", lambda t: check_premise(t, "en")),
    Entry("unknowable.unknowable", unknowable),
    Entry("grounded.clean", clean),
    # the knowledge analysis: a question, the passages, an answer checked against them
    Entry("question.analyse_question", analyse_question, 256 * KB),
    Entry("evidence.best_evidence", lambda t: best_evidence(QUESTION, passages(t)), 64 * KB),
    Entry("claims.extract_claims", extract_claims, 256 * KB),
    Entry("claims.unsupported_claims", lambda t: unsupported_claims(ANSWER, [t]), 256 * KB),
    Entry("claims.units_agree", lambda t: units_agree(ANSWER, [t]), 256 * KB),
    Entry("fidelity.fidelity_problem", lambda t: fidelity_problem(ANSWER, QUESTION, [t], [t]), 64 * KB),
    Entry("lexical.terms", lexical.terms),
    Entry("lexical.fts_query", lexical.fts_query),
    Entry("chunking.split_sentences", split_sentences),
    Entry("chunking.chunk_spans", chunk_spans),
    # an uploaded file's text
    Entry("extract.normalize", extract.normalize),
    Entry("extract.markdown_text", extract.markdown_text),
    Entry("extract._strip_tags", extract._strip_tags),
    Entry("extract.html_text", extract.html_text, 256 * KB),
)


def _cpu_seconds(read: Callable[[str], object], text: str, repeats: int) -> float:
    best = math.inf
    for _ in range(repeats):
        gc.disable()  # a collection that happens to fall in one run is not the code's growth
        try:
            started = time.process_time()
            read(text)
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
    return max(best, FLOOR_S)


def _slope(times: dict[int, float]) -> float:
    """Least-squares slope of log time against log length."""
    xs = [math.log(size) for size in times]
    ys = [math.log(seconds) for seconds in times.values()]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return covariance / sum((x - mean_x) ** 2 for x in xs)


def _repeated(unit: str, tail: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[: size - len(tail)] + tail


def _steep(times: dict[int, float]) -> bool:
    """Whether the last 4-fold step, long enough to trust, already looks quadratic."""
    last = list(times.items())[-2:]
    return len(last) == 2 and last[-1][1] >= RELIABLE_S and _slope(dict(last)) >= STEEP_SLOPE


def growth(entry: Entry, unit: str, tail: str = "") -> tuple[float, dict[int, float]]:
    """(slope of log time against log length, the times), from 1 KB to ``entry.largest``
    by steps of 4: the larger of the fit's slope and that of the last 16-fold step alone (a
    quadratic part with a small constant shows only at length). A step already clearly
    quadratic stops the ladder there: at 1 MB such a reader would take minutes, not fail."""
    times: dict[int, float] = {}
    for size in (size for size in SIZES if size <= entry.largest):
        text = _repeated(unit, tail, size)
        times[size] = _cpu_seconds(entry.read, text, 3 if size < min(entry.largest, 256 * KB) else 1)
        if _steep(times):
            # One timing on a shared machine can double (another process, a page fault):
            # a steep step is believed only if the best of three more timings confirms it.
            times[size] = min(times[size], _cpu_seconds(entry.read, text, 3))
            if _steep(times):
                return _slope(dict(list(times.items())[-2:])), times
    slope = max(_slope(times), _slope(dict(list(times.items())[-3:])))
    if slope >= MAX_SLOPE:  # the long texts were timed once each: confirm before failing
        for size in [size for size in times if size >= 256 * KB]:
            times[size] = min(times[size], _cpu_seconds(entry.read, _repeated(unit, tail, size), 3))
        slope = max(_slope(times), _slope(dict(list(times.items())[-3:])))
    return slope, times


@pytest.mark.slow
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(unit=UNITS, tail=TAILS)
@example(unit=" ", tail="hi")
@example(unit="**a ", tail="")
def test_time_grows_linearly_with_the_input(entry: Entry, unit: str, tail: str) -> None:
    slope, times = growth(entry, unit, tail)
    shown = ", ".join(f"{size // KB} KB: {seconds * 1000:.1f} ms" for size, seconds in times.items())
    assert slope < MAX_SLOPE, f"{entry.name} on {unit!r} repeated, then {tail!r}: slope {slope:.2f} ({shown})"


# ------------------------------------------------------------------ the two findings


def _wall_seconds(read: Callable[[], object]) -> float:
    started = time.perf_counter()
    read()
    return time.perf_counter() - started


def test_finding_1_spaces_then_hi_routes_at_once() -> None:
    """32,000 spaces then "hi" took 8.6 s in the clause splitter (tabs, no-break spaces alike)."""
    for space in (" ", "\t", "\u00a0"):
        message = space * 32_000 + "hi"
        assert _wall_seconds(lambda m=message: decide([user(m)], TODAY)) < 1.0  # type: ignore[misc]
        assert _wall_seconds(lambda m=message: answer_with_tools(m, "en", TODAY)) < 1.0  # type: ignore[misc]


def test_finding_2_bold_markers_extract_at_once() -> None:
    """48 KB of "**a " took 17 s to upload; 80 KB of spaces 7 s to clean up."""
    source = "**a " * 12_000
    assert _wall_seconds(lambda: extract.normalize(extract.markdown_text(source))) < 1.0
    assert _wall_seconds(lambda: extract.extract_text(source.encode(), "bold.md")) < 1.0
    assert _wall_seconds(lambda: extract.normalize(" " * 80_000 + "x")) < 1.0


def test_finding_2_unclosed_tags_extract_at_once() -> None:
    """256 KB of "<a" took 28 s in the standard library's HTML parser."""
    for unit in ("<a", "<a b", "<!--", "</"):
        page = unit * (256 * KB // len(unit))
        assert _wall_seconds(lambda p=page: extract._strip_tags(p)) < 1.0  # type: ignore[misc]
