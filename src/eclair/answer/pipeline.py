"""The answer pipeline: Éclair's assistant between the API and the engine.

Contract of :meth:`AnswerPipeline.stream`: given a conversation, it returns an
:class:`~eclair.answer.types.AnswerStream` at once (no work is done until iteration starts);
its events are engine-shaped (:class:`TextDelta`... then one :class:`Finished`) and its
``info`` says which route answered, with citations, abstention and reason, once the events
have ended. Per user turn (see :mod:`eclair.answer.router`):

- tool routes (``calculator``, ``date``, ``premise``) answer with one ``TextDelta`` and a
  ``Finished(finish_reason="stop")`` whose usage counts tokens with ``engine.tokenize``; no
  generation happens, so they return in about a millisecond;
- a contested answer ("are you sure?", "it's 720") is re-checked by re-running the original
  question through the tools or the documents (:mod:`eclair.answer.pushback`), then held or
  conceded; a contest that asserts a value wins over the tools ("Wrong! 12 × 13 is 156"
  contests the earlier 12 × 12), a new question after "no" does not;
- ``knowledge``: passages from the knowledge base (and from texts pasted in the
  conversation) go to :func:`eclair.answer.grounded.grounded_answer`; when none of them
  supports an answer (the relevance gate of :func:`eclair.answer.grounded.supports`) and no
  text was pasted, the installed knowledge packs (offline encyclopedias,
  :mod:`eclair.knowledge.packs`) are searched, and their passages answer through the same
  verified path, cited with the pack and the article's local link; with no passage at all
  the answer is an abstention, ``route="abstain"``, ``abstained=True``; so is a question
  nobody can answer from documents (:mod:`eclair.answer.unknowable`: the future, the user's mind);
- ``model``: a wh-question whose answer the documents hold goes the ``knowledge`` way
  instead (advice-shaped questions: "how much … should I use?"); otherwise the conversation
  is rendered with ``engine.render_chat`` (with a short system prompt in the user's language
  when it has none) and streamed from ``engine.generate``.

Closing the events (``aclose()``, or cancelling the task iterating them) closes the engine
stream behind them. The pipeline holds no per-request state and is safe to share.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Sequence
from contextlib import aclosing
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from eclair.answer.context import focus_question, inline_passages, split_question
from eclair.answer.grounded import needs_source
from eclair.answer.intent import classify_intent
from eclair.answer.language import Lang
from eclair.answer.phrasing import say
from eclair.answer.pushback import (
    Contest,
    find_pushback,
    knowledge_reply_text,
    tool_reply_text,
    tool_verdict,
)
from eclair.answer.router import Decision, answer_with_tools, decide, readable, warm_up
from eclair.answer.types import AnswerInfo, AnswerStream, Passage
from eclair.answer.unknowable import unknowable
from eclair.engine.protocol import (
    ChatMessage,
    Engine,
    Finished,
    GenerationRequest,
    SamplingParams,
    StreamEvent,
    TextDelta,
    Usage,
)

log = logging.getLogger(__name__)

SEARCH_K = 5


class PackSource(Protocol):
    """What the pipeline needs from :class:`eclair.knowledge.packs.search.PackSearch`."""

    def search(self, question: str, lang: str) -> list[Passage]: ...


class KnowledgeSource(Protocol):
    """What the pipeline needs from :class:`eclair.knowledge.base.KnowledgeBase`."""

    async def search(
        self,
        query: str,
        *,
        user_id: str | None = None,
        collections: list[str] | None = None,
        documents: Sequence[str] | None = None,
        k: int = 5,
    ) -> list[Passage]: ...


@dataclass(frozen=True)
class Scope:
    """Whose documents a turn may be answered from: the caller's visible documents, or only
    ``documents`` (a conversation's attached files) when that is not None."""

    user_id: str | None = None
    documents: tuple[str, ...] | None = None


GroundedAnswerer = Callable[[Engine, str, list[Passage], SamplingParams, str], AnswerStream]


def default_grounded(quote_after_s: float | None = None) -> GroundedAnswerer:
    """:func:`eclair.answer.grounded.grounded_answer`, showing the quote first when the model's
    verified answer takes longer than ``quote_after_s`` (None: always wait for it)."""

    def answer(
        engine: Engine, question: str, passages: list[Passage], params: SamplingParams, lang: str
    ) -> AnswerStream:
        from eclair.answer.grounded import grounded_answer

        return grounded_answer(engine, question, passages, params, lang, quote_after_s=quote_after_s)

    return answer


class AnswerPipeline:
    """Routes each user turn to a tool, the documents, or the model (see module docstring)."""

    def __init__(
        self,
        engine: Engine,
        knowledge: KnowledgeSource | None,
        *,
        today: Callable[[], date] | None = None,
        grounded: GroundedAnswerer | None = None,
        packs: PackSource | None = None,
    ):
        self.engine = engine
        self.knowledge = knowledge
        self.packs = packs
        self._today = today or date.today
        self._grounded = grounded or default_grounded()
        warm_up()

    def stream(
        self,
        messages: Sequence[ChatMessage],
        params: SamplingParams,
        *,
        user_id: str | None = None,
        documents: Sequence[str] | None = None,
    ) -> AnswerStream:
        """Answer the last user turn; ``documents`` restricts the documents searched (a
        conversation's scope; None: all of the caller's documents)."""
        info = AnswerInfo()
        scope = Scope(user_id, None if documents is None else tuple(documents))
        return AnswerStream(self._events(list(messages), params, scope, info), info)

    async def _events(
        self, messages: list[ChatMessage], params: SamplingParams, scope: Scope, info: AnswerInfo
    ) -> AsyncIterator[StreamEvent]:
        today = self._today()
        decision = decide(messages, today)
        pushback = find_pushback(messages, decision.lang)
        reply = decision.reply
        if reply is not None and not (
            pushback and (reply.abstained or pushback.overrides(decision.question))
        ):
            info.route, info.reason = reply.route, reply.reason
            if reply.abstained:
                info.route, info.abstained = "abstain", True
            async for event in self._say(reply.text, decision.question):
                yield event
            return
        stream: AsyncGenerator[StreamEvent, None]
        if pushback:
            stream = self._pushback(
                pushback.contest, pushback.question, pushback.previous, messages, params, scope,
                decision.lang, today, info,
            )  # fmt: skip
        elif decision.route == "knowledge" or await self._documents_answer(decision, messages, scope):
            stream = self._knowledge(
                decision.question, decision.document, messages, params, scope, decision.lang, info,
                open_ended=decision.open,
            )  # fmt: skip
        else:
            stream = self._model(messages, params, decision.lang, info)
        async with aclosing(stream):
            async for event in stream:
                yield event

    # -- tools --------------------------------------------------------------------------

    def _count(self, text: str) -> int:
        try:
            return len(self.engine.tokenize(text))
        except Exception:  # a tokenizer hiccup must not break a computed answer
            return 0

    async def _say(self, text: str, question: str) -> AsyncGenerator[StreamEvent, None]:
        yield TextDelta(text, tokens=0)
        usage = Usage(prompt_tokens=self._count(question), completion_tokens=self._count(text))
        yield Finished(finish_reason="stop", usage=usage)

    # -- documents ----------------------------------------------------------------------

    async def _passages(
        self, question: str, document: str, messages: list[ChatMessage], scope: Scope
    ) -> list[Passage]:
        # Chunking and ranking the texts pasted in the conversation is linear in their length
        # but takes about a second a megabyte: in a worker thread, like the knowledge base's
        # search, so the event loop keeps serving everyone else meanwhile.
        passages = await asyncio.to_thread(inline_passages, messages, document, question)
        if self.knowledge is not None:
            try:
                passages += await self.knowledge.search(
                    question, user_id=scope.user_id, documents=scope.documents, k=SEARCH_K
                )
            except Exception:
                log.exception("knowledge search failed; answering from the conversation only")
        return passages

    async def _documents_answer(self, decision: Decision, messages: list[ChatMessage], scope: Scope) -> bool:
        """Whether the documents answer a question routed to the model as advice ("How much
        citric acid should I use?"): then they answer it, not the model."""
        from eclair.answer.grounded import documents_answer

        if decision.route != "model" or not readable(decision.question):
            return False
        passages = await self._passages(decision.question, decision.document, messages, scope)
        return bool(passages) and documents_answer(decision.question, passages)

    async def _knowledge(
        self,
        question: str,
        document: str,
        messages: list[ChatMessage],
        params: SamplingParams,
        scope: Scope,
        lang: Lang,
        info: AnswerInfo,
        *,
        open_ended: bool = False,
    ) -> AsyncGenerator[StreamEvent, None]:
        if not document and (key := unknowable(question)):  # the future, the user's mind: no search
            info.route, info.abstained, info.reason = "abstain", True, f"cannot be known ({key})"
            async for event in self._say(say(key, lang), question):
                yield event
            return
        passages = await self._passages(question, document, messages, scope)
        if not document:  # what is asked, without the statements around it
            question = focus_question(question)
        if self.packs is not None and not document:
            passages = await self._with_packs(question, passages, lang)
        if open_ended and not document and not await asyncio.to_thread(needs_source, question, passages):
            # "Why are flamingos pink?": a general explanation the documents do not give.
            async for event in self._model(messages, params, lang, info):
                yield event
            return
        if not passages:
            info.route, info.abstained, info.reason = "abstain", True, "no passage found in the documents"
            async for event in self._say(say("abstain.no_documents", lang), question):
                yield event
            return
        answer = self._grounded(self.engine, question, passages, params, lang)
        try:
            async with aclosing(answer.events) as events:  # type: ignore[type-var]
                async for event in events:
                    yield event
        finally:
            info.route, info.abstained = answer.info.route, answer.info.abstained
            info.citations, info.reason = list(answer.info.citations), answer.info.reason

    async def _with_packs(self, question: str, passages: list[Passage], lang: Lang) -> list[Passage]:
        """The documents' passages when they support an answer, else the packs' when those do."""
        from eclair.answer.grounded import supports

        supported: bool = bool(passages) and await asyncio.to_thread(supports, question, passages)
        if supported:
            return passages
        assert self.packs is not None
        try:
            found = await asyncio.to_thread(self.packs.search, question, lang)
        except Exception:
            log.exception("knowledge pack search failed; answering from the documents only")
            return passages
        found_supported: bool = bool(found) and await asyncio.to_thread(supports, question, found)
        if found_supported:
            return found
        return passages

    # -- pushback -----------------------------------------------------------------------

    async def _pushback(
        self,
        contest: Contest,
        question: str,
        previous: str,
        messages: list[ChatMessage],
        params: SamplingParams,
        scope: Scope,
        lang: Lang,
        today: date,
        info: AnswerInfo,
    ) -> AsyncGenerator[StreamEvent, None]:
        document, question = split_question(question)
        if not readable(question):  # no rule read it: the model answered it, and answers again
            async for event in self._model(messages, params, lang, info):
                yield event
            return
        recheck = answer_with_tools(question, lang, today)
        if recheck is not None:
            verdict = tool_verdict(previous, recheck, contest)
            info.route, info.reason = recheck.route, f"pushback: {verdict}"
            async for event in self._say(tool_reply_text(verdict, recheck, contest, lang), question):
                yield event
            return
        if classify_intent(question) != "factual":
            async for event in self._model(messages, params, lang, info):
                yield event
            return
        # Re-run the documents route on the original question, then word the result.
        inner = AnswerInfo()
        parts: list[str] = []
        prompt_tokens = completion_tokens = 0
        async with aclosing(
            self._knowledge(question, document, messages, params, scope, lang, inner)
        ) as events:
            async for event in events:
                if isinstance(event, TextDelta):
                    parts.append(event.text)
                else:
                    prompt_tokens += event.usage.prompt_tokens
                    completion_tokens += event.usage.completion_tokens
        text, verdict = knowledge_reply_text(previous, "".join(parts).strip(), inner.abstained, contest, lang)
        info.route, info.abstained, info.citations = inner.route, inner.abstained, inner.citations
        info.reason = f"pushback: {verdict}"
        yield TextDelta(text, tokens=0)
        yield Finished("stop", Usage(prompt_tokens=prompt_tokens, completion_tokens=completion_tokens))

    # -- model --------------------------------------------------------------------------

    async def _model(
        self, messages: list[ChatMessage], params: SamplingParams, lang: Lang, info: AnswerInfo
    ) -> AsyncGenerator[StreamEvent, None]:
        info.route = "model"
        if not any(m.role == "system" for m in messages):
            messages = [ChatMessage("system", say("model.system", lang)), *messages]
        request = GenerationRequest(
            prompt=self.engine.render_chat(messages), params=params, messages=messages
        )
        async with aclosing(self.engine.generate(request)) as events:  # type: ignore[type-var]
            async for event in events:
                yield event
