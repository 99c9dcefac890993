"""Plain-language labels under answers, from the real answer pipeline: one short phrase for how
each answer was made, the details (times, speed only where a model wrote, readable energy) in
a popover, and the raw model said to be one in the picker. Desktop and phone, EN and FR."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eclair.answer.pipeline import AnswerPipeline
from eclair.api.serving_chat import ChatService
from eclair.knowledge.packs.search import PackSearch
from eclair.knowledge.packs.writer import Article, write_pack
from tests.browser.conftest import DESKTOP, PHONE, Browser, ask, open_app, wait_answer

LAYOUTS = {"desktop": DESKTOP, "phone": PHONE}
LOCALES = {"en": "en-US", "fr": "fr-FR"}
ARTICLES = [
    Article(
        "Lisbon", "Lisbon", "Lisbon is a city on the Atlantic coast. Lisbon is the capital of Portugal.", ()
    ),
]
# question -> (the label's key, its words in English, in French)
CASES = {
    "en": [
        ("What is 17 × 23?", "computed", "computed"),
        ("What is the capital of Portugal?", "pack", "from Cities of the world"),
        ("Why do cows lay eggs?", "premise", "checked — the question is mistaken"),
        ("Write a haiku about rain", "model", "written by the model — unchecked"),
    ],
    "fr": [
        ("Combien font 17 × 23 ?", "computed", "calculé"),
        ("Quelle est la capitale du Portugal ?", "pack", "d'après Cities of the world"),
        (
            "Pourquoi les vaches pondent-elles des œufs ?",
            "premise",
            "vérifié — la question contient une erreur",
        ),
        ("Écris un haïku sur la pluie", "model", "écrit par le modèle — non vérifié"),
    ],
}


@pytest.fixture
def pipeline(browser: Browser, tmp_path: Path) -> Browser:
    state = browser.app.state
    state.packs.add(
        write_pack(
            tmp_path / "cities.zim", ARTICLES, name="cities", title="Cities of the world", language="en"
        )
    )
    state.chat = ChatService(
        state.engine,
        state.settings,
        AnswerPipeline(state.engine, state.knowledge, packs=PackSearch(state.packs)),
    )
    return browser


def _facts(page: Any) -> dict[str, str]:
    terms = page.locator("#answer-details-facts dt").all_inner_texts()
    values = page.locator("#answer-details-facts dd").all_inner_texts()
    return dict(zip(terms, values, strict=True))


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("language", list(LOCALES))
def test_each_answer_says_how_it_was_made(pipeline: Browser, layout: str, language: str) -> None:
    page = pipeline.new_page(viewport=LAYOUTS[layout], locale=LOCALES[language])
    open_app(page, pipeline.server.url)
    pipeline.app.state.engine.enqueue("Soft rain on the roof")
    for n, (question, key, words) in enumerate(CASES[language]):
        ask(page, question)
        answer = wait_answer(page, n)
        label = answer.locator(".badge .route")
        assert label.get_attribute("data-how") == key, (question, answer.inner_text())
        assert label.inner_text() == words
        badge_text = answer.locator(".badge").inner_text()
        assert "tok" not in badge_text and "Wh" not in badge_text, "details stay in the popover"

        answer.locator(".badge").click()
        page.wait_for_selector("#answer-details:popover-open")
        facts = _facts(page)
        speed = "Writing speed" if language == "en" else "Vitesse d'écriture"
        assert (speed in facts) is (key == "model"), f"speed only where a model wrote: {facts}"
        assert page.locator("#answer-details-why").inner_text()
        box = page.locator("#answer-details").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= LAYOUTS[layout]["width"]
        page.keyboard.press("Escape")
        page.wait_for_selector("#answer-details:not(:popover-open)", state="attached")
        assert page.evaluate("document.activeElement.classList.contains('badge')"), "focus goes back"


@pytest.mark.parametrize("language", list(LOCALES))
def test_energy_reads_in_everyday_units(browser: Browser, language: str) -> None:
    page = browser.new_page(locale=LOCALES[language])
    open_app(page, browser.server.url)
    texts = page.evaluate(
        """async () => {
        const m = await import('/static/badges.js');
        return [m.readableEnergy(0.003), m.ledComparison(0.003), m.readableEnergy(0.00000089),
                m.ledComparison(0.00000089), m.readableCarbon(0.000000037), m.ledComparison(0.5)];
    }"""
    )
    if language == "en":
        assert texts == ["≈ 0.003 Wh", "like an LED bulb for 1 s", "≈ 0.9 µWh",
                         "less than an LED bulb uses in a thousandth of a second", "≈ 0.04 µg CO₂e",
                         "like an LED bulb for 3 min"]  # fmt: skip
    else:
        assert texts == ["≈ 0,003 Wh", "comme une ampoule LED pendant 1 s", "≈ 0,9 µWh",
                         "moins qu'une ampoule LED en un millième de seconde", "≈ 0,04 µg CO₂e",
                         "comme une ampoule LED pendant 3 min"]  # fmt: skip


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("language", list(LOCALES))
def test_the_raw_model_is_labelled_in_the_picker(browser: Browser, layout: str, language: str) -> None:
    page = browser.new_page(viewport=LAYOUTS[layout], locale=LOCALES[language])
    open_app(page, browser.server.url)
    options = page.locator("#model option").all_inner_texts()
    raw = "raw model" if language == "en" else "modèle brut"
    assert options[0].startswith("Éclair — ") and raw not in options[0]
    assert all(raw in option for option in options[1:]) and len(options) >= 2
    assert page.locator("#model-hint").is_hidden()
    page.select_option("#model", index=1)
    hint = page.locator("#model-hint")
    assert hint.is_visible()
    assert ("calculator" if language == "en" else "calculatrice") in hint.inner_text()
    ask(page, "5 × (3 + 2)")
    answer = wait_answer(page)
    expected = "written by the model — unchecked" if language == "en" else "écrit par le modèle — non vérifié"
    assert answer.locator(".badge .route").inner_text() == expected
    page.select_option("#model", index=0)
    assert hint.is_hidden()
