"""Models, text completions, health and readiness, and HTTP-level errors."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from eclair.api.app import create_app
from eclair.config import Settings
from eclair.engine.fake import FakeEngine
from tests.api.test_chat_completions import sse_events
from tests.conftest import wait_until


def test_models_lists_the_assistant_and_the_raw_model(client: TestClient) -> None:
    body = client.get("/v1/models").json()
    assert body["object"] == "list"
    assert [m["id"] for m in body["data"]] == ["eclair", "fake-model"]
    assert client.get("/v1/models/fake-model").json()["id"] == "fake-model"
    missing = client.get("/v1/models/gpt-9")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "model_not_found"


def test_unknown_model_is_404(client: TestClient) -> None:
    response = client.post(
        "/v1/chat/completions", json={"model": "gpt-9", "messages": [{"role": "user", "content": "x"}]}
    )
    assert response.status_code == 404
    assert response.json()["error"] == {
        "message": "the model 'gpt-9' does not exist",
        "type": "not_found_error",
        "param": "model",
        "code": "model_not_found",
    }


def test_text_completion(client: TestClient, fake_engine: FakeEngine) -> None:
    fake_engine.enqueue("lazy dog")
    body = client.post("/v1/completions", json={"prompt": "the quick brown fox", "max_tokens": 5}).json()
    assert body["object"] == "text_completion"
    assert body["choices"][0]["text"] == "lazy dog"
    assert body["usage"]["prompt_tokens"] == 4


def test_text_completion_stream(client: TestClient, fake_engine: FakeEngine) -> None:
    fake_engine.enqueue("lazy dog")
    response = client.post(
        "/v1/completions",
        json={"prompt": ["the fox"], "stream": True, "stream_options": {"include_usage": True}},
    )
    events = sse_events(response.text)
    assert events[-1] == "[DONE]"
    chunks = [e for e in events if isinstance(e, dict)]
    assert "".join(c["choices"][0]["text"] for c in chunks if c["choices"]) == "lazy dog"
    assert chunks[-1]["usage"]["completion_tokens"] == 2


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"prompt": "x", "echo": True}, "echo"),
        ({"prompt": "x", "suffix": "y"}, "suffix"),
        ({"prompt": ["a", "b"]}, "prompt"),
        ({"prompt": 5}, "prompt"),
    ],
)
def test_text_completion_unsupported(client: TestClient, body: dict, param: str) -> None:
    response = client.post("/v1/completions", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == param


def test_health_answers_while_ready_is_503_until_loaded(settings: Settings) -> None:
    engine = FakeEngine(start_delay_s=0.5)
    app = create_app(settings, engine)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert client.get("/health").json() == {"status": "ok"}
        response = client.get("/ready")
        assert response.status_code == 503
        assert response.headers["retry-after"]
        early = client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "x"}]})
        assert early.status_code == 503
        assert early.json()["error"]["type"] == "server_error"
        wait_until(lambda: client.get("/ready").status_code == 200)


def test_failed_load_reports_in_ready(settings: Settings) -> None:
    class Broken(FakeEngine):
        async def start(self) -> None:
            raise RuntimeError("corrupt file")

    with TestClient(create_app(settings, Broken()), base_url="http://127.0.0.1") as client:
        time.sleep(0.05)
        body = client.get("/ready").json()
        assert body == {"status": "failed", "error": "corrupt file"}


def test_body_over_limit_is_413(settings: Settings) -> None:
    small = settings.model_copy(update={"max_body_bytes": 2048})
    with TestClient(create_app(small, FakeEngine()), base_url="http://127.0.0.1") as client:
        wait_until(lambda: client.get("/ready").status_code == 200)
        big = {"messages": [{"role": "user", "content": "x" * 5000}]}
        response = client.post("/v1/chat/completions", json=big)
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "request_too_large"

        def chunks():  # type: ignore[no-untyped-def]
            yield b'{"messages": [{"role": "user", "content": "'
            for _ in range(10):
                yield b"y" * 1000
            yield b'"}]}'

        chunked = client.post(
            "/v1/chat/completions", content=chunks(), headers={"content-type": "application/json"}
        )
        assert chunked.status_code == 413


def test_unknown_route_and_method_use_the_envelope(client: TestClient) -> None:
    missing = client.get("/v1/nothing")
    assert missing.status_code == 404
    assert set(missing.json()["error"]) == {"message", "type", "param", "code"}
    wrong = client.get("/v1/chat/completions")
    assert wrong.status_code == 405
    assert "error" in wrong.json()


def test_api_key_required_when_configured(settings: Settings) -> None:
    keyed = settings.model_copy(update={"api_key": "s3cret"})
    with TestClient(create_app(keyed, FakeEngine()), base_url="http://127.0.0.1") as client:
        wait_until(lambda: client.get("/ready").status_code == 200)
        body = {"messages": [{"role": "user", "content": "x"}]}
        assert client.post("/v1/chat/completions", json=body).status_code == 401
        wrong = client.post("/v1/chat/completions", json=body, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        assert wrong.json()["error"]["code"] == "invalid_api_key"
        query = client.post("/v1/chat/completions?api_key=s3cret", json=body)
        assert query.status_code == 401
        ok = client.post("/v1/chat/completions", json=body, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200
