"""DNS rebinding and foreign origins against single-user mode, with and without a session."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import LOCAL, session

EVIL = {"Host": "evil.example:8000"}
CHAT = {"messages": [{"role": "user", "content": "hi"}]}


def refused(response: Any, code: str = "untrusted_host") -> bool:
    error = response.json()["error"]
    return bool(response.status_code == 403 and error["code"] == code and error["type"] == "permission_error")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/me", None),
        ("GET", "/api/conversations", None),
        ("GET", "/api/keys", None),
        ("POST", "/api/keys", {"name": "stolen"}),
        ("GET", "/api/me/export", None),
        ("GET", "/v1/models", None),
        ("POST", "/v1/chat/completions", CHAT),
    ],
)
def test_a_foreign_host_is_refused_without_a_cookie(
    web: TestClient, method: str, path: str, body: dict[str, Any] | None
) -> None:
    response = web.request(method, path, json=body, headers=EVIL)
    assert refused(response), response.text
    assert "set-cookie" not in response.headers, "no session handed to a rebound name"


def test_a_foreign_host_is_refused_with_a_session_cookie_and_its_csrf_token(web: TestClient) -> None:
    csrf = session(web)  # a real session, opened from loopback
    for method, path, body in [
        ("GET", "/api/me", None),
        ("GET", "/api/conversations", None),
        ("POST", "/api/conversations", {"title": "x"}),
        ("POST", "/api/keys", {"name": "stolen"}),
        ("DELETE", "/api/me", None),
        ("GET", "/v1/models", None),
    ]:
        response = web.request(method, path, json=body, headers={**EVIL, **csrf})
        assert refused(response), (method, path, response.text)
    assert web.get("/api/keys").json() == [], "no key was made"
    assert web.post("/api/conversations", json={}, headers=csrf).status_code == 201, "loopback still works"


def test_a_foreign_host_is_refused_with_an_api_key(web: TestClient) -> None:
    secret = web.post("/api/keys", json={"name": "k"}, headers=session(web)).json()["secret"]
    program = TestClient(web.app, base_url=LOCAL)
    bearer = {"Authorization": f"Bearer {secret}"}
    assert program.get("/v1/models", headers=bearer).status_code == 200
    assert refused(program.get("/v1/models", headers={**bearer, **EVIL}))
    assert refused(program.get("/api/conversations", headers={**bearer, **EVIL}))


@pytest.mark.parametrize(
    "host", ["127.0.0.1:8000", "localhost:8000", "localhost", "[::1]:8000", "127.0.0.2", "app.localhost:8000"]
)
def test_loopback_names_are_served(web: TestClient, host: str) -> None:
    assert web.get("/api/me", headers={"Host": host}).json()["user"]["name"] == "local"
    assert web.get("/v1/models", headers={"Host": host, "Origin": f"http://{host}"}).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example:8000"},
        {"Origin": "http://localhost:9999"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
)
def test_other_origins_are_refused_even_with_a_session(web: TestClient, headers: dict[str, str]) -> None:
    csrf = session(web)
    response = web.post("/api/conversations", json={}, headers={**csrf, **headers})
    assert refused(response, "cross_site_request"), response.text


def test_multi_user_mode_does_not_check_the_host(multi: TestClient) -> None:
    """With accounts every request needs a login; a reverse proxy's public name is fine."""
    response = multi.post(
        "/api/auth/login",
        json={"name": "alice", "password": "correct horse"},
        headers={"Host": "chat.example"},
    )
    assert response.status_code == 200


def test_every_api_and_v1_route_refuses_a_foreign_host(web: TestClient) -> None:
    """A route added later without the identity dependencies would fail here."""
    paths = web.get("/openapi.json").json()["paths"]
    checked = 0
    for path, operations in paths.items():
        if not path.startswith(("/api/", "/v1/")):
            continue
        url = re.sub(r"\{[^}]+\}", "x", path)
        for method in operations:
            body = {"name": "alice", "password": "correct horse"} if path == "/api/auth/login" else {}
            response = web.request(method.upper(), url, json=body, headers=EVIL)
            assert refused(response), (method, path, response.status_code, response.text[:200])
            checked += 1
    assert checked >= 20
