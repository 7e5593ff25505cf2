"""Per-user limits shared by every worker: costly actions counted in the database.

A limit such as "20 uploads an hour" is a sliding window made of ``SLOTS`` short slots (ten
minutes for an hour): an action is allowed when the slots overlapping the last window hold fewer
than ``limit`` actions. Counting is one upsert, so workers never lose each other's counts; two
workers racing at the very edge of a limit can let one extra action through, never more than one
each. Refused actions are not counted, as with the in-memory limiter.

Messages are counted per Telegram user per minute (``count_message``), under a keyed hash of the
Telegram id (``message_sender``) so the table never says who wrote: one upsert on every
update, committed on its own, on a table PostgreSQL keeps out of its write-ahead log. Each worker
also keeps its own sliding-window limiter in memory, which refuses a flood before it reaches the
database; this count is what makes the limit hold across workers.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.crypto import pseudonym
from storage.database import dialect_insert
from storage.models import MessageCount, UsageCount, utcnow

#: Slots per window: the window slides in steps of window / SLOTS.
SLOTS = 6


def slot_start(moment: datetime, slot: timedelta) -> datetime:
    """The start of the slot holding ``moment`` (slots are aligned to the Unix epoch)."""
    seconds = slot.total_seconds()
    return datetime.fromtimestamp((moment.timestamp() // seconds) * seconds, UTC)


async def window_use(
    session: AsyncSession,
    *,
    user_id: int,
    kind: str,
    window: timedelta,
    now: datetime | None = None,
) -> tuple[int, datetime | None]:
    """How many ``kind`` actions the window holds, and when the oldest of them leaves it."""
    now = utcnow() if now is None else now
    slot = window / SLOTS
    oldest = slot_start(now, slot) - slot * (SLOTS - 1)
    mine = (UsageCount.user_id == user_id) & (UsageCount.kind == kind)
    row = (
        await session.execute(
            select(
                func.coalesce(func.sum(UsageCount.used), 0), func.min(UsageCount.slot_start)
            ).where(mine, UsageCount.slot_start >= oldest, UsageCount.used > 0)
        )
    ).one()
    first = row[1]
    if first is not None and first.tzinfo is None:  # SQLite returns naive UTC from an aggregate
        first = first.replace(tzinfo=UTC)
    return int(row[0] or 0), None if first is None else first + window


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


#: Runs on every update, so written once as SQL both backends accept: SQLAlchemy's
#: backend-specific ``insert(...).on_conflict_do_update`` has no compilation cache key in this
#: version and was compiled again on every call (0.4 ms a message, measured under load).
_COUNT = text(
    "INSERT INTO message_counts (sender, minute, used) VALUES (:b_sender, :b_minute, 1) "
    "ON CONFLICT (sender, minute) DO UPDATE SET used = message_counts.used + 1 "
    "RETURNING used"
)


def message_sender(telegram_id: int) -> int:
    """The key a Telegram user's message counts are kept under (a keyed hash, not the id)."""
    return pseudonym("message_count", telegram_id)


def current_minute(now: float | None = None) -> int:
    """Minutes since the Unix epoch."""
    return int((time.time() if now is None else now) // 60)


async def count_message(
    engine: AsyncEngine, *, telegram_id: int, now: float | None = None
) -> int | None:
    """Count one message of this Telegram user; how many this minute, this one included.

    None when the database cannot be reached (the caller decides what a missing count means).
    """
    try:
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            result = await conn.execute(
                _COUNT,
                {"b_sender": message_sender(telegram_id), "b_minute": current_minute(now)},
            )
            return int(result.scalar_one())
    except (SQLAlchemyError, OSError):
        return None


async def purge_message_counts(engine: AsyncEngine, *, now: float | None = None) -> int:
    """Delete the counts of minutes before the last one; how many rows went (0 on failure)."""
    try:
        async with engine.begin() as conn:
            result = await conn.execute(
                delete(MessageCount).where(MessageCount.minute < current_minute(now) - 1)
            )
            return int(getattr(result, "rowcount", 0) or 0)
    except (SQLAlchemyError, OSError):
        return 0
