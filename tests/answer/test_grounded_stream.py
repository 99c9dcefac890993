"""Grounded answers that show the verbatim quote first when the model is slow (``quote_after_s``).

What is shown is never unverified, and its verified contents are those of the answer without
the option: the quote, then the model's verified sentence when it passes, else the quote alone.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from eclair.answer.grounded import grounded_answer
from eclair.answer.types import AnswerStream
from eclair.engine.fake import FakeEngine
from eclair.engine.protocol import Finished, SamplingParams, TextDelta
from eclair.knowledge.base import KnowledgeBase

MOON = (
    "The Moon is Earth's only natural satellite. It orbits the Earth every 27.3 days. "
    "Neil Armstrong was the first person to walk on the Moon, on 20 July 1969."
)
QUESTION = "When did Neil Armstrong walk on the Moon?"
GOOD = "Neil Armstrong walked on the Moon on 20 July 1969."
BAD = "Neil Armstrong walked on the Moon on 21 July 1970."


@pytest.fixture
async def base(tmp_path: Path) -> KnowledgeBase:
    kb = KnowledgeBase(tmp_path, dense=False)
    await kb.add_file(MOON.encode(), "moon.txt")
    return kb


async def run(
    base: KnowledgeBase, reply: str, *, delay: float, quote_after_s: float | None
) -> tuple[list[tuple[float, str]], AnswerStream, Finished]:
    engine = FakeEngine(token_delay_s=delay)
    engine.enqueue(reply)
    stream = grounded_answer(
        engine, QUESTION, await base.search(QUESTION), SamplingParams(), "en", quote_after_s=quote_after_s
    )
    started = time.monotonic()
    pieces: list[tuple[float, str]] = []
    async for event in stream.events:
        if isinstance(event, TextDelta):
            pieces.append((time.monotonic() - started, event.text))
        else:
            assert isinstance(event, Finished)
            return pieces, stream, event
    raise AssertionError("no Finished event")


def text(pieces: list[tuple[float, str]]) -> str:
    return "".join(piece for _, piece in pieces)


async def test_a_slow_model_shows_the_quote_first_then_its_verified_sentence(base: KnowledgeBase) -> None:
    waited, waited_stream, _ = await run(base, GOOD, delay=0.02, quote_after_s=None)
    quoted, quoted_stream, _ = await run(base, BAD, delay=0.0, quote_after_s=None)  # the quote alone
    pieces, stream, finished = await run(base, GOOD, delay=0.02, quote_after_s=0.01)
    first_at = pieces[0][0]
    assert first_at < waited[0][0] / 2  # the quote did not wait for the model
    assert text(pieces) == f"{text(quoted)}\n\n{text(waited)}"
    assert stream.info.citations == quoted_stream.info.citations == waited_stream.info.citations
    assert finished.usage.completion_tokens > 0 and stream.info.route == "knowledge"


async def test_a_rejected_sentence_leaves_the_quote_alone(base: KnowledgeBase) -> None:
    quoted, quoted_stream, _ = await run(base, BAD, delay=0.0, quote_after_s=None)
    pieces, stream, _ = await run(base, BAD, delay=0.02, quote_after_s=0.01)
    assert text(pieces) == text(quoted) and text(pieces).startswith("According to moon.txt")
    assert stream.info.citations == quoted_stream.info.citations


async def test_a_model_in_time_answers_as_without_the_option(base: KnowledgeBase) -> None:
    waited, waited_stream, _ = await run(base, GOOD, delay=0.0, quote_after_s=None)
    pieces, stream, _ = await run(base, GOOD, delay=0.0, quote_after_s=5.0)
    assert text(pieces) == text(waited) == "Neil Armstrong walked on the Moon on 20 July 1969 [1]."
    assert stream.info.citations == waited_stream.info.citations


async def test_leaving_after_the_quote_cancels_the_generation(base: KnowledgeBase) -> None:
    engine = FakeEngine(token_delay_s=0.05)
    engine.enqueue(GOOD * 5)
    stream = grounded_answer(
        engine, QUESTION, await base.search(QUESTION), SamplingParams(), "en", quote_after_s=0.01
    )
    events = stream.events
    first = await events.__anext__()  # type: ignore[attr-defined]
    assert isinstance(first, TextDelta) and first.text == "According "
    assert engine.active == 1
    await events.aclose()  # type: ignore[attr-defined]
    await asyncio.sleep(0)
    assert engine.active == 0
