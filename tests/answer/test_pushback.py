"""Pushback: re-check the contested answer, hold it politely or concede."""

from __future__ import annotations

import pytest

from eclair.answer.pipeline import AnswerPipeline
from eclair.answer.pushback import detect_contest, find_pushback, mentions, previous_exchange
from eclair.engine.fake import FakeEngine
from eclair.engine.protocol import ChatMessage, SamplingParams, TextDelta

from .conftest import FakeKnowledge, passage

PARAMS = SamplingParams()


def conversation(*turns: str) -> list[ChatMessage]:
    roles = ["user", "assistant"]
    return [ChatMessage(roles[i % 2], t) for i, t in enumerate(turns)]


async def reply(pipeline: AnswerPipeline, *turns: str) -> tuple[str, str, str | None]:
    stream = pipeline.stream(conversation(*turns), PARAMS)
    text = "".join([e.text async for e in stream.events if isinstance(e, TextDelta)])
    return text, stream.info.route, stream.info.reason


async def test_holds_a_correct_calculation(pipeline: AnswerPipeline) -> None:
    text, route, reason = await reply(
        pipeline, "What is 17 × 23?", "17 × 23 = 391", "Are you sure? I think it's 400"
    )
    assert text == "I checked again, and it is not 400: 17 × 23 = 391"
    assert route == "calculator" and reason == "pushback: hold"


async def test_holds_in_french(pipeline: AnswerPipeline) -> None:
    text, _, reason = await reply(pipeline, "Combien font 17 fois 23 ?", "17 × 23 = 391", "Non, c'est faux")
    assert text == "J'ai vérifié à nouveau, et je maintiens ma réponse : 17 × 23 = 391"
    assert reason == "pushback: hold"


async def test_concedes_a_wrong_previous_answer(pipeline: AnswerPipeline) -> None:
    text, _, reason = await reply(pipeline, "What is 17 × 23?", "17 × 23 = 381.", "Are you sure?")
    assert text.startswith("You're right to question it") and text.endswith("17 × 23 = 391")
    assert reason == "pushback: concede"


async def test_agrees_when_the_user_states_the_checked_value(pipeline: AnswerPipeline) -> None:
    text, _, reason = await reply(pipeline, "What is 17 × 23?", "It's 391.", "Really? I think it's 391")
    assert text == "Yes, that's right: 17 × 23 = 391"
    assert reason == "pushback: agree"


async def test_several_rounds_go_back_to_the_question(pipeline: AnswerPipeline) -> None:
    text, _, _ = await reply(
        pipeline,
        "combien font 5 × (3 + 2) ?",
        "5 × (3 + 2) = 25",
        "tu es sûr ?",
        "J'ai vérifié à nouveau, et je maintiens ma réponse : 5 × (3 + 2) = 25",
        "je pense que c'est 17",
    )
    assert text == "J'ai vérifié à nouveau, et ce n'est pas 17 : 5 × (3 + 2) = 25"


async def test_holds_a_date_and_a_premise(pipeline: AnswerPipeline) -> None:
    text, route, _ = await reply(
        pipeline,
        "What day of the week was 14 July 1789?",
        "It was a Tuesday.",
        "No, that's wrong. It was a Friday.",
    )
    assert route == "date" and text.startswith("I checked again") and "Tuesday" in text
    text, route, _ = await reply(
        pipeline, "Are cow eggs edible?", "There are no cow eggs: cows are mammals.", "that's wrong"
    )
    assert route == "premise" and text.startswith("I checked again, and I'm confident")


async def test_concedes_a_wrong_date(pipeline: AnswerPipeline) -> None:
    text, _, reason = await reply(
        pipeline, "What day of the week was 14 July 1789?", "A Monday.", "Are you sure?"
    )
    assert reason == "pushback: concede" and "Tuesday" in text


async def test_abstention_is_held(engine: FakeEngine) -> None:
    pipeline = AnswerPipeline(engine, None)
    text, route, _ = await reply(
        pipeline,
        "Who won?",
        "I don't know: this is not in the available documents.",
        "are you sure? It was Paris",
    )
    assert route == "abstain" and text.startswith("I checked again: I still can't find this")


