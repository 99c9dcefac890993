"""The chat page in a real browser: streaming, stop, history across reloads, editing."""

from __future__ import annotations

import time
from typing import Any

from tests.browser.conftest import PHONE, Browser, ask, mark, open_app, wait_answer, wait_js


def test_send_and_see_the_answer_stream(browser: Browser) -> None:
    page = browser.new_page()
    open_app(page, browser.server.url)
    assert page.locator("#welcome").is_visible()
    browser.app.state.engine.enqueue("One two three four five six seven eight nine ten eleven twelve.")
    ask(page, "Count to twelve")
    page.wait_for_selector(".message.assistant.streaming")
    assert page.locator("#stop").is_visible() and page.locator("#send").is_hidden()
    partial = page.locator(".message.assistant .bubble").inner_text()
    answer = wait_answer(page)
    final = answer.locator(".bubble").inner_text()
    assert final == "One two three four five six seven eight nine ten eleven twelve."
    assert len(partial) < len(final), "the answer arrived in pieces"
    badge = answer.locator(".badge")
    assert badge.inner_text() == "written by the model — unchecked"
    badge.click()
    assert "tokens/s" in page.locator("#answer-details").inner_text()
    page.keyboard.press("Escape")
    assert page.locator(".message.user .bubble").inner_text() == "Count to twelve"
    assert page.locator("#welcome").is_hidden()
    assert page.evaluate("location.hash").startswith("#/c/conv_")
    assert page.locator("#conversations li").count() == 1
    assert page.locator("#title").inner_text() == "Count to twelve"


def test_a_question_asked_while_the_page_loads_is_answered(browser: Browser) -> None:
    """The app shows before its conversation list arrives; a question sent in that time keeps
    its answer (the end of start-up used to open a new chat and stop it)."""
    page = browser.new_page()
    held: list[Any] = []
    page.route("**/api/conversations", lambda route: held.append(route), times=1)
    page.goto(browser.server.url)
    page.wait_for_selector("#app:not([hidden])")
    wait_js(page, "document.querySelector('#model').options.length > 0")
    deadline = time.monotonic() + 15
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(30)
    assert held, "the conversation list was requested"
    browser.app.state.engine.enqueue("an answer that is kept")
    ask(page, "early question")
    page.wait_for_selector(".message.assistant.streaming")
    held[0].continue_()
    assert wait_answer(page).locator(".bubble").inner_text() == "an answer that is kept"
    assert page.evaluate("document.body.dataset.ready") == "1"


def test_reload_and_find_the_conversation(browser: Browser) -> None:
    page = browser.new_page()
    open_app(page, browser.server.url)
    ask(page, "Remember the word pineapple")
    wait_answer(page)
    page.reload()
    page.wait_for_selector(".message.assistant")
    assert "pineapple" in page.locator(".message.user").inner_text()
    page.click("#new-chat")
    assert page.locator(".message").count() == 0 and page.locator("#welcome").is_visible()
    page.locator("#conversations li .open").first.click()
    page.wait_for_selector(".message.assistant")
    assert page.locator("#conversations li.active").count() == 1
    other = browser.new_page()
    open_app(other, browser.server.url)
    assert "pineapple" in other.locator("#conversations li").first.inner_text()


def test_stop_with_escape_keeps_the_partial_answer(browser: Browser) -> None:
    page = browser.new_page()
    open_app(page, browser.server.url)
    browser.app.state.engine.enqueue(" ".join(f"w{i}" for i in range(300)))
    ask(page, "Talk for a long time")
    wait_js(page, "(document.querySelector('.message.assistant .bubble') || {}).innerText?.length > 10")
    page.keyboard.press("Escape")
    answer = wait_answer(page)
    wait_js(page, "document.querySelector('.message.assistant .badge .route') !== null")
    shown = answer.locator(".badge").inner_text()
    assert "stopped" in shown and "written by the model" in shown, (
        "the stored answer's label, not only 'stopped'"
    )
    conversation = page.evaluate("location.hash").split("/")[-1]
    page.reload()
    page.wait_for_selector(".message.assistant")
    stored = page.locator(".message.assistant")
    assert stored.locator(".badge").inner_text() == shown, "the same before and after a reload"
    words = stored.locator(".bubble").inner_text().split()
    assert 0 < len(words) < 300 and words[0] == "w0"
    assert conversation.startswith("conv_")


def test_stop_button_stops(browser: Browser) -> None:
    page = browser.new_page()
    open_app(page, browser.server.url)
    browser.app.state.engine.enqueue(" ".join(f"w{i}" for i in range(300)))
    ask(page, "Talk")
    page.wait_for_selector(".message.assistant.streaming")
    assert page.locator("#stop").is_visible(), page.locator("#toast").inner_text()
    page.click("#stop", timeout=5000)
    wait_answer(page)
    assert page.locator("#send").is_visible()


