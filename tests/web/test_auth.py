"""Sessions, CSRF, modes and API keys through HTTP."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.web.conftest import LOCAL, login, session

BROWSER_SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin", "Origin": LOCAL}


def test_single_user_mode_needs_no_login(web: TestClient) -> None:
    me = web.get("/api/me", headers=BROWSER_SAME_ORIGIN)
    assert me.status_code == 200
    body = me.json()
    assert body["mode"] == "single-user" and body["user"]["name"] == "local" and body["csrf_token"]
    assert body["documents"] is True
    cookie = me.headers["set-cookie"].lower()
    assert "eclair_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    assert "secure" not in cookie, "plain http on loopback: a Secure cookie would be dropped"
    created = web.post(
        "/api/conversations", json={"title": "t"}, headers={"X-CSRF-Token": body["csrf_token"]}
    )
    assert created.status_code == 201


def test_cookie_is_secure_behind_tls(make_client: Callable[..., TestClient]) -> None:
    client = make_client(base_url="https://127.0.0.1")
    assert "secure" in client.get("/api/me").headers["set-cookie"].lower()


def test_state_changes_need_the_csrf_token(web: TestClient) -> None:
    csrf = session(web)
    assert web.post("/api/conversations", json={}).status_code == 403
    wrong = web.post("/api/conversations", json={}, headers={"X-CSRF-Token": "nope"})
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "csrf_failed"
    assert web.post("/api/conversations", json={}, headers=csrf).status_code == 201
    assert web.get("/api/conversations").status_code == 200, "reads need no token"


def test_single_user_mode_refuses_other_sites_and_rebound_hosts(web: TestClient) -> None:
    cross_site = {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
    refused = web.get("/api/conversations", headers=cross_site)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "cross_site_request"
    rebound = {
        "Host": "evil.example:8000",
        "Sec-Fetch-Site": "same-origin",
        "Origin": "http://evil.example:8000",
    }
    assert web.get("/api/me", headers=rebound).status_code == 403
    assert web.get("/v1/models", headers=rebound).status_code == 403
    assert (
        web.post(
            "/v1/chat/completions", headers=cross_site, json={"messages": [{"role": "user", "content": "hi"}]}
        ).status_code
        == 403
    )
    assert web.get("/v1/models").status_code == 200, "programs on this machine need no key"


def test_a_public_bind_requires_login_even_without_accounts(make_client: Callable[..., TestClient]) -> None:
    client = make_client(host="0.0.0.0")
    me = client.get("/api/me").json()
    assert me == {"user": None, "mode": "multi-user", "csrf_token": None, "documents": True}
    assert client.get("/api/conversations").status_code == 401
    assert client.get("/v1/models").status_code == 401


def test_login_logout(multi: TestClient) -> None:
    assert multi.get("/api/me").json()["user"] is None
    unauthorized = multi.get("/api/conversations")
    assert unauthorized.status_code == 401 and unauthorized.json()["error"]["code"] == "login_required"
    bad = multi.post("/api/auth/login", json={"name": "alice", "password": "wrong password"})
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "invalid_credentials"
    assert multi.post("/api/auth/login", json={"name": "nobody", "password": "x"}).status_code == 401
    csrf = login(multi, "alice")
    me = multi.get("/api/me").json()
    assert (
        me["user"]["name"] == "alice"
        and me["mode"] == "multi-user"
        and me["csrf_token"] == csrf["X-CSRF-Token"]
    )
    assert multi.post("/api/conversations", json={}, headers=csrf).status_code == 201
    cookie = multi.cookies.get("eclair_session")
    assert multi.post("/api/auth/logout", headers=csrf).status_code == 204
    assert multi.get("/api/conversations").status_code == 401
    multi.cookies.set("eclair_session", cookie or "")
    assert multi.get("/api/conversations").status_code == 401, "a logged-out session is dead"


def test_login_replaces_the_previous_session(multi: TestClient) -> None:
    login(multi, "alice")
    first = multi.cookies.get("eclair_session")
    login(multi, "bob")
    assert multi.get("/api/me").json()["user"]["name"] == "bob"
    other = TestClient(multi.app, base_url=LOCAL)
    other.cookies.set("eclair_session", first or "")
    assert other.get("/api/me").json()["user"] is None


def test_api_keys_authenticate_v1_and_api(multi: TestClient) -> None:
    csrf = login(multi, "alice")
    created = multi.post("/api/keys", json={"name": "laptop"}, headers=csrf)
    assert created.status_code == 201
    key = created.json()
    secret = key.pop("secret")
    assert secret.startswith("ek-") and secret.startswith(key["prefix"])
    listed = multi.get("/api/keys").json()
    assert listed == [key] and all("secret" not in k for k in listed)

    program = TestClient(multi.app, base_url=LOCAL)
    bearer = {"Authorization": f"Bearer {secret}"}
    assert program.get("/v1/models").status_code == 401
    assert program.get("/v1/models", headers=bearer).status_code == 200
    assert program.get("/v1/models", headers={"x-api-key": secret}).status_code == 401
    assert program.get("/v1/models", headers={"api-key": secret}).status_code == 401
    assert program.get(f"/v1/models?api_key={secret}").status_code == 401
    assert program.get("/v1/models", headers={"Authorization": secret}).status_code == 401
    made = program.post("/api/conversations", json={"title": "by key"}, headers=bearer)
    assert made.status_code == 201, "bearer keys need no CSRF token"
    assert [c["title"] for c in multi.get("/api/conversations").json()["data"]] == ["by key"]

    assert multi.delete(f"/api/keys/{key['id']}", headers=csrf).status_code == 200
    assert multi.get("/api/keys").json()[0]["revoked_at"] is not None
    revoked = program.get("/v1/models", headers=bearer)
    assert revoked.status_code == 401 and revoked.json()["error"]["type"] == "authentication_error"
    assert program.get("/api/conversations", headers=bearer).status_code == 401


def test_operator_key_still_works_alongside_user_keys(make_client: Callable[..., TestClient]) -> None:
    client = make_client(api_key="operator-secret")
    assert client.get("/v1/models").status_code == 401, "an operator key turns off keyless access"
    assert client.get("/v1/models", headers={"Authorization": "Bearer operator-secret"}).status_code == 200
    assert client.get("/v1/models", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_errors_use_the_openai_envelope(multi: TestClient) -> None:
    body = multi.get("/api/conversations").json()
    assert set(body) == {"error"} and set(body["error"]) == {"message", "type", "param", "code"}
    invalid = multi.post("/api/auth/login", json={"name": "alice"})
    assert invalid.status_code == 400 and invalid.json()["error"]["param"] == "password"


def test_openapi_documents_the_app_api(web: TestClient) -> None:
    paths = web.get("/openapi.json").json()["paths"]
    for path in (
        "/api/me",
        "/api/auth/login",
        "/api/auth/logout",
        "/api/keys",
        "/api/keys/{key_id}",
        "/api/conversations",
        "/api/conversations/{conversation_id}",
        "/api/conversations/{conversation_id}/messages",
        "/api/conversations/{conversation_id}/regenerate",
        "/api/documents",
        "/api/documents/{document_id}",
        "/api/documents/{document_id}/text",
        "/api/models",
    ):
        assert path in paths, path
    assert "404" in paths["/api/conversations/{conversation_id}"]["get"]["responses"]
