"""Export and erasure: a canary planted in every kind of user data is gone from every byte of
the data directory after ``DELETE /api/me``; the export replays into an empty instance."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from eclair.knowledge.base import KnowledgeBase
from eclair.sovereignty.privacy import export_user, import_user, purge_older_than
from eclair.store import Store
from tests.sovereignty.conftest import make_settings

CANARY = "zq7canaryx9k"


def login(client: TestClient, name: str) -> dict[str, str]:
    response = client.post("/api/auth/login", json={"name": name, "password": "correct horse"})
    assert response.status_code == 200, response.text
    return {"X-CSRF-Token": response.json()["csrf_token"]}


def plant(client: TestClient, csrf: dict[str, str], tag: str) -> str:
    """Give the logged-in user a key, a conversation with an answer, and a document, all tagged."""
    assert client.post("/api/keys", json={"name": f"key {tag}"}, headers=csrf).status_code == 201
    conversation = client.post("/api/conversations", json={"title": f"title {tag}"}, headers=csrf).json()[
        "id"
    ]
    with client.stream(
        "POST",
        f"/api/conversations/{conversation}/messages",
        json={"content": f"question {tag}"},
        headers=csrf,
    ) as response:
        assert response.status_code == 200
        list(response.iter_lines())
    document = f"A document about lighthouses and the secret word {tag}. " * 30
    files = {"file": (f"notes-{tag}.txt", document.encode(), "text/plain")}
    assert client.post("/api/documents", files=files, headers=csrf).status_code == 201
    return conversation


def scan(data_dir: Path, needle: str) -> dict[str, int]:
    """Occurrences of ``needle`` (UTF-8 and UTF-16) in every file under ``data_dir``."""
    hits = {}
    patterns = [needle.encode(), needle.encode("utf-16-le")]
    for path in data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            count = sum(data.count(p) for p in patterns)
            if count:
                hits[str(path.relative_to(data_dir))] = count
    return hits


def _comparable(archive: dict[str, Any]) -> dict[str, Any]:
    """An export without what legitimately differs between instances (ids, times)."""
    return {
        "user": {k: archive["user"][k] for k in ("name", "is_admin", "settings")},
        "conversations": [
            {
                "title": c["title"],
                "model": c["model"],
                "messages": [
                    {
                        k: m[k]
                        for k in ("seq", "role", "content", "status", "model", "eclair", "energy_wh", "gco2e")
                    }
                    for m in c["messages"]
                ],
            }
            for c in archive["conversations"]
        ],
        "documents": [
            {k: d[k] for k in ("collection", "filename", "purpose", "sha256", "bytes", "text", "chunks")}
            for d in archive["documents"]
        ],
    }


def alice_and_bob_planted(
    make_client: Callable[..., TestClient], **settings: Any
) -> tuple[TestClient, Path, dict[str, str], str]:
    """A multi-user app where bob and then alice (the canary) planted data; alice is logged in:
    (client, data dir, alice's CSRF header, alice's id)."""
    client = make_client(**settings)
    data_dir = client.app.state.settings.data_dir  # type: ignore[attr-defined]
    accounts = client.app.state.accounts  # type: ignore[attr-defined]
    accounts.add_user("alice", "correct horse")
    accounts.add_user("bob", "correct horse")
    plant(client, login(client, "bob"), "bob-keeps-this")
    client.cookies.clear()
    csrf = login(client, "alice")
    plant(client, csrf, CANARY)
    return client, data_dir, csrf, client.get("/api/me").json()["user"]["id"]


def test_export_then_erase_leaves_no_byte_behind(
    make_client: Callable[..., TestClient], tmp_path: Path
) -> None:
    client, data_dir, csrf, alice_id = alice_and_bob_planted(make_client)
    archive = client.get("/api/me/export").json()
    text = json.dumps(archive)
    assert text.count(CANARY) >= 6  # key name, title, question, answer, document name and text
    assert archive["conversations"][0]["messages"][1]["energy_wh"] is not None
    assert scan(data_dir, CANARY)  # the canary really is on disk before the erasure

    erased = client.delete("/api/me", headers=csrf)
    assert erased.status_code == 200, erased.text
    assert erased.json()["documents"] == 1 and erased.json()["conversations"] == 1
    assert client.get("/api/me/export").status_code == 401
    client.__exit__(None, None, None)

    assert scan(data_dir, CANARY) == {}
    assert scan(data_dir, "bob-keeps-this")  # the other user's data is untouched
    # Nothing names the erased user any more, the upload quota's ledger included.
    assert scan(data_dir, alice_id) == {}

    # The export replays into an empty instance and exports back the same.
    other = make_settings(tmp_path / "other")
    store, knowledge = Store.from_settings(other), KnowledgeBase.from_settings(other)
    try:
        user = import_user(store, knowledge, archive)
        assert _comparable(export_user(store, knowledge, user)) == _comparable(archive)
    finally:
        store.close()
        knowledge.index.close()


def test_retention_purges_old_conversations(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from eclair.store import schema as t

    store = Store.from_settings(make_settings(tmp_path / "data"))
    try:
        user = store.users.create("carol", password_hash=None)
        old = store.conversations.create(user.id, title=f"old {CANARY}")
        store.conversations.add_message(user.id, old.id, role="user", content=f"old {CANARY}")
        recent = store.conversations.create(user.id, title="recent")
        with store.db.write() as conn:
            long_ago = datetime.now(UTC) - timedelta(days=40)
            conn.execute(
                update(t.conversations).where(t.conversations.c.id == old.id).values(updated_at=long_ago)
            )
        assert purge_older_than(store, None, 30) == 1
        assert [c.id for c in store.conversations.find(user.id)] == [recent.id]
    finally:
        store.close()
    assert scan(tmp_path / "data", CANARY) == {}


@pytest.mark.parametrize("route", ["/api/me/export"])
def test_export_needs_a_user(make_client: Callable[..., TestClient], route: str) -> None:
    client = make_client()
    client.app.state.accounts.add_user("dora", "correct horse")  # type: ignore[attr-defined]
    assert client.get(route).status_code == 401


def test_logs_carry_no_message_text_below_debug(
    make_client: Callable[..., TestClient], caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    caplog.set_level(logging.INFO)
    client = make_client()
    csrf = client.get("/api/me").json()["csrf_token"]
    plant(client, {"X-CSRF-Token": csrf}, CANARY)
    client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": f"say {CANARY}"}]})
    client.post("/v1/chat/completions", json={"messages": [{"role": "wizard", "content": CANARY}]})
    assert caplog.records  # logging was captured at all
    assert CANARY not in caplog.text


@pytest.mark.postgres
def test_erasure_on_postgres_leaves_no_row_behind(make_client: Callable[..., TestClient]) -> None:
    """The same proof with the main database on PostgreSQL: after ``DELETE /api/me`` no row of
    any table names the canary or the user, and the data dir holds no copy either."""
    from sqlalchemy import create_engine, text

    from tests.conftest import postgres_schema

    with postgres_schema("erase") as url:
        client, data_dir, csrf, alice_id = alice_and_bob_planted(make_client, database_url=url)

        engine = create_engine(url)

        def rows_naming(needle: str) -> dict[str, int]:
            found = {}
            with engine.connect() as conn:
                tables = conn.execute(
                    text(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                    )
                ).scalars()
                for table in list(tables):
                    count = conn.execute(
                        text(f'SELECT count(*) FROM "{table}" t WHERE t::text LIKE :needle'),
                        {"needle": f"%{needle}%"},
                    ).scalar_one()
                    if count:
                        found[table] = count
            return found

        try:
            assert {"documents", "chunks", "messages"} <= set(rows_naming(CANARY))
            erased = client.delete("/api/me", headers=csrf)
            assert erased.status_code == 200, erased.text
            assert erased.json()["documents"] == 1 and erased.json()["conversations"] == 1
            assert rows_naming(CANARY) == {} and rows_naming(alice_id) == {}
            assert {"documents", "chunks"} <= set(rows_naming("bob-keeps-this"))
            assert scan(data_dir, CANARY) == {}
        finally:
            engine.dispose()
