"""MCP tool calls in Chromium: every call waits for the user's approval, "deny" reaches the
model as a refusal, "always" is remembered for that tool only, nothing runs without approval.

The MCP server is a real process (tests/mcp/toy_server.py, over stdio) that logs every call it
runs; the model is the scripted fake engine, made to call tools in the generic text format.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eclair.mcp.config import McpConfig, save_config
from tests.agent.calls import tool_call_text
from tests.browser.conftest import Browser, ask, open_app, wait_answer, wait_js
from tests.conftest import LiveServer
from tests.mcp.conftest import calls_made, toy_stdio
from tests.web.conftest import build_app


@pytest.fixture
def calls(tmp_path: Path) -> Path:
    return tmp_path / "toy-calls.jsonl"


@pytest.fixture
def live(tmp_path: Path, calls: Path) -> Iterator[tuple[LiveServer, Any]]:
    """The page's server (overrides the browser conftest's) with the toy MCP server configured."""
    save_config(tmp_path / "mcp.json", McpConfig({"toy": toy_stdio(calls)}))
    app = build_app(
        tmp_path / "data", token_delay_s=0.01, mcp_config=tmp_path / "mcp.json", mcp_connect_timeout_s=60
    )
    with LiveServer(app) as server:
        yield server, app


def tool_messages(engine: Any) -> list[str]:
    """The tool results of the model's last turn (what it read back: ``<tool_response>`` text)."""
    return [
        m.content.removeprefix("<tool_response>\n").removesuffix("\n</tool_response>")
        for m in engine.requests[-1].messages
        if m.content and m.content.startswith("<tool_response>")
    ]


def _start(browser: Browser) -> Any:
    page = browser.new_page()
    open_app(page, browser.server.url)
    page.select_option("#model", "fake-model")
    return page


def _wait_prompt(page: Any) -> Any:
    try:
        wait_js(page, "document.querySelector('#approvals .approval') !== null", timeout=30_000)
    except TimeoutError:
        print(page.locator("#messages").inner_text())
        raise
    return page.locator("#approvals .approval")


def test_deny_reaches_the_model_as_a_refusal(browser: Browser, calls: Path) -> None:
    page = _start(browser)
    engine = browser.app.state.engine
    engine.enqueue(
        tool_call_text("mcp__toy__add", {"a": 2, "b": 3}), "I could not add them without the tool."
    )
    ask(page, "Add 2 and 3 with the tool")
    prompt = _wait_prompt(page)
    assert "add" in prompt.locator(".tool-name").inner_text()
    assert '"a": 2' in prompt.locator(".tool-arguments").inner_text()
    time.sleep(0.5)  # the call waits: nothing has reached the server
    assert calls_made(calls) == []
    assert page.locator(".message.assistant.streaming").count() == 1
    prompt.locator("button[data-decision=deny]").click()
    answer = wait_answer(page, timeout=30_000)
    assert answer.locator(".bubble").inner_text() == "I could not add them without the tool."
    assert calls_made(calls) == []
    assert "The user denied this call: mcp__toy__add was not run" in tool_messages(engine)[-1]
    assert answer.locator(".tool-trail li").get_attribute("data-status") == "denied"
    assert page.locator("#approvals .approval").count() == 0


def test_always_is_remembered_for_that_tool_only(browser: Browser, calls: Path) -> None:
    page = _start(browser)
    engine = browser.app.state.engine
    engine.enqueue(tool_call_text("mcp__toy__add", {"a": 20, "b": 22}), "It is 42.")
    ask(page, "Add 20 and 22")
    _wait_prompt(page).locator("button[data-decision=always]").click()
    answer = wait_answer(page, timeout=30_000)
    assert answer.locator(".bubble").inner_text() == "It is 42."
    assert calls_made(calls) == ["add"]
    assert tool_messages(engine) == ["42"]

    # the same tool again: it runs without a prompt
    engine.enqueue(tool_call_text("mcp__toy__add", {"a": 1, "b": 1}), "It is 2.")
    ask(page, "Add 1 and 1")
    answer = wait_answer(page, timeout=30_000)
    assert answer.locator(".bubble").inner_text() == "It is 2."
    assert calls_made(calls) == ["add", "add"]
    assert answer.locator(".tool-trail li").get_attribute("data-decision") == "always"

    # another tool of the same server still asks, and waits
    engine.enqueue(tool_call_text("mcp__toy__shout", {"text": "hé"}), "Done: HÉ.")
    ask(page, "Shout hé")
    prompt = _wait_prompt(page)
    assert prompt.get_attribute("data-tool") == "mcp__toy__shout"
    time.sleep(0.3)
    assert calls_made(calls) == ["add", "add"]
    prompt.locator("button[data-decision=once]").click()
    answer = wait_answer(page, timeout=30_000)
    assert answer.locator(".bubble").inner_text() == "Done: HÉ."
    assert calls_made(calls) == ["add", "add", "shout"]

    # after a reload the answers still show their calls
    page.reload()
    page.wait_for_selector(".message.assistant .tool-trail")
    assert page.locator(".tool-trail").count() == 3


def test_the_prompt_speaks_french(browser: Browser) -> None:
    page = browser.new_page(locale="fr-FR")
    open_app(page, browser.server.url)
    page.select_option("#model", "fake-model")
    browser.app.state.engine.enqueue(tool_call_text("mcp__toy__add", {"a": 1, "b": 2}), "Refusé.")
    ask(page, "Additionne 1 et 2")
    prompt = _wait_prompt(page)
    assert prompt.locator("button[data-decision=always]").inner_text() == "Toujours autoriser"
    prompt.locator("button[data-decision=deny]").click()
    wait_answer(page, timeout=30_000)
