"""``--model NAME``: settings, the embedded engine, the models file and readiness."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from eclair.api.app import create_app
from eclair.config import Settings
from eclair.engine.catalog import create_engines, load_models_file
from eclair.engine.hub.cache import HubEnv
from eclair.engine.llama_cpp import LlamaCppEngine
from eclair.engine.protocol import Finished, GenerationRequest, SamplingParams, TextDelta
from eclair.engine.router import Router
from eclair.errors import ModelUnavailable
from tests.engine.hub.conftest import Q4, REPO
from tests.engine.hub.fakehub import FakeHub

NAME = f"hf.co/{REPO}:Q4_K_M"


def settings(tmp_path: Path, **values: object) -> Settings:
    base = {"model": NAME, "data_dir": tmp_path / "data", "threads": 1, "n_slots": 1, "ctx_size": 256}
    return Settings(**{**base, **values}, _env_file=None)  # type: ignore[arg-type]


def test_a_name_resolves_to_a_planned_pull_then_to_the_cache(
    hub: FakeHub, hf_env: HubEnv, tmp_path: Path
) -> None:
    chosen = settings(tmp_path)
    assert chosen.served_model_id() == NAME
    located = chosen.locate_model()
    expected = hf_env.storage(REPO) / "snapshots" / hub.repos[REPO].commit / Q4
    assert located.path == expected and located.pending is not None and not expected.exists()
    assert chosen.model_path() == expected and expected.is_file()  # pulled on first use
    seen = len(hub.requests)
    again = chosen.locate_model()
    assert again.path == expected and again.pending is None and len(hub.requests) == seen  # no network
    assert settings(tmp_path, model=Path("/m/x.gguf")).model == "/m/x.gguf"  # a Path is taken as text


def test_a_name_that_does_not_fit_fails_at_start_up(hub: FakeHub, hf_env: HubEnv, tmp_path: Path) -> None:
    from tests.engine.hub.ggufs import write_header_only

    huge = write_header_only(
        tmp_path / "huge.gguf", n_layer=4096, n_embd=16384, n_head=128, n_head_kv=128, context_length=1 << 20
    )
    hub.add("eclair-test/Huge-GGUF", {"huge-Q8_0.gguf": huge.read_bytes()})
    with pytest.raises(ModelUnavailable, match=r"does not fit in memory.*eclair models pull --force"):
        LlamaCppEngine.from_settings(settings(tmp_path, model="hf.co/eclair-test/Huge-GGUF", ctx_size=65536))


async def test_the_engine_pulls_at_start_then_generates(hub: FakeHub, hf_env: HubEnv, tmp_path: Path) -> None:
    engine = LlamaCppEngine.from_settings(settings(tmp_path))
    assert not engine.model_path.exists()  # built, not pulled: the pull runs in start()
    await engine.start()
    try:
        assert engine.model_path.is_file() and engine.model_id == NAME
        params = SamplingParams(temperature=0.0, max_tokens=5)
        events = [event async for event in engine.generate(GenerationRequest("hello", params))]
        assert isinstance(events[-1], Finished) and events[-1].usage.completion_tokens == 5
        assert all(isinstance(e, TextDelta) for e in events[:-1])
    finally:
        await engine.close()


def test_the_models_file_takes_names_in_path(hub: FakeHub, hf_env: HubEnv, tmp_path: Path) -> None:
    models = tmp_path / "eclair.toml"
    models.write_text(f'[[models]]\nname = "tiny"\npath = "{NAME}"\n', encoding="utf-8")
    assert load_models_file(models).models[0].path == Path(NAME)  # not made relative to the file
    engines = create_engines(settings(tmp_path, model=None, models_file=models))
    router = engines["tiny"]
    assert isinstance(router, Router)
    local = router.backends[0].engine
    assert isinstance(local, LlamaCppEngine) and local.model_path.name == Q4 and local.model_id == "tiny"


def test_ready_says_503_while_the_model_is_pulled(
    hub: FakeHub, hf_env: HubEnv, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="eclair.engine.hub")
    hub.download_delay_s = 0.5
    app = create_app(settings(tmp_path))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        pulling = client.get("/ready")
        assert pulling.status_code == 503 and pulling.headers["retry-after"]
        assert pulling.json()["status"] == "loading"
        deadline = time.monotonic() + 20
        while (answer := client.get("/ready")).status_code != 200:
            assert time.monotonic() < deadline and answer.json()["status"] == "loading"
            time.sleep(0.05)
        assert answer.json()["model"] == NAME
        assert NAME in [m["id"] for m in client.get("/v1/models").json()["data"]]
    logged = [r.getMessage() for r in caplog.records]
    assert f"pulling {NAME} (tiny-q4_k_m.gguf, 434.1 KB) into {hf_env.cache_dir}" in logged
    assert "pulling tiny-q4_k_m.gguf: 434.1 KB of 434.1 KB (100 %)" in logged and f"pulled {NAME}" in logged
