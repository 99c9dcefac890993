"""Browser fixtures: Debian's Chromium driven by Playwright against a live Éclair.

Chromium is ``/usr/bin/chromium`` (``apt-get install chromium``; Playwright's own browser
download is never used). Every page records the requests it makes: any request to another
origin fails the test, as does any uncaught page error or ``alert``.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LiveServer
from tests.web.conftest import build_app

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")  # Playwright's sync API keeps an event loop running: never past its module
def chromium() -> Iterator[Any]:
    if shutil.which(CHROMIUM) is None:
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Watch:
    """What a page did that it must not: other-origin requests, page errors, dialogs."""

    origin: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def check(self) -> None:
        assert self.foreign == [], f"requests to other origins: {self.foreign}"
        assert self.errors == [], f"page errors: {self.errors}"
        assert self.dialogs == [], f"unexpected dialogs: {self.dialogs}"


@dataclass
class Browser:
    server: LiveServer
    app: Any
    watch: Watch
    new_page: Callable[..., Any]


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[LiveServer, Any]]:
    app = build_app(tmp_path / "data", token_delay_s=0.03)
    with LiveServer(app) as server:
        yield server, app


def _open_pages(chromium: Any, url: str, watch: Watch) -> tuple[Callable[..., Any], list[Any]]:
    contexts: list[Any] = []

    def new_page(
        *,
        viewport: dict[str, int] = DESKTOP,
        locale: str = "en-US",
        color_scheme: str = "light",
        accept_dialogs: bool = False,
        bypass_csp: bool = False,
        has_touch: bool = False,
    ) -> Any:
        context = chromium.new_context(
            viewport=viewport,
            has_touch=has_touch,
            locale=locale,
            color_scheme=color_scheme,
            permissions=["clipboard-read", "clipboard-write"],
            bypass_csp=bypass_csp,
        )
        contexts.append(context)

        def on_request(request: Any) -> None:
            # Observed, not intercepted: interception would buffer the answer streams.
            watch.requests.append(request.url)
            if not (request.url == url or request.url.startswith(url + "/")):
                watch.foreign.append(request.url)

        context.on("request", on_request)
        page = context.new_page()
        page.on("pageerror", lambda error: watch.errors.append(str(error)))

        def on_dialog(dialog: Any) -> None:
            if accept_dialogs and dialog.type == "confirm":
                dialog.accept()
            else:
                watch.dialogs.append(f"{dialog.type}: {dialog.message}")
                dialog.dismiss()

        page.on("dialog", on_dialog)
        return page

    return new_page, contexts


@pytest.fixture
def browser(chromium: Any, live: tuple[LiveServer, Any]) -> Iterator[Browser]:
    server, app = live
    watch = Watch(origin=server.url)
    new_page, contexts = _open_pages(chromium, server.url, watch)
    yield Browser(server=server, app=app, watch=watch, new_page=new_page)
    for context in contexts:
        context.close()
    watch.check()


def wait_js(page: Any, expression: str, timeout: float = 15_000) -> Any:
    """Poll a JavaScript expression until it is truthy.

    Playwright's ``wait_for_function`` evaluates strings with ``eval`` inside the page, which
    the page's CSP (rightly) forbids; ``page.evaluate`` goes through the debugger instead.
    """
    deadline = time.monotonic() + timeout / 1000
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout} ms: {expression}")
        time.sleep(0.03)


def open_app(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#app:not([hidden])")
    wait_js(page, "document.body.dataset.ready === '1'")


def answered(page: Any) -> int:
    """How many answers the page has finished (streamed, stopped or failed) so far."""
    return int(page.evaluate("Number(document.body.dataset.answered || 0)"))


def mark(page: Any) -> None:
    """Remember the answer count before an action that starts an answer (see wait_answer)."""
    page.eclair_answered_before = answered(page)


def ask(page: Any, text: str) -> None:
    mark(page)
    page.fill("#input", text)
    page.press("#input", "Enter")


def wait_answer(page: Any, index: int = -1, timeout: float = 15_000) -> Any:
    """Wait until the answer started since the last ``ask``/``mark`` has finished."""
    before = getattr(page, "eclair_answered_before", 0)
    wait_js(page, f"Number(document.body.dataset.answered || 0) > {before}", timeout=timeout)
    return page.locator(".message.assistant").nth(index)


def small_targets(page: Any) -> list[str]:
    """Visible controls smaller than 44 × 44 px (a citation chip's touch area is what counts:
    44 × 44 px around its centre must reach it). Links inside a message's text are exempt."""
    return list(
        page.evaluate(
            """() => {
            const bad = [];
            const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
              + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
              + ' ' + (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30);
            const controls = document.querySelectorAll('button, a[href], input:not([type=file]), select, textarea, summary');
            for (const el of controls) {
              if (el.closest('.bubble') && el.tagName === 'A') continue;
              if (el.classList.contains('sr-only') || el.closest('.sr-only')) continue;
              const box = el.getBoundingClientRect();
              if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
              if (el.classList.contains('cite')) {
                const x = box.left + box.width / 2, y = box.top + box.height / 2;
                if (!el.contains(document.elementFromPoint(x, y))) continue; // under the open sidebar
                for (const [dx, dy] of [[-21, 0], [21, 0], [0, -21], [0, 21]]) {
                  const hit = document.elementFromPoint(x + dx, y + dy);
                  if (!hit || !el.contains(hit)) { bad.push(name(el) + ' touch area'); break; }
                }
                continue;
              }
              if (box.width < 44 || box.height < 44) bad.push(`${name(el)} ${Math.round(box.width)}x${Math.round(box.height)}`);
            }
            return bad;
        }"""
        )
    )


AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now (axe is evaluated
    through the debugger: the page's CSP is untouched and nothing is fetched)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async () => {
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                         nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' ')) }));
    }"""
    )
    return list(found)


TOWER = "# The tower\n\nThe tower is 330 metres tall since 2022.\n\nIt was built for the 1889 World's Fair.\n"


def drop_file(page: Any, name: str, text: str) -> None:
    """Drop a file on the chat as a user would (a DataTransfer built in the page)."""
    transfer = page.evaluate_handle(
        "([name, text]) => { const dt = new DataTransfer();"
        " dt.items.add(new File([text], name, { type: 'text/markdown' })); return dt; }",
        [name, text],
    )
    page.dispatch_event("#messages", "dragenter", {"dataTransfer": transfer})
    assert page.locator("#drop").is_visible()
    page.dispatch_event("#messages", "drop", {"dataTransfer": transfer})
