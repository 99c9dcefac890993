"""What an API key may do: /v1 and the app's data, never the account itself."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import LOCAL, login, session


def _key(client: TestClient, csrf: dict[str, str]) -> dict[str, str]:
    created = client.post("/api/keys", json={"name": "program"}, headers=csrf)
    assert created.status_code == 201, created.text
    return {"Authorization": f"Bearer {created.json()['secret']}"}


def insufficient_scope(response: object) -> bool:
    status = getattr(response, "status_code", None)
    body = response.json() if status == 403 else {}  # type: ignore[attr-defined]
    return status == 403 and body["error"]["code"] == "insufficient_scope"


def test_a_key_cannot_manage_keys_export_or_erase(multi: TestClient) -> None:
    csrf = login(multi, "alice")
    bearer = _key(multi, csrf)
    key_id = multi.get("/api/keys").json()[0]["id"]
    program = TestClient(multi.app, base_url=LOCAL)  # no cookie: the key alone
    assert program.get("/v1/models", headers=bearer).status_code == 200
    assert program.get("/api/conversations", headers=bearer).status_code == 200

    assert insufficient_scope(program.post("/api/keys", json={"name": "spare"}, headers=bearer))
    assert insufficient_scope(program.get("/api/keys", headers=bearer))
    assert insufficient_scope(program.delete(f"/api/keys/{key_id}", headers=bearer))
    assert insufficient_scope(program.get("/api/me/export", headers=bearer))
    assert insufficient_scope(program.delete("/api/me", headers=bearer))

    assert [k["revoked_at"] for k in multi.get("/api/keys").json()] == [None], "no key made, none revoked"
    assert (
        multi.post("/api/auth/login", json={"name": "alice", "password": "correct horse"}).status_code == 200
    )
    assert program.get("/v1/models", headers=bearer).status_code == 200, "the account was not erased"


def test_the_session_can_do_all_of_it(multi: TestClient) -> None:
    csrf = login(multi, "alice")
    _key(multi, csrf)
    assert multi.get("/api/me/export").status_code == 200
    assert multi.delete("/api/me", headers=csrf).status_code == 200


def test_single_user_keys_are_scoped_too(web: TestClient) -> None:
    bearer = _key(web, session(web))
    program = TestClient(web.app, base_url=LOCAL)
    assert insufficient_scope(program.post("/api/keys", json={"name": "spare"}, headers=bearer))
    assert insufficient_scope(program.delete("/api/me", headers=bearer))
    assert program.get("/api/me/export").status_code == 200, "the local user (no key) still can"
