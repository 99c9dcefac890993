"""Hostile chat messages: the assistant's rules read a message in time proportional to its
length, and a message too long to be a question is not read by them at all (issue 16).

Before: 64,000 spaces then "hi" took 15 s to split into clauses, on the event loop; a
64,000-character question was re-folded for every sentence of every passage (2-3 s).
"""

from __future__ import annotations

import time
from datetime import date

import pytest

from eclair.answer.pipeline import AnswerPipeline
from eclair.answer.router import MAX_QUESTION_CHARS, decide
from eclair.answer.types import AnswerStream
from eclair.engine.fake import FakeEngine
from eclair.engine.protocol import ChatMessage, SamplingParams
from tests.answer.conftest import FakeKnowledge, passage

TODAY = date(2026, 12, 4)
PARAMS = SamplingParams(max_tokens=16)
MESSAGE_CHARS = 64_000
# Measured on this project's 2-core machine: every message below in under 0.1 s.
# The limits are 10-20 times that, so a shared, busy machine does not fail them; a freeze (the
# findings took 8.6 s to 28 s) still does.
MESSAGE_LIMIT_S = 2.0
QUESTION_LIMIT_S = 1.0
# Runs that made a rule rescan the rest of the text from each of their characters.
UNITS = [
    " ", "\t", "\u00a0", "\n", " - ", "1, ", "**a ", "(((", ")))", "3 fois 4, plus ", "1", "1 ", "A ",
    "a_", ". ", "? ", "!", "x + ", "5 % of ", "3 € ", "how long does ", "hmm ", "1 + 1 = ", "[1] ",
    "who founded ", "le musée ouvre à 10 h. ",
]  # fmt: skip
# Documents are the users' too: passages an upload can make.
PASSAGES = [passage("1 " * 450), passage("A " * 450), passage("The museum opens at 10. " * 37)]


def shapes(unit: str, chars: int) -> dict[str, str]:
    """The ways a run reaches the rules: the whole message, a labelled question, a pasted
    text then a question."""
    run = unit * (chars // len(unit))
    return {
        "message": run + "?",
        "after": run + "hi",
        "labelled": "Question: " + run + "?",
        "pasted": "The museum opens at 10. " * 20 + "\n" + run + " when does the museum open?",
    }


def pipeline(engine: FakeEngine | None = None) -> AnswerPipeline:
    # a context large enough that the engine never refuses first
    return AnswerPipeline(
        engine or FakeEngine(context_size=10**7), FakeKnowledge(list(PASSAGES)), today=lambda: TODAY
    )


async def answer(assistant: AnswerPipeline, messages: list[ChatMessage]) -> AnswerStream:
    stream = assistant.stream(messages, PARAMS)
    async for _ in stream.events:
        pass
    return stream


@pytest.mark.parametrize("unit", UNITS, ids=repr)
async def test_a_long_hostile_message_is_answered_in_bounded_time(unit: str) -> None:
    assistant = pipeline()
    for shape, text in shapes(unit, MESSAGE_CHARS).items():
        started = time.perf_counter()
        await answer(assistant, [ChatMessage("user", text)])
        elapsed = time.perf_counter() - started
        assert elapsed < MESSAGE_LIMIT_S, f"{shape}: {elapsed:.2f} s"


@pytest.mark.parametrize("unit", UNITS, ids=repr)
async def test_a_hostile_question_the_rules_read_is_answered_quickly(unit: str) -> None:
    assistant = pipeline()
    for shape, text in shapes(unit, MAX_QUESTION_CHARS - 20).items():
        started = time.perf_counter()
        await answer(assistant, [ChatMessage("user", text)])
        elapsed = time.perf_counter() - started
        assert elapsed < QUESTION_LIMIT_S, f"{shape}: {elapsed:.2f} s"


def test_a_message_too_long_to_be_a_question_goes_to_the_model() -> None:
    text = "What is 6 × 7? " + "Tell me everything about numbers. " * 40
    assert len(text) > MAX_QUESTION_CHARS
    decision = decide([ChatMessage("user", text)], TODAY)
    assert decision.route == "model" and decision.reply is None


def test_a_pasted_text_then_a_short_question_is_still_read() -> None:
    text = "The museum was founded in 1902 by the lace makers of the town. " * 30 + "What is 6 × 7?"
    assert len(text) > MAX_QUESTION_CHARS
    decision = decide([ChatMessage("user", text)], TODAY)
    assert decision.route == "calculator" and decision.reply is not None
    assert "42" in decision.reply.text


async def test_pushback_on_an_answer_to_a_long_message_is_the_models() -> None:
    engine = FakeEngine(context_size=10**7)
    long_question = "1 × 2 " * 400 + "= ?"
    messages = [
        ChatMessage("user", long_question),
        ChatMessage("assistant", "It is 2."),
        ChatMessage("user", "Are you sure? I think it's 3."),
    ]
    started = time.perf_counter()
    stream = await answer(pipeline(engine), messages)
    assert time.perf_counter() - started < QUESTION_LIMIT_S
    assert stream.info.route == "model" and len(engine.requests) == 1
