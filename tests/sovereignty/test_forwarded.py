"""``X-Forwarded-For`` is believed only from the proxies ``forwarded_allow_ips`` names.

uvicorn trusts it from loopback by default; ``eclair serve`` must not, or any local program
could choose the client address that login throttling and address quotas see. Checked on the
``uvicorn.Config`` that ``eclair serve`` builds, then on a real uvicorn server run with it.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from typer.testing import CliRunner

import eclair.sovereignty.shutdown
from eclair.cli import app as cli
from tests.conftest import wait_until

FORWARDED = "203.0.113.7"


def serve_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *flags: str, env: dict[str, str] | None = None
) -> uvicorn.Config:
    """The ``uvicorn.Config`` that ``eclair serve FLAGS`` runs its server with (not started)."""
    captured: list[uvicorn.Config] = []

    class Captured:
        def __init__(self, config: uvicorn.Config):
            captured.append(config)

        def run(self, sockets: list[socket.socket]) -> None:
            for sock in sockets:
                sock.close()

    monkeypatch.setattr(eclair.sovereignty.shutdown, "graceful_server", lambda app, config: Captured(config))
    for name in ("ECLAIR_FORWARDED_ALLOW_IPS", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    args = ["serve", "--backend", "fake", "--port", "0", "--data-dir", str(tmp_path / "data")]
    result = CliRunner().invoke(cli, [*args, "--log-level", "warning", *flags])
    assert result.exit_code == 0, result.output
    return captured[0]


async def echo_client(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """An ASGI app that answers with the client address it was given."""
    if scope["type"] != "http":
        return
    body = (scope["client"] or ("none",))[0].encode()
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"%d" % len(body))]}
    )
    await send({"type": "http.response.body", "body": body})


def client_seen(config: uvicorn.Config) -> str:
    """The client address a real uvicorn server with ``config``'s proxy rules reports for a
    loopback request claiming ``X-Forwarded-For: 203.0.113.7``."""
    config.app = echo_client
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        wait_until(lambda: server.started, timeout=10)
        response = httpx.get(f"http://127.0.0.1:{port}/", headers={"X-Forwarded-For": FORWARDED}, timeout=5)
        return response.text
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def test_forwarded_for_is_not_believed_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # uvicorn's own variable does not bring its trust back either.
    config = serve_config(monkeypatch, tmp_path, env={"FORWARDED_ALLOW_IPS": "*"})
    assert config.proxy_headers is False
    assert client_seen(config) == "127.0.0.1"


def test_named_proxies_are_believed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = serve_config(monkeypatch, tmp_path, "--forwarded-allow-ips", "127.0.0.1, 10.0.0.2")
    assert config.proxy_headers is True and config.forwarded_allow_ips == ["127.0.0.1", "10.0.0.2"]
    assert client_seen(config) == FORWARDED


def test_the_environment_names_proxies_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = serve_config(monkeypatch, tmp_path, env={"ECLAIR_FORWARDED_ALLOW_IPS": "10.0.0.2"})
    assert config.proxy_headers is True and config.forwarded_allow_ips == ["10.0.0.2"]
    assert client_seen(config) == "127.0.0.1"  # loopback is not 10.0.0.2
