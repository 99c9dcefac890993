"""Screenshots of the chat page, light and dark, desktop and phone.

Saved under ``artifacts/screenshots/`` (git-ignored) by the test suite; ``make screenshots``
writes the same set to ``docs/screenshots/`` (``ECLAIR_SCREENSHOTS``), which the README shows:
what a first-time user sees (the welcome screen), a conversation with a cited answer from an
uploaded document and the label of how each answer was made, that label's details, and the
conversation list grouped by date.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from eclair.store import schema
from eclair.store.ids import utcnow
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    TOWER,
    Browser,
    ask,
    drop_file,
    open_app,
    wait_answer,
    wait_js,
)

LAYOUTS = {"desktop": DESKTOP, "phone": PHONE}
OUT = Path(os.environ.get("ECLAIR_SCREENSHOTS") or SCREENSHOTS)


def _older_conversations(browser: Browser) -> None:
    store = browser.app.state.store
    user = store.users.local()
    assert user is not None
    for title, days in (("Trip to Lisbon", 1), ("Budget 2027", 4), ("Garden plan", 40)):
        created = store.conversations.create(user.id, title=title)
        with store.db.write() as conn:
            conn.execute(
                update(schema.conversations)
                .where(schema.conversations.c.id == created.id)
                .values(updated_at=utcnow() - timedelta(days=days))
            )


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("layout", ["desktop", "phone"])
def test_screenshots(browser: Browser, theme: str, layout: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport=LAYOUTS[layout], color_scheme=theme)
    open_app(page, browser.server.url)
    dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    assert dark is (theme == "dark")
    shots = [OUT / f"welcome-{layout}-{theme}.png"]
    page.screenshot(path=str(shots[-1]))

    _older_conversations(browser)
    drop_file(page, "tower.md", TOWER)
    wait_js(page, "document.querySelector('.upload.done') !== null")
    browser.app.state.engine.enqueue(
        "Here is a short plan:\n\n1. **Measure** the tower\n2. Compare with `330 m`\n\n"
        '```python\nheight_m = 330\nprint(f"{height_m} m")\n```'
    )
    ask(page, "Give me a short plan, with code")
    wait_answer(page)
    ask(page, "How tall is the tower?")
    answer = wait_answer(page)
    wait_js(page, "document.querySelectorAll('.upload').length === 0", timeout=8000)
    shots.append(OUT / f"chat-{layout}-{theme}.png")
    page.screenshot(path=str(shots[-1]))

    answer.locator(".badge").click()
    page.wait_for_selector("#answer-details:popover-open")
    shots.append(OUT / f"details-{layout}-{theme}.png")
    page.screenshot(path=str(shots[-1]))
    page.keyboard.press("Escape")

    if layout == "phone":
        page.click("#open-sidebar")
        page.wait_for_timeout(350)
    page.wait_for_selector("#conversations section[data-group=older]")
    shots.append(OUT / f"list-{layout}-{theme}.png")
    page.screenshot(path=str(shots[-1]))
    for path in shots:
        assert path.stat().st_size > 10_000, path
