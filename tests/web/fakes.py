"""A stand-in answer pipeline for web tests: grounded answers with citations, deterministically.

It searches the knowledge base for the last user message; with a hit it streams a short
answer quoting the best passage, with one :class:`~eclair.answer.types.Citation` (route
``knowledge``); without one it lets the fake engine answer (route ``model``). It exists so that
the page's citation chips and badges can be tested before (and independently of) the real
pipeline; it implements only what :class:`~eclair.api.serving_chat.ChatService` calls.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Callable, Sequence

from eclair.answer.types import AnswerInfo, AnswerStream, Citation
from eclair.engine.fake import FakeEngine
from eclair.engine.protocol import (
    ChatMessage,
    Finished,
    GenerationRequest,
    SamplingParams,
    StreamEvent,
    TextDelta,
    Usage,
)
from eclair.knowledge.base import KnowledgeBase


class CitingPipeline:
    """``knowledge_of`` returns the app's knowledge base (it is opened by the app's lifespan)."""

    def __init__(self, knowledge_of: Callable[[], KnowledgeBase], engine: FakeEngine):
        self.knowledge_of = knowledge_of
        self.engine = engine

    def stream(
        self,
        messages: Sequence[ChatMessage],
        params: SamplingParams,
        *,
        user_id: str | None = None,
        documents: Sequence[str] | None = None,
    ) -> AnswerStream:
        info = AnswerInfo(route="model")
        question = next((m.content for m in reversed(messages) if m.role == "user"), "")
        events = self._events(messages, question, params, user_id, documents, info)
        return AnswerStream(events=events, info=info)

    async def _events(
        self,
        messages: Sequence[ChatMessage],
        question: str,
        params: SamplingParams,
        user_id: str | None,
        documents: Sequence[str] | None,
        info: AnswerInfo,
    ) -> AsyncIterator[StreamEvent]:
        passages = await self.knowledge_of().search(question, user_id=user_id, documents=documents, k=1)
        if not passages:
            request = GenerationRequest(prompt=self.engine.render_chat(messages), params=params)
            async for event in self.engine.generate(request):
                yield event
            return
        best = passages[0]
        quote = best.text.split("\n")[0][:200]
        info.route = "knowledge"
        info.citations = [
            Citation(
                source=best.source,
                chunk_id=best.chunk_id,
                quote=quote,
                start=best.start,
                end=best.start + len(quote),
            )
        ]
        started = time.monotonic()
        words = re.findall(r"\S+\s*", f"According to {best.source} [1]: {quote}")
        for word in words:
            yield TextDelta(word)
        yield Finished(
            finish_reason="stop",
            usage=Usage(prompt_tokens=len(question.split()), completion_tokens=len(words)),
            ttft_s=0.001,
            decode_s=time.monotonic() - started,
        )