async def test_documents_are_rechecked(pipeline: AnswerPipeline, knowledge: FakeKnowledge) -> None:
    knowledge.passages = [passage("The museum opens at 9 am.")]
    text, route, reason = await reply(
        pipeline,
        "When does the museum open?",
        "The museum opens at 9 am. [1]",
        "Are you sure? I think it's 10 am",
    )
    assert route == "knowledge" and reason == "pushback: hold"
    assert text == "I checked the documents again, and they do not say 10: The museum opens at 9 am. [1]"
    text, _, reason = await reply(pipeline, "When does the museum open?", "At 9 am [1]", "Are you sure?")
    assert reason == "pushback: hold"
    assert text == "I checked the documents again, and they say the same: The museum opens at 9 am. [1]"
    text, _, reason = await reply(pipeline, "When does the museum open?", "At 11 am.", "That's wrong")
    assert reason == "pushback: concede"
    assert text == "I checked the documents again. Here is what they say: The museum opens at 9 am. [1]"


async def test_chat_pushback_goes_to_the_model(pipeline: AnswerPipeline, engine: FakeEngine) -> None:
    engine.enqueue("Sorry, here is another one.")
    text, route, _ = await reply(
        pipeline, "Tell me a joke", "Why did the chicken cross the road?", "no, that's wrong"
    )
    assert route == "model" and text == "Sorry, here is another one."


@pytest.mark.parametrize(
    ("message", "proposed"),
    [
        ("Are you sure?", None),
        ("are you sure? I think it's 400", "400"),
        ("That's wrong", None),
        ("no, it's four hundred", "400"),
        ("Non, c'est faux", None),
        ("tu es sûr ? je pense que c'est 12,5", "12.5"),
        ("Êtes-vous certain ?", None),
        ("Vraiment ?", None),
        ("Hmm, that's a bit off. My laptop's calculator says 2,115.", "2115"),
        ("Ma calculatrice de téléphone affiche 96.", "96"),
    ],
)
def test_contests_are_recognised(message: str, proposed: str | None) -> None:
    contest = detect_contest(
        message,
        "fr" if "c'est" in message or "Ê" in message or "Vrai" in message or "Ma " in message else "en",
    )
    assert contest is not None and contest.proposed == proposed


@pytest.mark.parametrize("message", ["What is the capital of France?", "Thanks!", "Write a poem", "Merci"])
def test_ordinary_messages_are_not_contests(message: str) -> None:
    assert detect_contest(message, "en") is None


def test_previous_exchange_needs_an_answer() -> None:
    assert previous_exchange(conversation("Are you sure?"), "en") is None
    assert previous_exchange(conversation("2+2?", "4", "sure?"), "en") == ("2+2?", "4")


def test_mentions_ignores_grouping_and_partial_numbers() -> None:
    assert mentions("The answer is 7,006,652.", "7006652")
    assert mentions("Le résultat est 7 006 652", "7006652")
    assert mentions("It is 2,5", "2.5")
    assert not mentions("17 × 23 = 3910", "391")
    assert not mentions("It is 1391", "391")


@pytest.mark.parametrize(
    ("turns", "lang"),
    [
        (
            (
                "How many days does February 2028 have?",
                "February 2028 has 29 days.",
                "2028 isn't a leap year: only years divisible by 400 are leap years. So it's 28.",
            ),
            "en",
        ),
        (
            (
                "Combien de jours compte février 2028 ?",
                "Février 2028 compte 29 jours.",
                "2028 n'est pas bissextile : seules les années divisibles par 400 le sont. Donc c'est 28.",
            ),
            "fr",
        ),
    ],
)
def test_a_contest_ending_with_the_users_own_conclusion(turns: tuple[str, str, str], lang: str) -> None:
    pushback = find_pushback(conversation(*turns), lang)
    assert pushback is not None
    assert pushback.contest.proposed == "28"
    assert (pushback.question, pushback.previous) == turns[:2]


async def test_the_users_own_conclusion_is_checked_and_the_answer_held(pipeline: AnswerPipeline) -> None:
    text, route, reason = await reply(
        pipeline,
        "How many days does February 2028 have?",
        "February 2028 has 29 days.",
        "2028 isn't a leap year: only years divisible by 400 are leap years. So it's 28.",
    )
    assert route == "date" and reason == "pushback: hold"
    assert text.startswith("I checked again") and "28" in text and "29 days" in text
