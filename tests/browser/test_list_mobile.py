"""The conversation list and the phone: date groups, pin, archive, delete with undo, touch
access to every action, auto-scroll, 44 px targets, skip link, whole document names.

Each test runs at 1280×800 and at 390×844, in English and in French.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from eclair.store import schema
from eclair.store.ids import utcnow
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    TOWER,
    Browser,
    ask,
    drop_file,
    open_app,
    small_targets,
    wait_answer,
    wait_js,
)

LAYOUTS = {"desktop": DESKTOP, "phone": PHONE}
LOCALES = {"en": "en-US", "fr": "fr-FR"}
GROUPS = {
    "en": ["Pinned", "Today", "Yesterday", "Last 7 days", "Older"],
    "fr": ["Épinglées", "Aujourd'hui", "Hier", "7 derniers jours", "Plus anciennes"],
}
UNDO = {"en": "Undo", "fr": "Annuler"}

both = pytest.mark.parametrize(("layout", "language"), [(lay, lang) for lay in LAYOUTS for lang in LOCALES])


def _page(browser: Browser, layout: str, language: str, **options: Any) -> Any:
    touch = layout == "phone"
    page = browser.new_page(viewport=LAYOUTS[layout], locale=LOCALES[language], has_touch=touch, **options)
    open_app(page, browser.server.url)
    return page


def _press(page: Any, locator: Any, layout: str) -> None:
    """A tap on a phone, a click on a desktop."""
    if layout == "phone":
        locator.tap()
    else:
        locator.click()


def _open_list(page: Any, layout: str) -> None:
    if layout == "phone" and not page.evaluate(
        "document.getElementById('sidebar').classList.contains('open')"
    ):
        page.click("#open-sidebar")
        page.wait_for_timeout(250)


def _conversations(browser: Browser, *ages_days: float) -> list[str]:
    """Conversations of the single user, last active ``age`` days ago (0: now)."""
    store = browser.app.state.store
    user = store.users.local()
    assert user is not None, "the page made the local user"
    ids = []
    for n, age in enumerate(ages_days):
        created = store.conversations.create(user.id, title=f"Conversation {n}")
        at = utcnow() - timedelta(days=age)
        with store.db.write() as conn:
            conn.execute(
                update(schema.conversations)
                .where(schema.conversations.c.id == created.id)
                .values(updated_at=at)
            )
        ids.append(created.id)
    return ids


def _menu(page: Any, title: str, layout: str) -> None:
    _open_list(page, layout)
    row = page.locator("#conversations li", has_text=title)
    _press(page, row.locator(".more"), layout)
    page.wait_for_selector("#conversations .menu")


@both
def test_groups_pin_and_archive(browser: Browser, layout: str, language: str) -> None:
    page = _page(browser, layout, language)
    _conversations(browser, 0, 1, 3, 30)
    page.reload()
    page.wait_for_selector("#conversations li")
    headings = page.locator("#conversations .group-title").all_inner_texts()
    assert headings == GROUPS[language][1:]
    _menu(page, "Conversation 3", layout)
    _press(page, page.locator("#conversations .menu-pin"), layout)
    wait_js(page, "document.querySelector('#conversations .group-title').textContent !== ''")
    page.wait_for_selector("#conversations section[data-group=pinned] li:has-text('Conversation 3')")
    assert page.locator("#conversations .group-title").all_inner_texts() == GROUPS[language][:4]

    _menu(page, "Conversation 1", layout)
    _press(page, page.locator("#conversations .menu-archive"), layout)
    wait_js(
        page,
        "![...document.querySelectorAll('#conversations li')].some(li => li.textContent.includes('Conversation 1'))",
    )
    _press(page, page.locator("#toggle-archived"), layout)
    page.wait_for_selector("#conversations section[data-group=archived] li:has-text('Conversation 1')")
    assert page.locator("#conversations li:not(.menu-row)").count() == 1
    _menu(page, "Conversation 1", layout)
    _press(page, page.locator("#conversations .menu-archive"), layout)  # unarchive
    page.wait_for_selector("#conversations-empty:not([hidden])")
    _press(page, page.locator("#toggle-archived"), layout)
    page.wait_for_selector("#conversations li:has-text('Conversation 1')")
    stored = {c.title: c for c in browser.app.state.store.conversations.find(_owner(browser), archived=None)}
    assert stored["Conversation 3"].pinned and not stored["Conversation 1"].archived


def _owner(browser: Browser) -> str:
    user = browser.app.state.store.users.local()
    assert user is not None
    return str(user.id)


@both
def test_delete_waits_ten_seconds_and_can_be_undone(browser: Browser, layout: str, language: str) -> None:
    page = _page(browser, layout, language)
    ask(page, "A conversation to delete")
    wait_answer(page)
    conversation = page.evaluate("location.hash").split("/")[-1]
    store = browser.app.state.store.conversations
    owner = _owner(browser)

    _menu(page, "A conversation to delete", layout)
    _press(page, page.locator("#conversations .menu-trash"), layout)
    page.wait_for_selector("#toast:not([hidden]) .toast-action")
    assert page.locator("#conversations li").count() == 0
    assert page.locator("#welcome").is_visible(), "the open conversation closes"
    assert store.get(owner, conversation) is not None, "nothing is deleted before the delay"
    _press(page, page.locator("#toast .toast-action", has_text=UNDO[language]), layout)
    _open_list(page, layout)
    page.wait_for_selector("#conversations li:has-text('A conversation to delete')")
    page.wait_for_selector(".message.assistant")  # it opens again

    _menu(page, "A conversation to delete", layout)
    _press(page, page.locator("#conversations .menu-trash"), layout)
    page.wait_for_timeout(9_000)
    assert store.get(owner, conversation) is not None
    page.wait_for_timeout(2_000)
    assert store.get(owner, conversation) is None, "deleted once the 10 s are over"
    assert browser.watch.dialogs == [], "no browser dialog"


@pytest.mark.parametrize("language", list(LOCALES))
def test_a_fast_answer_in_a_long_conversation_is_scrolled_into_view(browser: Browser, language: str) -> None:
    page = _page(browser, "phone", language)
    engine = browser.app.state.engine
    engine.token_delay_s = 0.0
    for n in range(6):
        engine.enqueue(" ".join(["A long answer line."] * 30))
        ask(page, f"Question {n}")
        wait_answer(page)
    engine.enqueue("Short and fast.")
    ask(page, "One more")
    wait_answer(page)
    page.wait_for_timeout(200)
    inside = page.evaluate(
        """() => {
        const box = document.getElementById('messages').getBoundingClientRect();
        const last = [...document.querySelectorAll('.message.assistant')].pop().getBoundingClientRect();
        return last.top >= box.top - 1 && last.bottom <= box.bottom + 1;
    }"""
    )
    assert inside, "the new answer is on screen"
    # reading higher up is not interrupted by a new answer
    page.evaluate("document.getElementById('messages').scrollTop = 0")
    page.wait_for_timeout(100)
    engine.token_delay_s = 0.03
    engine.enqueue(" ".join(["More words."] * 40))
    ask(page, "And again")
    page.wait_for_selector(".message.assistant.streaming")  # the user scrolls up while it streams
    page.evaluate("document.getElementById('messages').scrollTop = 0")
    wait_answer(page)
    assert page.evaluate("document.getElementById('messages').scrollTop") < 200


@pytest.mark.parametrize("language", list(LOCALES))
def test_touch_targets_are_44_px_on_a_phone(browser: Browser, language: str) -> None:
    layout = "phone"  # the desktop keeps its compact controls (a mouse pointer)
    page = _page(browser, layout, language)
    drop_file(page, "tower.md", TOWER)
    wait_js(page, "document.querySelector('.upload.done') !== null")
    ask(page, "How tall is the tower?")
    answer = wait_answer(page)
    assert answer.locator("button.cite").count() == 1
    assert small_targets(page) == []
    page.click("#open-sidebar")
    page.wait_for_timeout(300)
    _press(page, page.locator("#conversations li .more").first, layout)
    assert small_targets(page) == []


@both
def test_skip_link_goes_straight_to_the_message_box(browser: Browser, layout: str, language: str) -> None:
    page = _page(browser, layout, language)
    ask(page, "Hello")
    wait_answer(page)
    page.reload()  # an open conversation: the focus starts at the top of the page
    page.wait_for_selector(".message.assistant")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id")
    assert focused == "skip-link"
    assert page.locator("#skip-link").is_visible(), "it shows when it has the focus"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "input"


@both
def test_whole_document_names_on_hover_and_in_details(browser: Browser, layout: str, language: str) -> None:
    page = _page(browser, layout, language)
    names = [
        "quarterly-financial-report-of-the-northern-region-2026-final-version-A.md",
        "quarterly-financial-report-of-the-northern-region-2026-final-version-B.md",
    ]
    for name in names:
        drop_file(page, name, TOWER + name)
    wait_js(page, "document.querySelectorAll('.upload.done').length === 2")
    _open_list(page, layout)
    page.click("#open-documents")
    page.wait_for_selector("#document-list .doc-details")
    summaries = page.locator("#document-list summary")
    assert sorted(summaries.evaluate_all("els => els.map(e => e.title)")) == names
    first = page.locator("#document-list .doc-details").first
    first.locator("summary").click()
    shown = first.locator("dd").first
    assert shown.is_visible() and shown.inner_text() in names
    box = shown.bounding_box()
    assert box is not None and box["x"] + box["width"] <= LAYOUTS[layout]["width"], "wrapped, not cut"
