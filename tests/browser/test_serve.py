"""The page as shipped: ``eclair serve --backend fake`` in a subprocess, driven by Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, Watch, _open_pages, ask, open_app, wait_answer
from tests.conftest import free_port, wait_ready


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    env = {
        **os.environ,
        "ECLAIR_DATA_DIR": str(tmp_path / "data"),
        "ECLAIR_LOG_LEVEL": "warning",
        "ECLAIR_KNOWLEDGE_DENSE": "false",
    }
    log_path = tmp_path / "server.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "eclair", "serve", "--backend", "fake", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, timeout=60, process=process)
        yield url, log_path
    finally:
        process.terminate()
        process.wait(20)
        log.close()


def test_eclair_serve_serves_a_working_page(chromium: Any, served: tuple[str, Path]) -> None:
    served_url, log_path = served
    assert CHROMIUM_ARGS[0] == "--headless"
    watch = Watch(origin=served_url)
    new_page, contexts = _open_pages(chromium, served_url, watch)
    page = new_page()
    open_app(page, served_url)
    ask(page, "Bonjour depuis le vrai serveur")
    answer = wait_answer(page)
    shown = answer.locator(".bubble").inner_text()
    toasts = page.locator("#toast").all_inner_texts()
    assert "Bonjour depuis le vrai serveur" in shown, (shown, toasts, log_path.read_text(errors="replace"))
    page.reload()
    page.wait_for_selector(".message.assistant")
    assert page.locator("#conversations li").count() == 1
    for context in contexts:
        context.close()
    watch.check()
