"""Web-app fixtures: the app with the fake engine, a knowledge base, and a citing pipeline."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from eclair.api.app import create_app
from eclair.api.serving_chat import ChatService
from eclair.config import Settings
from eclair.engine.fake import FakeEngine
from tests.conftest import wait_until
from tests.web.fakes import CitingPipeline

LOCAL = "http://127.0.0.1:8000"


def build_app(
    data_dir: Path, *, host: str = "127.0.0.1", token_delay_s: float = 0.0, **overrides: Any
) -> FastAPI:
    """The app with the fake engine and :class:`CitingPipeline` as the ``eclair`` model."""
    overrides.setdefault("knowledge_dense", False)
    settings = Settings(backend="fake", data_dir=data_dir, host=host, _env_file=None, **overrides)  # type: ignore[call-arg]
    engine = FakeEngine(token_delay_s=token_delay_s)
    app = create_app(settings, engine)
    app.state.chat = ChatService(
        engine, settings, pipeline=CitingPipeline(lambda: app.state.knowledge, engine)
    )
    return app


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    opened: list[TestClient] = []

    def make(*, host: str = "127.0.0.1", base_url: str = LOCAL, **overrides: Any) -> TestClient:
        app = build_app(tmp_path / "data", host=host, **overrides)
        client = TestClient(app, base_url=base_url)
        client.__enter__()
        wait_until(lambda: app.state.ready)
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def web(make_client: Callable[..., TestClient]) -> TestClient:
    """Single-user mode (loopback, no account)."""
    return make_client()


@pytest.fixture
def multi(make_client: Callable[..., TestClient]) -> TestClient:
    """Multi-user mode: accounts alice and bob exist (password 'correct horse')."""
    client = make_client()
    accounts = client.app.state.accounts  # type: ignore[attr-defined]
    accounts.add_user("alice", "correct horse", admin=True)
    accounts.add_user("bob", "correct horse")
    return client


def session(client: TestClient) -> dict[str, str]:
    """Open the page's session in single-user mode; the CSRF header to send back."""
    me = client.get("/api/me").json()
    return {"X-CSRF-Token": me["csrf_token"]}


def login(client: TestClient, name: str, password: str = "correct horse") -> dict[str, str]:
    response = client.post("/api/auth/login", json={"name": name, "password": password})
    assert response.status_code == 200, response.text
    return {"X-CSRF-Token": response.json()["csrf_token"]}


def events(response: Any) -> list[dict[str, Any]]:
    """The JSON frames of an answer stream."""
    import json

    return [json.loads(line[6:]) for line in response.text.splitlines() if line.startswith("data: ")]
