"""Server flags: durable facts about the instance ("accounts have existed here").

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from eclair.store.schema import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    flags = op.create_table(
        "server_flags",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("set_at", UTCDateTime, nullable=False),
    )
    # A database that already has accounts has had them: login stays required even if the
    # last one is erased after the upgrade.
    users = sa.table("users", sa.column("password_hash", sa.Text))
    has_accounts = op.get_bind().execute(
        sa.select(sa.func.count()).select_from(users).where(users.c.password_hash.is_not(None))
    )
    if has_accounts.scalar_one():
        op.bulk_insert(flags, [{"name": "accounts_required", "set_at": datetime.now(UTC)}])


def downgrade() -> None:
    op.drop_table("server_flags")
