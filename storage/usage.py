"""Per-user limits shared by every worker: costly actions counted in the database.

A limit such as "20 uploads an hour" is a sliding window made of ``SLOTS`` short slots (ten
minutes for an hour): an action is allowed when the slots overlapping the last window hold fewer
than ``limit`` actions. Counting is one upsert, so workers never lose each other's counts; two
workers racing at the very edge of a limit can let one extra action through, never more than one
each. Refused actions are not counted, as with the in-memory limiter.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.database import dialect_insert
from storage.models import UsageCount, utcnow

#: Slots per window: the window slides in steps of window / SLOTS.
SLOTS = 6


def slot_start(moment: datetime, slot: timedelta) -> datetime:
    """The start of the slot holding ``moment`` (slots are aligned to the Unix epoch)."""
    seconds = slot.total_seconds()
    return datetime.fromtimestamp((moment.timestamp() // seconds) * seconds, UTC)


async def take(
    session: AsyncSession,
    *,
    user_id: int,
    kind: str,
    limit: int,
    window: timedelta,
    now: datetime | None = None,
) -> bool:
    """Count one ``kind`` action for the user if the window allows it; False (not counted) if not."""
    now = utcnow() if now is None else now
    slot = window / SLOTS
    current = slot_start(now, slot)
    oldest = current - slot * (SLOTS - 1)
    mine = (UsageCount.user_id == user_id) & (UsageCount.kind == kind)
    used = await session.scalar(
        select(func.coalesce(func.sum(UsageCount.used), 0)).where(
            mine, UsageCount.slot_start >= oldest
        )
    )
    if int(used or 0) >= limit:
        return False
    # Slots that left the window are of no use to anyone: the table holds only recent activity.
    await session.execute(
        delete(UsageCount).where(UsageCount.kind == kind, UsageCount.slot_start < oldest)
    )
    insert = dialect_insert(session)
    await session.execute(
        insert(UsageCount)
        .values(user_id=user_id, kind=kind, slot_start=current, used=1)
        .on_conflict_do_update(
            index_elements=["user_id", "kind", "slot_start"],
            set_={"used": UsageCount.used + 1},
        )
    )
    return True
