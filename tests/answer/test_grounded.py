"""Grounded answers with the scripted FakeEngine: verification, citations, abstention."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from eclair.answer.grounded import grounded_answer
from eclair.answer.types import AnswerStream
from eclair.engine.fake import FakeEngine
from eclair.engine.protocol import Finished, SamplingParams, StreamEvent, TextDelta
from eclair.knowledge.base import KnowledgeBase

TOWER = (
    "La tour Eiffel\n\n"
    "La tour Eiffel est une tour de fer construite par l'entreprise de Gustave Eiffel à Paris. "
    "Elle mesure 330 mètres de hauteur. Elle a été inaugurée le 31 mars 1889.\n\n"
    "Les ingénieurs Maurice Koechlin et Émile Nouguier en ont conçu le premier projet."
)
MOON = (
    "The Moon is Earth's only natural satellite. It orbits the Earth every 27.3 days. "
    "Neil Armstrong was the first person to walk on the Moon, on 20 July 1969."
)


@pytest.fixture
async def base(tmp_path: Path) -> KnowledgeBase:
    kb = KnowledgeBase(tmp_path, dense=False)
    await kb.add_file(TOWER.encode(), "tour-eiffel.md")
    await kb.add_file(MOON.encode(), "moon.txt")
    return kb


async def collect(stream: AnswerStream) -> tuple[str, list[StreamEvent]]:
    events = [event async for event in stream.events]
    return "".join(e.text for e in events if isinstance(e, TextDelta)), events


async def answer(
    base: KnowledgeBase, engine: FakeEngine | None, question: str, lang: str, reply: str | None = None
) -> tuple[str, AnswerStream, list[StreamEvent]]:
    if engine is not None and reply is not None:
        engine.enqueue(reply)
    stream = grounded_answer(engine, question, await base.search(question), SamplingParams(), lang)
    text, events = await collect(stream)
    return text, stream, events


async def assert_citations_are_verbatim(base: KnowledgeBase, stream: AnswerStream) -> None:
    assert stream.info.citations
    documents = {d.filename: d for d in await base.list_documents()}
    for citation in stream.info.citations:
        text = await base.get_text(documents[citation.source].id)
        assert text[citation.start : citation.end] == citation.quote


async def test_supported_answer_keeps_its_citation(base: KnowledgeBase) -> None:
    engine = FakeEngine()
    text, stream, events = await answer(
        base, engine, "Quelle est la hauteur de la tour Eiffel ?", "fr", "La tour Eiffel mesure 330 mètres."
    )
    assert text == "La tour Eiffel mesure 330 mètres [1]."
    assert stream.info.route == "knowledge" and not stream.info.abstained
    assert [c.quote for c in stream.info.citations] == ["Elle mesure 330 mètres de hauteur."]
    await assert_citations_are_verbatim(base, stream)
    assert isinstance(events[-1], Finished) and events[-1].finish_reason == "stop"
    # the model saw the supporting sentence, decoded greedily
    request = engine.requests[-1]
    assert "Elle mesure 330 mètres de hauteur." in str(request.prompt)
    assert request.params.temperature == 0.0


async def test_unsupported_number_is_replaced_by_the_quote(base: KnowledgeBase) -> None:
    text, stream, _ = await answer(
        base,
        FakeEngine(),
        "Quelle est la hauteur de la tour Eiffel ?",
        "fr",
        "La tour Eiffel mesure 324 mètres.",
    )
    assert "324" not in text
    assert text == "D'après tour-eiffel.md : « Elle mesure 330 mètres de hauteur. » [1]"
    assert stream.info.route == "knowledge"
    await assert_citations_are_verbatim(base, stream)


async def test_unsupported_name_is_replaced(base: KnowledgeBase) -> None:
    text, _, _ = await answer(
        base, FakeEngine(), "Who was the first person to walk on the Moon?", "en", "Buzz Aldrin was first."
    )
    assert "Aldrin" not in text and "Neil Armstrong was the first person" in text
    assert text.startswith('According to moon.txt: "') and text.endswith("[1]")


@pytest.mark.parametrize(
    "reply",
    ["I don't know.", "", "The passage does not mention it.", "Answer: " + "very long " * 80],
)
async def test_refusals_and_rambling_fall_back_to_the_quote(base: KnowledgeBase, reply: str) -> None:
    text, stream, _ = await answer(
        base, FakeEngine(), "When did Neil Armstrong walk on the Moon?", "en", reply
    )
    assert "20 July 1969" in text and stream.info.citations


async def test_number_question_needs_a_number_in_the_answer(base: KnowledgeBase) -> None:
    text, _, _ = await answer(
        base, FakeEngine(), "How long does the Moon take to orbit the Earth?", "en", "It orbits the Earth."
    )
    assert "27.3 days" in text


@pytest.mark.parametrize(
    ("question", "lang", "expected"),
    [
        ("Who is the president of France?", "en", "I don't know: the available documents do not say."),
        (
            "Quelle est la capitale de l'Australie ?",
            "fr",
            "Je ne sais pas : les documents disponibles ne le disent pas.",
        ),
        ("When did Gustave Eiffel die?", "en", "I don't know: the available documents do not say."),
    ],
)
async def test_unrelated_question_abstains(
    base: KnowledgeBase, question: str, lang: str, expected: str
) -> None:
    engine = FakeEngine()
    text, stream, events = await answer(base, engine, question, lang, "Paris, in 1923.")
    assert text == expected
    assert stream.info.abstained and stream.info.route == "abstain"
    assert stream.info.reason == "not in the available documents"
    assert stream.info.citations == [] and engine.requests == []  # no model call
    assert isinstance(events[-1], Finished)


async def test_no_passages_abstains() -> None:
    stream = grounded_answer(FakeEngine(), "Who built it?", [], SamplingParams(), "en")
    text, _ = await collect(stream)
    assert text.startswith("I don't know") and stream.info.abstained


async def test_without_engine_the_answer_is_extractive(base: KnowledgeBase) -> None:
    text, stream, _ = await answer(base, None, "Qui a conçu le premier projet de la tour Eiffel ?", "fr")
    assert "Maurice Koechlin et Émile Nouguier" in text
    assert stream.info.route == "knowledge"
    await assert_citations_are_verbatim(base, stream)


async def test_info_serialises_citations(base: KnowledgeBase) -> None:
    _, stream, _ = await answer(
        base, FakeEngine(), "When did Neil Armstrong walk on the Moon?", "en", "On 20 July 1969."
    )
    data = stream.info.to_json()
    assert data["route"] == "knowledge" and data["abstained"] is False
    (citation,) = data["citations"]
    assert set(citation) == {"source", "chunk_id", "quote", "start", "end"}
    assert "20 July 1969" in citation["quote"]


async def test_closing_the_stream_cancels_generation(base: KnowledgeBase) -> None:
    engine = FakeEngine(token_delay_s=0.05)
    engine.enqueue("Neil Armstrong walked on the Moon on 20 July 1969 " * 5)
    question = "When did Neil Armstrong walk on the Moon?"
    stream = grounded_answer(engine, question, await base.search(question), SamplingParams(), "en")
    events = stream.events
    task = asyncio.ensure_future(events.__anext__())
    await asyncio.sleep(0.12)
    assert engine.active == 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await events.aclose()  # type: ignore[attr-defined]
    assert engine.active == 0


async def test_a_count_must_be_the_number_written_with_the_noun(tmp_path: Path) -> None:
    kb = KnowledgeBase(tmp_path, dense=False)
    await kb.add_file(
        b"Club report. At the end of 2023 the club had 214 members, up from 187 a year earlier.", "club.txt"
    )
    question = "How many members did the club have at the end of 2023?"
    text, stream, _ = await answer(
        kb, FakeEngine(), question, "en", "The club had 187 members at the end of 2023."
    )
    assert "214 members" in text and stream.info.citations  # the wrong number fell back to the quote
    text, _, _ = await answer(
        kb, FakeEngine(), question, "en", "The club had 214 members at the end of 2023."
    )
    assert text == "The club had 214 members at the end of 2023 [1]."
    await kb.close()


@pytest.mark.parametrize(
    "reply",
    [
        "7.1 [1]",  # a section number from the source, not the count
        "How many members did the club have? 214.",  # still asking
        "The splendid velvet committee enjoys 214 members.",  # words the source never used
    ],
)
async def test_weak_model_answers_fall_back_to_the_quote(tmp_path: Path, reply: str) -> None:
    kb = KnowledgeBase(tmp_path, dense=False)
    await kb.add_file(b"Club rules.\n\n7.1. At the end of 2023 the club had 214 members.", "club.txt")
    text, _, _ = await answer(kb, FakeEngine(), "How many members did the club have in 2023?", "en", reply)
    assert text.startswith('According to club.txt: "') and "214 members" in text
    await kb.close()


VIADUCT = (
    "Le viaduc de Morlenne\n\n"
    "Le viaduc de Morlenne mesure 1 250 mètres de long. Environ 20 % de ses pierres viennent de la "
    "carrière de Vesle. La pompe Ondine P3 qui draine ses piles est garantie cinq ans."
)


@pytest.mark.parametrize(
    ("question", "lang", "reply"),
    [
        ("How long is the Morlenne viaduct?", "en", "The Morlenne viaduct is 1,250 metres long."),
        ("Quelle est la longueur du viaduc de Morlenne ?", "fr", "Le viaduc de Morlenne mesure 1250 mètres."),
        (
            "Quelle part des pierres du viaduc de Morlenne vient de la carrière de Vesle ?",
            "fr",
            "Environ 20% des pierres viennent de la carrière de Vesle.",
        ),
        (
            "Combien d'années la pompe Ondine P3 est-elle garantie ?",
            "fr",
            "La pompe Ondine P3 est garantie 5 ans.",
        ),
    ],
)
async def test_numbers_written_another_way_are_still_supported(
    tmp_path: Path, question: str, lang: str, reply: str
) -> None:
    base = KnowledgeBase(tmp_path, dense=False)
    await base.add_file(VIADUCT.encode(), "viaduc-morlenne.md")
    text, stream, _ = await answer(base, FakeEngine(), question, lang, reply)
    assert text == f"{reply[:-1]} [1]."  # the model's sentence is kept, not replaced by a quote
    await assert_citations_are_verbatim(base, stream)
    await base.close()


@pytest.mark.parametrize(
    ("question", "answers"),
    [
        ("How long is the Morlenne viaduct?", True),
        ("Quelle est la longueur du viaduc de Morlenne ?", True),  # "de long" says it
        ("How high is the Morlenne viaduct?", False),  # a length is not a height
        ("Quelle est la hauteur du viaduc de Morlenne ?", False),
        ("What is the height of the Morlenne viaduct?", False),
    ],
)
async def test_a_measure_answers_only_the_dimension_it_gives(
    tmp_path: Path, question: str, answers: bool
) -> None:
    base = KnowledgeBase(tmp_path, dense=False)
    await base.add_file(VIADUCT.encode(), "viaduc-morlenne.md")
    _, stream, _ = await answer(base, None, question, "en")
    assert stream.info.abstained is not answers
    await base.close()


async def test_a_rephrasing_that_only_restates_the_question_is_replaced_by_the_quote(tmp_path: Path) -> None:
    base = KnowledgeBase(tmp_path, dense=False)
    await base.add_file(
        b"Japan\n\nThe currency of Japan is the yen, issued by the Bank of Japan.", "japan.md"
    )
    text, stream, _ = await answer(
        base, FakeEngine(), "c'est quoi la monnaie du japon", "fr", "Cela lui est la monnaie de Japan."
    )
    assert "yen" in text and not stream.info.abstained
    await base.close()
