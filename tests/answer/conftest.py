"""Fakes for the pipeline tests: a knowledge base and a grounded answerer with known outputs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import date

import pytest

from eclair.answer.pipeline import AnswerPipeline
from eclair.answer.types import AnswerInfo, AnswerStream, Citation, Passage
from eclair.engine.fake import FakeEngine
from eclair.engine.protocol import Engine, Finished, SamplingParams, StreamEvent, TextDelta, Usage

TODAY = date(2026, 11, 28)


@dataclass
class FakeKnowledge:
    passages: list[Passage] = field(default_factory=list)
    fail: bool = False
    queries: list[tuple[str, str | None]] = field(default_factory=list)

    scopes: list[tuple[str, ...] | None] = field(default_factory=list)

    async def search(
        self,
        query: str,
        *,
        user_id: str | None = None,
        collections: list[str] | None = None,
        documents: Sequence[str] | None = None,
        k: int = 5,
    ) -> list[Passage]:
        self.queries.append((query, user_id))
        self.scopes.append(None if documents is None else tuple(documents))
        if self.fail:
            raise RuntimeError("index unavailable")
        return self.passages[:k]


@dataclass
class FakeGrounded:
    """Answers with the first passage's text, cited, word by word; records its calls."""

    calls: list[tuple[str, list[Passage], str]] = field(default_factory=list)
    closed: int = 0

    def __call__(
        self, engine: Engine, question: str, passages: list[Passage], params: SamplingParams, lang: str
    ) -> AnswerStream:
        self.calls.append((question, passages, lang))
        info = AnswerInfo(route="knowledge")
        return AnswerStream(self._events(passages[0], info), info)

    async def _events(self, passage: Passage, info: AnswerInfo) -> AsyncIterator[StreamEvent]:
        try:
            for word in passage.text.split():
                yield TextDelta(word + " ")
            yield TextDelta("[1]", tokens=0)
            info.citations.append(
                Citation(passage.source, passage.chunk_id, passage.text, passage.start, passage.end)
            )
            yield Finished("stop", Usage(prompt_tokens=10, completion_tokens=len(passage.text.split())))
        finally:
            self.closed += 1


def passage(text: str, source: str = "guide.md") -> Passage:
    return Passage(chunk_id=f"{source}#0", source=source, text=text, start=0, end=len(text), score=1.0)


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def grounded() -> FakeGrounded:
    return FakeGrounded()


@pytest.fixture
def knowledge() -> FakeKnowledge:
    return FakeKnowledge()


@pytest.fixture
def pipeline(engine: FakeEngine, knowledge: FakeKnowledge, grounded: FakeGrounded) -> AnswerPipeline:
    return AnswerPipeline(engine, knowledge, today=lambda: TODAY, grounded=grounded)
