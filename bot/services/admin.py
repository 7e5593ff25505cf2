"""Operator figures: aggregate counts only, never one user's data."""

from __future__ import annotations

from storage import Database
from storage.maintenance import aggregate_counts


async def stats(db: Database) -> dict[str, int]:
    """How many users, consents, samples and check-ins exist (one read transaction)."""
    return dict(await aggregate_counts(db))


__all__ = ["stats"]
