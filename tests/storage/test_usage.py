"""Per-user limits in the database: shared by workers, sliding, per user and per kind."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from storage import Database
from storage.models import UsageCount
from storage.usage import SLOTS, slot_start, take
from storage.users import ensure_user

HOUR = timedelta(hours=1)
T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


async def _user(db: Database, telegram_id: int) -> int:
    async with db.transaction() as session:
        user = await ensure_user(session=session, telegram_id=telegram_id)
        await session.flush()
        return user.id


async def _take(db: Database, user_id: int, now: datetime, *, kind: str = "upload") -> bool:
    async with db.transaction() as session:
        return await take(session, user_id=user_id, kind=kind, limit=3, window=HOUR, now=now)


def test_slots_are_aligned_and_contain_their_moment() -> None:
    slot = HOUR / SLOTS
    for moment in (T0, T0 + timedelta(minutes=9, seconds=59), T0 + timedelta(minutes=10)):
        start = slot_start(moment, slot)
        assert start <= moment < start + slot
        assert start.minute % 10 == 0 and start.second == 0 and start.tzinfo is not None


async def test_the_limit_holds_and_slides_with_time(db: Database) -> None:
    user = await _user(db, 1)
    minutes = [0, 5, 25]
    assert [await _take(db, user, T0 + timedelta(minutes=m)) for m in minutes] == [True] * 3
    assert not await _take(db, user, T0 + timedelta(minutes=40))  # 3 in the last hour
    # Refusals are not counted: once the first two slots leave the window, two more fit.
    assert not await _take(db, user, T0 + timedelta(minutes=59))
    assert await _take(db, user, T0 + timedelta(minutes=70))
    assert await _take(db, user, T0 + timedelta(minutes=71))
    assert not await _take(db, user, T0 + timedelta(minutes=72))


async def test_users_and_kinds_are_counted_apart(db: Database) -> None:
    first, second = await _user(db, 2), await _user(db, 3)
    for _ in range(3):
        assert await _take(db, first, T0)
    assert not await _take(db, first, T0)
    assert await _take(db, second, T0)
    assert await _take(db, first, T0, kind="export")


async def test_old_slots_are_deleted_as_new_ones_are_counted(db: Database) -> None:
    user, other = await _user(db, 4), await _user(db, 6)
    assert await _take(db, other, T0)
    for hour in range(5):
        assert await _take(db, user, T0 + timedelta(hours=hour))
    async with db.transaction() as session:
        rows = (await session.execute(select(UsageCount.user_id, UsageCount.slot_start))).all()
    assert rows == [(user, T0 + timedelta(hours=4))]  # the other user's old slot went too


async def test_workers_counting_at_once_never_lose_a_count(db: Database) -> None:
    # Many concurrent transactions (as from several workers) on one user: every allowed action
    # is counted, and at most one extra per concurrent transaction gets past the limit.
    user = await _user(db, 5)

    async def one() -> bool:
        async with db.transaction() as session:
            return await take(session, user_id=user, kind="upload", limit=50, window=HOUR, now=T0)

    results = [await one() for _ in range(10)]
    results += await asyncio.gather(*(one() for _ in range(8)))
    async with db.transaction() as session:
        counted = await session.scalar(select(func.sum(UsageCount.used)))
    assert all(results)
    assert counted == 18


async def test_messages_are_counted_per_user_and_minute_and_purged(db: Database) -> None:
    from storage.usage import count_message, purge_message_counts

    minute = 60 * 29_000_000.0
    engine = db.engine
    assert [await count_message(engine, telegram_id=7, now=minute + s) for s in (0, 20, 59)] == [
        1,
        2,
        3,
    ]
    assert await count_message(engine, telegram_id=8, now=minute) == 1  # another user
    assert await count_message(engine, telegram_id=7, now=minute + 60) == 1  # the next minute
    # Two minutes on, only the last minute's counts are kept.
    assert await purge_message_counts(engine, now=minute + 120) == 2
    assert await count_message(engine, telegram_id=7, now=minute + 61) == 2


async def test_an_unreachable_database_gives_no_count() -> None:
    from storage import open_database
    from storage.usage import count_message, purge_message_counts

    down = open_database("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    try:
        assert await count_message(down.engine, telegram_id=7) is None
        assert await purge_message_counts(down.engine) == 0
    finally:
        await down.close()
