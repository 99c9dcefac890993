from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from eclair.store import Store
from eclair.store.ids import utcnow


def test_users_are_created_found_and_listed(store: Store) -> None:
    alice = store.users.create("alice", password_hash="h1", is_admin=True)
    bob = store.users.create("bob", password_hash=None)
    assert store.users.get(alice.id) == alice
    assert store.users.by_name("bob") == bob
    assert [u.name for u in store.users.all()] == ["alice", "bob"]
    assert alice.is_admin and not bob.is_admin
    assert alice.created_at.tzinfo is not None
    assert store.users.count_with_password() == 1
    assert store.users.password_hash(alice.id) == "h1"
    assert store.users.get("u_missing") is None


def test_user_names_are_unique(store: Store) -> None:
    store.users.create("alice", password_hash="h")
    with pytest.raises(IntegrityError):
        store.users.create("alice", password_hash="h")


def test_update_changes_only_given_fields(store: Store) -> None:
    user = store.users.create("local", password_hash=None, is_local=True)
    assert store.users.local() == user
    updated = store.users.update(
        user.id, name="carol", password_hash="h", is_local=False, settings={"lang": "fr"}
    )
    assert updated is not None
    assert (updated.name, updated.is_local, updated.settings) == ("carol", False, {"lang": "fr"})
    assert store.users.local() is None


def test_deleting_a_user_cascades_to_everything_they_own(store: Store) -> None:
    alice = store.users.create("alice", password_hash="h")
    bob = store.users.create("bob", password_hash="h")
    conversation = store.conversations.create(alice.id, title="mine")
    store.conversations.add_turn(alice.id, conversation.id, content="hello", model="m")
    store.users.create_session(
        alice.id, digest="d" * 64, csrf_token="c", expires_at=utcnow() + timedelta(days=1)
    )
    store.users.create_key(alice.id, name="k", prefix="ek-abc", digest="e" * 64)
    kept = store.conversations.create(bob.id, title="theirs")

    assert store.users.delete(alice.id)
    assert store.users.get(alice.id) is None
    assert store.conversations.find(alice.id) == []
    assert store.conversations.messages(alice.id, conversation.id) == []
    assert store.users.session("d" * 64) is None
    assert store.users.key_owner("e" * 64) is None
    assert store.conversations.find(bob.id) == [kept]
    assert not store.users.delete(alice.id)


def test_sessions_expire(store: Store) -> None:
    user = store.users.create("alice", password_hash="h")
    live = store.users.create_session(
        user.id, digest="a" * 64, csrf_token="c1", expires_at=utcnow() + timedelta(hours=1)
    )
    store.users.create_session(
        user.id, digest="b" * 64, csrf_token="c2", expires_at=utcnow() - timedelta(seconds=1)
    )
    found = store.users.session("a" * 64)
    assert found is not None and found[0] == live and found[1] == user
    assert store.users.session("b" * 64) is None
    assert store.users.purge_sessions() == 1
    store.users.delete_session("a" * 64)
    assert store.users.session("a" * 64) is None


def test_api_keys_are_found_by_digest_until_revoked(store: Store) -> None:
    alice = store.users.create("alice", password_hash="h")
    bob = store.users.create("bob", password_hash="h")
    key = store.users.create_key(alice.id, name="laptop", prefix="ek-abcdefg", digest="f" * 64)
    found = store.users.key_owner("f" * 64)
    assert found is not None and found[1] == alice
    assert store.users.keys(alice.id)[0].last_used_at is not None
    assert store.users.keys(bob.id) == []
    assert not store.users.revoke_key(bob.id, key.id), "another user cannot revoke it"
    assert store.users.revoke_key(alice.id, key.id)
    assert not store.users.revoke_key(alice.id, key.id), "already revoked"
    assert store.users.key_owner("f" * 64) is None
    (listed,) = store.users.keys(alice.id)
    assert listed.revoked_at is not None and not listed.active


def test_a_password_ends_single_user_mode_in_the_same_write(store: Store) -> None:
    local = store.users.create("local", password_hash=None, is_local=True)
    store.users.create_key(local.id, name="k", prefix="ek-local", digest="a" * 64)
    store.users.create_session(
        local.id, digest="b" * 64, csrf_token="c", expires_at=utcnow() + timedelta(hours=1)
    )
    assert not store.users.login_required()
    store.users.update(local.id, name="alice", password_hash="h", is_local=False)  # adoption
    assert store.users.key_owner("a" * 64) is None and store.users.session("b" * 64) is None
    assert store.users.login_required()
    store.users.create("bob", password_hash="h")  # a second account: the flag is set once
    assert store.users.delete(local.id) and store.users.delete(store.users.by_name("bob").id)  # type: ignore[union-attr]
    assert store.users.count_with_password() == 0 and store.users.login_required(), "accounts existed"
    store.users.reopen_single_user()
    assert not store.users.login_required()
