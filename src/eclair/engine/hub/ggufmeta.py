"""A GGUF file's header, read from disk or from the first bytes of a remote file.

Contract:
- :func:`read_header` parses GGUF v2/v3 (little-endian) from any ``read(n)`` source: the
  key-value metadata, then the tensor descriptions (for the parameter count). It reads no
  tensor data, so the header of a remote file comes from one ``Range`` request of its first
  bytes (:func:`read_remote_header`); big tokenizer arrays are skipped, not kept. A source that
  ends early, or bytes that are not GGUF, raise :class:`GgufError`.
- :class:`GgufFacts` holds what the fit check and ``eclair models show`` need: architecture,
  trained context, layers, KV heads and head sizes, chat template present, parameters.
  :meth:`GgufFacts.kv_bytes_per_token` is llama.cpp's f16 K+V cache for one token.
It does not validate tensors or load anything; llama.cpp does that.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

_MAGIC = b"GGUF"
_SCALARS = {
    0: "<B",
    1: "<b",
    2: "<H",
    3: "<h",
    4: "<I",
    5: "<i",
    6: "<f",
    7: "<?",
    10: "<Q",
    11: "<q",
    12: "<d",
}
_STRING, _ARRAY = 8, 9
_KEEP_ARRAY = 4096  # number arrays up to this length are kept (per-layer head counts); longer ones skipped
_MAX_STRING = 64 * 1024 * 1024  # one metadata string this long is a corrupt file, not a template
REMOTE_HEADER_LIMIT = 64 * 1024 * 1024  # a tokenizer of 256k tokens with merges fits in ~20 MB


class GgufError(Exception):
    """Not a GGUF header we can read (truncated, another format, big-endian, version 1)."""


@dataclass(frozen=True)
class GgufFacts:
    architecture: str
    name: str | None
    context_length: int | None
    layers: int | None
    embedding: int | None
    heads: int | None
    kv_heads: int | None  # the largest over layers when it varies
    key_length: int | None
    value_length: int | None
    chat_template: bool
    parameters: int
    tensors: int
    file_type: int | None
    metadata: dict[str, Any]

    def kv_bytes_per_token(self) -> int | None:
        """K and V of every layer for one token in f16, or None when the header lacks a figure.
        Head sizes default to ``embedding / heads``, KV heads to ``heads`` (as llama.cpp does)."""
        if not (self.layers and self.embedding and self.heads):
            return None
        head = self.embedding // self.heads
        kv_heads = self.kv_heads or self.heads
        per_layer = kv_heads * ((self.key_length or head) + (self.value_length or head))
        return self.layers * per_layer * 2


def read_header(read: Callable[[int], bytes]) -> GgufFacts:
    """Parse a GGUF header from ``read(n)``, which returns up to n bytes (fewer at the end)."""
    reader = _Reader(read)
    if reader.take(4) != _MAGIC:
        raise GgufError("not a GGUF file (no GGUF magic)")
    version = reader.unpack("<I")
    if version not in (2, 3):
        raise GgufError(f"GGUF version {version} is not supported (big-endian or too old)")
    n_tensors, n_kv = reader.unpack("<Q"), reader.unpack("<Q")
    metadata: dict[str, Any] = {}
    for _ in range(n_kv):
        key = reader.string()
        metadata[key] = reader.value(reader.unpack("<I"))
    parameters = 0
    for _ in range(n_tensors):
        reader.string()  # tensor name
        dims = [reader.unpack("<Q") for _ in range(reader.unpack("<I"))]
        reader.take(4 + 8)  # type, offset
        count = 1
        for dim in dims:
            count *= dim
        parameters += count
    return _facts(metadata, parameters, n_tensors)


def read_local_header(path: Path) -> GgufFacts:
    with path.open("rb") as source:
        return read_header(source.read)


def read_remote_header(
    url: str, client: httpx.Client, headers: dict[str, str] | None = None, limit: int = REMOTE_HEADER_LIMIT
) -> GgufFacts:
    """The header of the GGUF at ``url`` from its first bytes (one ``Range`` request, closed as
    soon as the header is parsed). HTTP failures raise :class:`GgufError` too."""
    asked = {**(headers or {}), "Range": f"bytes=0-{limit - 1}", "Accept-Encoding": "identity"}
    try:
        with client.stream("GET", url, headers=asked, follow_redirects=True) as response:
            if response.status_code not in (200, 206):
                raise GgufError(f"HTTP {response.status_code}")
            return read_header(_ChunkReader(response.iter_raw()).read)
    except httpx.HTTPError as exc:
        raise GgufError(str(exc) or type(exc).__name__) from exc


# -- parsing ------------------------------------------------------------------------------


class _Reader:
    def __init__(self, read: Callable[[int], bytes]):
        self._read = read

    def take(self, n: int) -> bytes:
        data = self._read(n)
        if len(data) != n:
            raise GgufError("the header ends early (truncated file, or past the bytes fetched)")
        return data

    def skip(self, n: int) -> None:
        while n > 0:  # in slices: a skipped array can be tens of megabytes
            step = min(n, 1 << 20)
            self.take(step)
            n -= step

    def unpack(self, fmt: str) -> Any:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def string(self) -> str:
        length = self.unpack("<Q")
        if length > _MAX_STRING:
            raise GgufError(f"a metadata string of {length} bytes: not a GGUF header")
        return self.take(length).decode("utf-8", errors="replace")

    def value(self, kind: int) -> Any:
        if kind in _SCALARS:
            return self.unpack(_SCALARS[kind])
        if kind == _STRING:
            return self.string()
        if kind != _ARRAY:
            raise GgufError(f"unknown metadata value type {kind}")
        item, count = self.unpack("<I"), self.unpack("<Q")
        if item in _SCALARS and count > _KEEP_ARRAY:
            self.skip(count * struct.calcsize(_SCALARS[item]))
            return _Skipped(count)
        if item == _STRING and count > _KEEP_ARRAY:  # vocabularies, merges: lengths must be read
            for _ in range(count):
                self.skip(self.unpack("<Q"))
            return _Skipped(count)
        return [self.value(item) for _ in range(count)]


@dataclass(frozen=True)
class _Skipped:
    """A long array read past: its length only."""

    length: int


class _ChunkReader:
    """``read(n)`` over an iterator of byte chunks (an HTTP body)."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks, self._buffer = chunks, bytearray()

    def read(self, n: int) -> bytes:
        while len(self._buffer) < n:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        data = bytes(self._buffer[:n])
        del self._buffer[:n]
        return data


def _facts(metadata: dict[str, Any], parameters: int, tensors: int) -> GgufFacts:
    arch = str(metadata.get("general.architecture", "unknown"))

    def number(key: str) -> int | None:
        value = metadata.get(f"{arch}.{key}")
        if isinstance(value, list):  # per-layer values (some hybrid models): the largest
            value = max((v for v in value if isinstance(v, int | float)), default=None)
        return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

    template = metadata.get("tokenizer.chat_template")
    file_type = metadata.get("general.file_type")
    name = metadata.get("general.name")
    return GgufFacts(
        architecture=arch,
        name=name if isinstance(name, str) else None,
        context_length=number("context_length"),
        layers=number("block_count"),
        embedding=number("embedding_length"),
        heads=number("attention.head_count"),
        kv_heads=number("attention.head_count_kv"),
        key_length=number("attention.key_length"),
        value_length=number("attention.value_length"),
        chat_template=isinstance(template, str) and bool(template.strip()),
        parameters=parameters,
        tensors=tensors,
        file_type=file_type if isinstance(file_type, int) else None,
        metadata={k: v for k, v in metadata.items() if not isinstance(v, _Skipped | list)},
    )
