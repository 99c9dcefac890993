"""The models file: parsing, validation messages, engines built from it, and the API serving
every model it names."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from eclair.api.app import create_app
from eclair.config import Settings
from eclair.engine.catalog import assistant_engine, create_engines, load_models_file, model_facts
from eclair.engine.fake import FakeEngine
from eclair.engine.remote import OpenAIEngine
from eclair.engine.router import Router
from eclair.errors import ConfigurationError
from tests.conftest import wait_until

EXAMPLE = """
[routing]
health_interval_s = 2
failure_threshold = 4

[[models]]
name = "small"
backend = "fake"
context_size = 2048
parameters = 135_000_000

[[models]]
name = "big"
backend = "openai"
url = "http://gpu-1:8000/v1"
upstream_model = "org/Big-70B"
api_key_env = "TEST_BIG_KEY"
weight = 2
max_concurrency = 64
parameters = 70_000_000_000

[[models]]
name = "big"
backend = "openai"
url = "http://gpu-2:8000/v1"
upstream_model = "org/Big-70B"
api_key = "inline"
first_token_timeout_s = 20

[[models]]
name = "big"
backend = "llama_cpp"
path = "models/big-q4.gguf"
fallback = true
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "eclair.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_parses_models_backends_and_routing(tmp_path: Path) -> None:
    models = load_models_file(write(tmp_path, EXAMPLE))
    assert models.names() == ["small", "big"]
    assert [e.backend for e in models.entries("big")] == ["openai", "openai", "llama_cpp"]
    assert models.routing.health_interval_s == 2 and models.routing.failure_threshold == 4
    assert models.routing.cooldown_s == 10  # default
    local = models.entries("big")[2]
    assert local.path == tmp_path / "models" / "big-q4.gguf" and local.fallback
    facts = model_facts("big", models)
    assert facts.parameters == 70_000_000_000 and facts.active_parameters == 70_000_000_000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[models]]\nname = "a"\nbackend = "fake"\nwieght = 2\n',
            r"models\[0\] \('a'\)\.wieght: Extra inputs",
        ),
        (
            '[[models]]\nname = "a"\nweight = -1\n',
            r"models\[0\] \('a'\)\.weight: Input should be greater than 0",
        ),
        ("[routing]\ncooldown_s = 1\n", r"models: Field required"),
        ("[[models]\nname=", "is not valid TOML"),
    ],
)
def test_mistakes_name_the_entry_and_field(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        load_models_file(write(tmp_path, text))


def test_missing_file_and_missing_key_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurationError, match="cannot read the models file"):
        load_models_file(tmp_path / "absent.toml")
    settings = Settings(models_file=write(tmp_path, EXAMPLE), _env_file=None)  # type: ignore[call-arg]
    monkeypatch.delenv("TEST_BIG_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="TEST_BIG_KEY is not set"):
        create_engines(settings)


def test_builds_one_router_per_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_BIG_KEY", "from-env")
    text = EXAMPLE.replace('path = "models/big-q4.gguf"\n', "")  # the bundled GGUF
    settings = Settings(models_file=write(tmp_path, text), _env_file=None)  # type: ignore[call-arg]
    engines = create_engines(settings)
    assert list(engines) == ["small", "big"]
    small, big = engines["small"], engines["big"]
    assert isinstance(small, Router) and isinstance(big, Router)
    assert isinstance(small.backends[0].engine, FakeEngine) and small.context_size == 2048
    remote_one, remote_two, local = (b.engine for b in big.backends)
    assert isinstance(remote_one, OpenAIEngine) and isinstance(remote_two, OpenAIEngine)
    assert (remote_one.api_key, remote_two.api_key) == ("from-env", "inline")
    assert remote_one.upstream_model == "org/Big-70B" and remote_one.model_id == "big"
    assert remote_two.timeouts.first_token_s == 20
    assert [b.weight for b in big.backends] == [2, 1, 1] and big.backends[0].max_concurrency == 64
    assert big.backends[2].fallback and local.backend_name == "llama_cpp" and local.model_id == "big"
    assert big.parameters == 70_000_000_000
    assert assistant_engine(engines, settings) is small
    chosen = settings.model_copy(update={"assistant_model": "big"})
    assert assistant_engine(engines, chosen) is big
    with pytest.raises(ConfigurationError, match="'nope' is not in the models file"):
        assistant_engine(engines, settings.model_copy(update={"assistant_model": "nope"}))


def test_a_missing_gguf_fails_at_start_up(tmp_path: Path) -> None:
    settings = Settings(models_file=write(tmp_path, EXAMPLE), _env_file=None)  # type: ignore[call-arg]
    text = '[[models]]\nname = "x"\npath = "absent.gguf"\n'
    with pytest.raises(ConfigurationError, match="model file not found"):
        create_engines(settings.model_copy(update={"models_file": write(tmp_path, text)}))


def test_api_lists_and_routes_every_model(settings: Settings, tmp_path: Path) -> None:
    text = '[[models]]\nname = "alpha"\nbackend = "fake"\n\n[[models]]\nname = "beta"\nbackend = "fake"\n'
    app = create_app(settings.model_copy(update={"models_file": write(tmp_path, text)}))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        wait_until(lambda: app.state.ready)
        listed = [m["id"] for m in client.get("/v1/models").json()["data"]]
        assert listed[-2:] == ["alpha", "beta"]
        assert client.get("/v1/models/beta").status_code == 200
        alpha, beta = (app.state.engines[n].backends[0].engine for n in ("alpha", "beta"))
        reply = client.post(
            "/v1/chat/completions", json={"model": "beta", "messages": [{"role": "user", "content": "hi"}]}
        ).json()
        assert reply["model"] == "beta" and reply["choices"][0]["message"]["content"] == "Echo: hi"
        assert len(beta.requests) == 1 and not alpha.requests
        assert beta.requests[0].messages is not None  # chats carry their messages to the engine
        done = client.post("/v1/completions", json={"model": "alpha", "prompt": "some text"}).json()
        assert done["model"] == "alpha" and len(alpha.requests) == 1
        missing = client.post(
            "/v1/chat/completions", json={"model": "gamma", "messages": [{"role": "user", "content": "x"}]}
        )
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "model_not_found"
