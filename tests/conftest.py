"""Shared fixtures: the fake-engine app, live servers on free ports, the real-model server."""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from eclair.api.app import create_app
from eclair.bench.servers import free_port
from eclair.config import Settings
from eclair.engine.fake import FakeEngine


def wait_ready(base_url: str, timeout: float = 120.0, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"{base_url}/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{base_url} not ready after {timeout}s")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(backend="fake", data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def fake_engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def client(settings: Settings, fake_engine: FakeEngine) -> Iterator[TestClient]:
    app = create_app(settings, fake_engine)
    # A program on this machine: single-user mode answers only requests to a loopback host.
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        wait_until(lambda: app.state.ready)
        yield test_client


def wait_until(predicate, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        time.sleep(0.01)


class LiveServer:
    """A real uvicorn server in a thread, for tests that need real sockets (disconnects)."""

    def __init__(self, app):  # type: ignore[no-untyped-def]
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        wait_ready(self.url, timeout=10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def live_fake(settings: Settings) -> Iterator[tuple[LiveServer, FakeEngine]]:
    engine = FakeEngine(token_delay_s=0.02)
    with LiveServer(create_app(settings, engine)) as server:
        yield server, engine


@contextlib.contextmanager
def eclair_serve(data_dir: Path, *args: str, timeout: float = 180.0) -> Iterator[str]:
    """``eclair serve ARGS`` as a real subprocess on a free port; yields its base URL."""
    port = free_port()
    env = {**os.environ, "ECLAIR_DATA_DIR": str(data_dir), "ECLAIR_LOG_LEVEL": "warning"}
    command = [sys.executable, "-m", "eclair", "serve", "--port", str(port), *args]
    url = f"http://127.0.0.1:{port}"
    with (data_dir / "server.log").open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_ready(url, timeout=timeout, process=process)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def model_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``eclair serve`` with the bundled model; yields its base URL."""
    with eclair_serve(tmp_path_factory.mktemp("e2e-data"), "--threads", "2", "--ctx-size", "2048") as url:
        yield url


def pytest_unconfigure(config: pytest.Config) -> None:
    # llama-cpp-python opens two /dev/null files at import and never closes them: close them
    # here so interpreter exit does not print ResourceWarnings after the test summary.
    utils = sys.modules.get("llama_cpp._utils")
    for name in ("outnull_file", "errnull_file"):
        handle = getattr(utils, name, None)
        if handle is not None:
            handle.close()


POSTGRES_URL = os.environ.get("ECLAIR_TEST_POSTGRES_URL")


@contextlib.contextmanager
def postgres_schema(prefix: str = "test") -> Iterator[str]:
    """A URL of the test PostgreSQL (``ECLAIR_TEST_POSTGRES_URL``) on a schema of its own,
    dropped afterwards; skips the test when no server is configured. ``public`` stays on the
    search path after it, as on a default server: extensions (pgvector's ``vector`` type,
    ``unaccent``) are installed there once per database."""
    if not POSTGRES_URL:
        pytest.skip("ECLAIR_TEST_POSTGRES_URL is not set (bash .ci/postgres.sh starts a server)")
    schema = f"{prefix}_{secrets.token_hex(6)}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema},public"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextlib.contextmanager
def fake_servers(logs: Path, envs: dict[str, dict[str, str]]) -> Iterator[list[str]]:
    """``eclair serve --backend fake`` once per name of ``envs`` (each with that environment,
    its log in ``logs/NAME.log``), ready; their base URLs in order. Stopped on exit."""
    processes: list[subprocess.Popen[bytes]] = []
    urls: list[str] = []
    try:
        for name, env in envs.items():
            port = free_port()
            with (logs / f"{name}.log").open("wb") as log:
                command = [sys.executable, "-m", "eclair", "serve", "--backend", "fake", "--port", str(port)]
                processes.append(subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT))
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes, strict=True):
            wait_ready(url, timeout=120, process=process)
        yield urls
    finally:
        for process in processes:
            process.terminate()
            process.wait(30)
