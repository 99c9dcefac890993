from __future__ import annotations

import time

from eclair.store import Store, User


def _user(store: Store, name: str = "alice") -> User:
    return store.users.create(name, password_hash="h")


def test_conversations_are_listed_most_recent_first(store: Store) -> None:
    user = _user(store)
    first = store.conversations.create(user.id, title="first")
    time.sleep(0.01)
    second = store.conversations.create(user.id, title="second", model="eclair")
    assert [c.id for c in store.conversations.find(user.id)] == [second.id, first.id]
    time.sleep(0.01)
    store.conversations.add_message(user.id, first.id, role="user", content="bump")
    assert [c.id for c in store.conversations.find(user.id)] == [first.id, second.id]
    assert store.conversations.find(user.id, limit=1)[0].id == first.id
    assert second.model == "eclair"


def test_search_matches_titles_and_messages_case_insensitively(store: Store) -> None:
    user = _user(store)
    recipe = store.conversations.create(user.id, title="Crêpe recipe")
    trip = store.conversations.create(user.id, title="Holiday")
    store.conversations.add_message(user.id, trip.id, role="user", content="Train to LYON at 8:00")
    store.conversations.create(user.id, title="100% sure_thing")
    assert [c.id for c in store.conversations.find(user.id, query="RECIPE")] == [recipe.id]
    assert [c.id for c in store.conversations.find(user.id, query="lyon")] == [trip.id]
    # LIKE wildcards in the query are literal characters.
    assert [c.title for c in store.conversations.find(user.id, query="0%")] == ["100% sure_thing"]
    assert [c.title for c in store.conversations.find(user.id, query="e_t")] == ["100% sure_thing"]
    assert store.conversations.find(user.id, query="%") != store.conversations.find(user.id)


def test_everything_is_scoped_to_the_owner(store: Store) -> None:
    alice, bob = _user(store, "alice"), _user(store, "bob")
    conversation = store.conversations.create(alice.id, title="secret")
    asked, answer = store.conversations.add_turn(alice.id, conversation.id, content="hi", model="m") or (
        None,
        None,
    )
    assert asked is not None and answer is not None
    assert store.conversations.get(bob.id, conversation.id) is None
    assert store.conversations.find(bob.id, query="secret") == []
    assert store.conversations.messages(bob.id, conversation.id) == []
    assert store.conversations.get_message(bob.id, asked.id) is None
    assert store.conversations.update(bob.id, conversation.id, title="pwned") is None
    assert store.conversations.add_message(bob.id, conversation.id, role="user", content="x") is None
    assert store.conversations.add_turn(bob.id, conversation.id, content="x", model=None) is None
    assert store.conversations.finish_message(bob.id, answer.id, content="x", status="complete") is None
    assert store.conversations.update_content(bob.id, asked.id, "x") is None
    assert store.conversations.truncate(bob.id, conversation.id, from_seq=0) == 0
    assert not store.conversations.delete(bob.id, conversation.id)
    assert [m.content for m in store.conversations.messages(alice.id, conversation.id)] == ["hi", ""]
    assert store.conversations.get(alice.id, conversation.id) is not None


def test_a_turn_is_a_user_message_and_a_streaming_placeholder(store: Store) -> None:
    user = _user(store)
    conversation = store.conversations.create(user.id)
    turn = store.conversations.add_turn(user.id, conversation.id, content="What is 2+2?", model="eclair")
    assert turn is not None
    asked, answer = turn
    assert (asked.seq, asked.role, asked.status) == (0, "user", "complete")
    assert (answer.seq, answer.role, answer.status, answer.model) == (1, "assistant", "streaming", "eclair")
    eclair = {"route": "calculator", "citations": [], "timing": {"ttft_ms": 12.5}, "energy": {"wh": 0.01}}
    done = store.conversations.finish_message(
        user.id,
        answer.id,
        content="4",
        status="complete",
        eclair=eclair,
        prompt_tokens=9,
        completion_tokens=1,
        energy_wh=0.01,
        gco2e=0.0004,
    )
    assert done is not None
    assert (done.content, done.status, done.eclair, done.completion_tokens) == ("4", "complete", eclair, 1)
    assert (done.energy_wh, done.gco2e) == (0.01, 0.0004)
    assert store.conversations.messages(user.id, conversation.id) == [asked, done]


def test_truncate_drops_the_tail_and_seq_continues(store: Store) -> None:
    user = _user(store)
    conversation = store.conversations.create(user.id)
    for text in ("q1", "a1", "q2", "a2"):
        store.conversations.add_message(user.id, conversation.id, role="user", content=text)
    assert store.conversations.truncate(user.id, conversation.id, from_seq=2) == 2
    added = store.conversations.add_message(user.id, conversation.id, role="user", content="q2 edited")
    assert added is not None and added.seq == 2
    assert [m.content for m in store.conversations.messages(user.id, conversation.id)] == [
        "q1",
        "a1",
        "q2 edited",
    ]


def test_answers_left_streaming_by_a_crash_become_interrupted(store: Store) -> None:
    user = _user(store)
    conversation = store.conversations.create(user.id)
    turn = store.conversations.add_turn(user.id, conversation.id, content="q", model=None)
    assert turn is not None
    assert store.conversations.interrupt_streaming() == 1
    assert store.conversations.get_message(user.id, turn[1].id).status == "interrupted"  # type: ignore[union-attr]
    assert store.conversations.interrupt_streaming() == 0


