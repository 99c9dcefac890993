"""Grounded answers keep a model's sentence only when it is faithful to its source.

New documents and scripted model outputs (FakeEngine): a garbled rephrasing whose numbers
all occur in the source falls back to the verbatim quote; a faithful one is kept, cited.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eclair.answer.grounded import grounded_answer
from eclair.engine.fake import FakeEngine
from eclair.engine.protocol import SamplingParams, TextDelta
from eclair.knowledge.base import KnowledgeBase

LIBRARY = (
    "La médiathèque de Valmont\n\n"
    "La médiathèque de Valmont a ouvert ses portes en 1987. "
    "L'adhésion annuelle coûte 18 euros, et l'impression en couleur coûte 40 centimes la page. "
    "Les lecteurs peuvent emprunter au plus 12 documents pendant trois semaines. "
    "Les DVD ne peuvent pas être empruntés plus de 7 jours."
)
FERRY = (
    "The Harbour Ferry\n\n"
    "The Harbour Ferry has linked Port Ellis and Gull Island since 1964. "
    "A single crossing takes 25 minutes, and a return ticket costs 9 dollars. "
    "Children under 6 travel free. "
    "The ferry carries at least 40 cars on each trip."
)


@pytest.fixture
async def base(tmp_path: Path) -> KnowledgeBase:
    kb = KnowledgeBase(tmp_path, dense=False)
    await kb.add_file(LIBRARY.encode(), "mediatheque-valmont.md")
    await kb.add_file(FERRY.encode(), "harbour-ferry.txt")
    return kb


async def reply_to(base: KnowledgeBase, question: str, lang: str, reply: str) -> tuple[str, list[str]]:
    engine = FakeEngine()
    engine.enqueue(reply)
    stream = grounded_answer(engine, question, await base.search(question), SamplingParams(), lang)
    text = "".join([e.text async for e in stream.events if isinstance(e, TextDelta)])
    assert engine.requests, "the model must have been asked"
    assert not stream.info.abstained
    return text, [c.quote for c in stream.info.citations]


FAITHFUL = [
    (
        "Combien coûte l'adhésion annuelle à la médiathèque de Valmont ?",
        "fr",
        "L'adhésion annuelle coûte 18 euros.",
    ),
    (
        "Combien de documents peut-on emprunter à la médiathèque de Valmont ?",
        "fr",
        "Les lecteurs peuvent emprunter au plus 12 documents.",
    ),
    (
        "En quelle année la médiathèque de Valmont a-t-elle ouvert ?",
        "fr",
        "Elle a ouvert ses portes en 1987.",
    ),
    (
        "Combien coûte l'impression en couleur à la médiathèque de Valmont ?",
        "fr",
        "L'impression en couleur coûte 40 centimes la page.",
    ),
    (
        "How long does a single crossing on the Harbour Ferry take?",
        "en",
        "A single crossing takes 25 minutes.",
    ),
    (
        "How much does a return ticket on the Harbour Ferry cost?",
        "en",
        "A return ticket on the Harbour Ferry costs 9 dollars.",
    ),
    (
        "How many cars does the Harbour Ferry carry on each trip?",
        "en",
        "The ferry carries at least 40 cars on each trip.",
    ),
    (
        "Since when has the Harbour Ferry linked Port Ellis and Gull Island?",
        "en",
        "The Harbour Ferry has linked Port Ellis and Gull Island since 1964.",
    ),
]


@pytest.mark.parametrize(("question", "lang", "reply"), FAITHFUL)
async def test_a_faithful_rephrasing_is_kept(
    base: KnowledgeBase, question: str, lang: str, reply: str
) -> None:
    text, quotes = await reply_to(base, question, lang, reply)
    assert text == reply[:-1] + " [1]."
    assert len(quotes) == 1 and all(q in LIBRARY + FERRY for q in quotes)


GARBLED = [
    # a number moved to what another clause of the source prices
    (
        "Combien coûte l'adhésion annuelle à la médiathèque de Valmont ?",
        "fr",
        "L'adhésion annuelle coûte 18 euros la page en couleur.",
        "18 euros",
    ),
    # a word the source never uses, next to the number
    (
        "Combien coûte l'adhésion annuelle à la médiathèque de Valmont ?",
        "fr",
        "L'adhésion coûte 18 euros pour un couple.",
        "18 euros",
    ),
    # an upper bound turned into a lower one, or dropped
    (
        "Combien de documents peut-on emprunter à la médiathèque de Valmont ?",
        "fr",
        "Les lecteurs peuvent emprunter au moins 12 documents.",
        "au plus 12",
    ),
    (
        "Combien de documents peut-on emprunter à la médiathèque de Valmont ?",
        "fr",
        "Les lecteurs peuvent emprunter 12 documents.",
        "au plus 12",
    ),
    # the negation lost
    (
        "Combien de jours peut-on emprunter un DVD à la médiathèque de Valmont ?",
        "fr",
        "Les DVD peuvent être empruntés plus de 7 jours.",
        "ne peuvent pas",
    ),
    # a date question answered with a duration from the same sentence set
    (
        "En quelle année la médiathèque de Valmont a-t-elle ouvert ?",
        "fr",
        "La médiathèque a ouvert pendant trois semaines.",
        "1987",
    ),
    (
        "How long does a single crossing on the Harbour Ferry take?",
        "en",
        "A return ticket takes 25 minutes.",
        "25 minutes",
    ),
    (
        "How much does a return ticket on the Harbour Ferry cost?",
        "en",
        "A single crossing costs 9 dollars.",
        "9 dollars",
    ),
    (
        "Combien coûte l'impression en couleur à la médiathèque de Valmont ?",
        "fr",
        "L'impression en couleur coûte 18 euros.",
        "40 centimes",
    ),
    (
        "How much does a return ticket on the Harbour Ferry cost?",
        "en",
        "A return ticket costs 9 dollars for children under 6.",
        "9 dollars",
    ),
    (
        "How many cars does the Harbour Ferry carry on each trip?",
        "en",
        "The Harbour Ferry carries fewer than 40 cars on each trip.",
        "at least 40",
    ),
    (
        "How many cars does the Harbour Ferry carry on each trip?",
        "en",
        "The Harbour Ferry carries 40 passengers on each trip.",
        "at least 40",
    ),
    (
        "Since when has the Harbour Ferry linked Port Ellis and Gull Island?",
        "en",
        "The Harbour Ferry has linked Port Ellis and Gull Island for 25 minutes.",
        "1964",
    ),
    (
        "Does the Harbour Ferry take children under 6 for free?",
        "en",
        "Children under 6 do not travel free.",
        "travel free",
    ),
]


@pytest.mark.parametrize(("question", "lang", "reply", "quoted"), GARBLED)
async def test_a_garbled_rephrasing_falls_back_to_the_quote(
    base: KnowledgeBase, question: str, lang: str, reply: str, quoted: str
) -> None:
    text, quotes = await reply_to(base, question, lang, reply)
    assert text != reply
    assert text.startswith("D'après " if lang == "fr" else "According to ")
    assert text.endswith(" [1]") and quoted in text
    assert len(quotes) == 1 and quotes[0] in text and quotes[0] in LIBRARY + FERRY
