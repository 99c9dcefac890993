"""``/v1/files``: the OpenAI Files API over the knowledge base, through the real app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from eclair.api.app import create_app
from eclair.config import Settings
from eclair.engine.fake import FakeEngine
from tests.knowledge.conftest import make_pdf


@pytest.fixture
def files_client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(  # type: ignore[call-arg]
        backend="fake", data_dir=tmp_path / "data", knowledge_dense=False, max_file_bytes=4096, _env_file=None
    )
    with TestClient(create_app(settings, FakeEngine()), base_url="http://127.0.0.1") as client:
        yield client


def upload(client: TestClient, name: str, data: bytes, **form: str) -> object:
    return client.post("/v1/files", files={"file": (name, data)}, data={"purpose": "assistants", **form})


def test_upload_list_retrieve_delete(files_client: TestClient) -> None:
    response = upload(
        files_client, "rules.pdf", make_pdf(["Bonfires only before 10 am."]), collection="garden"
    )
    assert response.status_code == 200, response.text
    created = response.json()
    assert set(created) == {"id", "object", "bytes", "created_at", "filename", "purpose", "collection"}
    assert created["object"] == "file" and created["filename"] == "rules.pdf"
    assert created["collection"] == "garden" and created["id"].startswith("file-")

    listing = files_client.get("/v1/files").json()
    assert listing["object"] == "list" and [f["id"] for f in listing["data"]] == [created["id"]]
    assert files_client.get("/v1/files", params={"collection": "other"}).json()["data"] == []
    assert files_client.get(f"/v1/files/{created['id']}").json() == created
    assert files_client.get(f"/v1/files/{created['id']}/content").text == "Bonfires only before 10 am."

    deleted = files_client.delete(f"/v1/files/{created['id']}")
    assert deleted.json() == {"id": created["id"], "object": "file", "deleted": True}
    assert files_client.get("/v1/files").json()["data"] == []


def test_uploaded_file_belongs_to_the_caller_and_is_searchable(files_client: TestClient) -> None:
    upload(files_client, "otters.md", b"# Otters\n\nSea otters hold hands while sleeping.")
    state = files_client.app.state  # type: ignore[attr-defined]
    owner = state.accounts.local_user().id  # single-user mode: the implicit local user
    assert files_client.portal.call(lambda: state.knowledge.search("otters sleeping", user_id=owner))  # type: ignore[union-attr]
    assert files_client.portal.call(lambda: state.knowledge.search("otters sleeping")) == []  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        ("photo.png", b"\x89PNG\r\n", 400, "unsupported_file_type"),
        ("big.txt", b"x" * 5000, 413, "request_too_large"),
        ("empty.txt", b"   ", 400, "empty_file"),
    ],
)
def test_upload_errors_use_the_openai_envelope(
    files_client: TestClient, name: str, data: bytes, status: int, code: str
) -> None:
    response = upload(files_client, name, data)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_unknown_file_is_404(files_client: TestClient) -> None:
    for method in ("get", "delete"):
        response = getattr(files_client, method)("/v1/files/file-doesnotexist")
        assert response.status_code == 404
        assert response.json()["error"]["type"] == "not_found_error"


def test_bad_purpose_is_400(files_client: TestClient) -> None:
    response = upload(files_client, "a.txt", b"text", purpose="fine-tune")
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "purpose"
