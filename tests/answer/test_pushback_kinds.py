"""Pushback in its many phrasings: bare values, other calculations, French and English."""

from __future__ import annotations

import pytest

from eclair.answer.intent import classify_intent
from eclair.answer.pipeline import AnswerPipeline
from eclair.answer.pushback import detect_contest, find_pushback
from eclair.engine.protocol import ChatMessage

from .test_pushback import conversation, reply


@pytest.mark.parametrize(
    ("turns", "held", "rejected"),
    [
        (("How many minutes are there in 3 hours?", "There are 180 minutes in 3 hours.", "Hmm, it's 1800."),
         "180", "not 1800"),
        (("What is 9 × 8?", "9 × 8 = 72", "I think you're off by one, it's 73."), "72", "not 73"),
        (("What is 9 × 8?", "9 × 8 = 72", "You made a mistake, it's 81."), "72", "not 81"),
        (("What is 9 × 8?", "9 × 8 = 72", "Wrong! 9 × 9 is 81, everyone knows that."), "72",
         "different calculation"),
        (("What is 9 × 8?", "9 × 8 = 72", "nope"), "72", "confident"),
        (("Combien font 14 fois 3 ?", "14 × 3 = 42", "Pas du tout, c'est 44."), "42", "pas 44"),
        (("Combien font 14 fois 3 ?", "14 × 3 = 42", "Tu t'es trompé, ça fait 32."), "42", "pas 32"),
        (("Combien font 14 fois 3 ?", "14 × 3 = 42", "t'es sûr ?"), "42", "maintiens"),
        (("Combien font 14 fois 3 ?", "14 × 3 = 42", "c'est 41"), "42", "pas 41"),
        (("Combien font 14 fois 3 ?", "14 × 3 = 42", "Mais non ! 14 fois 4 font 56."), "42", "autre calcul"),
        (("Combien font 14 fois 3 ?", "14 × 3 = 42", "Faux, 14 fois 3 font 45."), "42", "pas 45"),
        (("What's 10% of 70?", "10% of 70 is 7.", "Nonsense, 20% of 70 is 14!"), "7", "different calculation"),
        (("Quelle est la racine carrée de 81 ?", "La racine carrée de 81 est 9.", "Plutôt 8, non ?"), "9",
         "pas 8"),
    ],
)  # fmt: skip
async def test_tool_answers_are_held(
    pipeline: AnswerPipeline, turns: tuple[str, str, str], held: str, rejected: str
) -> None:
    text, _, reason = await reply(pipeline, *turns)
    assert reason == "pushback: hold", text
    assert held in text and rejected in text


async def test_agreeing_value_does_not_say_the_answer_was_wrong(pipeline: AnswerPipeline) -> None:
    text, _, reason = await reply(pipeline, "What is 9 × 8?", "9 × 8 = 72", "Are you sure? I get 72.")
    assert reason == "pushback: agree" and "wrong" not in text


async def test_a_new_question_after_no_is_answered(pipeline: AnswerPipeline) -> None:
    text, route, reason = await reply(pipeline, "What is 9 × 8?", "9 × 8 = 72", "No, what is 9 × 9?")
    assert route == "calculator" and reason is None and "81" in text


@pytest.mark.parametrize(
    ("message", "proposed"),
    [
        ("Hmm, I think you're off by a factor of two, it's 360.", "360"),
        ("Faux, il y en a 29 : mars n'a que 31 jours.", "29"),
        ("You got it wrong. It should be 15.", "15"),
        ("Tu as fait une erreur, c'est 12.", "12"),
    ],
)
def test_the_asserted_value_is_proposed(message: str, proposed: str) -> None:
    contest = detect_contest(message, "fr" if "c'est" in message or "il y" in message else "en")
    assert contest is not None and contest.proposed == proposed


def test_a_bare_value_is_a_contest_only_after_a_numeric_answer() -> None:
    after_number = conversation("How many days in 2 weeks?", "There are 14 days in 2 weeks.", "it's 15")
    assert (found := find_pushback(after_number, "en")) and found.contest.proposed == "15"
    after_words = conversation("Name a colour", "Blue.", "42")
    assert find_pushback(after_words, "en") is None
    assert find_pushback([ChatMessage("user", "it's 15")], "en") is None
    asked = conversation("Plan a dinner for me", "Sure, I can suggest 3 menus. How many guests?", "8")
    assert find_pushback(asked, "en") is None


@pytest.mark.parametrize(
    "message",
    ["Sure, thanks!", "Can you make it shorter?", "Now what is 6 times 7?", "Merci, c'est parfait.",
     "Et pour 3 heures ?", "Great, and in minutes?"],
)  # fmt: skip
def test_follow_ups_are_not_contests(message: str) -> None:
    assert detect_contest(message, "en") is None


@pytest.mark.parametrize(
    "message",
    [
        "Bonjour ! Tu peux te présenter en une phrase ?",
        "Can you introduce yourself briefly?",
        "Présente-toi en deux mots.",
        "Tell me about yourself.",
        "Es-tu une IA ?",
        "How old are you?",
        "Parle-moi de toi !",
        "Are you a robot or a human?",
        "What can you help me with?",
        "Tu sers à quoi ?",
        "Vous pouvez vous présenter ?",
        "Quel âge as-tu ?",
        "Tu es ChatGPT ?",
        "Are you Siri?",
    ],
)
def test_questions_about_the_assistant_go_to_the_model(message: str) -> None:
    assert classify_intent(message) == "model"


@pytest.mark.parametrize(
    "message", ["Who was the first president of France?", "Quelle est la capitale du Pérou ?"]
)
def test_factual_questions_stay_factual(message: str) -> None:
    assert classify_intent(message) == "factual"
