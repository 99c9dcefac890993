"""Graceful shutdown of a real ``eclair serve`` process: SIGTERM drains, then exits 0."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from eclair.sovereignty.shutdown import Drain
from tests.conftest import free_port, wait_ready

SERVE = [sys.executable, "-m", "eclair", "serve", "--backend", "fake"]
WORDS = " ".join(f"w{i}" for i in range(40))  # the fake engine echoes it: 41 tokens


def test_drain_finishes_when_idle_or_at_the_deadline() -> None:
    drain = Drain(grace_s=0.2)
    assert not drain.finished()
    drain.in_flight = 1
    drain.begin()
    assert drain.draining and not drain.finished()
    time.sleep(0.25)
    assert drain.finished()
    idle = Drain(grace_s=60)
    idle.begin()
    assert idle.finished()


class Server:
    def __init__(self, tmp_path: Path, *extra: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (tmp_path / "server.log").open("wb")
        env = {**os.environ, "ECLAIR_LOG_LEVEL": "info", "ECLAIR_KNOWLEDGE_DENSE": "false"}
        self.process = subprocess.Popen(
            [*SERVE, "--port", str(self.port), "--data-dir", str(tmp_path / "data"), *extra],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_ready(self.url, timeout=60, process=self.process)
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.log.close()


@pytest.fixture
def slow_server(tmp_path: Path) -> Iterator[Server]:
    server = Server(tmp_path, "--fake-token-delay-s", "0.05", "--shutdown-grace-s", "20")
    yield server
    server.close()


def _stream(url: str, frames: list[str], started: threading.Event) -> None:
    """Read one answer stream into ``frames``; a connection cut by the server ends it early."""
    body = {"messages": [{"role": "user", "content": WORDS}], "stream": True}
    try:
        with httpx.stream("POST", f"{url}/v1/chat/completions", json=body, timeout=60) as response:
            for line in response.iter_lines():
                if line.startswith("data: "):
                    frames.append(line[6:])
                    started.set()
    except httpx.HTTPError:
        frames.append("<cut>")


@pytest.mark.slow
def test_sigterm_drains_in_flight_streams_refuses_new_work_and_exits_0(slow_server: Server) -> None:
    frames: list[str] = []
    started = threading.Event()
    streamer = threading.Thread(target=_stream, args=(slow_server.url, frames, started))
    streamer.start()
    assert started.wait(20)
    slow_server.process.send_signal(signal.SIGTERM)
    time.sleep(0.3)

    ready = httpx.get(f"{slow_server.url}/ready", timeout=5)
    assert ready.status_code == 503 and ready.json()["status"] == "draining"
    refused = httpx.post(
        f"{slow_server.url}/v1/chat/completions",
        json={"messages": [{"role": "user", "content": "hi"}]},
        timeout=5,
    )
    assert refused.status_code == 503
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.json()["error"]["code"] == "shutting_down"
    assert httpx.get(f"{slow_server.url}/health", timeout=5).status_code == 200

    streamer.join(30)
    assert frames[-1] == "[DONE]", frames[-3:]
    chunks = [json.loads(f) for f in frames[:-1]]
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
    assert text.endswith("w39")
    assert slow_server.process.wait(15) == 0


@pytest.mark.slow
def test_idle_server_exits_0_at_once(tmp_path: Path) -> None:
    server = Server(tmp_path)
    try:
        started = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(15) == 0
        assert time.monotonic() - started < 5
    finally:
        server.close()


@pytest.mark.slow
def test_drain_deadline_cuts_streams_that_run_too_long(tmp_path: Path) -> None:
    server = Server(tmp_path, "--fake-token-delay-s", "0.5", "--shutdown-grace-s", "1")
    try:
        frames: list[str] = []
        started = threading.Event()
        streamer = threading.Thread(target=_stream, args=(server.url, frames, started), daemon=True)
        streamer.start()
        assert started.wait(20)
        began = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(15) == 0
        assert time.monotonic() - began < 6  # 1 s grace + 1 s for cancellation + start-up slack
        streamer.join(10)
        assert frames[-1] == "<cut>"
    finally:
        server.close()
