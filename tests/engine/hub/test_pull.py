"""Pulling from a fake Hub on 127.0.0.1 (tests/engine/hub/fakehub.py) into a temporary
Hugging Face cache, through the real huggingface_hub: layout, resume, checksum, offline,
mirrors, fit check, quantisation choice."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from huggingface_hub import try_to_load_from_cache

from eclair.engine.hub.cache import HubEnv, find_cached, installed
from eclair.engine.hub.catalogue import load_catalogue
from eclair.engine.hub.fit import Machine
from eclair.engine.hub.names import parse_model_name
from eclair.engine.hub.pull import PullPlan, fetch, plan_pull
from eclair.engine.hub.resolve import locate_model
from eclair.errors import ModelUnavailable
from tests.engine.hub.conftest import Q4, Q8, REPO, ROOMY, hf_environment
from tests.engine.hub.fakehub import FakeHub, running_hub

CATALOGUE = f"""
[[models]]
name = "tiny:1m"
repo = "{REPO}"
quant = "Q8_0"
licence = "Apache-2.0"
parameters = 100_000
size = 434_144
languages = ["fr", "en"]
context_length = 256
layers = 2
kv_heads = 2
head_dim = 16
"""


def plan(name: str, env: HubEnv, machine: Machine = ROOMY, catalogue: Path | None = None) -> PullPlan:
    model = parse_model_name(name, load_catalogue(catalogue))
    return plan_pull(model, env, ctx_size=128, n_slots=2, machine=machine)


def snapshot_of(env: HubEnv, hub: FakeHub) -> Path:
    return env.storage(REPO) / "snapshots" / hub.repos[REPO].commit


def test_pull_by_hub_name_lands_in_the_hugging_face_cache_layout(
    hub: FakeHub, hf_env: HubEnv, tiny: tuple[bytes, bytes]
) -> None:
    path = fetch(plan(f"hf.co/{REPO}:Q4_K_M", hf_env))
    sha = hashlib.sha256(tiny[0]).hexdigest()
    assert path == snapshot_of(hf_env, hub) / Q4 and path.read_bytes() == tiny[0]
    assert path.is_symlink() and path.resolve() == hf_env.storage(REPO) / "blobs" / sha
    assert (hf_env.storage(REPO) / "refs" / "main").read_text() == hub.repos[REPO].commit
    assert hf_env.cache_dir == Path(os.environ["HF_HOME"]) / "hub"
    # other tools find it: huggingface_hub's own cache lookup
    assert try_to_load_from_cache(REPO, Q4, cache_dir=hf_env.cache_dir) == str(path)
    # one download of the bytes (the header read is a bounded Range); linking downloaded nothing
    assert [r.range for r in hub.file_gets()] == ["bytes=0-67108863", None]
    assert not list((hf_env.storage(REPO) / "blobs").glob("*.incomplete"))


def test_pull_by_catalogue_name(
    hub: FakeHub, hf_env: HubEnv, tiny: tuple[bytes, bytes], tmp_path: Path
) -> None:
    extra = tmp_path / "catalogue.toml"
    extra.write_text(CATALOGUE, encoding="utf-8")
    pulled = plan("TINY:1m", hf_env, catalogue=extra)
    assert pulled.model.entry is not None and pulled.selection.quant == "Q8_0"
    assert fetch(pulled).read_bytes() == tiny[1]
    assert installed(hf_env)[0].name == f"hf.co/{REPO}:Q8_0"


def test_a_dropped_connection_is_resumed_within_the_pull(
    hub: FakeHub, hf_env: HubEnv, tiny: tuple[bytes, bytes]
) -> None:
    pulled = plan(f"{REPO}:Q4_K_M", hf_env)
    hub.requests.clear()
    hub.cut_after, hub.cuts_left = 100_000, 1
    assert fetch(pulled).read_bytes() == tiny[0]
    assert hub.ranges_from() == [0, 100_000]


def test_an_interrupted_pull_is_resumed_by_the_next_pull(
    hub: FakeHub, hf_env: HubEnv, tiny: tuple[bytes, bytes]
) -> None:
    first = plan(f"{REPO}:Q4_K_M", hf_env)
    hub.cut_after, hub.cuts_left = 50_000, 1_000  # every attempt of this pull is cut
    with pytest.raises(ModelUnavailable, match="run again to resume") as failed:
        fetch(first)
    assert failed.value.code == "download_failed"
    part = hf_env.storage(REPO) / "blobs" / f"{hashlib.sha256(tiny[0]).hexdigest()}.incomplete"
    kept = part.stat().st_size
    assert kept == 4 * 50_000  # four attempts, each made progress, then it gave up
    assert find_cached(hf_env, first.model) is None
    # the next pull (a new plan, as a new process would make) resumes from the bytes on disk
    hub.cuts_left, hub.requests = 0, []
    second = plan(f"{REPO}:Q4_K_M", hf_env)
    assert second.fit.to_download == len(tiny[0]) - kept
    path = fetch(second)
    assert path.read_bytes() == tiny[0] and not part.exists()
    downloads = [r.range for r in hub.file_gets() if r.range != "bytes=0-67108863"]
    assert downloads == [f"bytes={kept}-"]


def test_a_corrupted_file_is_refused_and_nothing_is_left(
    hub: FakeHub, hf_env: HubEnv, tiny: tuple[bytes, bytes]
) -> None:
    hub.corrupt.add(hashlib.sha256(tiny[0]).hexdigest())
    pulled = plan(f"hf.co/{REPO}:Q4_K_M", hf_env)
    with pytest.raises(ModelUnavailable, match="corrupt and was deleted") as refused:
        fetch(pulled)
    assert refused.value.code == "checksum_mismatch"
    assert hashlib.sha256(tiny[0]).hexdigest() in refused.value.message
    assert not hf_env.storage(REPO).exists()  # no part, no blob, no snapshot, no ref
    assert find_cached(hf_env, pulled.model) is None and installed(hf_env) == []


def test_offline_start_from_the_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny: tuple[bytes, bytes]
) -> None:
    with running_hub() as hub:
        hub.add(REPO, {Q4: tiny[0], Q8: tiny[1]})
        env = hf_environment(monkeypatch, tmp_path / "hf", hub.base)
        pulled = fetch(plan(f"hf.co/{REPO}:Q4_K_M", env))
    # the server is gone: a cached name resolves without the network, offline flag or not
    for offline in ("", "1"):
        monkeypatch.setenv("HF_HUB_OFFLINE", offline)
        for name in (f"hf.co/{REPO}:Q4_K_M", f"hf.co/{REPO}", f"{REPO}:q4_k_m"):
            located = locate_model(name, catalogue_file=None, ctx_size=128, n_slots=1)
            assert located.path == pulled and located.pending is None
    with pytest.raises(ModelUnavailable, match="HF_HUB_OFFLINE is set") as absent:
        locate_model(f"hf.co/{REPO}:Q8_0", catalogue_file=None, ctx_size=128, n_slots=1)
    assert absent.value.code == "not_cached"
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    with pytest.raises(ModelUnavailable, match="cannot reach"):
        locate_model(f"hf.co/{REPO}:Q8_0", catalogue_file=None, ctx_size=128, n_slots=1)


def test_hf_endpoint_picks_the_mirror(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny: tuple[bytes, bytes]
) -> None:
    with running_hub() as first, running_hub() as second:
        for fake in (first, second):
            fake.add(REPO, {Q4: tiny[0]})
        env = hf_environment(monkeypatch, tmp_path / "hf", second.base)
        assert fetch(plan(f"hf.co/{REPO}:Q4_K_M", env)).read_bytes() == tiny[0]
        assert second.file_gets() and not first.requests
        seen_by_second = len(second.requests)
        env = hf_environment(monkeypatch, tmp_path / "hf2", first.base)
        fetch(plan(f"hf.co/{REPO}:Q4_K_M", env))
        assert first.file_gets() and len(second.requests) == seen_by_second


def test_the_fit_check_refuses_with_figures_and_force_overrides(
    hub: FakeHub, hf_env: HubEnv, tiny: tuple[bytes, bytes]
) -> None:
    small = Machine(available_ram=200_000_000, free_disk=10**12)
    pulled = plan(f"hf.co/{REPO}:Q4_K_M", hf_env, machine=small)
    fit = pulled.fit
    # 2 layers × 2 KV heads × (16 + 16) × 2 bytes; 2 slots × min(128, 256) tokens
    assert fit.kv_cache == 256 * 256 and fit.weights == len(tiny[0])
    assert fit.ram_needed == len(tiny[0]) + 256 * 256 + 256_000_000
    with pytest.raises(ModelUnavailable) as refused:
        fetch(pulled)
    message = refused.value.message
    assert refused.value.code == "does_not_fit" and "does not fit in memory" in message
    assert "needs 256.5 MB of memory (434.1 KB weights + 65.5 KB KV cache for 256 tokens" in message
    assert "+ 256.0 MB runtime); 200.0 MB available" in message
    assert [r.range for r in hub.file_gets()] == ["bytes=0-67108863"]  # the header only
    assert plan(f"hf.co/{REPO}:Q4_K_M", hf_env, machine=Machine(300_000_000, 10**12)).fit.fits_ram
    assert fetch(pulled, force=True).read_bytes() == tiny[0]
    # disk is never forced: a download that cannot finish helps nobody
    no_disk = Machine(available_ram=10**12, free_disk=1_000_000)
    with pytest.raises(ModelUnavailable, match="does not fit on disk"):
        fetch(plan(f"hf.co/{REPO}:Q8_0", hf_env, machine=no_disk), force=True)


def test_quant_choice_default_fallback_explicit_and_split(
    hub: FakeHub, hf_env: HubEnv, tiny: tuple[bytes, bytes]
) -> None:
    assert plan(f"hf.co/{REPO}", hf_env).selection.first.path == Q4  # default Q4_K_M
    assert plan(f"hf.co/{REPO}:q8_0", hf_env).selection.first.path == Q8  # explicit, any case
    hub.add("eclair-test/Only-Q8", {"m-Q8_0.gguf": tiny[1], "m-F16.gguf": tiny[0]})
    assert plan("eclair-test/Only-Q8", hf_env).selection.quant == "Q8_0"  # fallback
    with pytest.raises(ModelUnavailable, match=r"no GGUF file for Q5_K_M; it has: F16, Q8_0"):
        plan("eclair-test/Only-Q8:Q5_K_M", hf_env)
    parts = {
        f"big-Q4_K_M-0000{i}-of-00003.gguf": tiny[0] if i == 1 else os.urandom(5000 + i) for i in (1, 2, 3)
    }
    hub.add("eclair-test/Split", {**parts, "mmproj-big-f16.gguf": b"projector"})
    split = plan("hf.co/eclair-test/Split:Q4_K_M", hf_env)
    assert [f.path for f in split.selection.files] == sorted(parts)
    path = fetch(split)
    assert path.name == "big-Q4_K_M-00001-of-00003.gguf"
    assert {p.name: p.read_bytes() for p in path.parent.glob("big-*")} == parts
    assert split.fit.weights == sum(len(b) for b in parts.values())


def test_unknown_repositories_and_names_are_clear(hub: FakeHub, hf_env: HubEnv) -> None:
    with pytest.raises(ModelUnavailable, match="no model repository eclair-test/Nope") as missing:
        plan("hf.co/eclair-test/Nope:Q4_K_M", hf_env)
    assert missing.value.code == "unknown_model"
    with pytest.raises(ModelUnavailable, match="unknown model 'nope:1b'") as unknown:
        plan("nope:1b", hf_env)
    assert unknown.value.code == "unknown_model" and "qwen2.5:1.5b" in unknown.value.message
