"""Screenshots of the chat page, light and dark, desktop and phone, as test artefacts.

Saved under ``artifacts/screenshots/`` (git-ignored): what a first-time user sees (the welcome
screen), and a conversation with a cited answer from an uploaded document.
"""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("layout", ["desktop", "phone"])
def test_screenshots(browser: Browser, theme: str, layout: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport=LAYOUTS[layout], color_scheme=theme)
    open_app(page, browser.server.url)
    dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    assert dark is (theme == "dark")
    welcome = SCREENSHOTS / f"welcome-{layout}-{theme}.png"
    page.screenshot(path=str(welcome))

    drop_file(page, "tower.md", TOWER)
    wait_js(page, "document.querySelector('.upload.done') !== null")
    browser.app.state.engine.enqueue(
        "Here is a short plan:\n\n1. **Measure** the tower\n2. Compare with `330 m`\n\n"
        '```python\nheight_m = 330\nprint(f"{height_m} m")\n```'
    )
    ask(page, "Give me a short plan, with code")
    wait_answer(page)
    ask(page, "How tall is the tower?")
    wait_answer(page)
    wait_js(page, "document.querySelectorAll('.upload').length === 0", timeout=8000)
    chat = SCREENSHOTS / f"chat-{layout}-{theme}.png"
    page.screenshot(path=str(chat))
    for path in (welcome, chat):
        assert path.stat().st_size > 10_000, path
