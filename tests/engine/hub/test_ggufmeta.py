"""GGUF headers read by Éclair's own parser, checked against the gguf package's reader."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from gguf import GGUFReader

from eclair.engine.hub.ggufmeta import GgufError, read_header, read_local_header, read_remote_header
from tests.engine.hub.conftest import Q4, REPO
from tests.engine.hub.fakehub import FakeHub
from tests.engine.hub.ggufs import write_header_only, write_tiny_llama


def test_the_header_agrees_with_gguf_reader(tmp_path: Path) -> None:
    path = write_tiny_llama(tmp_path / "tiny.gguf", context_length=512, n_head_kv=2)
    facts = read_local_header(path)
    reader = GGUFReader(path)
    assert facts.tensors == len(reader.tensors)
    assert facts.parameters == sum(int(t.n_elements) for t in reader.tensors)
    field = reader.fields["llama.attention.head_count_kv"]
    assert facts.kv_heads == int(field.parts[field.data[0]][0]) == 2
    assert (facts.architecture, facts.context_length, facts.layers, facts.embedding, facts.heads) == (
        "llama", 512, 2, 64, 4,
    )  # fmt: skip
    assert facts.chat_template and facts.name == "tiny" and facts.file_type == 0
    assert facts.kv_bytes_per_token() == 2 * 2 * (16 + 16) * 2


def test_long_arrays_are_skipped_and_truncation_is_an_error(tmp_path: Path) -> None:
    path = write_header_only(
        tmp_path / "h.gguf",
        n_layer=40,
        n_embd=5120,
        n_head=32,
        n_head_kv=8,
        context_length=32768,
        vocabulary=20_000,
    )
    facts = read_local_header(path)
    assert facts.kv_bytes_per_token() == 40 * 8 * (160 + 160) * 2 and not facts.chat_template
    assert "tokenizer.ggml.tokens" not in facts.metadata  # read past, not kept
    data = path.read_bytes()
    with pytest.raises(GgufError, match="ends early"):
        read_header(_reader(data[: len(data) // 2]))
    with pytest.raises(GgufError, match="not a GGUF"):
        read_header(_reader(b"PK\x03\x04" + data[4:]))


def test_a_remote_header_is_read_from_its_first_bytes(hub: FakeHub, tiny: tuple[bytes, bytes]) -> None:
    url = f"{hub.base}/{REPO}/resolve/main/{Q4}"
    with httpx.Client() as client:
        facts = read_remote_header(url, client)
        assert facts.layers == 2 and facts.chat_template
        with pytest.raises(GgufError, match="ends early"):
            read_remote_header(url, client, limit=1000)  # a header longer than the bytes asked for
    assert [r.range for r in hub.file_gets()] == ["bytes=0-67108863", "bytes=0-999"]


def _reader(data: bytes):  # type: ignore[no-untyped-def]
    view = memoryview(data)
    position = 0

    def read(n: int) -> bytes:
        nonlocal position
        chunk = bytes(view[position : position + n])
        position += len(chunk)
        return chunk

    return read
