"""Documents in the browser: drag-and-drop upload with progress, then a cited answer."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import TOWER, Browser, ask, drop_file, open_app, wait_answer, wait_js


def test_upload_a_document_ask_and_open_the_citation(browser: Browser) -> None:
    page = browser.new_page()
    open_app(page, browser.server.url)
    drop_file(page, "tower.md", TOWER)
    assert page.locator("#drop").is_hidden()
    row = page.locator(".upload", has_text="tower.md")
    row.wait_for()
    wait_js(page, "[...document.querySelectorAll('.upload')].some(r => r.classList.contains('done'))")
    assert row.locator("progress").evaluate("bar => bar.value") == 1

    page.click("#open-documents")
    page.wait_for_selector("#document-list li")
    assert "tower.md" in page.locator("#document-list").inner_text()
    page.click("#documents .close")

    ask(page, "How tall is the tower?")
    answer = wait_answer(page)
    assert "documents" in answer.locator(".badge").inner_text()
    chip = answer.locator("button.cite")
    assert chip.inner_text() == "1"
    chip.click()
    dialog = page.locator("#citation")
    dialog.wait_for()
    assert page.locator("#citation-source").inner_text() == "tower.md"
    quote = page.locator("#citation-quote").inner_text()
    page.wait_for_selector("#citation-document mark")
    assert page.locator("#citation-document mark").inner_text() == quote
    assert "330 metres" in page.locator("#citation-document").inner_text()
    page.keyboard.press("Escape")
    assert dialog.is_hidden()


def test_choose_files_and_delete_a_document(browser: Browser, tmp_path: Any) -> None:
    page = browser.new_page()
    open_app(page, browser.server.url)
    path = tmp_path / "notes.md"
    path.write_text("Meeting moved to Thursday.", encoding="utf-8")
    page.click("#open-documents")
    page.set_input_files("#file-input", str(path))
    page.wait_for_selector("#document-list li:has-text('notes.md')")
    page.click("#document-list li button")
    wait_js(page, "document.querySelectorAll('#document-list li').length === 0")
    assert page.locator("#documents-empty").is_visible()


def test_a_refused_file_says_why(browser: Browser) -> None:
    page = browser.new_page()
    open_app(page, browser.server.url)
    transfer = page.evaluate_handle(
        "() => { const dt = new DataTransfer(); dt.items.add(new File(['MZ'], 'tool.exe')); return dt; }"
    )
    page.dispatch_event("#messages", "drop", {"dataTransfer": transfer})
    failed = page.locator(".upload.failed")
    failed.wait_for()
    assert "tool.exe" in failed.inner_text()
