"""``eclair models`` through Typer's CliRunner, against the fake Hub and a temporary cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from eclair.cli import app
from eclair.engine.hub.cache import HubEnv
from tests.engine.hub.conftest import Q4, REPO
from tests.engine.hub.fakehub import FakeHub
from tests.engine.hub.ggufs import write_header_only

runner = CliRunner()
NAME = f"hf.co/{REPO}:Q4_K_M"


def models(*args: str) -> tuple[int, str]:
    """Exit code and output without whitespace (Rich folds long names and paths in 80 columns)."""
    result = runner.invoke(app, ["models", *args])
    return result.exit_code, "".join(result.output.split())


def test_pull_list_show_rm(hub: FakeHub, hf_env: HubEnv) -> None:
    code, out = models("pull", NAME)
    assert code == 0, out
    assert "fit:needs" in out and "available" in out and "pulled" in out
    cached = hf_env.storage(REPO) / "snapshots" / hub.repos[REPO].commit / Q4
    assert cached.is_file() and str(cached) in out
    assert "alreadyinthecache" in models("pull", NAME)[1]

    code, out = models("list")
    assert (
        code == 0 and NAME in out and "bundled(--modelempty)" in out and "SmolLM2-135M-Instruct.Q4_1" in out
    )

    code, out = models("show", NAME, "--verify")
    assert code == 0, out
    for expected in ("architecturellama", "contextlength256", "layers2", "chattemplatepresent",
                     "matchestheHub's", "commit"):  # fmt: skip
        assert expected in out, expected
    code, out = models("show", f"hf.co/{REPO}:Q8_0")  # not pulled: from the Hub, header by Range
    assert code == 0 and "installedno(eclairmodelspullNAME)" in out and "layers2" in out

    code, out = models("rm", NAME)
    assert code == 0 and "removed" in out and "freed434.1KB" in out
    assert not cached.exists() and NAME not in models("list")[1]
    code, out = models("rm", NAME)
    assert code == 1 and "isnotinthecache" in out


def test_list_available_shows_the_catalogue(hf_env: HubEnv) -> None:
    code, out = models("list", "--available", "--ctx-size", "2048", "--n-slots", "1")
    assert code == 0, out
    for expected in ("qwen2.5:1.5b", "qwen3:0.6b", "smollm2:360m", "mistral-small3:24b", "Apache-2.0",
                     "fren", "Q4_K_M", "GPU", "--ctx-size2048×--n-slots1"):  # fmt: skip
        assert expected in out, expected


def test_pull_refuses_what_does_not_fit_unless_forced(hub: FakeHub, hf_env: HubEnv, tmp_path: Path) -> None:
    # a header that claims 4096 layers of 128 KV heads: terabytes of KV cache, on any machine
    huge = write_header_only(
        tmp_path / "huge.gguf", n_layer=4096, n_embd=16384, n_head=128, n_head_kv=128, context_length=1 << 20
    )
    hub.add("eclair-test/Huge-GGUF", {"huge-Q4_K_M.gguf": huge.read_bytes()})
    code, out = models("pull", "hf.co/eclair-test/Huge-GGUF")
    assert code == 1 and "doesnotfitinmemory" in out and "TBKVcache" in out and "available" in out
    assert not hf_env.storage("eclair-test/Huge-GGUF").exists()
    code, out = models("pull", "hf.co/eclair-test/Huge-GGUF", "--force")
    assert code == 0 and "pullinganyway" in out and "pulled" in out


def test_clear_errors(hub: FakeHub, hf_env: HubEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = models("pull", "nope:1b")
    assert code == 1 and "unknownmodel'nope:1b'" in out and "Traceback" not in out
    code, out = models("pull", f"hf.co/{REPO}:Q5_K_M")
    assert code == 1 and "hasnoGGUFfileforQ5_K_M;ithas:Q4_K_M,Q8_0" in out
    code, out = models("pull", "./model.gguf")
    assert code == 1 and "isafilepath" in out
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    code, out = models("pull", NAME)
    assert code == 1 and "HF_HUB_OFFLINEisset" in out
