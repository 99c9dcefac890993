"""``eclair users export|erase`` and ``eclair backup|restore`` on a data directory."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from eclair.cli import app
from eclair.knowledge.base import KnowledgeBase
from eclair.store import Store
from tests.sovereignty.conftest import make_settings

runner = CliRunner()


def _populate(data_dir: Path) -> None:
    settings = make_settings(data_dir)
    store, knowledge = Store.from_settings(settings), KnowledgeBase.from_settings(settings)
    try:
        user = store.users.create("erin", password_hash=None)
        conversation = store.conversations.create(user.id, title="erin's plans")
        store.conversations.add_message(user.id, conversation.id, role="user", content="plant tulips")
        knowledge.index.add_document(
            document_id="file-1",
            user_id=user.id,
            collection="default",
            filename="garden.txt",
            purpose="assistants",
            sha256="0" * 64,
            size=12,
            text="tulips bloom",
            spans=[(0, 12)],
        )
    finally:
        store.close()
        knowledge.index.close()


def test_export_erase_backup_restore(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _populate(data)
    out = tmp_path / "erin.json"
    result = runner.invoke(app, ["users", "export", "erin", "--out", str(out), "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    archive = json.loads(out.read_text())
    assert archive["conversations"][0]["messages"][0]["content"] == "plant tulips"
    assert archive["documents"][0]["text"] == "tulips bloom"

    backup = tmp_path / "backup"
    result = runner.invoke(app, ["backup", str(backup), "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in backup.iterdir()) == ["eclair.db"], "documents are in the main database"
    with sqlite3.connect(backup / "eclair.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 1

    result = runner.invoke(app, ["users", "erase", "erin", "--yes", "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    assert "1 conversation(s), 1 document(s)" in result.output
    assert all(b"tulips" not in p.read_bytes() for p in data.rglob("*") if p.is_file())

    result = runner.invoke(app, ["restore", str(backup), "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    store = Store.from_settings(make_settings(data))
    try:
        user = store.users.by_name("erin")
        assert user is not None and store.conversations.find(user.id)[0].title == "erin's plans"
    finally:
        store.close()


def test_unknown_user_fails_cleanly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["users", "export", "nobody", "--data-dir", str(tmp_path / "d")])
    assert result.exit_code == 1 and "no user named 'nobody'" in result.output
