"""``/api/documents``: the page's uploads over the knowledge base, scoped to their owner."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.web.conftest import LOCAL, login, session

NOTE = b"# Notes\n\nThe meeting moved to Thursday at 10:00.\n"


def test_upload_list_read_delete(web: TestClient) -> None:
    csrf = session(web)
    uploaded = web.post(
        "/api/documents",
        headers=csrf,
        data={"collection": "work"},
        files={"file": ("notes.md", NOTE, "text/markdown")},
    )
    assert uploaded.status_code == 201, uploaded.text
    document = uploaded.json()
    assert (document["filename"], document["collection"], document["shared"]) == ("notes.md", "work", False)
    assert document["bytes"] == len(NOTE) and document["chunks"] >= 1
    assert web.get("/api/documents").json()["data"] == [document]
    assert web.get("/api/documents", params={"collection": "other"}).json()["data"] == []
    text = web.get(f"/api/documents/{document['id']}/text").json()
    assert text["filename"] == "notes.md" and "Thursday at 10:00" in text["text"]
    assert web.delete(f"/api/documents/{document['id']}", headers=csrf).status_code == 200
    assert web.get(f"/api/documents/{document['id']}").status_code == 404


def test_uploads_need_the_csrf_token_and_a_supported_file(web: TestClient) -> None:
    csrf = session(web)
    assert web.post("/api/documents", files={"file": ("n.md", NOTE)}).status_code == 403
    unsupported = web.post("/api/documents", headers=csrf, files={"file": ("x.exe", b"MZ\x00\x01binary")})
    assert unsupported.status_code == 400 and unsupported.json()["error"]["code"] == "unsupported_file_type"
    bad_collection = web.post(
        "/api/documents", headers=csrf, data={"collection": "../etc"}, files={"file": ("n.md", NOTE)}
    )
    assert bad_collection.status_code == 400


def test_documents_belong_to_their_uploader(multi: TestClient) -> None:
    alice_csrf = login(multi, "alice")
    document = multi.post("/api/documents", headers=alice_csrf, files={"file": ("n.md", NOTE)}).json()
    bob = TestClient(multi.app, base_url=LOCAL)
    login(bob, "bob")
    assert bob.get("/api/documents").json()["data"] == []
    assert bob.get(f"/api/documents/{document['id']}/text").status_code == 404


def test_operator_uploads_are_shared_and_read_only(make_client: Callable[..., TestClient]) -> None:
    client = make_client(api_key="operator-secret")
    operator = {"Authorization": "Bearer operator-secret"}
    shared = client.post("/v1/files", headers=operator, files={"file": ("handbook.md", NOTE)})
    assert shared.status_code == 200, shared.text
    client.app.state.accounts.add_user("alice", "correct horse")  # type: ignore[attr-defined]
    csrf = login(client, "alice")
    (listed,) = client.get("/api/documents").json()["data"]
    assert listed["shared"] and listed["filename"] == "handbook.md"
    refused = client.delete(f"/api/documents/{listed['id']}", headers=csrf)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "shared_file"
