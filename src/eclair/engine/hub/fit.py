"""Does a model fit this machine? Disk for the download, memory to run it.

Contract:
- Memory needed = the weights (the GGUF files, memory-mapped whole) + the KV cache that
  ``eclair serve`` allocates: ``n_slots × min(ctx_size, trained context)`` tokens of f16 K and V
  for every layer (:meth:`~eclair.engine.hub.ggufmeta.GgufFacts.kv_bytes_per_token`) + an
  allowance for compute buffers and the runtime (10 % of the weights, at least 256 MB). The KV
  figures come from the file's header, else from the catalogue entry; with neither, the
  estimate is the weights and allowance alone and says so.
- It is compared with the memory available now (``psutil``: free plus reclaimable cache) and
  the disk free in the cache folder with the bytes still to download (what an interrupted
  download left is counted as done) plus a margin (1 %, at least 64 MB).
- :class:`Machine` is the seam: tests pass the figures instead of measuring.
- :func:`memory_needed` is the same memory figure for a GGUF on disk: what the model pool
  (:mod:`eclair.engine.pool`) counts against ``models_memory_budget`` while it is loaded.
It is an estimate for CPU inference. Sliding-window and MLA attention need less cache than
this counts; layers offloaded to a GPU use its memory instead. ``--force`` is the way past it.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from eclair.engine.hub.catalogue import CatalogueEntry
from eclair.engine.hub.ggufmeta import GgufError, GgufFacts, read_local_header
from eclair.errors import ModelUnavailable
from eclair.transfer import human_size

RUNTIME_ALLOWANCE_MIN = 256_000_000
DISK_MARGIN_MIN = 64_000_000
_FIRST_PART = re.compile(r"(?P<stem>.+)-00001-of-(?P<total>\d{5})\.gguf", re.IGNORECASE)


@dataclass(frozen=True)
class Machine:
    """Available memory and free disk, measured once (or given, in tests)."""

    available_ram: int
    free_disk: int

    @classmethod
    def measure(cls, folder: Path) -> Machine:
        import psutil

        while not folder.exists() and folder != folder.parent:  # the cache may not exist yet
            folder = folder.parent
        return cls(int(psutil.virtual_memory().available), shutil.disk_usage(folder).free)


@dataclass(frozen=True)
class FitReport:
    weights: int
    kv_cache: int | None  # None: unknown (no header, no catalogue figures)
    kv_tokens: int
    allowance: int
    to_download: int
    machine: Machine

    @property
    def ram_needed(self) -> int:
        return self.weights + (self.kv_cache or 0) + self.allowance

    @property
    def disk_needed(self) -> int:
        return self.to_download + max(DISK_MARGIN_MIN, self.to_download // 100) if self.to_download else 0

    @property
    def fits_ram(self) -> bool:
        return self.ram_needed <= self.machine.available_ram

    @property
    def fits_disk(self) -> bool:
        return self.disk_needed <= self.machine.free_disk

    def describe(self) -> str:
        """``needs 2.3 GB of memory (1.1 GB weights + 0.9 GB KV cache for 32768 tokens + …)``."""
        kv = (
            f"{human_size(self.kv_cache)} KV cache for {self.kv_tokens} tokens"
            if self.kv_cache is not None
            else "KV cache unknown"
        )
        parts = f"{human_size(self.weights)} weights + {kv} + {human_size(self.allowance)} runtime"
        ram = f"needs {human_size(self.ram_needed)} of memory ({parts}); {human_size(self.machine.available_ram)} available"
        if not self.to_download:
            return ram
        disk = f"needs {human_size(self.disk_needed)} of disk; {human_size(self.machine.free_disk)} free"
        return f"{ram}; {disk}"

    def check(self, what: str, *, force: bool = False) -> None:
        """Raise ``does_not_fit`` with the figures unless it fits or ``force``. Disk is checked
        even with ``force``: a download that cannot finish helps nobody."""
        if not self.fits_disk:
            raise ModelUnavailable(
                f"{what} does not fit on disk: it needs {human_size(self.disk_needed)} "
                f"(download plus margin), {human_size(self.machine.free_disk)} is free in the cache folder",
                code="does_not_fit",
            )
        if not self.fits_ram and not force:
            raise ModelUnavailable(
                f"{what} does not fit in memory: {self.describe()}. Lower --ctx-size or --n-slots, "
                "pick a smaller model or quantisation, or pull it anyway with `eclair models pull --force`",
                code="does_not_fit",
            )


def fit_report(
    *,
    weights: int,
    to_download: int,
    facts: GgufFacts | None,
    entry: CatalogueEntry | None,
    ctx_size: int,
    n_slots: int,
    machine: Machine,
) -> FitReport:
    """The figures for a model of ``weights`` bytes served with ``ctx_size`` × ``n_slots``."""
    per_token: int | None = None
    trained: int | None = None
    if facts is not None:
        per_token, trained = facts.kv_bytes_per_token(), facts.context_length
    if per_token is None and entry is not None:
        per_token, trained = entry.kv_bytes_per_token(), entry.context_length
    tokens = n_slots * (min(ctx_size, trained) if trained else ctx_size)
    return FitReport(
        weights=weights,
        kv_cache=per_token * tokens if per_token is not None else None,
        kv_tokens=tokens,
        allowance=max(RUNTIME_ALLOWANCE_MIN, weights // 10),
        to_download=to_download,
        machine=machine,
    )


def memory_needed(path: Path, *, ctx_size: int, n_slots: int) -> int:
    """Memory a GGUF on disk needs once served with ``ctx_size`` × ``n_slots``: :func:`fit_report`'s
    figure from the file's header (the weights and the allowance alone if the header cannot be
    read). A split model's first part counts every part; a missing file counts no weights."""
    weights = 0
    for part in _parts(path):
        with contextlib.suppress(OSError):
            weights += part.stat().st_size
    try:
        facts: GgufFacts | None = read_local_header(path)
    except (GgufError, OSError):
        facts = None
    report = fit_report(
        weights=weights,
        to_download=0,
        facts=facts,
        entry=None,
        ctx_size=ctx_size,
        n_slots=n_slots,
        machine=Machine(available_ram=0, free_disk=0),  # figures only: nothing is compared
    )
    return report.ram_needed


def _parts(path: Path) -> list[Path]:
    """``path``, or every part of the split model whose first part it is."""
    first = _FIRST_PART.fullmatch(path.name)
    if first is None:
        return [path]
    total = int(first["total"])
    return [path.with_name(f"{first['stem']}-{i:05d}-of-{total:05d}.gguf") for i in range(1, total + 1)]
