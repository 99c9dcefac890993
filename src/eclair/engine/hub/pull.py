"""Pulling a model from the Hub: first a plan (which files, how big, does it fit), then the fetch.

Contract:
- :func:`plan_pull` contacts the Hub (``HfApi.model_info`` with file metadata: the commit,
  every file's size and LFS sha256), picks the files (:mod:`.quants`), reads the first file's
  GGUF header (from the cache, else one ``Range`` request of its first bytes) and measures the
  fit (:mod:`.fit`). It downloads no weight and writes nothing. ``HF_HUB_OFFLINE`` refuses it.
- :func:`fetch` downloads what the cache lacks, file by file, into
  ``blobs/<etag>.incomplete`` (huggingface_hub's name for a partial blob): a later run resumes
  it with ``Range`` (:class:`eclair.transfer.Transfer`), whichever process was cut. Each file's
  SHA-256 is computed as it arrives and compared with the Hub's LFS oid (else with its ETag
  when that is a sha256); a mismatch deletes the part and the folders it created and raises
  ``checksum_mismatch``: nothing unverified is ever named in the cache. Verified blobs are then
  linked into ``snapshots/<commit>/`` and ``refs/main`` by ``hf_hub_download``, which finds the
  blob in place and downloads nothing. A lock per blob (huggingface_hub's own lock file) keeps
  two pulls of one file from writing the same part.
- Blobs already in the cache (pulled by another tool) are trusted as the Hub named them.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import httpx

from eclair import __version__
from eclair.engine.hub.cache import REVISION, HubEnv, prune_empty
from eclair.engine.hub.fit import FitReport, Machine, fit_report
from eclair.engine.hub.ggufmeta import GgufError, GgufFacts, read_local_header, read_remote_header
from eclair.engine.hub.names import HubModel
from eclair.engine.hub.quants import RepoFile, Selection, select
from eclair.errors import ModelUnavailable
from eclair.transfer import ProgressCallback, Transfer, human_size

logger = logging.getLogger(__name__)

# (file name, total bytes) -> a context that yields the progress callback for that file
BarFactory = Callable[[str, int | None], AbstractContextManager[ProgressCallback | None]]
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class PullPlan:
    """What pulling ``model`` means now: the commit, the files, the header, the fit."""

    model: HubModel
    env: HubEnv
    commit: str
    selection: Selection
    facts: GgufFacts | None
    fit: FitReport

    @property
    def paths(self) -> tuple[Path, ...]:
        """Where the files are, or will be, in the cache (the first is what llama.cpp opens)."""
        snapshot = self.env.storage(self.model.repo) / "snapshots" / self.commit
        return tuple(snapshot / f.path for f in self.selection.files)

    @property
    def path(self) -> Path:
        return self.paths[0]

    @property
    def missing(self) -> list[RepoFile]:
        return [f for f, path in zip(self.selection.files, self.paths, strict=True) if not path.exists()]


def hub_client() -> httpx.Client:
    """An HTTP client with the Hub's headers (user agent, ``HF_TOKEN`` if any). A redirect to
    another host (the CDN) drops the token, as httpx does for any cross-origin redirect."""
    from huggingface_hub.utils import build_hf_headers

    headers = build_hf_headers(library_name="eclair", library_version=__version__)
    return httpx.Client(timeout=httpx.Timeout(30.0, connect=15.0), headers=headers, follow_redirects=True)


def plan_pull(
    model: HubModel,
    env: HubEnv,
    *,
    ctx_size: int,
    n_slots: int,
    machine: Machine | None = None,
    client: httpx.Client | None = None,
) -> PullPlan:
    """The plan for ``model`` (module docstring); ``machine`` overrides what is measured."""
    if env.offline:
        raise ModelUnavailable(
            f"{model.name} is not in the Hugging Face cache ({env.cache_dir}) and HF_HUB_OFFLINE is set; "
            "pull it while online first (`eclair models pull NAME`)",
            code="not_cached",
        )
    commit, files = _remote_listing(model.repo, env)
    selection = select(files, model.quant, model.repo)
    snapshot = env.storage(model.repo) / "snapshots" / commit
    http = client or hub_client()
    try:
        facts = _header(model, env, commit, selection.first, snapshot / selection.first.path, http)
    finally:
        if client is None:
            http.close()
    missing = [f for f in selection.files if not (snapshot / f.path).exists()]
    to_download = sum(max(0, (f.size or 0) - _bytes_on_disk(env, model.repo, f)) for f in missing)
    return PullPlan(
        model=model,
        env=env,
        commit=commit,
        selection=selection,
        facts=facts,
        fit=fit_report(
            weights=selection.size,
            to_download=to_download,
            facts=facts,
            entry=model.entry,
            ctx_size=ctx_size,
            n_slots=n_slots,
            machine=machine or Machine.measure(env.cache_dir),
        ),
    )


def fetch(
    plan: PullPlan, *, force: bool = False, bars: BarFactory | None = None, client: httpx.Client | None = None
) -> Path:
    """Download, verify and link what ``plan`` lacks (module docstring); returns the first
    file's path in the cache. ``force`` overrides a memory shortfall, never a disk one."""
    plan.fit.check(plan.model.name, force=force)
    http = client or hub_client()
    try:
        for file in plan.missing:
            _fetch_file(plan, file, http, bars)
    finally:
        if client is None:
            http.close()
    _link(plan)
    return plan.path


