"""Uploads with hostile names and sizes: refused or stored as data, never as paths."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

NAMES = [
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "/etc/shadow",
    "a\x00b.txt",
    "CON.txt",
    "x" * 5000 + ".txt",
]


def multipart(filename: str, data: bytes) -> tuple[bytes, str]:
    """A multipart body built by hand, so that any file name goes out as it is."""
    boundary = "eclairboundary7f3a"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode("utf-8", "surrogateescape")
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def new_files_outside(root: Path, data_dir: Path, before: set[Path]) -> set[Path]:
    """Files created under ``root`` since ``before``, other than in the data directory."""
    return {p for p in root.rglob("*") if p not in before and not p.is_relative_to(data_dir)}


@pytest.mark.parametrize("route", ["/v1/files", "/api/documents"])
@pytest.mark.parametrize("name", NAMES, ids=["dotdot", "backslashes", "absolute", "nul", "device", "long"])
def test_hostile_file_names_are_stored_as_names_not_paths(
    make_client: Callable[..., TestClient], tmp_path: Path, route: str, name: str
) -> None:
    client = make_client()
    headers = {}
    if route.startswith("/api"):
        headers["X-CSRF-Token"] = client.get("/api/me").json()["csrf_token"]
    before = set(tmp_path.rglob("*"))
    body, content_type = multipart(name, b"A harmless document about lighthouses. " * 20)
    response = client.post(route, content=body, headers={**headers, "content-type": content_type})
    assert response.status_code in (200, 201, 400), response.text[:300]
    if response.status_code == 400:
        assert set(response.json()["error"]) == {"message", "type", "param", "code"}
    data_dir = client.app.state.settings.data_dir  # type: ignore[attr-defined]
    assert new_files_outside(tmp_path, data_dir, before) == set()


@pytest.mark.parametrize("route", ["/v1/files", "/api/documents"])
def test_empty_and_oversized_files_are_refused(make_client: Callable[..., TestClient], route: str) -> None:
    client = make_client(max_file_bytes=4096)
    headers = {}
    if route.startswith("/api"):
        headers["X-CSRF-Token"] = client.get("/api/me").json()["csrf_token"]
    for data, statuses in ((b"", (400,)), (b"x" * 5000, (413,))):
        body, content_type = multipart("doc.txt", data)
        response = client.post(route, content=body, headers={**headers, "content-type": content_type})
        assert response.status_code in statuses, response.text[:300]
        assert set(response.json()["error"]) == {"message", "type", "param", "code"}
