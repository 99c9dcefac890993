"""The Hugging Face cache, where pulled models live, and the environment that locates it.

Contract:
- :class:`HubEnv` reads ``HF_ENDPOINT``, ``HF_HUB_CACHE`` / ``HF_HOME`` / ``XDG_CACHE_HOME``
  and ``HF_HUB_OFFLINE`` when it is made, not when ``huggingface_hub`` was imported, and is
  passed explicitly (``endpoint=``, ``cache_dir=``) to every call into that library.
- The layout is huggingface_hub's (``models--ORG--REPO/{blobs,snapshots/COMMIT,refs/main}``),
  so files pulled here are seen by other tools and theirs by Éclair. Reading the cache never
  touches the network: :func:`find_cached` looks in the snapshot that ``refs/main`` names.
- :func:`installed` lists every cached GGUF model (``scan_cache_dir``); :func:`remove` deletes
  one model's files with huggingface_hub's delete strategies (the whole revision when nothing
  else is in it, else only those files; a blob another revision shares is kept).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from eclair.engine.hub.names import HubModel
from eclair.engine.hub.quants import RepoFile, Selection, grouped_models, quant_label, select
from eclair.errors import ModelUnavailable

DEFAULT_ENDPOINT = "https://huggingface.co"
REVISION = "main"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_TRUE = {"1", "on", "yes", "true"}


@dataclass(frozen=True)
class HubEnv:
    """Where the Hub is and where its cache is, as the environment says now."""

    endpoint: str
    cache_dir: Path
    offline: bool

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> HubEnv:
        env = os.environ if environ is None else environ
        home = env.get("HF_HOME") or str(Path(env.get("XDG_CACHE_HOME") or "~/.cache") / "huggingface")
        cache = env.get("HF_HUB_CACHE") or env.get("HUGGINGFACE_HUB_CACHE") or str(Path(home) / "hub")
        offline = (env.get("HF_HUB_OFFLINE") or env.get("TRANSFORMERS_OFFLINE") or "").lower() in _TRUE
        endpoint = (env.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")
        return cls(endpoint, Path(os.path.expandvars(cache)).expanduser(), offline)

    def storage(self, repo: str) -> Path:
        """``<cache>/models--ORG--REPO``, huggingface_hub's folder for a model repository."""
        return self.cache_dir / ("models--" + repo.replace("/", "--"))


@dataclass(frozen=True)
class LocalModel:
    """A model found in the cache: its files in the snapshot of ``commit``."""

    model: HubModel
    commit: str
    selection: Selection
    paths: tuple[Path, ...]

    @property
    def path(self) -> Path:
        return self.paths[0]


@dataclass(frozen=True)
class InstalledModel:
    repo: str
    commit: str
    refs: tuple[str, ...]
    quant: str
    paths: tuple[Path, ...]
    sha256: str | None  # the first file's, from its blob name
    size: int

    @property
    def name(self) -> str:
        return f"hf.co/{self.repo}:{self.quant}"


def cached_listing(env: HubEnv, repo: str, revision: str = REVISION) -> tuple[str, list[RepoFile]] | None:
    """``(commit, files)`` of the snapshot that ``refs/<revision>`` names, or None."""
    storage = env.storage(repo)
    try:
        commit = (storage / "refs" / revision).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    snapshot = storage / "snapshots" / commit
    if not commit or not snapshot.is_dir():
        return None
    files = [_repo_file(path, snapshot) for path in sorted(snapshot.rglob("*")) if path.is_file()]
    return commit, files


def find_cached(env: HubEnv, model: HubModel) -> LocalModel | None:
    """The cached files of ``model`` (its quantisation in the cached snapshot), or None."""
    listing = cached_listing(env, model.repo)
    if listing is None:
        return None
    commit, files = listing
    try:
        selection = select(files, model.quant, model.repo)
    except ModelUnavailable:
        return None
    snapshot = env.storage(model.repo) / "snapshots" / commit
    return LocalModel(model, commit, selection, tuple(snapshot / f.path for f in selection.files))


def installed(env: HubEnv) -> list[InstalledModel]:
    """Every GGUF model in the cache (any revision), sorted by repository and quantisation."""
    from huggingface_hub import scan_cache_dir
    from huggingface_hub.utils import CacheNotFound

    try:
        info = scan_cache_dir(env.cache_dir)
    except (CacheNotFound, ValueError):
        return []
    found = []
    for repo in info.repos:
        if repo.repo_type != "model":
            continue
        for revision in repo.revisions:
            files = [_repo_file(f.file_path, revision.snapshot_path) for f in revision.files]
            for group in grouped_models(files):
                paths = tuple(revision.snapshot_path / f.path for f in group)
                found.append(
                    InstalledModel(
                        repo=repo.repo_id,
                        commit=revision.commit_hash,
                        refs=tuple(sorted(revision.refs)),
                        quant=quant_label(group[0].path) or group[0].basename,
                        paths=paths,
                        sha256=group[0].sha256,
                        size=sum(f.size or 0 for f in group),
                    )
                )
    return sorted(found, key=lambda m: (m.repo.lower(), m.quant, m.commit))


def remove(env: HubEnv, model: HubModel) -> tuple[list[InstalledModel], int]:
    """Delete ``model``'s files from every cached revision; returns what went and bytes freed."""
    from huggingface_hub import scan_cache_dir
    from huggingface_hub.utils import CacheNotFound

    try:
        info = scan_cache_dir(env.cache_dir)
    except (CacheNotFound, ValueError):
        info = None
    repo = next(
        (r for r in (info.repos if info else ()) if r.repo_type == "model" and r.repo_id == model.repo), None
    )
    if info is None or repo is None:
        raise ModelUnavailable(f"{model.name} is not in the cache ({env.cache_dir})", code="not_cached")
    removed, whole_revisions, files = [], [], []
    for revision in repo.revisions:
        by_path = {_relative(f.file_path, revision.snapshot_path): f for f in revision.files}
        listing = [_repo_file(f.file_path, revision.snapshot_path) for f in revision.files]
        try:
            selection = select(listing, model.quant, model.repo)
        except ModelUnavailable:
            continue
        chosen = [by_path[f.path] for f in selection.files]
        removed.append(
            InstalledModel(
                repo.repo_id,
                revision.commit_hash,
                tuple(sorted(revision.refs)),
                selection.quant,
                tuple(f.file_path for f in chosen),
                selection.first.sha256,
                selection.size,
            )
        )
        if len(chosen) == len(revision.files):
            whole_revisions.append(revision.commit_hash)
        else:
            files.extend(chosen)
    if not removed:
        raise ModelUnavailable(f"{model.name} is not in the cache ({env.cache_dir})", code="not_cached")
    freed = 0
    for strategy in (info.delete_revisions(*whole_revisions), info.delete_files(*files)):
        freed += strategy.expected_freed_size
        strategy.execute()
    return removed, freed


def prune_empty(storage: Path) -> None:
    """Remove the empty folders a failed first pull left (blobs/, the repository folder)."""
    for folder in (storage / "blobs", storage / "snapshots", storage / "refs", storage):
        with contextlib.suppress(OSError):  # not empty, or absent: kept
            folder.rmdir()


def _repo_file(path: Path, snapshot: Path) -> RepoFile:
    """A cached file as a :class:`RepoFile`: its blob's name is the LFS sha256 for GGUFs."""
    blob = path.resolve().name
    return RepoFile(_relative(path, snapshot), path.stat().st_size, blob if _SHA256.fullmatch(blob) else None)


def _relative(path: Path, snapshot: Path) -> str:
    return path.relative_to(snapshot).as_posix()
