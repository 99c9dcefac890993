"""Answer versions: regenerated answers and edited questions are shelved, not deleted.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from eclair.store.schema import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as table:
        table.add_column(sa.Column("version", sa.Integer, nullable=True))
    op.create_table(
        "message_versions",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column(
            "conversation_id",
            sa.String(40),
            sa.ForeignKey("conversations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("user_id", sa.String(40), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("branch", sa.JSON, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("conversation_id", "seq", "number"),
    )
    op.create_index(op.f("ix_message_versions_user_id"), "message_versions", ["user_id"])


def downgrade() -> None:
    op.drop_table("message_versions")
    with op.batch_alter_table("messages") as table:
        table.drop_column("version")
