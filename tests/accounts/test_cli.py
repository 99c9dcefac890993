from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from eclair.cli import app
from eclair.store import Store

runner = CliRunner()


def _store(data_dir: Path) -> Store:
    return Store.open(f"sqlite:///{data_dir / 'eclair.db'}")


def test_users_add_list_delete(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path)]
    added = runner.invoke(
        app, ["users", "add", "alice", "--admin", "--password-stdin", *data], input="correct horse\n"
    )
    assert added.exit_code == 0, added.output
    assert "created administrator alice" in added.output
    assert (
        runner.invoke(
            app, ["users", "add", "bob", "--password-stdin", *data], input="battery staple\n"
        ).exit_code
        == 0
    )

    listed = runner.invoke(app, ["users", "list", *data])
    assert (
        listed.exit_code == 0
        and "alice" in listed.output
        and "bob" in listed.output
        and "admin" in listed.output
    )

    store = _store(tmp_path)
    bob = store.users.by_name("bob")
    store.close()
    assert bob is not None and not bob.is_admin

    import asyncio

    from eclair.knowledge.base import KnowledgeBase

    knowledge = KnowledgeBase(tmp_path, dense=False)
    asyncio.run(knowledge.add_file(b"bob's notes", "notes.txt", user_id=bob.id))
    shared = asyncio.run(knowledge.add_file(b"the handbook", "handbook.txt", user_id=None))
    knowledge.index.close()

    deleted = runner.invoke(app, ["users", "delete", "bob", "--yes", *data])
    assert deleted.exit_code == 0, deleted.output
    assert "1 document(s)" in deleted.output
    store = _store(tmp_path)
    assert store.users.by_name("bob") is None
    store.close()
    knowledge = KnowledgeBase(tmp_path, dense=False)
    assert [d.id for d in knowledge.index.list_documents(bob.id)] == [shared.id], "shared documents stay"
    knowledge.index.close()


def test_prompted_password_must_be_confirmed(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["users", "add", "carol", "--data-dir", str(tmp_path)], input="long enough\nlong enough\n"
    )
    assert result.exit_code == 0, result.output
    assert "long enough" not in result.output


def test_user_mistakes_end_with_a_message_not_a_traceback(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path)]
    short = runner.invoke(app, ["users", "add", "alice", "--password-stdin", *data], input="short\n")
    assert short.exit_code == 1 and "password" in short.output and "Traceback" not in short.output
    bad = runner.invoke(app, ["users", "add", "bad name", "--password-stdin", *data], input="long enough\n")
    assert bad.exit_code == 1 and "user name" in bad.output
    missing = runner.invoke(app, ["users", "delete", "nobody", "--yes", *data])
    assert missing.exit_code == 1 and "no user named 'nobody'" in missing.output


def test_list_without_accounts_explains_single_user_mode(tmp_path: Path) -> None:
    result = runner.invoke(app, ["users", "list", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0 and "single-user mode" in result.output


def test_delete_asks_for_confirmation(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path)]
    runner.invoke(app, ["users", "add", "alice", "--password-stdin", *data], input="correct horse\n")
    refused = runner.invoke(app, ["users", "delete", "alice", *data], input="n\n")
    assert refused.exit_code != 0
    store = _store(tmp_path)
    assert store.users.by_name("alice") is not None
    store.close()
