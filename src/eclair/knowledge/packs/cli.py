"""``eclair knowledge``: install, list, download and remove knowledge packs (ZIM files).

``add`` checks the whole file (its MD5 checksum, then a sample of articles) with a progress
bar, so a corrupt or truncated download is refused before any question meets it; ``pull``
downloads a pack from a Kiwix catalogue (resumable, checksum-verified) into
``<data_dir>/packs`` and installs it. Packs are shared by every user of the server; a
running server sees a change at its next question (the manifest is re-read).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from eclair.clikit import DataDirOption, console, err_console, fail, load_settings
from eclair.errors import EclairError
from eclair.knowledge.packs.registry import PackRegistry
from eclair.transfer import human_size

knowledge_app = typer.Typer(
    name="knowledge",
    help="Offline encyclopedias (Kiwix ZIM packs) that answer general questions, with citations.",
    no_args_is_help=True,
)


def _install(registry: PackRegistry, path: Path, name: str | None, verify: bool = True) -> None:
    with Progress(
        TextColumn("checking [bold]{task.fields[file]}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
        console=err_console, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task("check", total=None, file=path.name)

        def report(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        try:
            info = registry.add(path, name=name, verify=verify, progress=report)
        except EclairError as exc:
            raise fail(exc.message) from None
    search = "full-text and titles" if info.fulltext else "titles only (no full-text index)"
    console.print(
        f"installed [bold]{info.name}[/]: {info.title} ({info.language}, {info.articles:,} articles, "
        f"{human_size(info.size)}, searched by {search})",
        highlight=False,
    )


@knowledge_app.command("add")
def add(
    path: Annotated[
        Path, typer.Argument(help="A ZIM file (from Kiwix, or built with eclair.knowledge.packs.writer)")
    ],
    name: Annotated[
        str | None, typer.Option("--name", help="Install under this name (default: the ZIM's)")
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Install a ZIM file as a knowledge pack (it stays where it is; it is checked whole first)."""
    _install(PackRegistry(load_settings(data_dir=data_dir).data_dir), path, name)


@knowledge_app.command("list")
def list_packs(data_dir: DataDirOption = None) -> None:
    """The installed packs: name, title, language, articles, size, date."""
    packs = PackRegistry(load_settings(data_dir=data_dir).data_dir).list()
    if not packs:
        console.print(
            "no knowledge pack installed: eclair knowledge pull NAME, or eclair knowledge add FILE.zim"
        )
        return
    table = Table("name", "title", "language", "articles", "size", "date", "index")
    for p in packs:
        table.add_row(
            p.name, p.title, p.language, f"{p.articles:,}", human_size(p.size), p.date,
            "full-text" if p.fulltext else "titles",
        )  # fmt: skip
    console.print(table)


@knowledge_app.command("rm")
def remove(
    name: Annotated[str, typer.Argument(help="The pack's name (eclair knowledge list)")],
    data_dir: DataDirOption = None,
) -> None:
    """Remove a pack (its file is deleted only if `pull` downloaded it into the data directory)."""
    try:
        info = PackRegistry(load_settings(data_dir=data_dir).data_dir).remove(name)
    except EclairError as exc:
        raise fail(exc.message) from None
    console.print(f"removed [bold]{info.name}[/]", highlight=False)


@knowledge_app.command("pull")
def pull(
    name: Annotated[
        str, typer.Argument(help="A Kiwix pack name (wikipedia_en_all_nopic) or a URL of a .zim or .meta4")
    ],
    catalog: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--catalog", help="Kiwix catalogue URL [env: ECLAIR_KIWIX_CATALOG_URL]", show_default=False
        ),
    ] = None,
    as_name: Annotated[Optional[str], typer.Option("--name", help="Install under this name")] = None,  # noqa: UP045
    data_dir: DataDirOption = None,
) -> None:
    """Download a pack (resumes an interrupted download, verifies the published checksum), then install it."""
    from eclair.knowledge.packs.pull import PackDownloadError, pull_pack

    settings = load_settings(data_dir=data_dir, kiwix_catalog_url=catalog)
    registry = PackRegistry(settings.data_dir)
    try:
        path = pull_pack(name, registry.folder, catalog_url=settings.kiwix_catalog_url)
    except (PackDownloadError, EclairError) as exc:
        raise fail(exc.message) from None
    _install(registry, path, as_name, verify=False)  # the published checksum was just verified
