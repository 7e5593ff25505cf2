"""lab_results: clinical stool panels the user confirmed (the markers read, encrypted; never the
document or the personal details printed on it)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lab_results",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("lab", sa.String(64), nullable=False),
        sa.Column("test", sa.String(128), nullable=False),
        sa.Column("collected", sa.Date(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        # Encrypted JSON at rest (storage.crypto.EncryptedJSON stores Fernet tokens as text).
        sa.Column("panel", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id", "sha256"),
    )
    op.create_index("ix_lab_results_user_id", "lab_results", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_lab_results_user_id", table_name="lab_results")
    op.drop_table("lab_results")
