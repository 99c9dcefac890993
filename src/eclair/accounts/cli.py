"""``eclair users``: add, list and delete accounts, and reopen single-user mode.

Works on the same database the server uses (``ECLAIR_DATABASE_URL`` or the SQLite file in
``ECLAIR_DATA_DIR``), also while the server runs. Passwords are read from a hidden prompt
(asked twice) or, for scripts, from the first line of standard input with
``--password-stdin``; never from an argument, which would end up in shell history.
Once an account has existed, login stays required even when none is left: ``reopen`` is the
operator's explicit way back to single-user mode.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from eclair.accounts.service import Accounts
from eclair.clikit import DatabaseUrlOption, DataDirOption, console, fail, load_settings
from eclair.config import Settings
from eclair.errors import EclairError
from eclair.store import Store

users_app = typer.Typer(
    name="users",
    help="Manage accounts (multi-user mode). With no account, a loopback server needs no login.",
    no_args_is_help=True,
)


def _settings(data_dir: Path | None, database_url: str | None) -> Settings:
    return load_settings(data_dir=data_dir, database_url=database_url)


def _open(data_dir: Path | None, database_url: str | None) -> tuple[Store, Accounts]:
    settings = _settings(data_dir, database_url)
    store = Store.from_settings(settings)
    return store, Accounts(store, bind_host=settings.host)


def _delete_documents(settings: Settings, user_id: str) -> int:
    """Delete the documents a user uploaded (kept in the same database as the account)."""
    from eclair.knowledge.base import KnowledgeBase

    knowledge = KnowledgeBase.from_settings(settings)
    try:
        owned = [d for d in knowledge.index.list_documents(user_id) if d.user_id == user_id]
        for document in owned:
            knowledge.index.delete_document(document.id)
    finally:
        knowledge.index.close()
    return len(owned)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Login name: letters, digits, '.', '_' or '-'.")],
    admin: Annotated[bool, typer.Option("--admin", help="Make the account an administrator.")] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    data_dir: DataDirOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Create an account. The first one keeps what was made in single-user mode."""
    store, accounts = _open(data_dir, database_url)
    try:
        user = accounts.add_user(name, _read_password(password_stdin), admin=admin)
    except EclairError as exc:
        raise fail(exc.message) from None
    finally:
        store.close()
    role = "administrator" if user.is_admin else "user"
    console.print(f"created {role} [bold]{user.name}[/] ({user.id})", highlight=False)


@users_app.command("list")
def list_users(data_dir: DataDirOption = None, database_url: DatabaseUrlOption = None) -> None:
    """List accounts."""
    store, _ = _open(data_dir, database_url)
    try:
        users = [u for u in store.users.all() if not u.is_local]
        accounts_required = store.users.login_required()
    finally:
        store.close()
    if not users:
        if accounts_required:
            console.print("no accounts, but login is still required: `eclair users reopen` to drop it")
        else:
            console.print("no accounts: a server bound to loopback runs in single-user mode")
        return
    table = Table("name", "role", "created", "id")
    for user in users:
        created = user.created_at.strftime("%Y-%m-%d %H:%M UTC")
        table.add_row(user.name, "admin" if user.is_admin else "user", created, user.id)
    console.print(table)


@users_app.command("delete")
def delete(
    name: Annotated[str, typer.Argument(help="Login name of the account to delete.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    data_dir: DataDirOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Delete an account with its sessions, API keys, conversations, messages and documents.

    The rows go at once; their bytes may linger in the database's free pages until reused.
    For a GDPR erasure that also wipes those pages, use ``eclair users erase``.
    """
    if not yes:
        typer.confirm(f"Delete '{name}' and all of their conversations?", abort=True)
    settings = _settings(data_dir, database_url)
    store = Store.from_settings(settings)
    try:
        user = store.users.by_name(name)
        if user is None or user.is_local:
            raise fail(f"no user named '{name}'")
        store.users.delete(user.id)
    finally:
        store.close()
    documents = _delete_documents(settings, user.id)
    console.print(f"deleted [bold]{name}[/] and {documents} document(s)", highlight=False)


@users_app.command("reopen")
def reopen(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    data_dir: DataDirOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Return to single-user mode (no login on loopback) once no account is left."""
    if not yes:
        typer.confirm("Let anyone on this machine use the server without logging in?", abort=True)
    store, accounts = _open(data_dir, database_url)
    try:
        accounts.reopen_single_user()
    except EclairError as exc:
        raise fail(exc.message) from None
    finally:
        store.close()
    console.print("single-user mode: a server bound to loopback needs no login again")
