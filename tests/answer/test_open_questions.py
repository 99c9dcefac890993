"""Open questions ("why…", "how does…", "is it true that…"): the model explains a general
question; a question that names something is answered from sources or abstained on."""

from __future__ import annotations

import pytest

from eclair.answer.grounded import needs_source
from eclair.answer.intent import classify_intent
from eclair.answer.pipeline import AnswerPipeline
from eclair.answer.types import AnswerStream
from eclair.engine.fake import FakeEngine
from eclair.engine.protocol import ChatMessage, SamplingParams, TextDelta

from .conftest import FakeGrounded, FakeKnowledge, passage

PARAMS = SamplingParams(max_tokens=64)


@pytest.mark.parametrize(
    "question",
    [
        "Why are flamingos pink?",
        "Explique-moi simplement ce qu'est l'inflation.",
        "Is it true that octopuses have three hearts?",
        "Did Leonardo da Vinci really sketch a flying machine?",
        "Comment les abeilles fabriquent-elles le miel ?",
        "Pourquoi le ciel est-il bleu ?",
        "How does a rainbow form?",
        "Est-ce vrai que les pieuvres ont trois cœurs ?",
        "Léonard de Vinci a-t-il vraiment dessiné une machine volante ?",
        "Why did Napoleon lose the Battle of Waterloo?",
        # what prompted the question comes first
        "Salt was once paid as wages. Why was it so valuable?",
        "Les chats retombent souvent sur leurs pattes. Comment font-ils ?",
    ],
)
def test_explanation_questions_are_open(question: str) -> None:
    assert classify_intent(question) == "open"


@pytest.mark.parametrize(
    "question",
    [
        "How many lanes does the pool have?",
        "Qui dirige la coopérative ?",
        "When does the library open on Saturdays?",
        "Quel est le prix d'un billet enfant ?",
        "Who wrote Les Misérables?",
        "The pool opened in 1990. How many lanes does it have?",
    ],
)
def test_factoid_questions_are_factual(question: str) -> None:
    assert classify_intent(question) == "factual"


@pytest.mark.parametrize(
    "message",
    [
        "Hi there! How's your day going?",
        "Bonjour, comment ça va ?",
        "Thanks a lot!",
        "Salut Éclair !",
        # advice, however many pieces are asked for
        "Je fais mon premier marathon en avril. Tu as trois conseils ?",
        "I'm moving abroad next year. Do you have two tips?",
    ],
)
def test_greetings_go_to_the_model(message: str) -> None:
    assert classify_intent(message) == "model"


@pytest.mark.parametrize(
    "question",
    [
        "Did Leonardo da Vinci really sketch a flying machine?",  # a person
        "Léonard de Vinci a-t-il vraiment dessiné une machine volante ?",
        "Why did Napoleon lose the Battle of Waterloo?",
        "Pourquoi Napoléon a-t-il perdu la bataille de Waterloo ?",
        "Why is the Great Wall visible from the Moon?",  # a place, and a false premise about it
        "Why is Paris called the City of Light?",
        "How did Marie Curie discover radium?",
    ],
)
def test_an_open_question_naming_something_needs_a_source(question: str) -> None:
    assert needs_source(question, [])


@pytest.mark.parametrize(
    "question",
    [
        "Why are flamingos pink?",
        "Explique-moi simplement ce qu'est l'inflation.",
        "Is it true that octopuses have three hearts?",
        "Comment les abeilles fabriquent-elles le miel ?",
        "Pourquoi le ciel est-il bleu ?",
        "Why do cats purr?",
    ],
)
def test_a_general_explanation_needs_no_source(question: str) -> None:
    assert not needs_source(question, [])


def test_passages_about_something_else_do_not_make_a_source_needed() -> None:
    bikes = passage("The Riverside Bike Library lends e-bikes for 7 days. Members must be 18 or older.")
    assert not needs_source("Why are flamingos pink?", [bikes])


def user(text: str) -> list[ChatMessage]:
    return [ChatMessage("user", text)]


async def collect(stream: AnswerStream) -> str:
    return "".join([e.text async for e in stream.events if isinstance(e, TextDelta)])


async def test_a_general_open_question_is_explained_by_the_model(
    pipeline: AnswerPipeline, engine: FakeEngine, grounded: FakeGrounded
) -> None:
    explanation = "Flamingos are pink because of the carotenoid pigments in the algae and shrimp they eat."
    engine.enqueue(explanation)
    stream = pipeline.stream(user("Why are flamingos pink?"), PARAMS)
    text = await collect(stream)
    assert stream.info.route == "model" and not stream.info.abstained
    assert text == explanation
    assert len(engine.requests) == 1 and grounded.calls == []


async def test_an_open_question_about_a_named_thing_without_documents_abstains(
    pipeline: AnswerPipeline, engine: FakeEngine, knowledge: FakeKnowledge, grounded: FakeGrounded
) -> None:
    engine.enqueue("Napoleon lost because it rained.")  # must never be said
    stream = pipeline.stream(user("Why did Napoleon lose the Battle of Waterloo?"), PARAMS)
    text = await collect(stream)
    assert stream.info.route == "abstain" and stream.info.abstained
    assert "rained" not in text
    assert engine.requests == [] and grounded.calls == []
    assert knowledge.queries  # the documents were searched before abstaining


@pytest.mark.parametrize(
    "text",
    [
        "What are some fun things to do on a rainy day?",
        "What's the best way to learn Spanish?",
        "Is it better to rent or buy a house?",
        "Which is healthier, tea or coffee?",
        "What can I do to be more productive at work?",
        "Qu'est-ce que je pourrais offrir à ma mère pour son anniversaire ?",
        "Tu as des idées de sortie pour ce week-end ?",
    ],
)
def test_advice_goes_to_the_model(text: str) -> None:
    assert classify_intent(text) == "model"


@pytest.mark.parametrize(
    "text",
    [
        "What does “serendipity” mean?",
        "Que signifie l'expression « poser un lapin » ?",
        "What are the benefits of drinking water?",
        "Quels sont les avantages du vélo pour aller au travail ?",
        "Peux-tu m'expliquer la photosynthèse ?",
    ],
)
def test_meanings_and_merits_are_open_questions(text: str) -> None:
    assert classify_intent(text) == "open"


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("Could you explain how a heat pump works, simply?", "open"),
        ("Can you please describe what a sourdough starter is?", "open"),
        ("Tu aurais des astuces pour garder le basilic plus longtemps ?", "model"),
        ("Do you have any tips for a first marathon?", "model"),
        ("Bonjour ! Vous pouvez m'aider ?", "model"),
        ("Hello, can you help me today?", "model"),
        # a rule's delay asked with "should I": a fact, not advice
        ("I bought a descaler from the shop. Within how many weeks should I use it?", "factual"),
        ("J'ai reçu mon kit. Dans combien de mois dois-je l'utiliser ?", "factual"),
    ],
)
def test_polite_explanations_advice_and_help_requests(message: str, intent: str) -> None:
    assert classify_intent(message) == intent
