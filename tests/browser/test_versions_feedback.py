"""Answer versions (‹ n/m ›), feedback (👍/👎 with a comment), export and read-aloud in the
browser, at 1280×800 and 390×844, in English and French."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import DESKTOP, PHONE, Browser, ask, mark, open_app, wait_answer, wait_js

LAYOUTS = {"desktop": DESKTOP, "phone": PHONE}
LOCALES = {"en": "en-US", "fr": "fr-FR"}
both = pytest.mark.parametrize(("layout", "language"), [(lay, lang) for lay in LAYOUTS for lang in LOCALES])

# speechSynthesis as a device would offer it: one voice on the device, one network voice.
VOICES = """
(() => {
  window.__spoken = [];
  window.__voices = [
    { name: 'Network voice', lang: '%(lang)s', localService: false },
    { name: 'Device voice', lang: '%(lang)s', localService: %(local)s },
  ];
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
  Object.defineProperty(window, 'speechSynthesis', { value: {
    getVoices: () => window.__voices,
    speak: (u) => window.__spoken.push({ text: u.text, voice: u.voice.name }),
    cancel: () => {},
  }});
})();
"""


def _page(browser: Browser, layout: str, language: str) -> Any:
    page = browser.new_page(viewport=LAYOUTS[layout], locale=LOCALES[language])
    open_app(page, browser.server.url)
    return page


@both
def test_versions_are_kept_and_browsable(browser: Browser, layout: str, language: str) -> None:
    page = _page(browser, layout, language)
    browser.app.state.engine.enqueue("first answer", "second answer", "answer to the edit")
    ask(page, "question")
    wait_answer(page)
    assert page.locator(".versions").count() == 0
    mark(page)
    page.click(".message.assistant .regenerate")
    wait_answer(page)
    wait_js(page, "document.querySelector('.message.assistant .ver-count')")
    answer = page.locator(".message.assistant")
    assert answer.locator(".ver-count").inner_text() == "2/2"
    assert answer.locator(".bubble").inner_text() == "second answer"
    answer.locator(".ver-prev").click()
    wait_js(page, "document.querySelector('.message.assistant .ver-count').textContent === '1/2'")
    assert page.locator(".message.assistant .bubble").inner_text() == "first answer"
    page.reload()
    page.wait_for_selector(".message.assistant .ver-count")
    assert page.locator(".message.assistant .bubble").inner_text() == "first answer", "kept on the server"

    page.click(".message.user .edit-button")
    page.fill(".message.user .edit textarea", "edited question")
    mark(page)
    page.click(".message.user .edit .primary")
    wait_answer(page)
    wait_js(page, "document.querySelector('.message.user .ver-count')")
    assert page.locator(".message.user .ver-count").inner_text() == "2/2"
    page.locator(".message.user .ver-prev").click()
    wait_js(page, "document.querySelector('.message.user .bubble').innerText === 'question'")
    assert page.locator(".message.assistant .bubble").inner_text() == "first answer"
    assert page.locator(".message.assistant .ver-count").inner_text() == "1/2", "inner versions come back"


@both
def test_feedback_is_stored_with_a_comment(browser: Browser, layout: str, language: str) -> None:
    page = _page(browser, layout, language)
    browser.app.state.engine.enqueue("17 × 23 = 400", "Paris")
    ask(page, "What is 17 × 23?")
    wait_answer(page)
    page.click(".message.assistant .thumb.down")
    page.wait_for_selector(".fb-form textarea")
    page.fill(".fb-form textarea", "it is 391")
    page.click(".fb-form button[type=submit]")
    page.wait_for_selector(".fb-form", state="detached")
    disliked = browser.app.state.store.feedback.disliked()
    assert [(f.question, f.answer, f.comment) for f in disliked] == [
        ("What is 17 × 23?", "17 × 23 = 400", "it is 391")
    ]
    ask(page, "Capital of France?")
    wait_answer(page)
    page.locator(".message.assistant .thumb.up").nth(1).click()
    wait_js(page, "document.querySelectorAll('.thumb.up[aria-pressed=true]').length === 1")
    page.reload()
    page.wait_for_selector(".message.assistant .thumb")
    assert page.locator(".thumb.down[aria-pressed=true]").count() == 1
    assert page.locator(".thumb.up[aria-pressed=true]").count() == 1


@both
def test_export_markdown_and_json(browser: Browser, layout: str, language: str) -> None:
    page = _page(browser, layout, language)
    assert page.locator("#export").is_hidden(), "nothing to export in a new chat"
    browser.app.state.engine.enqueue("An answer to export")
    ask(page, "Export me")
    wait_answer(page)
    page.click("#export summary")
    with page.expect_download() as download:
        page.click("#export-md")
    markdown = Path(download.value.path()).read_text(encoding="utf-8")
    assert download.value.suggested_filename == "Export-me.md"
    assert markdown.startswith("# Export me") and "An answer to export" in markdown
    with page.expect_download() as download:
        page.click("#export-json")
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert [m["content"] for m in data["conversation"]["messages"]] == ["Export me", "An answer to export"]


@both
def test_read_aloud_uses_only_a_voice_on_the_device(browser: Browser, layout: str, language: str) -> None:
    page = browser.new_page(viewport=LAYOUTS[layout], locale=LOCALES[language])
    page.add_init_script(VOICES % {"lang": LOCALES[language], "local": "true"})
    open_app(page, browser.server.url)
    browser.app.state.engine.enqueue("Hello **there** [1]")
    ask(page, "Say hello")
    wait_answer(page)
    page.click(".message.assistant .read-aloud")
    assert page.evaluate("window.__spoken") == [{"text": "Hello there", "voice": "Device voice"}]
    assert page.get_attribute(".message.assistant .read-aloud", "aria-pressed") == "true"
    page.click(".message.assistant .read-aloud")
    assert page.get_attribute(".message.assistant .read-aloud", "aria-pressed") == "false"
    page.evaluate("window.__voices = window.__voices.filter(v => !v.localService)")
    page.click(".message.assistant .read-aloud")
    assert len(page.evaluate("window.__spoken")) == 1, "a network voice is never used"
    page.wait_for_selector("#toast:not([hidden])")
