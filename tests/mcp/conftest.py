"""MCP fixtures: the toy server (tests/mcp/toy_server.py) as a real process, over stdio and
over Streamable HTTP on a free local port, and the configuration that names it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from eclair.bench.servers import free_port
from eclair.mcp.config import HttpServer, McpConfig, StdioServer

TOY_SERVER = Path(__file__).with_name("toy_server.py")


def toy_stdio(calls: Path) -> StdioServer:
    return StdioServer(command=sys.executable, args=[str(TOY_SERVER)], env={"TOY_CALLS": str(calls)})


def calls_made(calls: Path) -> list[str]:
    """The tools the toy server really ran, in order."""
    if not calls.exists():
        return []
    import json

    return [json.loads(line)["tool"] for line in calls.read_text().splitlines() if line]


@pytest.fixture
def calls_file(tmp_path: Path) -> Path:
    return tmp_path / "toy-calls.jsonl"


@pytest.fixture
def stdio_config(calls_file: Path) -> McpConfig:
    return McpConfig({"toy": toy_stdio(calls_file)})


def _wait_port(port: int, process: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the toy MCP server exited with status {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError("the toy MCP server did not listen in time")


@pytest.fixture
def toy_http(tmp_path: Path, calls_file: Path) -> Iterator[str]:
    """The toy server over Streamable HTTP; yields its endpoint URL."""
    port = free_port()
    env = {**os.environ, "TOY_CALLS": str(calls_file)}
    with (tmp_path / "toy-http.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, str(TOY_SERVER), "--http", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_port(port, process)
            yield f"http://127.0.0.1:{port}/mcp"
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def http_config(toy_http: str) -> McpConfig:
    return McpConfig({"toy": HttpServer(url=toy_http, headers={"X-Test": "1"})})
