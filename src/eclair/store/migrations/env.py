"""Alembic environment for Éclair's store: always run programmatically, on a given connection.

:func:`eclair.store.database.upgrade` puts the connection in ``config.attributes``; there is no
``alembic.ini`` and no URL here. ``render_as_batch`` lets SQLite alter tables.
"""

from __future__ import annotations

from alembic import context

from eclair.store.schema import include_object, metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