def test_shift_enter_makes_a_new_line(browser: Browser) -> None:
    page = browser.new_page()
    open_app(page, browser.server.url)
    page.fill("#input", "first line")
    page.press("#input", "Shift+Enter")
    page.type("#input", "second line")
    assert page.locator(".message").count() == 0
    assert page.input_value("#input") == "first line\nsecond line"
    page.press("#input", "Enter")
    wait_answer(page)
    assert page.locator(".message.user .bubble").inner_text() == "first line\nsecond line"


def test_regenerate_edit_and_copy(browser: Browser) -> None:
    page = browser.new_page()
    open_app(page, browser.server.url)
    engine = browser.app.state.engine
    engine.enqueue("first answer", "second answer", "answer to the edit")
    ask(page, "question")
    assert wait_answer(page).locator(".bubble").inner_text() == "first answer"
    mark(page)
    page.click(".message.assistant .regenerate")
    assert wait_answer(page).locator(".bubble").inner_text() == "second answer"
    assert page.locator(".message").count() == 2

    page.click(".message.assistant .copy")
    assert page.evaluate("navigator.clipboard.readText()") == "second answer"

    page.click(".message.user .edit-button")
    page.fill(".message.user .edit textarea", "edited question")
    mark(page)
    page.click(".message.user .edit .primary")
    assert wait_answer(page).locator(".bubble").inner_text() == "answer to the edit"
    assert [t.strip() for t in page.locator(".message .bubble").all_inner_texts()] == [
        "edited question",
        "answer to the edit",
    ]
    page.reload()
    page.wait_for_selector(".message.assistant")
    assert page.locator(".message").count() == 2


def test_rename_search_and_delete_conversations(browser: Browser) -> None:
    page = browser.new_page()
    open_app(page, browser.server.url)
    for question in ("About cats", "About dogs"):
        page.click("#new-chat")
        ask(page, question)
        wait_answer(page)
    assert page.locator("#conversations li").count() == 2
    item = page.locator("#conversations li", has_text="About dogs")
    item.locator(".more").click()
    page.click("#conversations .menu-pencil")
    page.fill("#conversations li input", "Dog training")
    page.press("#conversations li input", "Enter")
    page.wait_for_selector("#conversations li:has-text('Dog training')")
    page.fill("#search", "cats")
    wait_js(page, "document.querySelectorAll('#conversations li').length === 1")
    assert "About cats" in page.locator("#conversations li").inner_text()
    page.fill("#search", "zebra")
    page.wait_for_selector("#conversations-empty:not([hidden])")
    page.fill("#search", "")
    wait_js(page, "document.querySelectorAll('#conversations li').length === 2")
    doomed = page.locator("#conversations li", has_text="Dog training")
    doomed.locator(".more").click()
    page.click("#conversations .menu-trash")
    wait_js(page, "document.querySelectorAll('#conversations li').length === 1")
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pagehide'))")  # leaving sends it now
    page.wait_for_timeout(300)
    page.reload()
    page.wait_for_selector("#conversations li")
    assert page.locator("#conversations li").all_inner_texts()[0].strip().startswith("About cats")


def test_french_by_default_for_french_browsers_and_switchable(browser: Browser) -> None:
    page = browser.new_page(locale="fr-FR")
    open_app(page, browser.server.url)
    assert page.locator("#new-chat").inner_text().strip() == "Nouvelle discussion"
    assert page.evaluate("document.documentElement.lang") == "fr"
    page.click("#toggle-lang")
    assert page.locator("#new-chat").inner_text().strip() == "New chat"
    page.reload()
    page.wait_for_selector("#app:not([hidden])")
    assert page.locator("#new-chat").inner_text().strip() == "New chat", "the choice is remembered"


def test_theme_toggle_is_remembered(browser: Browser) -> None:
    page = browser.new_page(color_scheme="light")
    open_app(page, browser.server.url)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.click("#toggle-theme")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark != background
    page.reload()
    page.wait_for_selector("#app:not([hidden])")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == dark


def test_phone_width(browser: Browser) -> None:
    page: Any = browser.new_page(viewport=PHONE)
    open_app(page, browser.server.url)
    assert page.locator("#open-sidebar").is_visible()
    assert not _in_view(page, "#sidebar")
    ask(page, "hello from a phone")
    wait_answer(page)
    page.click("#open-sidebar")
    page.wait_for_timeout(350)
    assert _in_view(page, "#sidebar")
    page.locator("#conversations li .open").first.click()
    page.wait_for_timeout(350)
    assert not _in_view(page, "#sidebar")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "nothing overflows sideways"


def _in_view(page: Any, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return bool(box and box["x"] + box["width"] > 10)
