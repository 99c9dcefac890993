"""The tool-call audit trail and "always allow" grants: scoped to their owner, cascading."""

from __future__ import annotations

from eclair.store import Store


def _users(store: Store) -> tuple[str, str]:
    alice = store.users.create("alice", password_hash="x").id
    bob = store.users.create("bob", password_hash="x").id
    return alice, bob


def test_a_call_is_recorded_pending_then_finished(store: Store) -> None:
    alice, bob = _users(store)
    conversation = store.conversations.create(alice)
    call = store.tools.start_call(
        alice, conversation.id, message_id="msg_1", tool="mcp__toy__add", server="toy", arguments={"a": 1}
    )
    assert call is not None and call.status == "pending" and call.decision == "pending"
    assert store.tools.finish_call(bob, call.id, decision="once", status="ok", result="2") is None
    done = store.tools.finish_call(alice, call.id, decision="once", status="ok", result="2")
    assert done is not None and (done.status, done.decision, done.result) == ("ok", "once", "2")
    assert done.finished_at is not None
    assert [c.id for c in store.tools.calls(alice, conversation.id)] == [call.id]
    assert store.tools.calls(bob, conversation.id) == []
    # another user's conversation cannot receive calls
    assert (
        store.tools.start_call(bob, conversation.id, message_id=None, tool="t", server="s", arguments={})
        is None
    )


def test_pending_calls_of_a_previous_process_are_closed(store: Store) -> None:
    alice, _ = _users(store)
    conversation = store.conversations.create(alice)
    call = store.tools.start_call(alice, conversation.id, message_id=None, tool="t", server="s", arguments={})
    assert call is not None
    assert store.tools.abandon_pending() == 1
    closed = store.tools.get_call(alice, call.id)
    assert closed is not None and closed.status == "error" and "interrupted" in closed.result


def test_deleting_the_conversation_deletes_its_trail(store: Store) -> None:
    alice, _ = _users(store)
    conversation = store.conversations.create(alice)
    store.tools.start_call(alice, conversation.id, message_id=None, tool="t", server="s", arguments={})
    store.conversations.delete(alice, conversation.id)
    assert store.tools.calls(alice, conversation.id) == []


def test_grants_are_per_user_and_per_tool(store: Store) -> None:
    alice, bob = _users(store)
    store.tools.grant(alice, "mcp__toy__add")
    store.tools.grant(alice, "mcp__toy__add")  # twice is once
    assert store.tools.granted(alice, "mcp__toy__add")
    assert not store.tools.granted(alice, "mcp__toy__shout")
    assert not store.tools.granted(bob, "mcp__toy__add")
    assert store.tools.grants(alice) == ["mcp__toy__add"]
    assert store.tools.revoke(alice, "mcp__toy__add") and not store.tools.revoke(alice, "mcp__toy__add")
    store.tools.grant(bob, "mcp__toy__add")
    store.users.delete(bob)
    assert store.tools.grants(bob) == []
