"""Security headers on every response, one table (``eclair.api.headers``); /docs off by default.

JSON answers, SSE streams, errors, 404s, 500s and the middlewares' own refusals all carry
``nosniff``, ``no-referrer``, ``X-Frame-Options: DENY`` and a ``default-src 'none'`` CSP, and
are never stored by caches; the chat page keeps its own CSP and revalidation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from eclair.api.app import create_app
from eclair.config import Settings
from eclair.engine.fake import FakeEngine
from tests.conftest import wait_until

LOCAL = "http://127.0.0.1:8000"
MESSAGES = [{"role": "user", "content": "hello there"}]


@pytest.fixture
def make(tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    """``make(**settings)``: a started single-user TestClient addressed to loopback."""
    opened: list[TestClient] = []

    def build(*, setup: Callable[[FastAPI], None] | None = None, **overrides: Any) -> TestClient:
        overrides.setdefault("knowledge_dense", False)
        settings = Settings(
            backend="fake", data_dir=tmp_path / f"data{len(opened)}", _env_file=None, **overrides
        )  # type: ignore[call-arg]
        app = create_app(settings, FakeEngine())
        if setup is not None:
            setup(app)
        client = TestClient(app, base_url=LOCAL, raise_server_exceptions=False)
        client.__enter__()
        wait_until(lambda: app.state.ready)
        opened.append(client)
        return client

    yield build
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def local(make: Callable[..., TestClient]) -> TestClient:
    return make()


def assert_api_headers(response: Any) -> None:  # an httpx response, whichever httpx TestClient uses
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff", response.url
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    assert headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert headers["cache-control"] == "no-store"
    # One value per header: a route's own value was replaced, not doubled.
    assert len(headers.get_list("cache-control")) == 1
    assert len(headers.get_list("content-security-policy")) == 1


def test_json_answers(local: TestClient) -> None:
    for response in (
        local.get("/v1/models"),
        local.get("/health"),
        local.post("/v1/completions", json={"prompt": "hi", "model": "fake-model"}),
        local.get("/api/me"),
    ):
        assert response.status_code == 200, response.text
        assert_api_headers(response)


def test_error_answers(local: TestClient) -> None:
    bad = local.post("/v1/chat/completions", json={"messages": "not a list"})
    assert bad.status_code == 400 and "error" in bad.json()
    assert_api_headers(bad)
    missing = local.get("/no/such/path")
    assert missing.status_code == 404
    assert_api_headers(missing)
    unknown_model = local.get("/v1/models/gpt-9")
    assert unknown_model.status_code == 404
    assert_api_headers(unknown_model)


def test_streams(local: TestClient) -> None:
    body = {"messages": MESSAGES, "model": "fake-model", "stream": True}
    with local.stream("POST", "/v1/chat/completions", json=body) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["x-accel-buffering"] == "no"  # the route's own header is kept
        assert_api_headers(response)
        assert any(line.startswith("data: ") for line in response.iter_lines())


def test_unexpected_errors(make: Callable[..., TestClient]) -> None:
    def add_failing_route(app: FastAPI) -> None:
        async def boom() -> None:
            raise RuntimeError("boom")

        app.add_api_route("/boom", boom)

    response = make(setup=add_failing_route).get("/boom")
    assert response.status_code == 500
    assert_api_headers(response)


def test_refusals_of_the_middlewares(make: Callable[..., TestClient]) -> None:
    client = make(max_body_bytes=1024)
    too_large = client.post(
        "/v1/completions", content=b"x" * 2048, headers={"content-type": "application/json"}
    )
    assert too_large.status_code == 413
    assert_api_headers(too_large)
    client.app.state.drain.begin()  # type: ignore[attr-defined]
    draining = client.get("/v1/models")
    assert draining.status_code == 503
    assert_api_headers(draining)


def test_the_page_keeps_its_policy(local: TestClient) -> None:
    for path in ("/", "/static/app.js"):
        response = local.get(path)
        assert response.status_code == 200
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        assert response.headers["cache-control"] == "no-cache"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"


def test_the_export_is_never_stored(local: TestClient) -> None:
    response = local.get("/api/me/export")
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].startswith("attachment")
    assert_api_headers(response)


def test_api_docs_are_off_by_default(local: TestClient) -> None:
    for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        response = local.get(path)
        assert response.status_code == 404, path
        assert_api_headers(response)
    assert local.get("/openapi.json").status_code == 200


def test_api_docs_when_enabled_get_a_policy_of_their_own(make: Callable[..., TestClient]) -> None:
    client = make(api_docs=True)
    for path in ("/docs", "/redoc"):
        response = client.get(path)
        assert response.status_code == 200, path
        csp = response.headers["content-security-policy"]
        assert "https://cdn.jsdelivr.net" in csp and "frame-ancestors 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
    # Everything else keeps the strict policy.
    assert_api_headers(client.get("/v1/models"))