def test_deleting_a_conversation_deletes_its_messages(store: Store) -> None:
    user = _user(store)
    conversation = store.conversations.create(user.id)
    turn = store.conversations.add_turn(user.id, conversation.id, content="q", model=None)
    assert turn is not None
    assert store.conversations.delete(user.id, conversation.id)
    assert store.conversations.get_message(user.id, turn[0].id) is None
    assert store.conversations.update(user.id, conversation.id, title="x") is None


def test_unicode_round_trips(store: Store) -> None:
    user = _user(store)
    conversation = store.conversations.create(user.id, title="Élysée 🥐 " + "x" * 300)
    assert len(conversation.title) == 200
    message = store.conversations.add_message(
        user.id, conversation.id, role="user", content="naïve “quotes” \u2028 🥐"
    )
    assert message is not None
    assert store.conversations.messages(user.id, conversation.id)[0].content == "naïve “quotes” \u2028 🥐"


def test_pin_and_archive_file_a_conversation_without_reordering_it(store: Store) -> None:
    user = _user(store)
    old = store.conversations.create(user.id, title="old")
    time.sleep(0.01)
    new = store.conversations.create(user.id, title="new")
    pinned = store.conversations.update(user.id, old.id, pinned=True)
    assert pinned is not None and pinned.pinned and not pinned.archived
    assert pinned.updated_at == old.updated_at, "pinning is not activity"
    assert [c.id for c in store.conversations.find(user.id, archived=False)] == [new.id, old.id]
    store.conversations.update(user.id, new.id, archived=True)
    assert [c.id for c in store.conversations.find(user.id, archived=False)] == [old.id]
    assert [c.id for c in store.conversations.find(user.id, archived=True)] == [new.id]
    assert {c.id for c in store.conversations.find(user.id, archived=None)} == {old.id, new.id}
    restored = store.conversations.update(user.id, new.id, archived=False)
    assert restored is not None and not restored.archived
    assert store.conversations.update("someone-else", new.id, pinned=True) is None


def _answered(store: Store, user: User, conversation: str, question: str, answer: str) -> str:
    turn = store.conversations.add_turn(user.id, conversation, content=question, model="eclair")
    assert turn is not None
    store.conversations.finish_message(user.id, turn[1].id, content=answer, status="complete")
    return turn[1].id


def test_regenerate_and_edit_shelve_versions_that_can_come_back(store: Store) -> None:
    user = _user(store)
    conversation = store.conversations.create(user.id).id
    first = _answered(store, user, conversation, "q1", "a1")
    _answered(store, user, conversation, "q2", "a2 first")
    # regenerate the last answer: a2 is shelved as version 1 of place 3
    again = store.conversations.start_answer(user.id, conversation, model="eclair", replace_from=3)
    assert again is not None and again.seq == 3 and again.version == 2
    store.conversations.finish_message(user.id, again.id, content="a2 second", status="complete")
    assert store.versions.counts(user.id, conversation) == {3: 2}
    # edit q2: q2 and its answer (with its versions inside) are shelved as version 1 of place 2
    edited = store.conversations.add_turn(
        user.id, conversation, content="q2 edited", model=None, replace_from=2
    )
    assert edited is not None and edited[0].version == 2
    store.conversations.finish_message(user.id, edited[1].id, content="a2 edited", status="complete")
    assert store.versions.counts(user.id, conversation) == {2: 2}
    texts = [m.content for m in store.conversations.messages(user.id, conversation)]
    assert texts == ["q1", "a1", "q2 edited", "a2 edited"]
    # back to version 1 of place 2: the old question, its latest answer, and that answer's versions
    assert store.versions.select(user.id, conversation, 2, 1)
    texts = [m.content for m in store.conversations.messages(user.id, conversation)]
    assert texts == ["q1", "a1", "q2", "a2 second"]
    assert store.versions.counts(user.id, conversation) == {2: 2, 3: 2}
    assert store.versions.select(user.id, conversation, 3, 1)
    assert [m.content for m in store.conversations.messages(user.id, conversation)][-1] == "a2 first"
    shelved = {(v["seq"], v["number"]) for v in store.versions.shelved(user.id, conversation)}
    assert shelved == {(2, 2), (3, 2)}
    assert not store.versions.select(user.id, conversation, 3, 9)
    assert not store.versions.select("someone-else", conversation, 3, 2)
    assert store.conversations.messages(user.id, conversation)[1].id == first


def test_feedback_keeps_the_question_and_answer(store: Store) -> None:
    user, other = _user(store), _user(store, "bob")
    conversation = store.conversations.create(user.id).id
    answer = _answered(store, user, conversation, "What is 17 × 23?", "400")
    liked = store.feedback.rate(user.id, answer, rating=1)
    assert liked is not None and liked.rating == 1 and liked.question == "What is 17 × 23?"
    changed = store.feedback.rate(user.id, answer, rating=-1, comment="  it is 391 ")
    assert changed is not None and changed.id == liked.id and changed.comment == "it is 391"
    assert [f.answer for f in store.feedback.disliked()] == ["400"]
    assert store.feedback.rate(other.id, answer, rating=-1) is None
    question = store.conversations.messages(user.id, conversation)[0].id
    assert store.feedback.rate(user.id, question, rating=1) is None, "only answers are rated"
    store.conversations.delete(user.id, conversation)
    assert store.feedback.disliked() == []
