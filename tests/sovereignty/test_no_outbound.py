"""Éclair opens no connection outside loopback (no telemetry, no downloads, no phoning home).

Two checks, both with Python audit hooks (``socket.connect``, ``socket.sendto``,
``socket.getaddrinfo`` events are raised for every connection attempt, whatever library
makes it):

- in-process: the app is served on a loopback socket, used (chat, streaming, metrics, web
  page) and stopped;
- a real ``eclair serve --backend fake`` process, and the subprocesses it starts, with a
  ``sitecustomize`` that logs every such event to a file.
"""

from __future__ import annotations

import ipaddress
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx

from eclair.api.app import create_app
from eclair.engine.fake import FakeEngine
from tests.conftest import LiveServer, free_port, wait_ready
from tests.sovereignty.conftest import MESSAGES, make_settings

_recorded: list[tuple[str, Any]] | None = None


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _recorded is not None and event in ("socket.connect", "socket.sendto", "socket.getaddrinfo"):
        _recorded.append((event, args[1] if event != "socket.getaddrinfo" else args[0]))


sys.addaudithook(_hook)  # audit hooks cannot be removed: this one records only inside a test


def is_local(target: Any) -> bool:
    """Loopback addresses and host names, UNIX sockets; anything else is outbound."""
    if isinstance(target, (str, bytes)) and not isinstance(target, str):
        return True  # a UNIX socket path given as bytes
    host = target[0] if isinstance(target, (tuple, list)) else target
    if host is None or (isinstance(target, str) and target.startswith("/")):
        return True
    host = host.decode() if isinstance(host, bytes) else str(host)
    if host in ("localhost", "") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def test_is_local() -> None:
    assert is_local(("127.0.0.1", 80)) and is_local(("::1", 80, 0, 0)) and is_local("localhost")
    assert is_local("/run/x.sock")
    assert not is_local(("10.0.0.1", 80)) and not is_local("pypi.org") and not is_local(("8.8.8.8", 53))


def test_the_app_in_process_connects_nowhere(tmp_path: Path) -> None:
    global _recorded
    _recorded = []
    try:
        app = create_app(make_settings(tmp_path / "data"), FakeEngine())
        with LiveServer(app) as server:
            httpx.post(f"{server.url}/v1/chat/completions", json={"messages": MESSAGES}, timeout=10)
            body = {"messages": MESSAGES, "stream": True}
            with httpx.stream("POST", f"{server.url}/v1/chat/completions", json=body, timeout=10) as r:
                list(r.iter_lines())
            for path in ("/metrics", "/", "/v1/models", "/api/me"):
                httpx.get(f"{server.url}{path}", timeout=10)
        recorded = list(_recorded)
    finally:
        _recorded = None
    assert any(event == "socket.connect" and is_local(target) for event, target in recorded)  # not vacuous
    assert [r for r in recorded if not is_local(r[1])] == []


SITECUSTOMIZE = textwrap.dedent(
    """
    import json, os, sys

    _log = os.environ["ECLAIR_TEST_NET_LOG"]

    def _hook(event, args):
        if event in ("socket.connect", "socket.sendto", "socket.getaddrinfo"):
            target = args[1] if event != "socket.getaddrinfo" else args[0]
            if isinstance(target, bytes):
                target = target.decode("latin-1")
            with open(_log, "a") as f:
                f.write(json.dumps([os.getpid(), event, target], default=str) + "\\n")

    sys.addaudithook(_hook)
    with open(_log, "a") as f:
        f.write(json.dumps([os.getpid(), "started", None]) + "\\n")
    """
)


def test_a_served_process_connects_nowhere(tmp_path: Path) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "net.log"
    log.touch()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(hooks), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "ECLAIR_TEST_NET_LOG": str(log),
        "ECLAIR_KNOWLEDGE_DENSE": "false",
        "ECLAIR_LOG_LEVEL": "warning",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "eclair",
            "serve",
            "--backend",
            "fake",
            "--port",
            str(port),
            "--data-dir",
            str(tmp_path / "data"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(url, timeout=60, process=process)
        httpx.post(f"{url}/v1/chat/completions", json={"messages": MESSAGES}, timeout=10).raise_for_status()
        body = {"messages": MESSAGES, "stream": True}
        with httpx.stream("POST", f"{url}/v1/chat/completions", json=body, timeout=10) as response:
            list(response.iter_lines())
        for path in ("/metrics", "/", "/v1/models", "/api/me"):
            httpx.get(f"{url}{path}", timeout=10)
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
    events = [json.loads(line) for line in log.read_text().splitlines()]
    # The hook ran in the server process itself (the check is not vacuous)...
    assert [process.pid, "started", None] in events
    # ...and saw no connection outside loopback.
    assert [e for e in events if e[1] != "started" and not is_local(e[2])] == []
