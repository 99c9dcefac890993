"""Every id of user A answers 404 to user B, on every ``/api`` and ``/v1/files`` route.

The routes are read from the app itself, so a new route with an id in its path is covered
(or fails this test until its parameter is known here). Ids are A's real ones and random ones;
B calls with a session (and its CSRF token) and with an API key.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.conftest import LOCAL, events, login

ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789_-"
# A valid body per route, so that a 404 cannot hide behind a 400.
BODIES: dict[tuple[str, str], Any] = {
    ("PATCH", "/api/conversations/{conversation_id}"): {"title": "taken over"},
    ("POST", "/api/conversations/{conversation_id}/messages"): {"content": "hello"},
    ("POST", "/api/conversations/{conversation_id}/regenerate"): {},
    ("POST", "/api/conversations/{conversation_id}/versions"): {"seq": 1, "number": 1},
    ("PUT", "/api/conversations/{conversation_id}/messages/{message_id}/feedback"): {"rating": -1},
    ("POST", "/api/tool-approvals/{approval_id}"): {"decision": "once"},
}


def scoped_routes(app: Any) -> list[tuple[str, str]]:
    """(method, path) of every documented route under /api or /v1/files with an id in its path."""
    found = []
    for path, operations in app.openapi()["paths"].items():
        if "{" not in path or not (path.startswith("/api/") or path.startswith("/v1/files")):
            continue
        if path.startswith(("/api/knowledge/", "/api/mcp/")):
            continue  # packs and MCP servers are shared by every user (test_packs.py, test_tools.py)
        found.extend((method.upper(), path) for method in sorted(operations))
    return found


@pytest.fixture
def world(multi: TestClient) -> dict[str, Any]:
    """Alice's conversation (with messages), API key and document; Bob's session and key."""
    csrf = login(multi, "alice")
    conversation = multi.post("/api/conversations", json={"title": "alice's"}, headers=csrf).json()["id"]
    frames = events(
        multi.post(f"/api/conversations/{conversation}/messages", json={"content": "hi"}, headers=csrf)
    )
    key = multi.post("/api/keys", json={"name": "alice key"}, headers=csrf).json()
    document = multi.post(
        "/api/documents", headers=csrf, files={"file": ("a.txt", b"Alice's private notes.")}
    )
    assert document.status_code == 201, document.text
    state = multi.app.state  # type: ignore[attr-defined]
    alice_id = state.store.users.by_name("alice").id
    approval = state.approvals.open(
        user_id=alice_id,
        conversation_id=conversation,
        tool="mcp__s__t",
        server="s",
        arguments={},
        call_id=None,
    )
    state.store.tools.grant(alice_id, "mcp__s__t")
    ids = {
        "approval_id": approval.id,
        "tool": "mcp__s__t",
        "conversation_id": conversation,
        "key_id": key["id"],
        "document_id": document.json()["id"],
        "file_id": document.json()["id"],
        "message_id": frames[-1]["message"]["id"],
    }
    bob_session = TestClient(multi.app, base_url=LOCAL)
    bob_csrf = login(bob_session, "bob")
    bob_key = bob_session.post("/api/keys", json={"name": "bob key"}, headers=bob_csrf).json()["secret"]
    bob_conversation = bob_session.post("/api/conversations", json={}, headers=bob_csrf).json()["id"]
    return {
        "alice": multi,
        "alice_csrf": csrf,
        "ids": ids,
        "message_ids": [frames[0]["user_message"]["id"], frames[-1]["message"]["id"]],
        "bob_session": (bob_session, bob_csrf),
        "bob_key": {"Authorization": f"Bearer {bob_key}"},
        "bob_conversation": bob_conversation,
    }


def test_the_route_list_covers_the_app(world: dict[str, Any]) -> None:
    routes = scoped_routes(world["alice"].app)
    paths = {path for _, path in routes}
    assert "/api/conversations/{conversation_id}" in paths and "/v1/files/{file_id}" in paths
    assert len(routes) >= 12


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_user_b_gets_404_for_every_id_of_user_a(world: dict[str, Any], data: st.DataObject) -> None:
    routes = scoped_routes(world["alice"].app)
    method, path = data.draw(st.sampled_from(routes), label="route")
    real = data.draw(st.booleans(), label="alice's real id")
    params = {}
    for name in (part[1:-1] for part in path.split("/") if part.startswith("{")):
        assert name in world["ids"], f"unknown id parameter {name!r} in {path}: teach this test about it"
        random_id = data.draw(st.text(ID_ALPHABET, min_size=1, max_size=40), label=name)
        params[name] = world["ids"][name] if real else random_id
    url = path.format(**params)
    as_key = path.startswith("/v1/") or data.draw(st.booleans(), label="bob uses his API key")
    if as_key:
        client, headers = TestClient(world["alice"].app, base_url=LOCAL), world["bob_key"]
    else:
        client, csrf = world["bob_session"]
        headers = csrf
    body = BODIES.get((method, path))
    files = {"file": ("x.txt", b"x")} if method == "POST" and path.startswith("/v1/files") else None
    response = client.request(method, url, json=body, headers=headers, files=files)
    if as_key and path.startswith("/api/keys"):
        # Keys cannot manage keys at all: refused before any id is looked at.
        assert response.status_code == 403, (method, url, response.status_code, response.text)
        assert response.json()["error"]["code"] == "insufficient_scope"
        return
    assert response.status_code == 404, (method, url, response.status_code, response.text)
    assert set(response.json()["error"]) == {"message", "type", "param", "code"}


def test_editing_with_another_users_message_id_is_404(world: dict[str, Any]) -> None:
    client, csrf = world["bob_session"]
    for message_id in world["message_ids"]:
        response = client.post(
            f"/api/conversations/{world['bob_conversation']}/messages",
            json={"content": "x", "edit_of": message_id},
            headers=csrf,
        )
        assert response.status_code == 404


def test_rating_another_users_answer_is_404(world: dict[str, Any]) -> None:
    client, csrf = world["bob_session"]
    for message_id in world["message_ids"]:
        response = client.put(
            f"/api/conversations/{world['bob_conversation']}/messages/{message_id}/feedback",
            json={"rating": -1},
            headers=csrf,
        )
        assert response.status_code == 404


def test_alice_data_is_untouched_and_invisible(world: dict[str, Any]) -> None:
    client, csrf = world["bob_session"]
    ids = world["ids"]
    for method, path in scoped_routes(world["alice"].app):
        params = {name: ids[name] for name in ids if "{" + name + "}" in path}
        client.request(method, path.format(**params), json=BODIES.get((method, path)), headers=csrf)
    assert client.get("/api/conversations").json()["data"][0]["id"] == world["bob_conversation"]
    assert len(client.get("/api/conversations").json()["data"]) == 1
    assert client.get("/api/conversations", params={"q": "alice"}).json()["data"] == []
    assert client.get("/api/documents").json()["data"] == []
    assert [k["name"] for k in client.get("/api/keys").json()] == ["bob key"]
    alice = world["alice"]
    detail = alice.get(f"/api/conversations/{ids['conversation_id']}").json()
    assert detail["title"] == "alice's" and len(detail["messages"]) == 2
    assert alice.get("/api/keys").json()[0]["revoked_at"] is None
    assert alice.get(f"/api/documents/{ids['document_id']}").status_code == 200
