"""The answer pipeline end to end with the fake engine: streaming, routes, cancellation."""

from __future__ import annotations

import asyncio
import contextlib

from eclair.answer.pipeline import AnswerPipeline
from eclair.answer.types import AnswerStream
from eclair.engine.fake import FakeEngine
from eclair.engine.protocol import ChatMessage, Finished, SamplingParams, StreamEvent, TextDelta

from .conftest import TODAY, FakeGrounded, FakeKnowledge, passage

PARAMS = SamplingParams(max_tokens=64)


def user(text: str) -> list[ChatMessage]:
    return [ChatMessage("user", text)]


async def collect(stream: AnswerStream) -> tuple[str, list[StreamEvent]]:
    events = [event async for event in stream.events]
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    return text, events


async def test_tool_answer_is_one_delta_then_finished(pipeline: AnswerPipeline, engine: FakeEngine) -> None:
    stream = pipeline.stream(user("What is 17 × 23?"), PARAMS)
    text, events = await collect(stream)
    assert text == "17 × 23 = 391"
    assert len(events) == 2 and isinstance(events[0], TextDelta) and isinstance(events[1], Finished)
    assert events[1].finish_reason == "stop"
    assert events[1].usage.completion_tokens == len(engine.tokenize("17 × 23 = 391"))
    assert stream.info.route == "calculator" and not stream.info.abstained
    assert engine.requests == []  # no generation for a computed answer


async def test_each_tool_route_is_marked(pipeline: AnswerPipeline) -> None:
    for message, route in [
        ("quel jour de la semaine tombe le 1er janvier 2030", "date"),
        ("What is the square root of a goat?", "premise"),
        ("combien de centimètres dans 2,5 mètres", "calculator"),
    ]:
        stream = pipeline.stream(user(message), PARAMS)
        await collect(stream)
        assert stream.info.route == route
    premise = pipeline.stream(user("How much do bull eggs weigh?"), PARAMS)
    await collect(premise)
    assert premise.info.reason and premise.info.reason.startswith("false premise")


async def test_nothing_happens_before_iteration(pipeline: AnswerPipeline, engine: FakeEngine) -> None:
    stream = pipeline.stream(user("Write a poem about the sea"), PARAMS)
    assert engine.requests == []
    await collect(stream)
    assert len(engine.requests) == 1


async def test_model_route_renders_the_conversation(pipeline: AnswerPipeline, engine: FakeEngine) -> None:
    engine.enqueue("Waves roll in, waves roll out.")
    messages = [ChatMessage("user", "Bonjour"), ChatMessage("assistant", "Bonjour !"),
                ChatMessage("user", "Écris un poème sur la mer")]  # fmt: skip
    stream = pipeline.stream(messages, PARAMS)
    text, events = await collect(stream)
    assert text == "Waves roll in, waves roll out."
    assert sum(isinstance(e, TextDelta) for e in events) > 1  # streamed, not buffered
    assert stream.info.route == "model"
    prompt = engine.requests[0].prompt
    assert isinstance(prompt, str)
    assert "<|im_start|>system\nTu es Éclair" in prompt and "Écris un poème sur la mer" in prompt
    assert engine.requests[0].params is PARAMS


async def test_model_route_keeps_the_callers_system_prompt(
    pipeline: AnswerPipeline, engine: FakeEngine
) -> None:
    messages = [ChatMessage("system", "You are a pirate."), ChatMessage("user", "Hello there")]
    await collect(pipeline.stream(messages, PARAMS))
    prompt = engine.requests[0].prompt
    assert isinstance(prompt, str) and prompt.count("<|im_start|>system") == 1 and "pirate" in prompt


async def test_factual_question_without_documents_abstains(engine: FakeEngine) -> None:
    pipeline = AnswerPipeline(engine, None, today=lambda: TODAY)
    for question, reply in [
        ("Who is the president of France?", "I don't know: this is not in the available documents."),
        (
            "Qui est le président de la France ?",
            "Je ne sais pas : ce n'est pas dans les documents disponibles.",
        ),
    ]:
        stream = pipeline.stream(user(question), PARAMS)
        text, events = await collect(stream)
        assert text == reply
        assert stream.info.route == "abstain" and stream.info.abstained
        assert isinstance(events[-1], Finished) and events[-1].finish_reason == "stop"
    assert engine.requests == []


