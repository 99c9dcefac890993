"""``/api/me/preferences``: custom instructions reach the model as the system message; the
default model, language and theme are kept per user."""

from __future__ import annotations

from fastapi.testclient import TestClient

from eclair.engine.protocol import ChatMessage
from tests.web.conftest import login, session


def test_preferences_are_kept_and_checked(web: TestClient) -> None:
    csrf = session(web)
    assert web.get("/api/me/preferences").json() == {
        "instructions": "",
        "default_model": "",
        "language": "auto",
        "theme": "auto",
    }
    changed = web.patch(
        "/api/me/preferences",
        json={"instructions": "  Answer in one sentence. ", "theme": "dark"},
        headers=csrf,
    )
    assert changed.json()["instructions"] == "Answer in one sentence." and changed.json()["theme"] == "dark"
    kept = web.patch("/api/me/preferences", json={"language": "fr"}, headers=csrf).json()
    assert kept == {
        "instructions": "Answer in one sentence.",
        "default_model": "",
        "language": "fr",
        "theme": "dark",
    }
    assert web.patch("/api/me/preferences", json={"theme": "pink"}, headers=csrf).status_code == 400
    assert web.patch("/api/me/preferences", json={"default_model": "gpt-9"}, headers=csrf).status_code == 404
    assert web.patch("/api/me/preferences", json={"language": "en"}).status_code == 403, "CSRF"


def test_custom_instructions_are_the_system_message(web: TestClient) -> None:
    csrf = session(web)
    web.patch("/api/me/preferences", json={"instructions": "Always answer like a pirate."}, headers=csrf)
    conversation = web.post("/api/conversations", json={"model": "fake-model"}, headers=csrf).json()["id"]
    engine = web.app.state.engine  # type: ignore[attr-defined]
    web.post(f"/api/conversations/{conversation}/messages", json={"content": "hello"}, headers=csrf)
    turns = [ChatMessage("system", "Always answer like a pirate."), ChatMessage("user", "hello")]
    assert list(engine.requests[-1].prompt) == engine.tokenize(engine.render_chat(turns))


def test_preferences_are_per_user(multi: TestClient) -> None:
    alice = login(multi, "alice")
    multi.patch("/api/me/preferences", json={"instructions": "Be brief."}, headers=alice)
    multi.post("/api/auth/logout", headers=alice)
    login(multi, "bob")
    assert multi.get("/api/me/preferences").json()["instructions"] == ""
