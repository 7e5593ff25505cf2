"""message_counts: messages per Telegram user per minute, shared by every worker

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Counters that live two minutes: on PostgreSQL the table skips the write-ahead log (after a
    # server crash it is empty, which only forgives the current minute's messages).
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "message_counts",
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("minute", sa.BigInteger(), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("telegram_id", "minute", name=op.f("pk_message_counts")),
        prefixes=["UNLOGGED"] if postgres else [],
    )


def downgrade() -> None:
    op.drop_table("message_counts")
