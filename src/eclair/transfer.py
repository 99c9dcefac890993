"""One file over HTTP, resumable and hashed as it arrives, for every download Éclair makes.

Contract:
- :class:`Transfer` appends to a part file (``….part``, ``….incomplete``) with ``Range`` from
  its current size, so a transfer cut by a dropped connection, a killed process or a reboot
  goes on where the bytes on disk end. Resuming re-hashes the part first: what is on disk,
  not a past process's memory, is what gets verified.
- :meth:`Transfer.from_url` retries one URL while each attempt makes progress and returns why
  it gave up (None once the part holds the whole file); a server that ignores ``Range`` makes
  it start over, a ``416`` past the end is accepted when the sizes agree.
- It never names, verifies or deletes the final file: the caller compares :attr:`Transfer.hasher`
  with the published digest, then renames or deletes the part (knowledge packs, Hub models).
- :func:`progress_bar` draws one download on stderr (size, speed, time left) for the CLI.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from rich import progress as bars
from rich.console import Console

ProgressCallback = Callable[[int, int | None], None]  # (bytes on disk, total or None)
ATTEMPTS_PER_URL = 4  # a URL is retried (resuming) while each attempt makes progress
_CONTENT_RANGE = re.compile(r"bytes (?:(\d+)-\d+|\*)/(\d+|\*)")


class TransferFailed(Exception):
    """This URL did not deliver the rest of the file (another URL, or a later run, may)."""


@dataclass
class Transfer:
    """``part`` and the running hash of its bytes. ``total`` is the published size (None while
    unknown); ``space_check(n)`` is called with the byte count a response announces when no
    size was published (it raises to refuse)."""

    part: Path
    algo: str
    total: int | None
    client: httpx.Client
    progress: ProgressCallback | None
    buffer: int = 1 << 20
    headers: dict[str, str] | None = None
    space_check: Callable[[int], None] | None = None
    size: int = 0
    events: int = 0  # chunks received and restarts: an attempt that changed neither made no progress

    def __post_init__(self) -> None:
        self.hasher = hashlib.new(self.algo)
        if self.part.exists():
            with self.part.open("rb") as source:
                while block := source.read(1 << 20):
                    self.hasher.update(block)
                    self.size += len(block)
        self.resumed_from = self.size

    def restart(self) -> None:
        self.part.write_bytes(b"")
        self.hasher, self.size = hashlib.new(self.algo), 0
        self.events += 1

    def from_url(self, url: str, attempts: int = ATTEMPTS_PER_URL) -> str | None:
        """None once the part is complete from ``url``, else why this URL was given up."""
        reason = ""
        for _ in range(attempts):
            before = self.events
            try:
                self.fetch(url)
                return None
            except TransferFailed as exc:
                reason = str(exc)
            if self.events == before:
                break
        return reason

    def fetch(self, url: str) -> None:
        """Append the rest from ``url``; :class:`TransferFailed` unless the part ends complete.
        Bytes are taken raw (``identity``) so that offsets are file offsets."""
        headers = {**(self.headers or {}), "Accept-Encoding": "identity"}
        if self.size:
            headers["Range"] = f"bytes={self.size}-"
        end = self.total
        try:
            with self.client.stream("GET", url, headers=headers, follow_redirects=True) as response:
                status, (start, length) = response.status_code, content_range(response)
                if status == 416:  # nothing past our offset: complete when the sizes agree
                    if self.size == (self.total if self.total is not None else length):
                        return
                    self.restart()
                    raise TransferFailed("the part does not match the published file; restarting")
                if status == 206 and start != self.size:
                    raise TransferFailed(f"asked for bytes from {self.size}, got another range")
                if status == 200 and self.size:  # Range ignored: the whole file comes again
                    self.restart()
                elif status not in (200, 206):
                    raise TransferFailed(f"HTTP {status}")
                sent = response.headers.get("content-length", "")
                if sent.isdigit():
                    end = self.size + int(sent)
                    if self.total is not None and end != self.total:
                        raise TransferFailed(f"serves {end} bytes, the file has {self.total}")
                    if self.total is None and self.space_check:
                        self.space_check(int(sent))  # the size is known only now
                # chunks as they arrive, through a write buffer: a dropped connection loses no
                # byte received, and the next Range starts where the data ended
                with self.part.open("ab", buffering=self.buffer) as sink:
                    for chunk in response.iter_raw():
                        sink.write(chunk)
                        self.hasher.update(chunk)
                        self.size += len(chunk)
                        self.events += 1
                        if self.progress:
                            self.progress(self.size, end)
                    sink.flush()
                    os.fsync(sink.fileno())  # on disk before the rename that publishes it
        except httpx.TransportError as exc:
            raise TransferFailed(str(exc) or type(exc).__name__) from exc
        if end is not None and self.size < end:
            raise TransferFailed(f"the connection ended at byte {self.size} of {end}")


def content_range(response: httpx.Response) -> tuple[int | None, int | None]:
    """``(first byte, file size)`` of ``Content-Range: bytes 100-199/200`` (or ``bytes */200``)."""
    found = _CONTENT_RANGE.fullmatch(response.headers.get("content-range", "").strip())
    start, size = (found[1], found[2]) if found else (None, None)
    return (int(start) if start else None), (int(size) if size and size.isdigit() else None)


@contextmanager
def progress_bar(console: Console, description: str, total: int | None) -> Iterator[ProgressCallback]:
    """A progress bar on ``console`` for one download; yields the callback that moves it.
    The first call sets the starting point, so bytes resumed from disk are no transfer speed."""
    columns = (
        bars.BarColumn(),
        bars.DownloadColumn(),
        bars.TransferSpeedColumn(),
        bars.TimeRemainingColumn(),
    )
    with bars.Progress(bars.TextColumn("{task.description}"), *columns, console=console) as bar:
        task, started = bar.add_task(description, total=total), False

        def show(done: int, size: int | None) -> None:
            nonlocal started
            if not started:
                bar.reset(task, total=size, completed=done)
                started = True
            bar.update(task, completed=done, total=size)

        yield show


def human_size(size: float) -> str:
    """``1.2 GB``, ``300.0 KB``, ``12 B``: decimal units, as disk makers and the Hub count."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size} B"  # unreachable
