"""Opening the database: engine, connection settings, migrations, and the write discipline.

Contract:
- :func:`database_url` picks ``settings.database_url`` or SQLite at ``<data_dir>/eclair.db``.
- Every SQLite connection runs with WAL, ``synchronous=FULL`` (an acknowledged write survives a
  crash), foreign keys on (cascading deletes), ``secure_delete`` (erased rows are zeroed on
  disk) and a busy timeout for other processes (the CLI) writing at the same time.
- :func:`upgrade` brings any database to the latest Alembic revision; it is idempotent and is
  run by :meth:`Database.open` at start-up (on PostgreSQL under an advisory lock, so servers
  starting together do not migrate at once).
- Writes go through :meth:`Database.write`: one transaction, and on SQLite one writer at a time
  in this process (datasette's habit), so concurrent requests never meet ``database is locked``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from eclair.config import Settings

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_FILE = "eclair.db"
MIGRATION_LOCK = 0x45434C41  # "ECLA": the PostgreSQL advisory lock held while migrating


def database_url(settings: Settings) -> str:
    if settings.database_url:
        return settings.database_url
    return f"sqlite:///{settings.data_dir.expanduser() / SQLITE_FILE}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=FULL",
        "foreign_keys=ON",
        "secure_delete=ON",
        "busy_timeout=10000",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Servers started together on one database migrate it one after the other.
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        command.upgrade(alembic_config(connection), revision)


def head_revision() -> str:
    """The newest migration's revision: what :func:`upgrade` brings a database to."""
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


class Database:
    """An engine plus the write discipline. Thread-safe; one per process."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._write_lock = threading.Lock()

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Database:
        engine = make_engine(url)
        if migrate:
            upgrade(engine)
        return cls(engine)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            yield connection

    @contextmanager
    def write(self) -> Iterator[Connection]:
        if not self.is_sqlite:
            with self.engine.begin() as connection:
                yield connection
            return
        with self._write_lock, self.engine.begin() as connection:
            yield connection

    def close(self) -> None:
        self.engine.dispose()
