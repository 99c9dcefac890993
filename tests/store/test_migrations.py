from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from eclair.config import Settings
from eclair.store import Store
from eclair.store.database import current_revision, database_url, head_revision, make_engine, upgrade
from eclair.store.schema import include_object, metadata


def test_upgrade_builds_exactly_the_declared_schema(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diffs = compare_metadata(context, metadata)
    engine.dispose()
    assert diffs == []


def test_upgrade_is_idempotent_and_recorded(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision() == "0009"
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {
        "users",
        "sessions",
        "api_keys",
        "conversations",
        "messages",
        "rate_limits",
        "server_flags",
        "documents",
        "chunks",
        "uploads",
        "knowledge_meta",
        "message_versions",
        "feedback",
        "tool_calls",
        "tool_permissions",
        "alembic_version",
    } <= tables


def test_downgrade_to_base_removes_every_table(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    upgrade(engine, "head")
    from alembic import command

    from eclair.store.database import alembic_config

    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    engine.dispose()
    assert tables == set()


def test_sqlite_runs_in_wal_with_durable_safe_settings(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'x.db'}")
    with store.db.read() as conn:
        driver = conn.connection.driver_connection
        assert driver is not None
        values = {
            name: driver.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("journal_mode", "synchronous", "foreign_keys", "secure_delete")
        }
    store.close()
    assert values == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "secure_delete": 1}


def test_default_database_is_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    assert database_url(settings) == f"sqlite:///{tmp_path / 'data' / 'eclair.db'}"
    store = Store.from_settings(settings)
    store.close()
    assert (tmp_path / "data" / "eclair.db").is_file()


def test_database_url_setting_wins(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    settings = Settings(data_dir=tmp_path, database_url=url, _env_file=None)  # type: ignore[call-arg]
    assert database_url(settings) == url
