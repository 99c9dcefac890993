"""A GGUF whose metadata carries a malicious chat template, served for real.

A copy of the bundled model is written with ``tokenizer.chat_template`` set to the
CVE-2024-34359 exploit shape (reach ``os`` through a Jinja global and run a command). Served
by ``eclair serve``, a chat request must fail with an error envelope, the command must not
run, and the server must stay up. (The sandbox itself is unit-tested in
``tests/engine/test_chat_template.py``.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from eclair.config import bundled_model_path
from tests.conftest import free_port, wait_ready

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_a_malicious_template_in_a_gguf_executes_nothing(tmp_path: Path) -> None:
    pytest.importorskip("gguf")
    marker = tmp_path / "pwned"
    template = (
        "{{ cycler.__init__.__globals__.os.system('touch " + str(marker) + "') }}"
        "{% for m in messages %}{{ m.content }}{% endfor %}"
    )
    model = tmp_path / "evil.gguf"
    rewrite = [sys.executable, "-m", "gguf.scripts.gguf_new_metadata", str(bundled_model_path()), str(model)]
    subprocess.run(
        [*rewrite, "--chat-template", template, "--force"],
        check=True,
        capture_output=True,
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "ECLAIR_LOG_LEVEL": "warning", "ECLAIR_KNOWLEDGE_DENSE": "false"}
    command = [sys.executable, "-m", "eclair", "serve", "--model", str(model), "--port", str(port)]
    command += ["--threads", "1", "--ctx-size", "512", "--data-dir", str(tmp_path / "data")]
    with (tmp_path / "server.log").open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_ready(url, timeout=120, process=process)
            body = {"model": "evil", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 4}
            response = httpx.post(f"{url}/v1/chat/completions", json=body, timeout=60)
            assert response.status_code in (400, 500), response.text
            error = response.json()["error"]
            assert set(error) == {"message", "type", "param", "code"}
            assert "template" in error["message"].lower(), error
            assert not marker.exists()
            assert httpx.get(f"{url}/health", timeout=10).status_code == 200
        finally:
            process.terminate()
            process.wait(30)
