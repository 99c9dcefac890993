"""``eclair ingest FILE… [--collection NAME] [--data-dir DIR]``: add documents from disk.

Contract:
- :func:`expand_paths` turns the arguments into files: a directory contributes every file
  with a supported extension below it (sorted); a missing path is reported, not skipped
  silently.
- :func:`ingest_paths` adds each file to the knowledge base in the main database (the
  settings' ``database_url``, by default ``<data_dir>/eclair.db``) as a shared document (``user_id=None``), one by one, and reports each outcome (added,
  already there, or refused with the reason); one bad file never stops the others.
- :func:`run_ingest_cli` does the same behind a rich progress bar and returns the exit
  status: 0 when every file was added or already there, 1 otherwise.
Documents added here are visible to every user of a server that uses the same database.
They go through the same path as uploads: extraction in a worker process under the same
timeout and caps (:mod:`eclair.knowledge.sandbox`), taken from ``settings`` when given; the
per-user quotas do not apply to shared documents.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.engine import make_url

from eclair.errors import EclairError
from eclair.knowledge.base import DEFAULT_COLLECTION, DEFAULT_MAX_FILE_BYTES, KnowledgeBase
from eclair.knowledge.extract import SUPPORTED_EXTENSIONS
from eclair.knowledge.store import Document
from eclair.store.database import SQLITE_FILE, database_url

if TYPE_CHECKING:
    from eclair.config import Settings


@dataclass(frozen=True, slots=True)
class IngestResult:
    path: Path
    document: Document | None = None
    duplicate: bool = False
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files to ingest: each file as given, and supported files found under each directory."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = (p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_EXTENSIONS)
            files.extend(sorted(found))
        else:
            files.append(path)
    return files


async def ingest_files(
    base: KnowledgeBase,
    files: list[Path],
    *,
    collection: str = DEFAULT_COLLECTION,
    user_id: str | None = None,
    progress: Callable[[IngestResult], None] | None = None,
) -> list[IngestResult]:
    """Add ``files`` one by one; ``progress`` is called after each with its outcome."""
    known = {d.id for d in await base.list_documents(user_id, collection)}
    results: list[IngestResult] = []
    for path in files:
        try:
            if not path.is_file():
                raise FileNotFoundError(f"no such file: {path}")
            document = await base.add_file(path, collection=collection, user_id=user_id)
            result = IngestResult(path, document, duplicate=document.id in known)
            known.add(document.id)
        except EclairError as exc:
            result = IngestResult(path, error=exc.message)
        except OSError as exc:
            result = IngestResult(
                path, error=str(exc) if isinstance(exc, FileNotFoundError) else exc.strerror
            )
        results.append(result)
        if progress is not None:
            progress(result)
    return results


def ingest_paths(
    paths: Iterable[Path],
    *,
    data_dir: Path,
    collection: str = DEFAULT_COLLECTION,
    dense: bool = True,
    max_file_bytes: int | None = None,
    progress: Callable[[IngestResult], None] | None = None,
    settings: Settings | None = None,
) -> list[IngestResult]:
    """Blocking: ingest files and directories into the knowledge base under ``data_dir``
    (with ``settings``' extraction timeout and caps when given)."""

    def open_base() -> KnowledgeBase:
        limit = DEFAULT_MAX_FILE_BYTES if max_file_bytes is None else max_file_bytes
        if settings is None:
            return KnowledgeBase(data_dir, dense=dense, max_file_bytes=limit)
        chosen = settings.model_copy(
            update={"data_dir": data_dir, "knowledge_dense": dense, "max_file_bytes": limit}
        )
        return KnowledgeBase.from_settings(chosen)

    async def run() -> list[IngestResult]:
        base = await asyncio.to_thread(open_base)
        try:
            return await ingest_files(base, expand_paths(paths), collection=collection, progress=progress)
        finally:
            await base.close()

    return asyncio.run(run())


def run_ingest_cli(
    paths: list[Path],
    *,
    data_dir: Path,
    collection: str = DEFAULT_COLLECTION,
    dense: bool = True,
    max_file_bytes: int | None = None,
    console: Console | None = None,
    settings: Settings | None = None,
) -> int:
    """``eclair ingest``: progress bar, one line per refused file, a summary; the exit status."""
    console = console or Console()
    files = expand_paths(paths)
    if not files:
        console.print("[yellow]nothing to ingest[/]: no supported file (txt, md, html, pdf) was given")
        return 1
    progress_bar = Progress(
        TextColumn("[bold]ingesting[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    with progress_bar:
        task = progress_bar.add_task("", total=len(files))

        def advance(result: IngestResult) -> None:
            if result.error:
                progress_bar.console.print(f"[red]✗[/] {result.path}: {result.error}")
            progress_bar.update(task, advance=1, description=result.path.name)

        results = ingest_paths(
            files,
            data_dir=data_dir,
            collection=collection,
            dense=dense,
            max_file_bytes=max_file_bytes,
            progress=advance,
            settings=settings,
        )
    added = sum(1 for r in results if r.ok and not r.duplicate)
    already = sum(1 for r in results if r.duplicate)
    failed = sum(1 for r in results if not r.ok)
    chunks = sum(r.document.chunks for r in results if r.document and not r.duplicate)
    where = database_url(settings.model_copy(update={"data_dir": data_dir})) if settings else None
    where = where or f"sqlite:///{Path(data_dir) / SQLITE_FILE}"
    console.print(
        f"{added} added ({chunks} passages), {already} already there, {failed} refused "
        f"— collection '{collection}' in {make_url(where).render_as_string(hide_password=True)}"
    )
    return 0 if failed == 0 else 1
