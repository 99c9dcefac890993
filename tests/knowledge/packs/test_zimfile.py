"""Opening and checking ZIM files: a corrupt or truncated pack is refused at add time."""

from __future__ import annotations

from pathlib import Path

import pytest

from eclair.knowledge.packs.zimfile import PackError, read_pack_info, verify_pack


def test_metadata_of_a_pack(zims: dict[str, Path]) -> None:
    info = read_pack_info(zims["en"])
    assert (info.name, info.title, info.language, info.articles) == ("test_en", "Test encyclopedia", "en", 10)
    assert info.fulltext and info.titles and info.size == zims["en"].stat().st_size
    assert len(info.date) == 10
    assert read_pack_info(zims["fr"]).language == "fr"
    assert read_pack_info(zims["en"], name="other").name == "other"


def test_a_pack_without_full_text_index_is_accepted(zims: dict[str, Path]) -> None:
    verify_pack(zims["titles"])
    assert not read_pack_info(zims["titles"]).fulltext


def test_the_whole_file_is_checked_with_progress(zims: dict[str, Path]) -> None:
    seen: list[tuple[int, int]] = []
    verify_pack(zims["en"], lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] == zims["en"].stat().st_size - 16


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated download
        lambda data: data[:-1],  # one byte short
        lambda data: data[:1000] + bytes([data[1000] ^ 0xFF]) + data[1001:],  # a flipped byte
        lambda data: (
            data[: len(data) // 3]
            + bytes(b ^ 0x5A for b in data[len(data) // 3 : len(data) // 3 + 64])
            + data[len(data) // 3 + 64 :]
        ),
        lambda data: b"<html>not a zim</html>",
    ],
)
def test_damaged_files_are_refused_with_a_clear_error(zims: dict[str, Path], tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.zim"
    bad.write_bytes(damage(zims["en"].read_bytes()))
    with pytest.raises(PackError) as refused:
        read_pack_info(bad)
        verify_pack(bad)
    assert "bad.zim" in refused.value.message
    assert refused.value.code == "invalid_pack" and refused.value.status == 400


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="no such file"):
        read_pack_info(tmp_path / "nothing.zim")
