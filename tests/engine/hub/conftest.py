"""Fixtures for the Hub tests: a fake Hub, a temporary Hugging Face cache, tiny GGUFs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from eclair.engine.hub.cache import HubEnv
from eclair.engine.hub.fit import Machine
from tests.engine.hub.fakehub import FakeHub, running_hub
from tests.engine.hub.ggufs import write_tiny_llama

REPO = "eclair-test/Tiny-GGUF"
Q4, Q8 = "tiny-q4_k_m.gguf", "tiny-Q8_0.gguf"
ROOMY = Machine(available_ram=10**12, free_disk=10**13)  # a machine everything fits


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """Two loadable tiny llama GGUFs (different weights, so different sha256s), ~430 KB each."""
    folder = tmp_path_factory.mktemp("ggufs")
    return tuple(  # type: ignore[return-value]
        write_tiny_llama(folder / f"{seed}.gguf", seed=seed).read_bytes() for seed in (0, 1)
    )


@pytest.fixture
def hub(tiny: tuple[bytes, bytes]) -> Iterator[FakeHub]:
    """The fake Hub with ``REPO`` holding a Q4_K_M and a Q8_0 tiny model and a README."""
    with running_hub() as fake:
        fake.add(REPO, {Q4: tiny[0], Q8: tiny[1], "README.md": b"# tiny\n"})
        yield fake


def hf_environment(monkeypatch: pytest.MonkeyPatch, home: Path, endpoint: str) -> HubEnv:
    """HF_HOME and HF_ENDPOINT for this test, nothing inherited (offline flag, token, cache)."""
    for name in (
        "HF_HUB_CACHE",
        "HUGGINGFACE_HUB_CACHE",
        "HF_HUB_OFFLINE",
        "TRANSFORMERS_OFFLINE",
        "HF_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HOME", str(home))
    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    return HubEnv.from_environ()


@pytest.fixture
def hf_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, hub: FakeHub) -> HubEnv:
    return hf_environment(monkeypatch, tmp_path / "hf", hub.base)
