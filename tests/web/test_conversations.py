"""The conversation API behind the page: CRUD, search, and stored streamed answers."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient

from eclair.config import Settings
from tests.conftest import LiveServer, wait_until
from tests.web.conftest import build_app, events, session


def _new(web: TestClient, csrf: dict[str, str], **body: str) -> str:
    response = web.post("/api/conversations", json=body, headers=csrf)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_crud_and_search(web: TestClient) -> None:
    csrf = session(web)
    first = _new(web, csrf, title="Holiday plans")
    second = _new(web, csrf)
    assert web.get(f"/api/conversations/{second}").json()["title"] == ""
    renamed = web.patch(f"/api/conversations/{second}", json={"title": "  Tax return  "}, headers=csrf)
    assert renamed.status_code == 200 and renamed.json()["title"] == "Tax return"
    listed = [c["id"] for c in web.get("/api/conversations").json()["data"]]
    assert listed == [second, first]
    assert [c["id"] for c in web.get("/api/conversations", params={"q": "holiday"}).json()["data"]] == [first]
    assert web.patch(f"/api/conversations/{second}", json={"title": ""}, headers=csrf).status_code == 400
    assert web.patch(f"/api/conversations/{second}", json={"model": "gpt-9"}, headers=csrf).status_code == 404
    assert web.delete(f"/api/conversations/{first}", headers=csrf).json() == {"id": first, "deleted": True}
    assert web.get(f"/api/conversations/{first}").status_code == 404
    assert web.delete(f"/api/conversations/{first}", headers=csrf).status_code == 404


def test_models_offer_the_assistant_first(web: TestClient) -> None:
    models = web.get("/api/models").json()
    assert models["default"] == "eclair" and models["data"][0] == "eclair"


def test_sending_streams_and_stores_the_answer(web: TestClient) -> None:
    csrf = session(web)
    conversation = _new(web, csrf)
    web.app.state.engine.enqueue("Bonjour **toi**, comment vas-tu ?")  # type: ignore[attr-defined]
    response = web.post(
        f"/api/conversations/{conversation}/messages",
        json={"content": "Salut !", "model": "fake-model"},
        headers=csrf,
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    frames = events(response)
    assert frames[0]["type"] == "start" and frames[-1]["type"] == "done"
    assert {f["type"] for f in frames[1:-1]} == {"delta"}
    start, done = frames[0], frames[-1]
    assert start["model"] == "fake-model" and start["conversation"]["title"] == "Salut !"
    assert (
        start["user_message"]["content"] == "Salut !" and start["assistant_message"]["status"] == "streaming"
    )
    text = "".join(f["text"] for f in frames if f["type"] == "delta")
    assert text == "Bonjour **toi**, comment vas-tu ?"
    stored = done["message"]
    assert stored["content"] == text and stored["status"] == "complete" and stored["model"] == "fake-model"
    assert stored["eclair"]["route"] == "model" and stored["eclair"]["finish_reason"] == "stop"
    assert stored["eclair"]["timing"]["ttft_ms"] is not None and stored["completion_tokens"] == 5

    detail = web.get(f"/api/conversations/{conversation}").json()
    assert [(m["role"], m["content"], m["status"]) for m in detail["messages"]] == [
        ("user", "Salut !", "complete"),
        ("assistant", text, "complete"),
    ]
    assert detail["messages"][1]["eclair"] == stored["eclair"]
    assert web.get(f"/api/conversations/{conversation}/messages").json() == detail["messages"]


def test_history_is_sent_to_the_model(web: TestClient) -> None:
    csrf = session(web)
    conversation = _new(web, csrf, model="fake-model")
    engine = web.app.state.engine  # type: ignore[attr-defined]
    engine.enqueue("first answer", "second answer")
    web.post(f"/api/conversations/{conversation}/messages", json={"content": "one"}, headers=csrf)
    web.post(f"/api/conversations/{conversation}/messages", json={"content": "two"}, headers=csrf)
    from eclair.engine.protocol import ChatMessage

    turns = [ChatMessage("user", "one"), ChatMessage("assistant", "first answer"), ChatMessage("user", "two")]
    assert list(engine.requests[-1].prompt) == engine.tokenize(engine.render_chat(turns))
    contents = [m["content"] for m in web.get(f"/api/conversations/{conversation}").json()["messages"]]
    assert contents == ["one", "first answer", "two", "second answer"]


def test_regenerate_replaces_the_last_answer(web: TestClient) -> None:
    csrf = session(web)
    conversation = _new(web, csrf, model="fake-model")
    engine = web.app.state.engine  # type: ignore[attr-defined]
    engine.enqueue("old answer", "new answer")
    web.post(f"/api/conversations/{conversation}/messages", json={"content": "question"}, headers=csrf)
    frames = events(web.post(f"/api/conversations/{conversation}/regenerate", json={}, headers=csrf))
    assert frames[0]["user_message"] is None and frames[-1]["message"]["content"] == "new answer"
    messages = web.get(f"/api/conversations/{conversation}").json()["messages"]
    assert [m["content"] for m in messages] == ["question", "new answer"]
    empty = _new(web, csrf)
    assert web.post(f"/api/conversations/{empty}/regenerate", headers=csrf).status_code == 400


def test_edit_and_resend_replaces_the_tail(web: TestClient) -> None:
    csrf = session(web)
    conversation = _new(web, csrf, model="fake-model")
    engine = web.app.state.engine  # type: ignore[attr-defined]
    engine.enqueue("a1", "a2", "a2 bis")
    web.post(f"/api/conversations/{conversation}/messages", json={"content": "q1"}, headers=csrf)
    second = events(
        web.post(f"/api/conversations/{conversation}/messages", json={"content": "q2"}, headers=csrf)
    )
    edited_id = second[0]["user_message"]["id"]
    frames = events(
        web.post(
            f"/api/conversations/{conversation}/messages",
            json={"content": "q2 fixed", "edit_of": edited_id},
            headers=csrf,
        )
    )
    assert frames[-1]["message"]["content"] == "a2 bis"
    messages = web.get(f"/api/conversations/{conversation}").json()["messages"]
    assert [m["content"] for m in messages] == ["q1", "a1", "q2 fixed", "a2 bis"]
    assert [m["seq"] for m in messages] == [0, 1, 2, 3]
    unknown = web.post(
        f"/api/conversations/{conversation}/messages",
        json={"content": "x", "edit_of": "msg_unknown"},
        headers=csrf,
    )
    assert unknown.status_code == 404


def test_a_refused_request_stores_nothing(web: TestClient) -> None:
    csrf = session(web)
    conversation = _new(web, csrf)
    too_long = web.post(
        f"/api/conversations/{conversation}/messages",
        json={"content": "word " * 5000, "model": "fake-model"},
        headers=csrf,
    )
    assert too_long.status_code == 400 and too_long.json()["error"]["code"] == "context_length_exceeded"
    unknown_model = web.post(
        f"/api/conversations/{conversation}/messages", json={"content": "hi", "model": "gpt-9"}, headers=csrf
    )
    assert unknown_model.status_code == 404 and unknown_model.json()["error"]["code"] == "model_not_found"
    assert (
        web.post(
            f"/api/conversations/{conversation}/messages", json={"content": ""}, headers=csrf
        ).status_code
        == 400
    )
    assert web.get(f"/api/conversations/{conversation}").json()["messages"] == []


def test_a_stopped_stream_is_stored_as_interrupted(tmp_path: object) -> None:
    from pathlib import Path

    app = build_app(Path(str(tmp_path)) / "data", token_delay_s=0.05)
    with LiveServer(app) as server, httpx.Client(base_url=server.url) as http:
        csrf = {"X-CSRF-Token": http.get("/api/me").json()["csrf_token"]}
        conversation = http.post("/api/conversations", json={"model": "fake-model"}, headers=csrf).json()[
            "id"
        ]
        app.state.engine.enqueue(" ".join(f"word{i}" for i in range(200)))
        with http.stream(
            "POST",
            f"/api/conversations/{conversation}/messages",
            json={"content": "talk a lot"},
            headers=csrf,
        ) as response:
            seen = 0
            for line in response.iter_lines():
                if line.startswith('data: {"type":"delta"'):
                    seen += 1
                if seen == 3:
                    break  # the stop button: the client closes the connection

        def answer() -> dict[str, object]:
            return http.get(f"/api/conversations/{conversation}").json()["messages"][1]  # type: ignore[no-any-return]

        wait_until(lambda: answer()["status"] != "streaming", timeout=5)
        stored = answer()
        assert stored["status"] == "interrupted"
        assert str(stored["content"]).startswith("word0 word1 word2")
        assert len(str(stored["content"]).split()) < 200
        wait_until(lambda: app.state.engine.active == 0, timeout=5)


def test_answers_cut_by_a_restart_are_marked_interrupted(tmp_path: object) -> None:
    from pathlib import Path

    from eclair.store import Store

    data = Path(str(tmp_path)) / "data"
    store = Store.from_settings(Settings(data_dir=data, _env_file=None))  # type: ignore[call-arg]
    user = store.users.create("local", password_hash=None, is_local=True)
    conversation = store.conversations.create(user.id)
    store.conversations.add_turn(user.id, conversation.id, content="q", model="m")
    store.close()
    with TestClient(build_app(data), base_url="http://127.0.0.1") as client:
        messages = client.get(f"/api/conversations/{conversation.id}").json()["messages"]
    assert [m["status"] for m in messages] == ["complete", "interrupted"]


def test_citations_are_stored_with_the_answer(web: TestClient) -> None:
    csrf = session(web)
    upload = web.post(
        "/api/documents",
        headers=csrf,
        data={"collection": "default"},
        files={"file": ("tower.md", b"# Tower\n\nThe tower is 330 metres tall since 2022.\n")},
    )
    assert upload.status_code == 201, upload.text
    conversation = _new(web, csrf)
    frames = events(
        web.post(
            f"/api/conversations/{conversation}/messages",
            json={"content": "How tall is the tower?"},
            headers=csrf,
        )
    )
    stored = frames[-1]["message"]
    assert stored["model"] == "eclair" and stored["eclair"]["route"] == "knowledge"
    (citation,) = stored["eclair"]["citations"]
    assert citation["source"] == "tower.md" and "[1]" in stored["content"]
    text = web.get(f"/api/documents/{upload.json()['id']}/text").json()["text"]
    assert text[citation["start"] : citation["end"]] == citation["quote"]


def test_an_answer_the_store_could_not_keep_is_still_delivered(web: TestClient) -> None:
    csrf = session(web)
    conversation = _new(web, csrf)
    store = web.app.state.conversations.store  # type: ignore[attr-defined]

    class DiskFull(Exception):
        pass

    def fail(*args: object, **kwargs: object) -> None:
        raise DiskFull("disk full")

    store.conversations.finish_message = fail
    web.app.state.engine.enqueue("Still here.")  # type: ignore[attr-defined]
    response = web.post(
        f"/api/conversations/{conversation}/messages",
        json={"content": "Hello", "model": "fake-model"},
        headers=csrf,
    )
    frames = events(response)
    assert [f["type"] for f in frames][-2:] == ["error", "done"]
    assert frames[-2]["error"]["code"] == "storage_error"
    assert frames[-1]["message"]["content"] == "Still here." and frames[-1]["message"]["status"] == "error"


def test_pin_and_archive(web: TestClient) -> None:
    csrf = session(web)
    first = _new(web, csrf, title="Kept")
    second = _new(web, csrf, title="Filed away")
    pinned = web.patch(f"/api/conversations/{first}", json={"pinned": True}, headers=csrf).json()
    assert pinned["pinned"] is True and pinned["archived"] is False
    web.patch(f"/api/conversations/{second}", json={"archived": True}, headers=csrf)
    assert [c["id"] for c in web.get("/api/conversations").json()["data"]] == [first]
    archived = web.get("/api/conversations", params={"archived": "true"}).json()["data"]
    assert [(c["id"], c["archived"]) for c in archived] == [(second, True)]
    assert web.patch(f"/api/conversations/{first}", json={"pinned": "yes"}, headers=csrf).status_code == 400


def _ask(web: TestClient, csrf: dict[str, str], conversation: str, content: str, **extra: str) -> list[dict]:
    response = web.post(
        f"/api/conversations/{conversation}/messages", json={"content": content, **extra}, headers=csrf
    )
    assert response.status_code == 200, response.text
    return events(response)


def test_versions_feedback_and_export(web: TestClient) -> None:
    csrf = session(web)
    engine = web.app.state.engine  # type: ignore[attr-defined]
    conversation = _new(web, csrf, title="Sums")
    engine.enqueue("first answer", "second answer", "answer to the edit")
    _ask(web, csrf, conversation, "question")
    regenerated = web.post(f"/api/conversations/{conversation}/regenerate", headers=csrf)
    assert events(regenerated)[-1]["message"]["content"] == "second answer"
    detail = web.get(f"/api/conversations/{conversation}").json()
    answer = detail["messages"][1]
    assert (answer["version"], answer["versions"]) == (2, 2)
    assert detail["messages"][0]["versions"] == 1 and detail["messages"][0]["version"] is None

    rated = web.put(
        f"/api/conversations/{conversation}/messages/{answer['id']}/feedback",
        json={"rating": -1, "comment": "too vague"},
        headers=csrf,
    )
    assert rated.json() == {"rating": -1, "comment": "too vague"}
    bad = web.put(
        f"/api/conversations/{conversation}/messages/{answer['id']}/feedback",
        json={"rating": 5},
        headers=csrf,
    )
    assert bad.status_code == 400
    question = detail["messages"][0]["id"]
    assert (
        web.put(
            f"/api/conversations/{conversation}/messages/{question}/feedback",
            json={"rating": 1},
            headers=csrf,
        ).status_code
        == 404
    )

    back = web.post(f"/api/conversations/{conversation}/versions", json={"seq": 1, "number": 1}, headers=csrf)
    assert back.status_code == 200
    assert [m["content"] for m in back.json()["messages"]] == ["question", "first answer"]
    assert back.json()["messages"][1]["version"] == 1
    missing = web.post(
        f"/api/conversations/{conversation}/versions", json={"seq": 1, "number": 7}, headers=csrf
    )
    assert missing.status_code == 404

    _ask(web, csrf, conversation, "edited question", edit_of=question)
    detail = web.get(f"/api/conversations/{conversation}").json()
    assert [m["content"] for m in detail["messages"]] == ["edited question", "answer to the edit"]
    assert (detail["messages"][0]["version"], detail["messages"][0]["versions"]) == (2, 2)

    markdown = web.get(f"/api/conversations/{conversation}/export")
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert 'filename="Sums.md"' in markdown.headers["content-disposition"]
    text = markdown.text
    assert text.startswith("# Sums") and "edited question" in text and "answer to the edit" in text
    assert "Version 1" in text and "first answer" in text and "second answer" in text
    exported = web.get(f"/api/conversations/{conversation}/export", params={"format": "json"}).json()
    assert exported["format"] == "eclair-conversation"
    assert [m["content"] for m in exported["conversation"]["messages"]] == [
        "edited question",
        "answer to the edit",
    ]
    shelved = exported["other_versions"][0]["messages"]
    assert [m["content"] for m in shelved] == ["question", "first answer"]


def test_documents_attached_to_a_conversation(web: TestClient) -> None:
    csrf = session(web)
    conversation = _new(web, csrf, title="Report")
    uploaded = web.post("/api/documents", headers=csrf, files={"file": ("notes.txt", b"The keeper is Anna.")})
    document = uploaded.json()["id"]
    attached = web.patch(
        f"/api/conversations/{conversation}", json={"documents": [document, document]}, headers=csrf
    )
    assert attached.status_code == 200 and attached.json()["documents"] == [document]
    assert web.get(f"/api/conversations/{conversation}").json()["documents"] == [document]
    unknown = web.patch(f"/api/conversations/{conversation}", json={"documents": ["file-nope"]}, headers=csrf)
    assert unknown.status_code == 404
    detached = web.patch(f"/api/conversations/{conversation}", json={"documents": []}, headers=csrf)
    assert detached.json()["documents"] == []


def test_a_conversation_answers_from_its_attached_documents(web: TestClient) -> None:
    csrf = session(web)

    def upload(name: str, text: str) -> str:
        response = web.post("/api/documents", headers=csrf, files={"file": (name, text.encode())})
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def cited(conversation: str) -> str:
        frames = events(
            web.post(
                f"/api/conversations/{conversation}/messages",
                json={"content": "When does the pool open?"},
                headers=csrf,
            )
        )
        (citation,) = frames[-1]["message"]["eclair"]["citations"]
        return str(citation["source"])

    upload("north.md", "The north pool opens at 7 am.")
    south = upload("south.md", "The south pool opens at 10 am.")
    scoped = _new(web, csrf)
    web.patch(f"/api/conversations/{scoped}", json={"documents": [south]}, headers=csrf)
    assert cited(scoped) == "south.md"
    assert cited(scoped) == "south.md", "on every turn"
    assert web.delete(f"/api/documents/{south}", headers=csrf).status_code == 200
    assert cited(scoped) == "north.md", "a deleted attachment leaves all documents in scope"
