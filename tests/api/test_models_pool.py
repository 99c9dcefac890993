"""What clients see of the model pool: installed models listed and loaded on their first request,
``keep_alive`` per request (and its 400s), 503 with Retry-After when memory is held, metrics."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from eclair.api.app import create_app
from eclair.config import BUNDLED_MODEL_FILE, Settings
from eclair.engine.fake import FakeEngine
from eclair.engine.hub.fit import memory_needed
from eclair.engine.pool import ModelPool
from tests.conftest import LiveServer, wait_until
from tests.engine.hub.conftest import hf_environment
from tests.engine.hub.ggufs import write_tiny_llama
from tests.engine.installs import catalogue_file, install

USER = [{"role": "user", "content": "hi"}]
NAMED = "eclair-test/Named-GGUF"
BUNDLED = BUNDLED_MODEL_FILE.removesuffix(".gguf")


def loaded(client: TestClient) -> list[str]:
    return [m["id"] for m in client.get("/v1/models").json()["data"] if m["eclair"]["loaded"]]


# -- installed GGUFs, served by the embedded engine -------------------------------------------


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[TestClient]:
    """``eclair serve --model tiny.gguf`` with another tiny model installed in the Hugging Face
    cache, under a budget that holds one of them."""
    env = hf_environment(monkeypatch, tmp_path / "hf", "http://127.0.0.1:9")  # never contacted
    tiny = write_tiny_llama(tmp_path / "tiny.gguf", seed=1)
    install(env, NAMED, "named-Q4_K_M.gguf", write_tiny_llama(tmp_path / "other.gguf", seed=2).read_bytes())
    one = memory_needed(tiny, ctx_size=128, n_slots=1)
    settings = Settings(
        model=str(tiny),
        model_catalogue=catalogue_file(tmp_path / "catalogue.toml", "tiny:named", NAMED, "Q4_K_M"),
        data_dir=tmp_path / "data",
        threads=1,
        n_slots=1,
        ctx_size=128,
        models_memory_budget=int(one * 1.5),
        _env_file=None,  # type: ignore[call-arg]
    )
    app = create_app(settings)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        wait_until(lambda: app.state.ready)
        yield client


def test_models_lists_what_is_installed_loaded_or_not(served: TestClient) -> None:
    cards = served.get("/v1/models").json()["data"]
    assert [c["id"] for c in cards] == ["eclair", "tiny", BUNDLED, "tiny:named"]
    by_id = {c["id"]: c["eclair"] for c in cards}
    assert by_id["tiny"]["loaded"] and by_id["eclair"]["loaded"]  # the default model, loaded at start
    assert not by_id["tiny:named"]["loaded"] and by_id["tiny:named"]["state"] == "unloaded"
    assert by_id["tiny:named"]["source"] == "installed" and by_id["tiny"]["source"] == "configured"
    assert by_id["tiny:named"]["memory_bytes"] > 256_000_000  # weights + KV + runtime allowance
    assert by_id["tiny"]["unload_in_s"] == pytest.approx(300, abs=5)
    one = served.get(f"/v1/models/hf.co/{NAMED}:Q4_K_M").json()  # its other name
    assert one["id"] == "tiny:named" and one["object"] == "model" and one["eclair"]["loaded"] is False
    assert served.get("/api/models").json()["data"] == ["eclair", "tiny", BUNDLED, "tiny:named"]


def test_a_model_loads_on_its_first_request_and_evicts_the_idle_one(served: TestClient) -> None:
    assert loaded(served) == ["eclair", "tiny"]
    body = {"model": f"hf.co/{NAMED}:Q4_K_M", "messages": USER, "max_tokens": 2, "temperature": 0}
    answer = served.post("/v1/chat/completions", json=body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["model"] == "tiny:named"
    assert loaded(served) == ["tiny:named"]  # the budget holds one: tiny was unloaded for it
    again = served.post("/v1/completions", json={"model": "tiny", "prompt": "a", "max_tokens": 2})
    assert again.status_code == 200 and loaded(served) == ["eclair", "tiny"]
    cards = {c["id"]: c["eclair"] for c in served.get("/v1/models").json()["data"]}
    assert cards["tiny:named"]["last_load_s"] > 0 and cards["tiny:named"]["last_unload_s"] >= 0
    metrics = served.get("/metrics").text
    assert "eclair_models_loaded 1.0" in metrics
    assert 'eclair_model_load_seconds_count{model="tiny"} 2.0' in metrics
    assert 'eclair_model_unload_seconds_count{model="tiny:named"} 1.0' in metrics
    assert "eclair_models_memory_budget_bytes" in metrics


def test_keep_alive_zero_unloads_after_the_answer(served: TestClient) -> None:
    body = {"model": "tiny:named", "messages": USER, "max_tokens": 2, "keep_alive": 0}
    assert served.post("/v1/chat/completions", json=body).status_code == 200
    wait_until(lambda: loaded(served) == [], timeout=5)
    assert served.get("/ready").status_code == 200  # nothing loaded is not "not ready"
    forever = {"model": "tiny", "messages": USER, "max_tokens": 2, "keep_alive": "-1m"}
    assert served.post("/v1/chat/completions", json=forever).status_code == 200
    card = served.get("/v1/models/tiny").json()["eclair"]
    assert card["loaded"] and card["unload_in_s"] is None


# -- fakes: waiting, 503, keep_alive validation ----------------------------------------------


def fake_app(settings: Settings) -> tuple[FastAPI, dict[str, FakeEngine]]:
    """Two fake models of 100 MB under a 150 MB budget; a request waits 0.1 s for memory."""
    engines = {name: FakeEngine(model_id=name, memory_bytes=100_000_000, token_delay_s=0.05) for name in "ab"}
    pool = ModelPool(budget=150_000_000, keep_alive_s=300, wait_s=0.1)
    for name, engine in engines.items():
        pool.add_engine(name, engine)
    return create_app(settings, engines["a"], pool=pool), engines


@pytest.fixture
def fakes(settings: Settings) -> Iterator[tuple[TestClient, dict[str, FakeEngine]]]:
    app, engines = fake_app(settings)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        wait_until(lambda: app.state.ready)
        yield client, engines


def test_a_model_that_cannot_fit_while_others_answer_gets_503_with_retry_after(settings: Settings) -> None:
    app, engines = fake_app(settings)
    engines["a"].enqueue(" ".join(["word"] * 40))  # two seconds of answer holding model a
    with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        chat = {"model": "a", "messages": USER, "stream": True}
        with client.stream("POST", "/v1/chat/completions", json=chat) as held:
            lines = held.iter_lines()  # kept: dropping it would close the connection
            next(lines)
            started = time.monotonic()
            refused = client.post("/v1/chat/completions", json={"model": "b", "messages": USER})
            assert time.monotonic() - started < 1.5  # waited models_load_wait_s (0.1 s), not the answer
            assert refused.status_code == 503 and int(refused.headers["retry-after"]) >= 1
            error = refused.json()["error"]
            assert error["code"] == "insufficient_memory" and error["type"] == "server_error"
            assert "'b' needs 100.0 MB" in error["message"]
            assert engines["a"].closes == 0 and not engines["b"].started
            list(lines)  # the rest of the answer
        # once a's answer is over, a is idle and makes room for b
        assert client.post("/v1/chat/completions", json={"model": "b", "messages": USER}).status_code == 200
        assert engines["a"].closes == 1 and engines["b"].started


@pytest.mark.parametrize("value", ["5x", "", "five minutes", "1d", True, [1], {"s": 1}, "9" * 100])
def test_a_bad_keep_alive_is_a_400_naming_it(
    fakes: tuple[TestClient, dict[str, FakeEngine]], value: object
) -> None:
    client, _ = fakes
    for route, body in (
        ("/v1/chat/completions", {"messages": USER}),
        ("/v1/completions", {"model": "a", "prompt": "x"}),
    ):
        response = client.post(route, json={**body, "keep_alive": value})
        assert response.status_code == 400, response.text
        error = response.json()["error"]
        assert error["param"] == "keep_alive" and error["type"] == "invalid_request_error"


def test_good_keep_alive_values_are_accepted(fakes: tuple[TestClient, dict[str, FakeEngine]]) -> None:
    client, engines = fakes
    for value in (0, -1, 2.5, "300", "5m", "1h30m"):
        response = client.post(
            "/v1/chat/completions", json={"model": "a", "messages": USER, "keep_alive": value}
        )
        assert response.status_code == 200, (value, response.text)
    assert engines["a"].closes == 1  # the keep_alive 0 answer unloaded it; the next loaded it again
