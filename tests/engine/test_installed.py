"""Installed models served on demand: found in the Hugging Face cache (and the bundled GGUF),
named as ``eclair models list`` names them, loaded by the pool with their own chat template."""

from __future__ import annotations

from pathlib import Path

import pytest

from eclair.api.services import build_model_pool
from eclair.config import BUNDLED_MODEL_FILE, Settings, bundled_model_path
from eclair.engine.hub.cache import HubEnv
from eclair.engine.hub.catalogue import load_catalogue
from eclair.engine.hub.fit import memory_needed
from eclair.engine.installed import installed_models
from eclair.engine.llama_cpp import LlamaCppEngine
from eclair.engine.protocol import ChatMessage
from tests.engine import templates
from tests.engine.hub.conftest import hf_environment
from tests.engine.hub.ggufs import write_tiny_llama
from tests.engine.installs import catalogue_file, install

BUNDLED = BUNDLED_MODEL_FILE.removesuffix(".gguf")
NAMED, OTHER = "eclair-test/Named-GGUF", "eclair-test/Other-GGUF"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> HubEnv:
    return hf_environment(monkeypatch, tmp_path / "hf", "http://127.0.0.1:9")  # never contacted


@pytest.fixture
def ggufs(tmp_path: Path) -> dict[str, Path]:
    """Tiny loadable models, each with another family's chat template."""
    folder = tmp_path / "ggufs"
    folder.mkdir()
    return {
        "llama3": write_tiny_llama(folder / "llama3.gguf", seed=1, chat_template=templates.LLAMA_3),
        "mistral": write_tiny_llama(folder / "mistral.gguf", seed=2, chat_template=templates.MISTRAL_7B),
        "qwen": write_tiny_llama(folder / "qwen.gguf", seed=3, chat_template=templates.QWEN2_5),
    }


def settings_for(tmp_path: Path, model: Path, **values: object) -> Settings:
    catalogue = catalogue_file(tmp_path / "catalogue.toml", "tiny:named", NAMED, "Q4_K_M")
    base = {"model": str(model), "model_catalogue": catalogue, "data_dir": tmp_path / "data"}
    base |= {"threads": 1, "n_slots": 1, "ctx_size": 128, "models_keep_alive": 300}
    return Settings(**{**base, **values}, _env_file=None)  # type: ignore[arg-type]


def test_installed_models_are_named_as_the_catalogue_or_the_hub_names_them(
    env: HubEnv, ggufs: dict[str, Path], tmp_path: Path
) -> None:
    install(env, NAMED, "named-Q4_K_M.gguf", ggufs["llama3"].read_bytes())
    install(env, OTHER, "other-Q8_0.gguf", ggufs["mistral"].read_bytes())
    install(env, "eclair-test/Stray-GGUF", "stray-Q8_0.gguf", ggufs["qwen"].read_bytes(), on_main=False)
    settings = settings_for(tmp_path, ggufs["qwen"])
    specs = installed_models(settings, env=env, catalogue=load_catalogue(settings.model_catalogue))
    assert [(s.model_id, s.aliases, s.source) for s in specs] == [
        (BUNDLED, (), "installed"),
        ("tiny:named", (f"hf.co/{NAMED}:Q4_K_M",), "installed"),
        (f"hf.co/{OTHER}:Q8_0", (), "installed"),
    ]
    engine = specs[1].build()
    assert isinstance(engine, LlamaCppEngine) and engine.model_id == "tiny:named"
    assert engine.n_slots == 1 and engine.context_size == 128  # the server's engine settings
    assert engine.memory_estimate() == memory_needed(engine.model_path, ctx_size=128, n_slots=1)


def test_a_file_already_served_is_not_listed_twice(
    env: HubEnv, ggufs: dict[str, Path], tmp_path: Path
) -> None:
    served = install(env, NAMED, "named-Q4_K_M.gguf", ggufs["llama3"].read_bytes())
    settings = settings_for(tmp_path, served)
    catalogue = load_catalogue(settings.model_catalogue)
    listed = installed_models(settings, env=env, catalogue=catalogue, served=[served, bundled_model_path()])
    assert listed == []


async def test_each_model_renders_with_its_own_template_and_swaps_within_the_budget(
    env: HubEnv, ggufs: dict[str, Path], tmp_path: Path
) -> None:
    install(env, NAMED, "named-Q4_K_M.gguf", ggufs["llama3"].read_bytes())
    install(env, OTHER, "other-Q8_0.gguf", ggufs["mistral"].read_bytes())
    one = memory_needed(ggufs["qwen"], ctx_size=128, n_slots=1)
    settings = settings_for(tmp_path, ggufs["qwen"], models_memory_budget=int(one * 1.5))  # holds one
    served = LlamaCppEngine.from_settings(settings)
    pool = build_model_pool(settings, served, None, installed=True)
    assert pool.ids() == ["qwen", BUNDLED, "tiny:named", f"hf.co/{OTHER}:Q8_0"]
    conversation = [ChatMessage("system", "Be brief."), ChatMessage("user", "Hi")]
    rendered = {}
    try:
        for model in ("qwen", "tiny:named", f"hf.co/{OTHER}:Q8_0", "qwen"):
            lease = await pool.acquire(model)
            rendered[model] = lease.engine.render_chat(conversation)
            assert [m.model_id for m in pool.snapshot().models if m.state == "loaded"] == [model]
            assert pool.reserved() <= pool.budget  # type: ignore[operator]
            lease.release()
    finally:
        await pool.close()
    bos, eos = "<|im_start|>", "<|im_end|>"  # the tiny vocabulary's BOS and EOS texts
    assert (
        rendered["qwen"]
        == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
    )
    assert rendered["tiny:named"] == (
        f"{bos}<|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
    )
    assert rendered[f"hf.co/{OTHER}:Q8_0"] == f"{bos} [INST] Be brief.\n\nHi [/INST]"
    assert eos not in rendered[f"hf.co/{OTHER}:Q8_0"]
    loads = {m.model_id: m.loads for m in pool.snapshot().models}
    assert loads == {"qwen": 2, BUNDLED: 0, "tiny:named": 1, f"hf.co/{OTHER}:Q8_0": 1}
