"""Settings (custom instructions, default model, language, theme) and the help page, at
1280×800 and 390×844, in English and French."""

from __future__ import annotations

from typing import Any

import pytest

from eclair.engine.protocol import ChatMessage
from tests.browser.conftest import DESKTOP, PHONE, Browser, ask, axe_violations, open_app, wait_answer

LAYOUTS = {"desktop": DESKTOP, "phone": PHONE}
LOCALES = {"en": "en-US", "fr": "fr-FR"}
both = pytest.mark.parametrize(("layout", "language"), [(lay, lang) for lay in LAYOUTS for lang in LOCALES])


def _sidebar(page: Any, layout: str) -> None:
    if layout == "phone":
        page.click("#open-sidebar")
        page.wait_for_timeout(300)


@both
def test_settings_are_kept_on_the_server_and_honoured(browser: Browser, layout: str, language: str) -> None:
    page = browser.new_page(viewport=LAYOUTS[layout], locale=LOCALES[language])
    open_app(page, browser.server.url)
    _sidebar(page, layout)
    page.click("#open-settings")
    page.wait_for_selector("#settings[open]")
    page.fill("#pref-instructions", "Answer like a pirate.")
    models = page.locator("#pref-model option").evaluate_all("options => options.map(o => o.value)")
    raw = next(m for m in models if m and m != "eclair")
    page.select_option("#pref-model", raw)
    other = "fr" if language == "en" else "en"
    page.select_option("#pref-language", other)
    page.select_option("#pref-theme", "dark")
    assert axe_violations(page) == []
    page.click("#settings-form button[type=submit]")
    page.wait_for_selector("#settings:not([open])", state="attached")
    assert page.evaluate("document.documentElement.lang") == other
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.input_value("#model") == raw, "new conversations start with the chosen model"

    engine = browser.app.state.engine
    engine.enqueue("Arr, hello!")
    ask(page, "hello")
    wait_answer(page)
    turns = [ChatMessage("system", "Answer like a pirate."), ChatMessage("user", "hello")]
    assert list(engine.requests[-1].prompt) == engine.tokenize(engine.render_chat(turns))

    fresh = browser.new_page(viewport=LAYOUTS[layout], locale=LOCALES[language])  # another device
    open_app(fresh, browser.server.url)
    assert fresh.evaluate("document.documentElement.lang") == other
    assert fresh.evaluate("document.documentElement.dataset.theme") == "dark"


@both
def test_the_help_page(browser: Browser, layout: str, language: str) -> None:
    page = browser.new_page(viewport=LAYOUTS[layout], locale=LOCALES[language])
    open_app(page, browser.server.url)
    _sidebar(page, layout)
    assert page.get_attribute("#open-help", "href") == "/help"
    page.goto(browser.server.url + "/help")
    shown = page.locator("article.help:visible")
    assert shown.count() == 1 and shown.get_attribute("lang") == language
    text = shown.inner_text()
    words = {
        "en": ["computes", "cites", "declines", "erased", "10 seconds"],
        "fr": ["calcule", "cite", "ne répond pas", "effacées", "10 secondes"],
    }[language]
    assert all(word in text for word in words), text[:400]
    assert axe_violations(page) == []
    other = "fr" if language == "en" else "en"
    page.click(f".help-langs a[hreflang={other}]")
    page.wait_for_selector(f"article#{other}:visible")
    assert page.evaluate("document.documentElement.lang") == other
    page.click(".help-home")
    page.wait_for_selector("#app:not([hidden])")
    assert page.evaluate("document.documentElement.lang") == other, "the choice carries to the chat"
