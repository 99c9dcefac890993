from __future__ import annotations

from pathlib import Path

import pytest

from eclair.accounts import credentials
from eclair.accounts.service import Accounts, is_loopback
from eclair.errors import InvalidRequest
from eclair.store import Store


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("app.localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.4", False),
        ("example.org", False),
        ("", False),
    ],
)
def test_loopback_detection(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_single_user_mode_needs_loopback_and_no_account(store: Store, accounts: Accounts) -> None:
    assert accounts.single_user()
    assert not Accounts(store, bind_host="0.0.0.0").single_user()
    local = accounts.local_user()
    assert local.is_local and accounts.local_user() == local
    assert accounts.single_user(), "the implicit local user has no password"
    accounts.add_user("alice", "correct horse")
    assert not accounts.single_user()


def test_first_account_takes_over_single_user_data(store: Store, accounts: Accounts) -> None:
    local = accounts.local_user()
    conversation = store.conversations.create(local.id, title="made before accounts")
    page_session = accounts.login(local)
    alice = accounts.add_user("alice", "correct horse", admin=True)
    assert accounts.session(page_session.token) is None, "the login-free session ends"
    assert alice.id == local.id and not alice.is_local and alice.is_admin
    assert store.conversations.get(alice.id, conversation.id) is not None
    bob = accounts.add_user("bob", "battery staple")
    assert bob.id != alice.id and store.conversations.find(bob.id) == []


def test_passwords_are_argon2_hashes_and_checked(store: Store, accounts: Accounts) -> None:
    alice = accounts.add_user("alice", "correct horse")
    stored = store.users.password_hash(alice.id)
    assert stored is not None and stored.startswith("$argon2id$") and "correct horse" not in stored
    assert accounts.authenticate("alice", "correct horse") == alice
    assert accounts.authenticate("alice", "wrong password") is None
    assert accounts.authenticate("nobody", "correct horse") is None
    assert accounts.authenticate("alice\n", "correct horse") is None
    assert accounts.authenticate("alice", "x" * 5000) is None
    accounts.set_password(alice.id, "new password!")
    assert accounts.authenticate("alice", "new password!") == alice
    assert accounts.authenticate("alice", "correct horse") is None


@pytest.mark.parametrize("name", ["", "a b", "-dash", "x" * 65, "évian", "alice\n", "../etc"])
def test_bad_names_are_refused(accounts: Accounts, name: str) -> None:
    with pytest.raises(InvalidRequest):
        accounts.add_user(name, "long enough")


def test_short_passwords_and_duplicates_are_refused(accounts: Accounts) -> None:
    with pytest.raises(InvalidRequest):
        accounts.add_user("alice", "short")
    accounts.add_user("alice", "long enough")
    with pytest.raises(InvalidRequest) as caught:
        accounts.add_user("alice", "long enough")
    assert caught.value.code == "user_exists"


def test_sessions_are_stored_as_digests(store: Store, accounts: Accounts, tmp_path: Path) -> None:
    alice = accounts.add_user("alice", "correct horse")
    opened = accounts.login(alice)
    assert opened.session.id == credentials.digest(opened.token)
    found = accounts.session(opened.token)
    assert found is not None and found[1] == alice and found[0].csrf_token == opened.session.csrf_token
    assert accounts.session("forged") is None
    assert accounts.session("x" * 10_000) is None
    accounts.logout(opened.token)
    assert accounts.session(opened.token) is None


def test_api_keys_are_shown_once_and_stored_as_digests(
    store: Store, accounts: Accounts, tmp_path: Path
) -> None:
    alice = accounts.add_user("alice", "correct horse")
    created = accounts.create_key(alice, "  laptop ")
    assert created.secret.startswith("ek-") and len(created.secret) > 40
    assert created.key.name == "laptop" and created.secret.startswith(created.key.prefix)
    assert accounts.key_user(created.secret) == alice
    assert accounts.key_user(created.secret + "x") is None
    assert accounts.key_user("not-a-key") is None
    for path in tmp_path.glob("eclair.db*"):  # database, WAL and shared memory, while open
        assert created.secret.encode() not in path.read_bytes()
    store.close()
    reopened = Store.open(f"sqlite:///{tmp_path / 'eclair.db'}")
    again = Accounts(reopened, bind_host="127.0.0.1")
    assert again.key_user(created.secret) == alice
    assert reopened.users.revoke_key(alice.id, created.key.id)
    assert again.key_user(created.secret) is None
    reopened.close()


@pytest.mark.parametrize("name", ["", " ", "x" * 101])
def test_key_names_are_checked(accounts: Accounts, name: str) -> None:
    alice = accounts.add_user("alice", "correct horse")
    with pytest.raises(InvalidRequest):
        accounts.create_key(alice, name)


def test_deleting_a_user_revokes_their_sessions_and_keys(accounts: Accounts) -> None:
    alice = accounts.add_user("alice", "correct horse")
    session = accounts.login(alice)
    key = accounts.create_key(alice, "k")
    assert accounts.delete_user("alice")
    assert accounts.session(session.token) is None
    assert accounts.key_user(key.secret) is None
    assert not accounts.delete_user("alice")
