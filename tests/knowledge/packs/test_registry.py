"""Installed packs: add, list, remove, and a server that sees what the CLI changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eclair.errors import InvalidRequest
from eclair.knowledge.packs.registry import PackNotFound, PackRegistry
from eclair.knowledge.packs.zimfile import PackError


def test_add_list_remove(tmp_path: Path, zims: dict[str, Path]) -> None:
    packs = PackRegistry(tmp_path)
    assert packs.list() == []
    info = packs.add(zims["en"])
    packs.add(zims["fr"], name="wiki_fr")
    assert [p.name for p in packs.list()] == ["test_en", "wiki_fr"]
    assert packs.get("test_en") == info
    assert packs.archive("test_en").has_entry_by_path("Portugal")
    packs.remove("test_en")
    assert [p.name for p in packs.list()] == ["wiki_fr"]
    assert zims["en"].exists()  # a file added from elsewhere stays where it was
    with pytest.raises(PackNotFound):
        packs.archive("test_en")


def test_remove_deletes_a_file_kept_in_the_packs_folder(tmp_path: Path, zims: dict[str, Path]) -> None:
    packs = PackRegistry(tmp_path)
    packs.folder.mkdir(parents=True)
    kept = shutil.copy(zims["en"], packs.folder / "test_en.zim")
    packs.add(Path(kept))
    packs.remove("test_en")
    assert not Path(kept).exists()


def test_a_second_registry_sees_changes(tmp_path: Path, zims: dict[str, Path]) -> None:
    server, cli = PackRegistry(tmp_path), PackRegistry(tmp_path)
    assert server.list() == []
    cli.add(zims["en"])
    assert [p.name for p in server.list()] == ["test_en"]
    cli.remove("test_en")
    assert server.list() == []


def test_names_must_be_unique_and_url_safe(tmp_path: Path, zims: dict[str, Path]) -> None:
    packs = PackRegistry(tmp_path)
    packs.add(zims["en"])
    with pytest.raises(InvalidRequest, match="already installed"):
        packs.add(zims["fr"], name="test_en")
    for bad in ("../x", "a b", "", "x.zim", "é"):
        with pytest.raises(InvalidRequest, match="invalid pack name"):
            packs.add(zims["fr"], name=bad)
    assert [p.name for p in packs.list()] == ["test_en"]


def test_a_corrupt_file_is_never_registered(tmp_path: Path, zims: dict[str, Path]) -> None:
    bad = tmp_path / "bad.zim"
    data = bytearray(zims["en"].read_bytes())
    data[len(data) // 2] ^= 0xFF
    bad.write_bytes(bytes(data))
    packs = PackRegistry(tmp_path / "data")
    with pytest.raises(PackError):
        packs.add(bad)
    assert packs.list() == []
