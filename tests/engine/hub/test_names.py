"""Model names, the catalogue and the choice of files: no network."""

from __future__ import annotations

from pathlib import Path

import pytest

from eclair.engine.hub.catalogue import load_catalogue
from eclair.engine.hub.names import is_model_path, parse_model_name
from eclair.engine.hub.quants import RepoFile, available_quants, quant_label, select
from eclair.errors import ConfigurationError, ModelUnavailable

CATALOGUE = load_catalogue()


@pytest.mark.parametrize(
    ("text", "repo", "quant"),
    [
        ("hf.co/Qwen/Qwen2.5-1.5B-Instruct-GGUF:Q4_K_M", "Qwen/Qwen2.5-1.5B-Instruct-GGUF", "Q4_K_M"),
        ("huggingface.co/bartowski/Some-Model-GGUF:iq4_xs", "bartowski/Some-Model-GGUF", "iq4_xs"),
        ("https://huggingface.co/org/repo.v2", "org/repo.v2", None),
        ("org/repo:model-q8_0.gguf", "org/repo", "model-q8_0.gguf"),
        ("qwen2.5:1.5b", "Qwen/Qwen2.5-1.5B-Instruct-GGUF", "Q4_K_M"),
        ("QWEN3:0.6B", "Qwen/Qwen3-0.6B-GGUF", "Q8_0"),
    ],
)
def test_names_parse_to_a_repository_and_quantisation(text: str, repo: str, quant: str | None) -> None:
    model = parse_model_name(text, CATALOGUE)
    assert (model.repo, model.quant, model.name) == (repo, quant, text)


def test_paths_are_not_names(tmp_path: Path) -> None:
    existing = tmp_path / "model-without-suffix"
    existing.write_bytes(b"x")
    for text in ("/abs/model.gguf", "./m.gguf", "~/m", "models/x.GGUF", str(existing)):
        assert is_model_path(text), text
    for text in ("qwen2.5:1.5b", "hf.co/org/repo:Q4_K_M", "org/repo"):
        assert not is_model_path(text), text


def test_unknown_names_list_the_catalogue() -> None:
    with pytest.raises(ModelUnavailable, match=r"unknown model 'llama3'.*qwen2.5:0.5b") as failed:
        parse_model_name("llama3", CATALOGUE)
    assert failed.value.code == "unknown_model"


def test_the_shipped_catalogue_is_complete() -> None:
    names = CATALOGUE.names()
    for name in ("qwen2.5:0.5b", "qwen2.5:1.5b", "qwen3:0.6b", "qwen3:1.7b", "smollm2:360m", "smollm2:1.7b",
                 "ministral3:3b", "mistral-small3:24b"):  # fmt: skip
        entry = CATALOGUE.get(name)
        assert entry is not None and entry.licence and entry.languages and entry.size > 0, name
    assert CATALOGUE.get("mistral-small3:24b").gpu  # type: ignore[union-attr]
    assert sum("fr" in CATALOGUE.entries[n].languages for n in names) >= 5


def test_an_operator_catalogue_adds_and_replaces_and_is_validated(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text(
        '[[models]]\nname = "qwen2.5:1.5b"\nrepo = "me/Mirror-GGUF"\nlicence = "Apache-2.0"\n'
        'parameters = 1\nsize = 1\nlanguages = ["fr"]\ncontext_length = 1\nlayers = 1\nkv_heads = 1\n'
        "head_dim = 1\n",
        encoding="utf-8",
    )
    merged = load_catalogue(extra)
    assert merged.get("qwen2.5:1.5b").repo == "me/Mirror-GGUF"  # type: ignore[union-attr]
    assert merged.get("qwen3:0.6b") is not None
    extra.write_text('[[models]]\nname = "x"\nrepo = "a/b"\nsize = "big"\n', encoding="utf-8")
    with pytest.raises(ConfigurationError, match=r"models\[0\] \('x'\)"):
        load_catalogue(extra)


def files(*paths: str) -> list[RepoFile]:
    return [RepoFile(p, 10, None) for p in paths]


def test_quantisations_match_whole_tokens_case_insensitively() -> None:
    listing = files(
        "m-Q4_K.gguf", "m-Q4_K_M.gguf", "m-Q4_K_S.gguf", "m.Q8_0.gguf", "mmproj-m-Q4_K_M.gguf", "README.md"
    )
    assert select(listing, "q4_k", "r").first.path == "m-Q4_K.gguf"
    assert select(listing, "Q4_K_M", "r").first.path == "m-Q4_K_M.gguf"
    assert select(listing, None, "r").first.path == "m-Q4_K_M.gguf"
    assert select(listing, "m.q8_0.gguf", "r").first.path == "m.Q8_0.gguf"
    assert available_quants(listing) == ["Q4_K", "Q4_K_M", "Q4_K_S", "Q8_0"]
    assert quant_label("sub/Model-IQ4_XS-00001-of-00002.gguf") == "IQ4_XS"


def test_ambiguous_incomplete_and_missing_choices_are_refused() -> None:
    with pytest.raises(ModelUnavailable, match="several GGUF files match Q4_K_M"):
        select(files("a-Q4_K_M.gguf", "b-Q4_K_M.gguf"), "Q4_K_M", "r")
    incomplete = files("x-Q4_K_M-00001-of-00002.gguf", "y-Q8_0.gguf")  # part 2 missing
    assert select(incomplete, None, "r").quant == "Q8_0"
    with pytest.raises(ModelUnavailable, match="has no GGUF file"):
        select(files("README.md", "mmproj-f16.gguf"), None, "r")
