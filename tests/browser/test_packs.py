"""An encyclopedia in the browser: a general question answered from a pack, its citation
opened with the quote highlighted in the article, the article read offline at /kb."""

from __future__ import annotations

from pathlib import Path

import pytest

from eclair.answer.pipeline import AnswerPipeline
from eclair.api.serving_chat import ChatService
from eclair.knowledge.packs.search import PackSearch
from eclair.knowledge.packs.writer import Article, write_pack
from tests.browser.conftest import Browser, ask, open_app, wait_answer

ARTICLES = [
    Article(
        "Lisbon", "Lisbon",
        "Lisbon is a city on the Atlantic coast. Lisbon is the capital of Portugal.",
        (("History", "An earthquake destroyed much of the city in 1755."),),
    ),
]  # fmt: skip


@pytest.fixture
def with_pack(browser: Browser, tmp_path: Path) -> Browser:
    state = browser.app.state
    state.packs.add(
        write_pack(tmp_path / "cities.zim", ARTICLES, name="cities", title="Cities", language="en")
    )
    pipeline = AnswerPipeline(state.engine, state.knowledge, packs=PackSearch(state.packs))
    state.chat = ChatService(state.engine, state.settings, pipeline)
    return browser


def test_a_pack_answer_opens_its_article(with_pack: Browser) -> None:
    page = with_pack.new_page()
    open_app(page, with_pack.server.url)
    assert page.locator("#scope .scope-pack").all_inner_texts() == ["Cities"], "the pack is in scope"
    ask(page, "What is the capital of Portugal?")
    answer = wait_answer(page)
    assert "Lisbon is the capital of Portugal." in answer.inner_text()
    answer.locator("button.cite").first.click()
    page.locator("#citation").wait_for()
    assert page.locator("#citation-source").inner_text() == "Lisbon"
    page.wait_for_selector("#citation-document mark")
    assert (
        page.locator("#citation-document mark").inner_text() == page.locator("#citation-quote").inner_text()
    )
    assert "1755" in page.locator("#citation-document").inner_text()
    link = page.locator("#citation-open")
    assert link.is_visible() and link.get_attribute("href") == "/kb/cities/Lisbon"
    page.keyboard.press("Escape")

    page.click("#open-documents")
    page.wait_for_selector("#pack-list li .name")
    assert "Cities" in page.locator("#pack-list").inner_text()
    assert page.locator("#pack-form").is_visible()  # single-user mode: the local user manages packs
    page.keyboard.press("Escape")

    page.goto(with_pack.server.url + "/kb/cities/Lisbon")
    assert "An earthquake destroyed much of the city in 1755." in page.locator("body").inner_text()
