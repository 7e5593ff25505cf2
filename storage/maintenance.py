"""Maintenance: re-encrypting health data with the newest key, aggregate counts for admins."""

from __future__ import annotations

from sqlalchemy import Table, Text, func, select, type_coerce, update

from storage.crypto import _Encrypted, rotate_token
from storage.database import Database
from storage.models import Base, Sample, SymptomEntry, User


def _encrypted_columns(table: Table) -> list[str]:
    return [c.name for c in table.columns if isinstance(c.type, _Encrypted)]


async def rotate_encryption(db: Database, *, batch: int = 500) -> int:
    """Re-encrypt every encrypted value with the newest key; returns how many rows changed."""
    changed = 0
    for table in Base.metadata.sorted_tables:
        columns = _encrypted_columns(table)
        if not columns:
            continue
        # Read the stored ciphertext as plain text, bypassing the decrypting column type.
        raw = [type_coerce(table.c[name], Text) for name in columns]
        last_id = 0
        while True:
            async with db.transaction() as session:
                rows = (
                    await session.execute(
                        select(table.c.id, *raw)
                        .where(table.c.id > last_id)
                        .order_by(table.c.id)
                        .limit(batch)
                    )
                ).all()
                if not rows:
                    break
                for row in rows:
                    # The new values are ciphertext already: bind them as plain text.
                    values = {
                        name: type_coerce(rotate_token(value), Text)
                        for name, value in zip(columns, row[1:], strict=True)
                        if value is not None
                    }
                    if values:
                        await session.execute(
                            update(table).where(table.c.id == row[0]).values(**values)
                        )
                        changed += 1
                last_id = rows[-1][0]
    return changed


async def aggregate_counts(db: Database) -> dict[str, int]:
    """Counts for admins: never one user's data."""
    async with db.transaction() as session:
        users = await session.scalar(select(func.count()).select_from(User))
        consented = await session.scalar(
            select(func.count()).select_from(User).where(User.consent_given_at.is_not(None))
        )
        samples = await session.scalar(select(func.count()).select_from(Sample))
        checkins = await session.scalar(select(func.count()).select_from(SymptomEntry))
    return {
        "users": int(users or 0),
        "users_with_consent": int(consented or 0),
        "samples": int(samples or 0),
        "checkins": int(checkins or 0),
    }
