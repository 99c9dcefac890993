"""axe-core on every page and state of the web app: 0 serious or critical violations, at
1280×800 and 390×844, light and dark, English and French."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eclair.knowledge.packs.writer import Article, write_pack
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    TOWER,
    Browser,
    ask,
    axe_violations,
    drop_file,
    open_app,
    wait_answer,
    wait_js,
)

LAYOUTS = {"desktop": DESKTOP, "phone": PHONE}
LOCALES = {"en": "en-US", "fr": "fr-FR"}


def _clean(page: Any, where: str) -> None:
    found = axe_violations(page)
    assert found == [], f"{where}: {found}"


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("language", list(LOCALES))
def test_the_chat_page_in_every_state(browser: Browser, layout: str, language: str, theme: str) -> None:
    page = browser.new_page(viewport=LAYOUTS[layout], locale=LOCALES[language], color_scheme=theme)
    open_app(page, browser.server.url)
    _clean(page, "welcome")
    drop_file(page, "tower.md", TOWER)
    wait_js(page, "document.querySelector('.upload.done') !== null")
    browser.app.state.engine.enqueue("Here is **a plan**:\n\n1. one\n2. two\n\n```python\nprint(1)\n```")
    ask(page, "Give me a plan")
    wait_answer(page)
    ask(page, "How tall is the tower?")
    answer = wait_answer(page)
    _clean(page, "conversation")
    answer.locator(".badge").click()
    page.wait_for_selector("#answer-details:popover-open")
    _clean(page, "answer details")
    page.keyboard.press("Escape")
    answer.locator(".thumb.down").click()
    page.wait_for_selector(".fb-form")
    _clean(page, "feedback form")
    answer.locator("button.cite").first.click()
    page.wait_for_selector("#citation-document mark")
    _clean(page, "citation")
    page.keyboard.press("Escape")
    if layout == "phone":
        page.click("#open-sidebar")
        page.wait_for_timeout(300)
    page.locator("#conversations li .more").first.click()
    page.wait_for_selector("#conversations .menu")
    _clean(page, "conversation menu")
    page.keyboard.press("Escape")
    page.click("#open-documents")
    page.wait_for_selector("#document-list .doc-details")
    page.locator("#document-list summary").first.click()
    _clean(page, "documents")
    page.keyboard.press("Escape")
    page.click("#open-keys")
    page.wait_for_selector("#keys[open]")
    _clean(page, "API keys")


@pytest.mark.parametrize("language", list(LOCALES))
def test_the_login_page(browser: Browser, language: str) -> None:
    browser.app.state.accounts.add_user("alice", "correct horse")
    for layout in LAYOUTS:
        page = browser.new_page(viewport=LAYOUTS[layout], locale=LOCALES[language])
        page.goto(browser.server.url)
        page.wait_for_selector("#login:not([hidden])")
        _clean(page, f"login {layout}")
        page.fill("#login-name", "alice")
        page.fill("#login-password", "wrong")
        page.click("#login-form button[type=submit]")
        page.wait_for_selector("#login-error:not([hidden])")
        _clean(page, f"login error {layout}")


def test_an_encyclopedia_article(browser: Browser, tmp_path: Path) -> None:
    browser.app.state.packs.add(
        write_pack(
            tmp_path / "cities.zim",
            [Article("Lisbon", "Lisbon", "Lisbon is the capital of Portugal.", (("History", "In 1755."),))],
            name="cities",
            title="Cities",
            language="en",
        )
    )
    for layout in LAYOUTS:
        # The article is sandboxed without scripts (its CSP), where axe's timers never fire:
        # the check reads its markup with the CSP bypassed, in this test only.
        page = browser.new_page(viewport=LAYOUTS[layout], bypass_csp=True)
        page.goto(browser.server.url + "/kb/cities/Lisbon")
        page.wait_for_selector("body")
        _clean(page, f"/kb article {layout}")
