"""File names, sample ids and time zones encrypted at rest; message counts under a keyed hash

People name files after themselves ("john-doe-feature-table.tsv"), sample ids are often initials
and dates, and a time zone says where someone lives: they are encrypted like the health data
(``storage.crypto.EncryptedText``). Labels being encrypted, one row per file and sample id is kept
by ``storage.samples.add_sample`` instead of a unique index. Message counts (two minutes of
counters) are started afresh, keyed by ``storage.crypto.pseudonym`` of the Telegram id.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.crypto import decrypt_bytes, encrypt_bytes

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (table, column, old length, nullable)
_COLUMNS = (
    ("users", "timezone", 64, True),
    ("samples", "original_filename", 255, True),
    ("samples", "sample_label", 255, False),
    ("pending_uploads", "filename", 255, True),
)


def _recode(table: str, column: str, change: object) -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL")
    ).all()
    for row_id, value in rows:
        bind.execute(
            sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),
            {"value": change(value), "id": row_id},  # type: ignore[operator]
        )


def _message_counts(key: str) -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.drop_table("message_counts")
    op.create_table(
        "message_counts",
        sa.Column(key, sa.BigInteger(), nullable=False),
        sa.Column("minute", sa.BigInteger(), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(key, "minute", name=op.f("pk_message_counts")),
        prefixes=["UNLOGGED"] if postgres else [],
    )


def upgrade() -> None:
    with op.batch_alter_table("samples", schema=None) as batch_op:
        batch_op.drop_constraint("uq_samples_user_id", type_="unique")
    for table, column, length, nullable in _COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column,
                existing_type=sa.String(length=length),
                type_=sa.Text(),
                existing_nullable=nullable,
            )
        _recode(table, column, lambda value: encrypt_bytes(str(value).encode("utf-8")))
    _message_counts("sender")


def downgrade() -> None:
    _message_counts("telegram_id")
    for table, column, length, nullable in _COLUMNS:
        _recode(
            table, column, lambda value, cut=length: decrypt_bytes(str(value)).decode("utf-8")[:cut]
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column,
                existing_type=sa.Text(),
                type_=sa.String(length=length),
                existing_nullable=nullable,
            )
    with op.batch_alter_table("samples", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            "uq_samples_user_id", ["user_id", "sha256", "sample_label"]
        )
