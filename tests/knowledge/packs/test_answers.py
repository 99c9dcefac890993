"""General questions answered from packs through the answer pipeline (fake engine, real
grounded path): a verified quote cited with its pack and link, the documents first, and
abstention when neither holds the answer."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest

from eclair.answer.pipeline import AnswerPipeline
from eclair.answer.types import AnswerInfo
from eclair.engine.fake import FakeEngine
from eclair.engine.protocol import ChatMessage, SamplingParams, TextDelta
from eclair.knowledge.packs.registry import PackRegistry
from eclair.knowledge.packs.search import PackSearch
from eclair.knowledge.packs.writer import Article, write_pack
from eclair.text.passages import Passage

PARAMS = SamplingParams(max_tokens=64)


class Documents:
    def __init__(self, passages: list[Passage]):
        self.passages = passages

    async def search(self, query: str, **_: object) -> list[Passage]:
        return self.passages


async def ask(pipeline: AnswerPipeline, *turns: str) -> tuple[str, AnswerInfo]:
    messages = [ChatMessage("user", t) for t in turns]
    stream = pipeline.stream(messages, PARAMS)
    text = "".join([e.text async for e in stream.events if isinstance(e, TextDelta)])
    return text, stream.info


@pytest.fixture
def pipeline(registry: PackRegistry) -> AnswerPipeline:
    # engine=FakeEngine: its scripted phrasing fails verification, so answers are verbatim quotes
    return AnswerPipeline(FakeEngine(), None, packs=PackSearch(registry), today=lambda: date(2026, 12, 4))


@pytest.mark.parametrize(
    ("question", "answer", "article"),
    [
        ("What is the capital of Portugal?", "Lisbon", "Portugal"),
        ("Quelle est la capitale du Japon ?", "Tokyo", "Japan"),  # a French question, an English article
        ("Who wrote Les Misérables?", "Victor Hugo", "Les Misérables"),
        ("Qui a écrit Les Misérables ?", "Victor Hugo", "Les Misérables"),
        ("When did Portugal become independent?", "1143", "Portugal"),
        ("What is the atomic number of gold?", "79", "Gold"),
        ("En quelle année est mort Claude Monet ?", "1926", "Claude Monet"),
        # a superlative is answered by the sentence that ranks, not by a list of candidates
        ("Quel est le plus long fleuve de France ?", "Loire", "Loire"),
        # a French question, an English article whose words differ only by their endings
        ("Qui a découvert l'induction électromagnétique ?", "1831 he discovered", "Michael Faraday"),
        # "In 1831 he …": the person of the article
        ("Who discovered electromagnetic induction?", "he discovered", "Michael Faraday"),
    ],
)
async def test_general_questions_are_answered_with_a_citation_of_the_article(
    pipeline: AnswerPipeline, question: str, answer: str, article: str
) -> None:
    text, info = await ask(pipeline, question)
    assert answer in text and not info.abstained and info.route == "knowledge"
    cited = info.citations[0]
    assert cited.source == article and cited.pack in ("test_en", "test_fr")
    assert cited.url == f"/kb/{cited.pack}/{quote(article.replace(' ', '_'))}"
    assert answer in cited.quote
    assert {"pack", "url"} <= info.to_json()["citations"][0].keys()


@pytest.mark.parametrize(
    "question",
    [
        "What is the capital of Italy?",  # no article
        "What is the population of Portugal?",  # the article does not say
        "Who wrote Hamlet?",
        "Quelle est la monnaie du Japon ?",
    ],
)
async def test_what_the_packs_do_not_hold_is_not_invented(pipeline: AnswerPipeline, question: str) -> None:
    text, info = await ask(pipeline, question)
    assert info.abstained, text
    assert not info.citations


async def test_a_ranked_superlative_does_not_answer_the_superlative(pipeline: AnswerPipeline) -> None:
    text, info = await ask(pipeline, "What is the largest planet in the Solar System?")
    assert "Saturn" not in text
    if not info.abstained:
        assert "Jupiter" in text and info.citations[0].source == "Jupiter"


async def test_the_user_s_documents_answer_first(registry: PackRegistry) -> None:
    document = Passage(
        "d1#0", "atlas.txt", "The capital of Portugal is Lisbon, on the Tagus.", 0, 48, document_id="d1"
    )
    pipeline = AnswerPipeline(FakeEngine(), Documents([document]), packs=PackSearch(registry))
    text, info = await ask(pipeline, "What is the capital of Portugal?")
    assert "Lisbon" in text and info.citations[0].source == "atlas.txt" and info.citations[0].pack == ""
    assert "pack" not in info.to_json()["citations"][0]


async def test_documents_that_do_not_answer_give_way_to_the_packs(registry: PackRegistry) -> None:
    document = Passage("d1#0", "recipes.txt", "Bake the bread for 40 minutes.", 0, 30, document_id="d1")
    pipeline = AnswerPipeline(FakeEngine(), Documents([document]), packs=PackSearch(registry))
    text, info = await ask(pipeline, "What is the capital of Spain?")
    assert "Madrid" in text and info.citations[0].pack == "test_en"


async def test_a_question_about_a_pasted_text_is_not_sent_to_the_packs(pipeline: AnswerPipeline) -> None:
    note = "Minutes of the harbour committee. " + "The meeting is held in Room 4 every Monday. " * 8
    text, info = await ask(pipeline, f"{note}\n\nWhat is the capital of Portugal?")
    assert info.abstained and not any(c.pack for c in info.citations), text


async def test_a_short_statement_before_a_general_question_does_not_stop_it(pipeline: AnswerPipeline) -> None:
    text, info = await ask(pipeline, "I am planning a trip. What is the capital of Portugal?")
    assert "Lisbon" in text and info.citations[0].pack == "test_en"


async def test_another_country_s_article_does_not_answer_for_it(tmp_path: Path) -> None:
    articles = [
        Article(
            "Ukraine", "Ukraine",
            "Ukraine is a country in Eastern Europe. It borders Russia to the east. Its currency is the hryvnia.",
        ),
        Article("Iran", "Iran", "Iran is a country in Western Asia. Its capital is Tehran. It borders Iraq and Turkey."),
    ]  # fmt: skip
    packs = PackRegistry(tmp_path / "data")
    packs.add(write_pack(tmp_path / "x.zim", articles, name="x", title="X", language="en"))
    pipeline = AnswerPipeline(FakeEngine(), None, packs=PackSearch(packs))
    for question in (
        "What is the currency of Russia?",
        "What is the capital of Turkey?",
        "whats the capital of iraq",
    ):
        text, info = await ask(pipeline, question)
        assert info.abstained, (question, text)


async def test_in_a_person_s_article_he_is_the_agent(tmp_path: Path) -> None:
    articles = [
        Article(
            "Jean_Moreau", "Jean Moreau",
            "Jean Moreau, né le 3 mai 1801 à Nantes et mort en 1870, est un chimiste français. "
            "En 1840, il a découvert la moreauite, un minerai bleu.",
        ),
        Article(
            "Tour_Verte", "Tour Verte",
            "La Tour Verte est une tour de Nantes. Elle domine le port depuis 1820.",
        ),
    ]  # fmt: skip
    packs = PackRegistry(tmp_path / "data")
    packs.add(write_pack(tmp_path / "x.zim", articles, name="x", title="X", language="fr"))
    pipeline = AnswerPipeline(FakeEngine(), None, packs=PackSearch(packs))
    text, info = await ask(pipeline, "Qui a découvert la moreauite ?")
    assert "Jean Moreau" in text and info.citations[0].source == "Jean Moreau"
    text, info = await ask(pipeline, "Qui domine le port ?")  # "Elle" in a tower's article is no person
    assert info.abstained, text