async def test_factual_question_with_passages_is_grounded(
    pipeline: AnswerPipeline, knowledge: FakeKnowledge, grounded: FakeGrounded
) -> None:
    knowledge.passages = [passage("The museum opens at 9 am.")]
    stream = pipeline.stream(user("When does the museum open?"), PARAMS, user_id="alice")
    text, _ = await collect(stream)
    assert text == "The museum opens at 9 am. [1]"
    assert knowledge.queries == [("When does the museum open?", "alice")]
    question, passages, lang = grounded.calls[0]
    assert question == "When does the museum open?" and lang == "en" and passages == knowledge.passages
    assert stream.info.route == "knowledge"
    assert [c.quote for c in stream.info.citations] == ["The museum opens at 9 am."]


async def test_no_passages_means_abstention(
    pipeline: AnswerPipeline, knowledge: FakeKnowledge, grounded: FakeGrounded
) -> None:
    stream = pipeline.stream(user("Quand le musée ouvre-t-il ?"), PARAMS)
    text, _ = await collect(stream)
    assert text.startswith("Je ne sais pas")
    assert stream.info.abstained and grounded.calls == []


async def test_failing_search_abstains(pipeline: AnswerPipeline, knowledge: FakeKnowledge) -> None:
    knowledge.fail = True
    stream = pipeline.stream(user("When does the museum open?"), PARAMS)
    await collect(stream)
    assert stream.info.route == "abstain"


async def test_article_pasted_in_the_message_is_a_source(
    pipeline: AnswerPipeline, grounded: FakeGrounded
) -> None:
    article = ("The village bakery was founded in 1921 by Marie Dupont. " * 3) + (
        "It is famous for its rye bread, baked every morning at dawn. " * 3
    )
    await collect(pipeline.stream(user(f"{article}\n\nQuestion: who founded the bakery?"), PARAMS))
    question, passages, _ = grounded.calls[0]
    assert question == "who founded the bakery?"
    assert passages and all(p.source == "conversation" for p in passages)
    assert all(article[p.start : p.end] == p.text for p in passages)


async def test_closing_the_stream_closes_the_engine_stream() -> None:
    engine = FakeEngine(token_delay_s=0.01)
    engine.enqueue(" ".join(["word"] * 200))
    pipeline = AnswerPipeline(engine, None, today=lambda: TODAY)
    stream = pipeline.stream(user("Tell me a story"), SamplingParams(max_tokens=500))
    first = await anext(stream.events)
    assert isinstance(first, TextDelta)
    assert engine.active == 1
    await stream.events.aclose()  # type: ignore[attr-defined]
    assert engine.active == 0


async def test_cancelling_the_consumer_closes_the_engine_stream() -> None:
    engine = FakeEngine(token_delay_s=0.01)
    engine.enqueue(" ".join(["word"] * 500))
    pipeline = AnswerPipeline(engine, None, today=lambda: TODAY)
    stream = pipeline.stream(user("Tell me a long story"), SamplingParams(max_tokens=1000))
    seen: list[StreamEvent] = []

    async def consume() -> None:
        async for event in stream.events:
            seen.append(event)

    task = asyncio.create_task(consume())
    while len(seen) < 3:
        await asyncio.sleep(0.005)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    await stream.events.aclose()  # type: ignore[attr-defined]
    assert engine.active == 0
    assert not any(isinstance(e, Finished) for e in seen)


async def test_closing_a_grounded_answer_closes_it(
    pipeline: AnswerPipeline, knowledge: FakeKnowledge, grounded: FakeGrounded
) -> None:
    knowledge.passages = [passage("one two three four five six")]
    stream = pipeline.stream(user("What are the numbers?"), PARAMS)
    await anext(stream.events)
    await stream.events.aclose()  # type: ignore[attr-defined]
    assert grounded.closed == 1


async def test_default_grounded_answerer_is_wired(engine: FakeEngine) -> None:
    knowledge = FakeKnowledge(passages=[passage("The Paris museum opens at 9 am every day except Monday.")])
    pipeline = AnswerPipeline(engine, knowledge, today=lambda: TODAY)
    stream = pipeline.stream(user("When does the Paris museum open?"), PARAMS)
    _, events = await collect(stream)
    assert isinstance(events[-1], Finished)
    assert stream.info.route in ("knowledge", "abstain")
