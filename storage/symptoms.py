"""Symptom check-ins: reading what the user logged (always scoped to the user)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import EntryStatus, Owner, SymptomEntry, utcnow


async def recent_entries(
    *, session: AsyncSession, user: Owner, days: int = 7, completed_only: bool = True
) -> list[SymptomEntry]:
    """This user's check-ins of the last ``days`` days, oldest first."""
    since = (utcnow() - timedelta(days=days)).date()
    query = select(SymptomEntry).where(SymptomEntry.user_id == user.id, SymptomEntry.day >= since)
    if completed_only:
        query = query.where(SymptomEntry.status == EntryStatus.COMPLETE)
    result = await session.execute(query.order_by(SymptomEntry.day, SymptomEntry.id))
    return list(result.scalars())


async def recent_alarm_answers(*, session: AsyncSession, user: Owner, days: int = 30) -> list[str]:
    """Alarm questions this user answered yes to in recent check-ins (e.g. ``blood``)."""
    entries = await recent_entries(session=session, user=user, days=days, completed_only=False)
    flagged: list[str] = []
    for entry in entries:
        for question, answer in (entry.alarms or {}).items():
            if answer is True and question not in flagged:
                flagged.append(question)
    return flagged


async def open_entry(*, session: AsyncSession, user: Owner, day: date) -> SymptomEntry:
    """Today's unfinished check-in to resume, or a new one."""
    result = await session.execute(
        select(SymptomEntry)
        .where(
            SymptomEntry.user_id == user.id,
            SymptomEntry.day == day,
            SymptomEntry.status == EntryStatus.IN_PROGRESS,
        )
        .order_by(SymptomEntry.id.desc())
        .limit(1)
    )
    entry = result.scalar_one_or_none()
    if entry is None:
        entry = SymptomEntry(user_id=user.id, day=day, status=EntryStatus.IN_PROGRESS, alarms={})
        session.add(entry)
        await session.flush()
    return entry


async def get_entry(*, session: AsyncSession, user: Owner, entry_id: int) -> SymptomEntry | None:
    """One of this user's check-ins, or None (another user's id gives None)."""
    result = await session.execute(
        select(SymptomEntry).where(SymptomEntry.id == entry_id, SymptomEntry.user_id == user.id)
    )
    return result.scalar_one_or_none()


async def entries_since(
    *, session: AsyncSession, user: Owner, since: date | None, completed_only: bool = True
) -> list[SymptomEntry]:
    """This user's check-ins from ``since`` (None: all), oldest first."""
    query = select(SymptomEntry).where(SymptomEntry.user_id == user.id)
    if since is not None:
        query = query.where(SymptomEntry.day >= since)
    if completed_only:
        query = query.where(SymptomEntry.status == EntryStatus.COMPLETE)
    result = await session.execute(query.order_by(SymptomEntry.day, SymptomEntry.id))
    return list(result.scalars())


async def abandon_open_entries(*, session: AsyncSession, user: Owner) -> int:
    """Mark this user's unfinished check-ins abandoned (for /cancel); returns how many."""
    result = await session.execute(
        update(SymptomEntry)
        .where(SymptomEntry.user_id == user.id, SymptomEntry.status == EntryStatus.IN_PROGRESS)
        .values(status=EntryStatus.ABANDONED)
    )
    return int(getattr(result, "rowcount", 0) or 0)
