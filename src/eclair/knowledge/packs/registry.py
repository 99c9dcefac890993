"""The installed knowledge packs of a data directory.

Contract:
- Packs are listed in ``<data_dir>/packs/packs.json`` (name → :class:`PackInfo`, with the
  ZIM's absolute path). ``add`` registers a ZIM where it lies (a 100 GB Wikipedia is not
  copied); ``eclair knowledge pull`` downloads into ``<data_dir>/packs/`` and registers the
  file there. ``remove`` unregisters, and deletes the file only when it lies in that folder
  (a file the user added from elsewhere is theirs).
- ``add`` verifies the file first (:func:`~eclair.knowledge.packs.zimfile.verify_pack`):
  a corrupt or truncated ZIM is refused then, never at question time. Names are short
  identifiers (letters, digits, ``_ . -``) used in URLs (``/kb/{name}/{path}``).
- The manifest is rewritten atomically (temporary file, then rename) under a lock, and
  re-read when its modification time changes, so a server sees packs that the CLI added
  or removed while it ran. Open archives are cached per pack and thread-safe for reading
  (libzim's reader is).
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path

from libzim.reader import Archive, Entry  # type: ignore[import-untyped]

from eclair.errors import InvalidRequest, NotFound
from eclair.knowledge.packs.zimfile import PackInfo, open_archive, read_pack_info, verify_pack

MANIFEST = "packs.json"
MAX_REDIRECTS = 8  # a redirect chain is short; a loop is not followed forever
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")


class PackNotFound(NotFound):
    code = "pack_not_found"


class ArticleNotFound(NotFound):
    code = "article_not_found"


def follow(archive: Archive, path: str, *, redirects: bool = True) -> Entry | None:
    """The entry at ``path``, its redirects followed (unless ``redirects`` is false); ``None``
    when there is none, or when the chain does not end."""
    try:
        if not archive.has_entry_by_path(path):
            return None
        entry = archive.get_entry_by_path(path)
        for _ in range(MAX_REDIRECTS if redirects else 0):
            if not entry.is_redirect:
                break
            entry = entry.get_redirect_entry()
        return None if redirects and entry.is_redirect else entry
    except (RuntimeError, KeyError):
        return None


def validate_pack_name(name: str) -> str:
    if not _NAME.match(name) or name.endswith(".zim"):
        raise InvalidRequest(
            f"invalid pack name {name!r}: letters, digits, '_', '.', '-' (at most 80), not ending in .zim",
            param="name",
        )
    return name


class PackRegistry:
    """The packs of one data directory (see module docstring)."""

    def __init__(self, data_dir: Path):
        self.folder = Path(data_dir).expanduser() / "packs"
        self._lock = threading.Lock()
        self._packs: dict[str, PackInfo] = {}
        self._stamp: float | None = None
        self._archives: dict[str, Archive] = {}

    @property
    def manifest(self) -> Path:
        return self.folder / MANIFEST

    def _refresh(self) -> None:
        try:
            stamp = self.manifest.stat().st_mtime_ns
        except FileNotFoundError:
            stamp = None
        if stamp == self._stamp:
            return
        packs: dict[str, PackInfo] = {}
        if stamp is not None:
            for row in json.loads(self.manifest.read_text(encoding="utf-8")).get("packs", []):
                info = PackInfo(**row)
                packs[info.name] = info
        self._packs, self._stamp = packs, stamp
        self._archives = {k: v for k, v in self._archives.items() if k in packs}

    def _write(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        body = json.dumps(
            {"packs": [p.to_json() for p in self._packs.values()]}, ensure_ascii=False, indent=1
        )
        tmp = self.manifest.with_suffix(".tmp")
        tmp.write_text(body, encoding="utf-8")
        os.replace(tmp, self.manifest)
        self._stamp = self.manifest.stat().st_mtime_ns

    def list(self) -> list[PackInfo]:
        with self._lock:
            self._refresh()
            return sorted(self._packs.values(), key=lambda p: p.name)

    def get(self, name: str) -> PackInfo:
        with self._lock:
            self._refresh()
            if name not in self._packs:
                raise PackNotFound(f"no knowledge pack named {name!r}")
            return self._packs[name]

    def add(
        self,
        path: Path,
        *,
        name: str | None = None,
        verify: bool = True,
        progress: Callable[[int, int], None] | None = None,
    ) -> PackInfo:
        """Register the ZIM at ``path`` after checking it. Blocking (reads the whole file)."""
        info = read_pack_info(Path(path), name=name)
        path = Path(info.path)
        validate_pack_name(info.name)
        if verify:
            verify_pack(path, progress)
        with self._lock:
            self._refresh()
            existing = self._packs.get(info.name)
            if existing is not None and existing.path != info.path:
                raise InvalidRequest(
                    f"a pack named {info.name!r} is already installed ({existing.path}); "
                    "remove it first or choose another name with --name",
                    param="name",
                )
            self._packs[info.name] = info
            self._archives.pop(info.name, None)
            self._write()
        return info

    def remove(self, name: str) -> PackInfo:
        with self._lock:
            self._refresh()
            info = self._packs.pop(name, None)
            if info is None:
                raise PackNotFound(f"no knowledge pack named {name!r}")
            self._archives.pop(name, None)
            self._write()
        path = Path(info.path)
        if path.parent == self.folder.resolve():
            path.unlink(missing_ok=True)
        return info

    def entry(self, pack: str, path: str, *, redirects: bool = True) -> Entry:
        """The entry at ``path`` in pack ``pack`` (see :func:`follow`); 404s when either is missing."""
        entry = follow(self.archive(pack), path, redirects=redirects)
        if entry is None:
            raise ArticleNotFound(f"no article {path!r} in pack {pack!r}")
        return entry

    def archive(self, name: str) -> Archive:
        """The open archive of pack ``name`` (opened once, then shared)."""
        with self._lock:
            self._refresh()
            if name not in self._packs:
                raise PackNotFound(f"no knowledge pack named {name!r}")
            archive = self._archives.get(name)
            if archive is None:
                archive = self._archives[name] = open_archive(Path(self._packs[name].path))
            return archive
