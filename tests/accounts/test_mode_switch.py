"""Leaving single-user mode: the local user's credentials end, and it does not come back alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from eclair.accounts.service import Accounts
from eclair.cli import app
from eclair.errors import InvalidRequest
from eclair.store import Store

runner = CliRunner()


def test_the_first_account_revokes_the_local_users_keys_and_sessions(accounts: Accounts) -> None:
    local = accounts.local_user()
    key = accounts.create_key(local, "made without login")
    page = accounts.login(local)
    assert accounts.key_user(key.secret) == local
    alice = accounts.add_user("alice", "correct horse", admin=True)
    assert alice.id == local.id, "alice adopts the local user's data"
    assert accounts.key_user(key.secret) is None, "a key nobody logged in to make is not alice's"
    assert accounts.session(page.token) is None
    assert all(k.revoked_at is not None for k in accounts.store.users.keys(alice.id))
    kept = accounts.create_key(alice, "alice's own")
    accounts.add_user("bob", "battery staple")
    assert accounts.key_user(kept.secret) == alice, "later accounts leave existing accounts' keys alone"


def test_any_path_that_makes_an_account_ends_single_user_mode(store: Store, accounts: Accounts) -> None:
    local = accounts.local_user()
    key = accounts.create_key(local, "k")
    store.users.create("carol", password_hash="$argon2id$stand-in")  # not through the service
    assert accounts.key_user(key.secret) is None
    assert not accounts.single_user()


def test_the_cli_switch_revokes_local_keys(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'eclair.db'}")
    accounts = Accounts(store, bind_host="127.0.0.1")
    key = accounts.create_key(accounts.local_user(), "k")
    store.close()
    added = runner.invoke(
        app,
        ["users", "add", "alice", "--admin", "--password-stdin", "--data-dir", str(tmp_path)],
        input="correct horse\n",
    )
    assert added.exit_code == 0, added.output
    store = Store.open(f"sqlite:///{tmp_path / 'eclair.db'}")
    assert Accounts(store, bind_host="127.0.0.1").key_user(key.secret) is None
    store.close()


def test_erasing_the_last_account_keeps_login_required(store: Store, accounts: Accounts) -> None:
    accounts.add_user("alice", "correct horse")
    assert accounts.delete_user("alice")
    assert store.users.count_with_password() == 0
    assert not accounts.single_user(), "accounts existed: login stays required"
    reopened = Store.open(str(store.db.engine.url))
    assert not Accounts(reopened, bind_host="127.0.0.1").single_user(), "a restart does not forget it"
    reopened.close()


def test_only_an_operator_reopens_single_user_mode(accounts: Accounts) -> None:
    accounts.add_user("alice", "correct horse")
    with pytest.raises(InvalidRequest) as caught:
        accounts.reopen_single_user()
    assert caught.value.code == "accounts_exist"
    accounts.delete_user("alice")
    accounts.reopen_single_user()
    assert accounts.single_user()
    assert accounts.local_user().is_local


def test_users_reopen_command(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path)]
    runner.invoke(app, ["users", "add", "alice", "--password-stdin", *data], input="correct horse\n")
    refused = runner.invoke(app, ["users", "reopen", "--yes", *data])
    assert refused.exit_code == 1 and "accounts exist" in refused.output
    assert runner.invoke(app, ["users", "delete", "alice", "--yes", *data]).exit_code == 0
    listed = runner.invoke(app, ["users", "list", *data])
    assert "login is still required" in listed.output
    reopened = runner.invoke(app, ["users", "reopen", "--yes", *data])
    assert reopened.exit_code == 0, reopened.output
    assert "single-user mode" in runner.invoke(app, ["users", "list", *data]).output
