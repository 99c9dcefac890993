"""Commands for the operator: ``eclair users export|erase NAME``, ``eclair backup|restore``.

They work on the data directory the server uses (``ECLAIR_DATA_DIR``), also while it runs:
export reads, erase deletes and compacts with SQLite's own locking, backup uses
``VACUUM INTO`` (a consistent snapshot of a live database). ``restore`` replaces the
databases and must be run with the server stopped.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from eclair.config import Settings
from eclair.knowledge.base import DB_FILENAME, KnowledgeBase
from eclair.sovereignty.privacy import erase_user, export_user
from eclair.store import Store
from eclair.store.database import SQLITE_FILE

console = Console(stderr=True)
DATABASES = (SQLITE_FILE, DB_FILENAME)

DataDir = Annotated[
    Optional[Path],  # noqa: UP045 - typer needs Optional
    typer.Option("--data-dir", help="Data directory [env: ECLAIR_DATA_DIR]", show_default=False),
]
OutOption = Annotated[
    Optional[Path],  # noqa: UP045 - typer needs Optional
    typer.Option("--out", "-o", help="File to write (default: stdout).", show_default=False),
]


def _settings(data_dir: Path | None) -> Settings:
    return Settings(data_dir=data_dir) if data_dir is not None else Settings()


def _open(data_dir: Path | None) -> tuple[Store, KnowledgeBase]:
    settings = _settings(data_dir)
    return Store.from_settings(settings), KnowledgeBase.from_settings(settings)


def export_command(
    name: Annotated[str, typer.Argument(help="Login name of the account.")],
    out: OutOption = None,
    data_dir: DataDir = None,
) -> None:
    """Write everything about one user as JSON (GDPR export)."""
    store, knowledge = _open(data_dir)
    try:
        user = store.users.by_name(name)
        if user is None:
            console.print(f"[bold red]error:[/] no user named '{name}'")
            raise typer.Exit(1)
        text = json.dumps(export_user(store, knowledge, user), ensure_ascii=False, indent=2)
    finally:
        store.close()
        knowledge.index.close()
    if out is None:
        sys.stdout.write(text + "\n")
    else:
        out.write_text(text + "\n", encoding="utf-8")
        console.print(f"exported '{name}' to {out}")


def erase_command(
    name: Annotated[str, typer.Argument(help="Login name of the account.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Erase one user and everything they own, unrecoverably (GDPR erasure)."""
    if not yes and not typer.confirm(f"Erase '{name}' and all their data for good?"):
        raise typer.Exit(1)
    store, knowledge = _open(data_dir)
    try:
        user = store.users.by_name(name)
        if user is None:
            console.print(f"[bold red]error:[/] no user named '{name}'")
            raise typer.Exit(1)
        counts = erase_user(store, knowledge, user)
    finally:
        store.close()
        knowledge.index.close()
    console.print(
        f"erased '{name}': {counts['conversations']} conversation(s), {counts['documents']} document(s)"
    )


def backup_command(
    dest: Annotated[Path, typer.Argument(help="Directory to create with the backup.")],
    data_dir: DataDir = None,
) -> None:
    """Copy the databases of a (running) server into DEST, consistently (VACUUM INTO)."""
    source = _settings(data_dir).data_dir.expanduser()
    if dest.exists() and any(dest.iterdir()):
        console.print(f"[bold red]error:[/] {dest} exists and is not empty")
        raise typer.Exit(1)
    dest.mkdir(parents=True, exist_ok=True)
    copied = 0
    for name in DATABASES:
        if not (source / name).exists():
            continue
        db = sqlite3.connect(source / name, timeout=30)
        try:
            db.execute("VACUUM INTO ?", (str(dest / name),))
        finally:
            db.close()
        check = sqlite3.connect(dest / name)
        try:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                console.print(f"[bold red]error:[/] the copy of {name} fails its integrity check")
                raise typer.Exit(1)
        finally:
            check.close()
        copied += 1
    console.print(f"backed up {copied} database(s) from {source} to {dest}")


def restore_command(
    src: Annotated[Path, typer.Argument(help="A directory written by `eclair backup`.")],
    data_dir: DataDir = None,
) -> None:
    """Replace the databases with a backup. Stop the server first."""
    target = _settings(data_dir).data_dir.expanduser()
    found = [name for name in DATABASES if (src / name).exists()]
    if SQLITE_FILE not in found:
        console.print(f"[bold red]error:[/] {src} holds no {SQLITE_FILE}")
        raise typer.Exit(1)
    target.mkdir(parents=True, exist_ok=True)
    for name in DATABASES:
        for suffix in ("", "-wal", "-shm"):
            (target / f"{name}{suffix}").unlink(missing_ok=True)
    for name in found:
        shutil.copy2(src / name, target / name)
    console.print(f"restored {', '.join(found)} into {target}")


def install(app: typer.Typer, users_app: typer.Typer) -> None:
    """Add the commands to ``eclair`` and ``eclair users``."""
    users_app.command("export")(export_command)
    users_app.command("erase")(erase_command)
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
