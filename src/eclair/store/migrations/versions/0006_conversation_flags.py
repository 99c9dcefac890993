"""Conversations can be pinned (kept at the top of the list) and archived (out of the list).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as table:
        table.add_column(sa.Column("pinned", sa.Boolean, nullable=False, server_default=sa.false()))
        table.add_column(sa.Column("archived", sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as table:
        table.drop_column("archived")
        table.drop_column("pinned")
