"""Lab results: the clinical panels a user confirmed. Always scoped to a user."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import LabResult, Owner


async def add_lab_result(
    *,
    session: AsyncSession,
    user: Owner,
    lab: str,
    test: str,
    collected: date | None,
    sha256: str,
    panel: dict[str, Any],
) -> LabResult:
    """Store one confirmed panel; the same document again returns the row already stored."""
    existing = await find_lab_by_sha256(session=session, user=user, sha256=sha256)
    if existing is not None:
        return existing
    row = LabResult(
        user_id=user.id,
        lab=lab[:64],
        test=test[:128],
        collected=collected,
        sha256=sha256,
        panel=panel,
    )
    session.add(row)
    await session.flush()
    return row


async def find_lab_by_sha256(
    *, session: AsyncSession, user: Owner, sha256: str
) -> LabResult | None:
    """This user's panel stored from a document with this hash, or None."""
    result = await session.execute(
        select(LabResult).where(LabResult.user_id == user.id, LabResult.sha256 == sha256)
    )
    return result.scalar_one_or_none()


async def get_lab_result(*, session: AsyncSession, user: Owner, row_id: int) -> LabResult | None:
    """One of this user's panels by its row id (None when it is not theirs)."""
    result = await session.execute(
        select(LabResult).where(LabResult.user_id == user.id, LabResult.id == row_id)
    )
    return result.scalar_one_or_none()


async def list_lab_results(*, session: AsyncSession, user: Owner) -> list[LabResult]:
    """This user's panels, newest first."""
    result = await session.execute(
        select(LabResult)
        .where(LabResult.user_id == user.id)
        .order_by(LabResult.created_at.desc(), LabResult.id.desc())
    )
    return list(result.scalars())
