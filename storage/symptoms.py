"""Symptom check-ins: reading what the user logged (always scoped to the user)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SymptomEntry, User, utcnow


async def recent_entries(
    *, session: AsyncSession, user: User, days: int = 7, completed_only: bool = True
) -> list[SymptomEntry]:
    """This user's check-ins of the last ``days`` days, oldest first."""
    since = (utcnow() - timedelta(days=days)).date()
    query = select(SymptomEntry).where(SymptomEntry.user_id == user.id, SymptomEntry.day >= since)
    if completed_only:
        query = query.where(SymptomEntry.status == "complete")
    result = await session.execute(query.order_by(SymptomEntry.day, SymptomEntry.id))
    return list(result.scalars())


async def recent_alarm_answers(*, session: AsyncSession, user: User, days: int = 30) -> list[str]:
    """Alarm questions this user answered yes to in recent check-ins (e.g. ``blood``)."""
    entries = await recent_entries(session=session, user=user, days=days, completed_only=False)
    flagged: list[str] = []
    for entry in entries:
        for question, answer in (entry.alarms or {}).items():
            if answer is True and question not in flagged:
                flagged.append(question)
    return flagged
