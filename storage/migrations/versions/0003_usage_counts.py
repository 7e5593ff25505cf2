"""usage_counts: per-user action counts in short time slots, shared by every worker

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "usage_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("slot_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_usage_counts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usage_counts")),
        sa.UniqueConstraint("user_id", "kind", "slot_start", name=op.f("uq_usage_counts_user_id")),
    )
    with op.batch_alter_table("usage_counts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_usage_counts_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("usage_counts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_usage_counts_user_id"))
    op.drop_table("usage_counts")
