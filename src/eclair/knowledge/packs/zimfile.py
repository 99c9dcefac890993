"""Opening a ZIM file and checking it before it becomes a knowledge pack.

Contract:
- :func:`read_pack_info` opens a ZIM with libzim and returns its :class:`PackInfo` (metadata
  ``Name``, ``Title``, ``Language``, ``Date``, ``Description``; article count, size, whether
  it has a full-text and a title index). A file libzim cannot open (not a ZIM, truncated
  header, bad pointers) raises :class:`PackError` with libzim's reason in plain words.
- :func:`verify_pack` checks the whole file against the MD5 checksum the ZIM format stores in
  its last 16 bytes (what ``zimcheck -C`` checks), reading it once in 8 MiB blocks and
  reporting progress; then it reads the main page, the metadata and a sample of articles. A
  truncated or corrupt file is refused here, at ``add`` time, so that no question ever meets
  it. A pack without a full-text index is accepted: it is searched through its titles.
- ``language`` is the pack's first language as a two-letter code (``eng`` → ``en``); packs
  in other languages are accepted and searched as they are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from libzim.reader import Archive  # type: ignore[import-untyped]

from eclair.errors import InvalidRequest

_TWO_LETTERS = {"eng": "en", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de", "spa": "es", "ita": "it"}
_BLOCK = 8 << 20
_SAMPLE = 64


class PackError(InvalidRequest):
    """A ZIM file that cannot become a pack (unreadable, truncated, corrupt). Seen by admins."""

    code = "invalid_pack"


@dataclass(frozen=True, slots=True)
class PackInfo:
    """What ``eclair knowledge list`` shows about a pack."""

    name: str
    title: str
    language: str
    articles: int
    size: int
    date: str
    description: str
    fulltext: bool
    titles: bool
    path: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def two_letters(code: str) -> str:
    first = code.split(",")[0].strip().lower()
    return _TWO_LETTERS.get(first, first[:2])


def _metadata(archive: Archive, key: str) -> str:
    try:
        return bytes(archive.get_metadata(key)).decode("utf-8", "replace").strip()
    except (KeyError, RuntimeError):
        return ""


def open_archive(path: Path) -> Archive:
    try:
        exists = path.is_file()
    except (OSError, ValueError, UnicodeError):  # a NUL byte, an unencodable name
        raise PackError(f"{str(path)!r} is not a usable file name") from None
    if not exists:
        raise PackError(f"{path}: no such file")
    try:
        return Archive(str(path))
    except (RuntimeError, OSError, ValueError) as exc:
        raise PackError(f"{path.name} is not a readable ZIM file ({exc})") from None


def read_pack_info(path: Path, *, name: str | None = None) -> PackInfo:
    """The pack's metadata; ``name`` overrides the ZIM's own ``Name``."""
    try:
        path = Path(path).expanduser().resolve()
    except (OSError, ValueError, RuntimeError, UnicodeError):
        raise PackError(f"{str(path)!r} is not a usable file name") from None
    archive = open_archive(path)
    zim_name = _metadata(archive, "Name") or path.stem
    return PackInfo(
        name=zim_name if name is None else name,
        title=_metadata(archive, "Title") or zim_name,
        language=two_letters(_metadata(archive, "Language") or "und"),
        articles=int(archive.article_count),
        size=int(archive.filesize),
        date=_metadata(archive, "Date"),
        description=_metadata(archive, "Description"),
        fulltext=bool(archive.has_fulltext_index),
        titles=bool(archive.has_title_index),
        path=str(path),
    )


def verify_pack(path: Path, progress: Callable[[int, int], None] | None = None) -> None:
    """Refuse a truncated or corrupt ZIM (see module docstring). Blocking; reads the whole file."""
    path = Path(path).expanduser()
    archive = open_archive(path)
    size = path.stat().st_size
    if archive.has_checksum:
        expected = bytes.fromhex(archive.checksum)
        digest = hashlib.md5(usedforsecurity=False)
        remaining, done = size - 16, 0
        with path.open("rb") as f:
            while remaining > 0:
                block = f.read(min(_BLOCK, remaining))
                if not block:
                    break
                digest.update(block)
                remaining -= len(block)
                done += len(block)
                if progress:
                    progress(done, size - 16)
        if remaining > 0 or digest.digest() != expected:
            raise PackError(f"{path.name} is corrupt or truncated: its checksum does not match its content")
    try:
        if archive.has_main_entry:
            archive.main_entry.get_item().size  # noqa: B018 - reading it is the check
        for _ in range(min(_SAMPLE, archive.entry_count)):
            entry = archive.get_random_entry()
            entry.get_item().content  # noqa: B018
    except (RuntimeError, KeyError, OSError) as exc:
        raise PackError(f"{path.name} is corrupt: an article could not be read ({exc})") from None
