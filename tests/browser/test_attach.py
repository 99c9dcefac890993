"""Documents from the message box: the paperclip and a drop attach files to the open
conversation (kept on the server), shown as chips with their whole names; × detaches.
At 1280×800 and 390×844, in English and French."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    TOWER,
    Browser,
    ask,
    drop_file,
    open_app,
    wait_answer,
    wait_js,
)

LAYOUTS = {"desktop": DESKTOP, "phone": PHONE}
LOCALES = {"en": "en-US", "fr": "fr-FR"}
ALL = {"en": "All my documents", "fr": "Tous mes documents"}
ONLY = {"en": "Only these files", "fr": "Seulement ces fichiers"}
LONG = "lighthouse-keepers-of-the-breton-coast-1850-1950-volume-two-annexes.md"


@pytest.mark.parametrize(("layout", "language"), [(lay, lang) for lay in LAYOUTS for lang in LOCALES])
def test_attach_from_the_message_box(browser: Browser, layout: str, language: str) -> None:
    page = browser.new_page(viewport=LAYOUTS[layout], locale=LOCALES[language])
    open_app(page, browser.server.url)
    assert page.locator("#scope .scope-all").inner_text() == ALL[language]
    page.set_input_files(
        "#attach-input", files=[{"name": LONG, "mimeType": "text/markdown", "buffer": TOWER.encode()}]
    )
    page.wait_for_selector("#scope .chip[data-id]")
    chip = page.locator("#scope .chip[data-id]")
    assert chip.locator(".chip-name").get_attribute("title") == LONG
    assert page.locator("#scope .scope-all").inner_text() == ONLY[language], "the scope is now these files"
    conversation = page.evaluate("location.hash").split("/")[-1]
    assert conversation.startswith("conv_"), "a new chat becomes a conversation to attach to"
    store = browser.app.state.store
    owner = store.users.local().id
    stored = store.conversations.get(owner, conversation)
    assert stored is not None and stored.documents == (chip.get_attribute("data-id"),)

    drop_file(page, "second.md", "# Second\n\nThe keeper of Kerbrume is Anna Le Goff.\n")
    wait_js(page, "document.querySelectorAll('#scope .chip[data-id]').length === 2")
    ask(page, "Who is the keeper of Kerbrume?")
    answer = wait_answer(page)
    assert answer.locator("button.cite").count() == 1
    page.reload()
    page.wait_for_selector("#scope .chip[data-id]")
    assert page.locator("#scope .chip[data-id]").count() == 2, "kept on the server"
    page.locator("#scope .chip[data-id]").first.locator(".chip-remove").click()
    wait_js(page, "document.querySelectorAll('#scope .chip[data-id]').length === 1")
    stored = store.conversations.get(owner, conversation)
    assert stored is not None and len(stored.documents) == 1
    page.locator("#scope .chip[data-id]").first.locator(".chip-remove").click()
    wait_js(page, "document.querySelectorAll('#scope .chip[data-id]').length === 0")
    assert page.locator("#scope .scope-all").inner_text() == ALL[language], "back to all documents"
