"""Advice-shaped questions ("how much … should I use?") go to the documents when they answer.

The router sends "should I", "dois-je", "how can I" to the model as advice; the pipeline
still asks the documents first when the message is a wh-question, and the model answers
only when no retrieved sentence passes the relevance gate.
"""

from __future__ import annotations

import pytest

from eclair.answer.grounded import documents_answer
from eclair.answer.pipeline import AnswerPipeline
from eclair.engine.fake import FakeEngine
from eclair.engine.protocol import ChatMessage, SamplingParams

from .conftest import FakeGrounded, FakeKnowledge, passage

PARAMS = SamplingParams(max_tokens=32)
GUIDE = (
    "Tarvel rye loaf, baker's guide. For one Tarvel rye loaf, add 18 grams of salt per kilo of flour. "
    "The dough should rest for 90 minutes before shaping."
)
NOTICE = (
    "Notice de la yaourtière Solène Y4. Pour une fournée, ajoutez 2 cuillères de ferment à un litre de lait. "
    "La fermentation des yaourts dure 8 heures."
)


@pytest.mark.parametrize(
    ("question", "grounded_by_documents"),
    [
        ("How much salt should I add to a Tarvel rye loaf?", True),
        ("How long should I let the Tarvel rye dough rest?", True),
        ("How many grams of salt should I use per kilo of flour for the Tarvel loaf?", True),
        ("Combien de cuillères de ferment dois-je ajouter dans la yaourtière Solène Y4 ?", True),
        ("Combien de temps dois-je faire fermenter les yaourts de la Solène Y4 ?", True),
        ("How many minutes should the Tarvel dough rest before shaping?", True),
        ("Should I bake a Tarvel rye loaf for the party?", False),  # not a wh-question
        ("What do you think of Tarvel rye bread?", False),  # asked of the assistant
        ("Que penses-tu de la yaourtière Solène Y4 ?", False),
        ("How should I decorate a birthday cake?", False),  # the documents do not say
        ("Comment dois-je organiser mon anniversaire ?", False),
    ],
)
async def test_advice_questions_go_to_the_documents_only_when_they_answer(
    engine: FakeEngine,
    knowledge: FakeKnowledge,
    grounded: FakeGrounded,
    question: str,
    grounded_by_documents: bool,
) -> None:
    knowledge.passages = [passage(GUIDE, "tarvel.txt"), passage(NOTICE, "solene.md")]
    pipeline = AnswerPipeline(engine, knowledge, grounded=grounded)
    stream = pipeline.stream([ChatMessage("user", question)], PARAMS)
    _ = [event async for event in stream.events]
    if grounded_by_documents:
        assert stream.info.route == "knowledge"
        assert grounded.calls and grounded.calls[0][0] == question
        assert engine.requests == []
    else:
        assert stream.info.route == "model"
        assert grounded.calls == [] and len(engine.requests) == 1


def test_requests_are_never_tried_on_the_documents() -> None:
    passages = [passage(GUIDE, "tarvel.txt")]
    assert documents_answer("How much salt should I add to a Tarvel rye loaf?", passages)
    assert not documents_answer("Peux-tu résumer le guide du pain Tarvel ?", passages)
    assert not documents_answer("Write a poem about the Tarvel rye loaf.", passages)
