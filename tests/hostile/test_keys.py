"""API keys in the wrong places, revoked keys, and other users' keys."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

CHAT = "/v1/chat/completions"
BODY = {"messages": [{"role": "user", "content": "hi"}]}
OPERATOR_KEY = "sk-operator-0123456789abcdef"


@pytest.mark.parametrize(
    ("headers", "params"),
    [
        ({"x-api-key": OPERATOR_KEY}, {}),
        ({"api-key": OPERATOR_KEY}, {}),
        ({}, {"api_key": OPERATOR_KEY}),
        ({"Authorization": OPERATOR_KEY}, {}),
        ({"Authorization": f"Basic {OPERATOR_KEY}"}, {}),
        ({"Authorization": f"Bearer {OPERATOR_KEY}x"}, {}),
        ({"Authorization": f"Bearer {OPERATOR_KEY[:-1]}"}, {}),
        ({"Authorization": "Bearer " + "A" * 100_000}, {}),
    ],
    ids=["x-api-key", "api-key", "query", "no-scheme", "basic", "longer", "shorter", "huge"],
)
def test_keys_are_accepted_only_as_bearer_tokens(
    make_client: Callable[..., TestClient], headers: dict[str, str], params: dict[str, str]
) -> None:
    client = make_client(api_key=OPERATOR_KEY)
    response = client.post(CHAT, json=BODY, headers=headers, params=params)
    assert response.status_code in (401, 431), response.text[:200]
    if response.status_code == 401:
        assert response.json()["error"]["type"] == "authentication_error"
    assert (
        client.post(CHAT, json=BODY, headers={"Authorization": f"Bearer {OPERATOR_KEY}"}).status_code == 200
    )


def logged_in(client: TestClient, name: str) -> TestClient:
    """A second client on the same app with ``name``'s session (its CSRF token as a header)."""
    browser = TestClient(client.app, base_url=str(client.base_url))
    response = browser.post("/api/auth/login", json={"name": name, "password": "correct horse"})
    assert response.status_code == 200, response.text
    browser.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return browser


@pytest.fixture
def users(make_client: Callable[..., TestClient]) -> tuple[TestClient, dict[str, str], dict[str, str], str]:
    """Multi-user mode: Alice and Bob with keys; Alice's key id."""
    client = make_client()
    accounts = client.app.state.accounts  # type: ignore[attr-defined]
    alice, bob = accounts.add_user("alice", "correct horse"), accounts.add_user("bob", "correct horse")
    alice_key, bob_key = accounts.create_key(alice, "a"), accounts.create_key(bob, "b")
    return (
        client,
        {"Authorization": f"Bearer {alice_key.secret}"},
        {"Authorization": f"Bearer {bob_key.secret}"},
        alice_key.key.id,
    )


def test_a_revoked_key_is_refused_at_once(
    users: tuple[TestClient, dict[str, str], dict[str, str], str],
) -> None:
    client, alice, _, key_id = users
    assert client.post(CHAT, json=BODY, headers=alice).status_code == 200
    browser = logged_in(client, "alice")
    assert browser.delete(f"/api/keys/{key_id}").status_code == 200
    refused = client.post(CHAT, json=BODY, headers=alice)
    assert refused.status_code == 401
    assert refused.json()["error"]["type"] == "authentication_error"
    assert client.get("/api/conversations", headers=alice).status_code == 401


def test_another_users_key_sees_only_that_users_data(
    users: tuple[TestClient, dict[str, str], dict[str, str], str],
) -> None:
    client, alice, bob, alice_key_id = users
    created = client.post("/api/conversations", json={"title": "alice's secret"}, headers=alice)
    assert created.status_code == 201, created.text
    conversation = created.json()["id"]
    assert client.get(f"/api/conversations/{conversation}", headers=bob).status_code == 404
    assert client.delete(f"/api/conversations/{conversation}", headers=bob).status_code == 404
    assert all(c["id"] != conversation for c in client.get("/api/conversations", headers=bob).json()["data"])
    assert client.delete(f"/api/keys/{alice_key_id}", headers=bob).status_code == 403, "keys manage no keys"
    bobs_browser = logged_in(client, "bob")
    assert bobs_browser.delete(f"/api/keys/{alice_key_id}").status_code == 404
    # ...and Alice still has everything.
    assert client.get(f"/api/conversations/{conversation}", headers=alice).status_code == 200
    assert client.post(CHAT, json=BODY, headers=alice).status_code == 200