# -- the Hub's listing and headers --------------------------------------------------------


def _remote_listing(repo: str, env: HubEnv) -> tuple[str, list[RepoFile]]:
    from huggingface_hub import HfApi
    from huggingface_hub.utils import (
        GatedRepoError,
        HfHubHTTPError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    api = HfApi(endpoint=env.endpoint, library_name="eclair", library_version=__version__)
    try:
        info = api.model_info(repo, revision=REVISION, files_metadata=True, timeout=30)
    except GatedRepoError:
        raise ModelUnavailable(
            f"{repo} is gated: accept its conditions on the Hub, then set HF_TOKEN", code="unknown_model"
        ) from None
    except RepositoryNotFoundError:
        raise ModelUnavailable(
            f"no model repository {repo} at {env.endpoint} (if it is private, set HF_TOKEN)",
            code="unknown_model",
        ) from None
    except RevisionNotFoundError:
        raise ModelUnavailable(f"{repo} has no '{REVISION}' branch", code="unknown_model") from None
    except (HfHubHTTPError, httpx.HTTPError, OSError) as exc:
        raise ModelUnavailable(f"cannot reach {env.endpoint} to list {repo}: {exc}") from None
    if not info.sha:
        raise ModelUnavailable(f"{env.endpoint} did not say which commit {repo} is at")
    files = [RepoFile(s.rfilename, s.size, s.lfs.sha256 if s.lfs else None) for s in (info.siblings or [])]
    return info.sha, files


def _header(
    model: HubModel, env: HubEnv, commit: str, first: RepoFile, cached: Path, client: httpx.Client
) -> GgufFacts | None:
    """The first file's GGUF header, from the cache or from its first bytes; None when it
    cannot be read (the fit check then uses the catalogue's figures)."""
    from huggingface_hub import hf_hub_url

    try:
        if cached.exists():
            return read_local_header(cached)
        url = hf_hub_url(model.repo, first.path, revision=commit, endpoint=env.endpoint)
        return read_remote_header(url, client)
    except (GgufError, OSError) as exc:
        logger.warning("could not read the GGUF header of %s (%s); using published figures", first.path, exc)
        return None


# -- download -----------------------------------------------------------------------------


def _bytes_on_disk(env: HubEnv, repo: str, file: RepoFile) -> int:
    """Bytes of ``file`` already in the cache: its whole blob (another commit had the same
    file), else what an interrupted pull left (blobs are named by their sha256)."""
    if not file.sha256:
        return 0
    blob = env.storage(repo) / "blobs" / file.sha256
    if blob.exists():
        return blob.stat().st_size
    part = blob.with_name(f"{blob.name}.incomplete")
    return part.stat().st_size if part.exists() else 0


def _fetch_file(plan: PullPlan, file: RepoFile, client: httpx.Client, bars: BarFactory | None) -> None:
    from huggingface_hub import get_hf_file_metadata, hf_hub_url
    from huggingface_hub.utils import HfHubHTTPError, WeakFileLock

    env, repo = plan.env, plan.model.repo
    url = hf_hub_url(repo, file.path, revision=plan.commit, endpoint=env.endpoint)
    try:
        meta = get_hf_file_metadata(url, endpoint=env.endpoint, library_name="eclair")
    except (HfHubHTTPError, httpx.HTTPError, OSError) as exc:
        raise ModelUnavailable(f"cannot reach {url}: {exc}") from None
    if not meta.etag:
        raise ModelUnavailable(f"{url}: the Hub sent no ETag, so the file cannot be cached")
    expected = file.sha256 or (meta.etag if _SHA256.fullmatch(meta.etag) else None)
    size = meta.size if meta.size is not None else file.size
    storage = env.storage(repo)
    blob = storage / "blobs" / meta.etag
    lock = env.cache_dir / ".locks" / storage.name / f"{meta.etag}.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    blob.parent.mkdir(parents=True, exist_ok=True)
    with WeakFileLock(lock):
        if blob.exists():  # another process finished it while we waited
            return
        bar = bars(file.path, size) if bars else nullcontext(None)
        with bar as progress:
            _download_blob(url, blob, size, expected, client, progress, file.path, storage)


def _download_blob(
    url: str,
    blob: Path,
    size: int | None,
    expected: str | None,
    client: httpx.Client,
    progress: ProgressCallback | None,
    label: str,
    storage: Path,
) -> None:
    part = blob.with_name(f"{blob.name}.incomplete")
    try:
        transfer = Transfer(part, "sha256", size, client, progress)
        if transfer.size:
            logger.info("resuming %s from byte %d", label, transfer.size)
        if progress:
            progress(transfer.size, size)
        # the resolve URL each attempt: it redirects to a freshly signed CDN address
        failure = transfer.from_url(url)
    except OSError as exc:
        raise ModelUnavailable(f"could not write {part}: {exc.strerror or exc}") from exc
    if failure is not None:
        kept = f"; {human_size(transfer.size)} kept, run again to resume" if transfer.size else ""
        raise ModelUnavailable(f"{label}: the download failed ({failure}){kept}")
    got = transfer.hasher.hexdigest()
    if (size is not None and transfer.size != size) or (expected is not None and got != expected):
        part.unlink(missing_ok=True)
        prune_empty(storage)
        raise ModelUnavailable(
            f"{label} is corrupt and was deleted: the Hub publishes sha256 {expected} ({size} bytes), "
            f"the download is sha256 {got} ({transfer.size} bytes)",
            code="checksum_mismatch",
        )
    if expected is None:
        logger.warning("%s has no published sha256 (not an LFS file): only its size was checked", label)
    os.replace(part, blob)


def _link(plan: PullPlan) -> None:
    """Name the verified blobs in the snapshot and ``refs/main``: huggingface_hub's own
    ``hf_hub_download`` does it, finding each blob in place (a HEAD request, no download)."""
    from huggingface_hub import hf_hub_download
    from huggingface_hub.utils import HfHubHTTPError

    for file in plan.selection.files:
        try:
            hf_hub_download(
                plan.model.repo,
                file.path,
                revision=plan.commit,
                cache_dir=plan.env.cache_dir,
                endpoint=plan.env.endpoint,
                library_name="eclair",
                library_version=__version__,
            )
        except (HfHubHTTPError, httpx.HTTPError, OSError) as exc:
            raise ModelUnavailable(f"could not link {file.path} in the cache: {exc}") from None
    refs = plan.env.storage(plan.model.repo) / "refs" / REVISION
    refs.parent.mkdir(parents=True, exist_ok=True)
    refs.write_text(plan.commit, encoding="utf-8")  # the commit the files were listed at
