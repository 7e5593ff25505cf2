"""The audit log: consent, export and deletion events, never health data."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEvent, AuditKind, User

EVENTS = frozenset(AuditKind)


async def record_event(*, session: AsyncSession, user: User, event: str) -> None:
    """Append an event for this user."""
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}")
    session.add(AuditEvent(user_id=user.id, event=event))


async def list_events(*, session: AsyncSession, user: User) -> list[AuditEvent]:
    """This user's events, oldest first."""
    result = await session.execute(
        select(AuditEvent).where(AuditEvent.user_id == user.id).order_by(AuditEvent.id)
    )
    return list(result.scalars())


async def count_events(*, session: AsyncSession, event: str) -> int:
    """How many events of one kind exist (aggregate, for admins)."""
    from sqlalchemy import func

    result = await session.execute(select(func.count()).where(AuditEvent.event == event))
    return int(result.scalar_one())
