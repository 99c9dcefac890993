"""A conversation's scope (its attached documents) reaches the pipeline: the knowledge base is
searched in those documents only, and a question about them is grounded however it is worded
(with or without "according to the documents"). Real knowledge base, engine off (the verified
quote path)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eclair.answer.grounded import grounded_answer
from eclair.answer.pipeline import AnswerPipeline
from eclair.answer.types import AnswerStream, Passage
from eclair.engine.fake import FakeEngine
from eclair.engine.protocol import ChatMessage, Engine, SamplingParams, TextDelta
from eclair.knowledge.base import KnowledgeBase

from .conftest import TODAY, FakeKnowledge, passage

PARAMS = SamplingParams(max_tokens=64)

# Two handbooks of the same kind that disagree: which one answers is the scope's doing.
NORTH = (
    "# Northfield swimming pool\n\nOpening hours. The Northfield pool opens at 7 am on weekdays.\n\n"
    "Lessons. Children's lessons start at 5 pm on Wednesdays.\n"
)
SOUTH = (
    "# Southfield swimming pool\n\nOpening hours. The Southfield pool opens at 10 am on weekdays.\n\n"
    "Lessons. Children's lessons start at 4 pm on Saturdays.\n"
)


@pytest.fixture
async def base(tmp_path: Path) -> KnowledgeBase:
    return KnowledgeBase(tmp_path, dense=False)


def quoting(
    engine: Engine, question: str, passages: list[Passage], params: SamplingParams, lang: str
) -> AnswerStream:
    """The verified path with the model off: the answer is the verbatim quote."""
    return grounded_answer(None, question, passages, params, lang)


async def ask(pipeline: AnswerPipeline, question: str, documents: list[str] | None) -> tuple[str, list[str]]:
    stream = pipeline.stream([ChatMessage("user", question)], PARAMS, documents=documents)
    text = "".join([e.text async for e in stream.events if isinstance(e, TextDelta)])
    return text, [c.source for c in stream.info.citations]


async def test_the_search_keeps_to_the_scope(base: KnowledgeBase) -> None:
    north = await base.add_file(NORTH.encode(), "north.md")
    south = await base.add_file(SOUTH.encode(), "south.md")
    everything = {p.document_id for p in await base.search("pool opens weekdays")}
    assert everything == {north.id, south.id}
    scoped = await base.search("pool opens weekdays", documents=[south.id])
    assert scoped and {p.document_id for p in scoped} == {south.id}
    assert await base.search("pool opens weekdays", documents=[]) == [], "an empty scope holds nothing"
    await base.close()


@pytest.mark.parametrize(
    "question",
    [
        "When does the pool open on weekdays?",
        "According to the documents, when does the pool open on weekdays?",
        "Based on the attached file, what time does the pool open on weekdays?",
        "In my notes, when does the pool open on weekdays?",
        "Selon le document joint, à quelle heure ouvre la piscine en semaine ?",
        "Dans le fichier joint, à quelle heure ouvre la piscine en semaine ?",
    ],
)
async def test_an_attached_document_answers_however_the_question_is_worded(
    base: KnowledgeBase, question: str
) -> None:
    await base.add_file(NORTH.encode(), "north.md")
    south = await base.add_file(SOUTH.encode(), "south.md")
    pipeline = AnswerPipeline(FakeEngine(), base, today=lambda: TODAY, grounded=quoting)
    text, sources = await ask(pipeline, question, [south.id])
    assert sources == ["south.md"], text
    assert "10" in text and "7 am" not in text
    await base.close()


async def test_without_a_scope_every_document_is_searched() -> None:
    knowledge = FakeKnowledge(passages=[passage("The museum opens at 9 am.")])
    pipeline = AnswerPipeline(FakeEngine(), knowledge, today=lambda: TODAY)
    await ask(pipeline, "When does the museum open?", None)
    await ask(pipeline, "When does the museum open?", ["doc-1", "doc-2"])
    assert knowledge.scopes == [None, ("doc-1", "doc-2")]
