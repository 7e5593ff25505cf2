"""The reminder queue on SQLite and PostgreSQL: once, never lost, never doubled, DST-correct."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from storage import Database, open_database
from storage.models import Reminder
from storage.reminders import ReminderQueue
from storage.schedule import next_local_time
from storage.users import ensure_user, give_consent
from tests.postgres import PostgresCluster

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


async def _user(db: Database, telegram_id: int = 1, **fields: str) -> int:
    async with db.transaction() as session:
        user = await ensure_user(session=session, telegram_id=telegram_id)
        await give_consent(session=session, user=user)
        for key, value in fields.items():
            setattr(user, key, value)
        return user.id


async def test_add_is_idempotent(db: Database) -> None:
    queue = ReminderQueue(db.sessions)
    uid = await _user(db)
    first = await queue.add(user_id=uid, kind="retest", due_at=NOW, idempotency_key="retest:1")
    again = await queue.add(
        user_id=uid, kind="retest", due_at=NOW + timedelta(days=1), idempotency_key="retest:1"
    )
    assert first is not None and again is None
    assert [r.due_at for r in await queue.list_for_user(user_id=uid)] == [NOW]


async def test_marking_sent_after_sending_needs_the_sending_mark(db: Database) -> None:
    queue = ReminderQueue(db.sessions)
    uid = await _user(db)
    await queue.add(user_id=uid, kind="retest", due_at=NOW, idempotency_key="s")
    [claimed] = await queue.claim_due(now=NOW, limit=10, worker="w")
    # Without the 'sending' mark the quick (not disk-waiting) path refuses the row.
    assert not await queue.mark_sent(claimed.id, worker="w", after_sending=True)
    assert await queue.mark_sending(claimed.id, worker="w", now=NOW)
    assert await queue.mark_sent(claimed.id, worker="w", now=NOW, after_sending=True)
    assert not await queue.mark_sent(claimed.id, worker="w", after_sending=True)  # once only
    async with db.transaction() as session:
        row = await session.get(Reminder, claimed.id)
        assert row is not None and row.status == "sent" and row.sent_at == NOW


async def test_the_next_check_in_is_queued_once_when_the_send_begins(db: Database) -> None:
    queue = ReminderQueue(db.sessions)
    uid = await _user(db, checkin_time="09:00", timezone="UTC")
    await queue.add(user_id=uid, kind="checkin", due_at=NOW, idempotency_key="c")
    await queue.add(user_id=uid, kind="retest", due_at=NOW, idempotency_key="r")
    claimed = {c.kind: c for c in await queue.claim_due(now=NOW, limit=10, worker="w")}

    async def pending_checkins() -> list[datetime]:
        async with db.transaction() as session:
            rows = await session.execute(
                select(Reminder.due_at).where(
                    Reminder.kind == "checkin", Reminder.status == "pending"
                )
            )
            return list(rows.scalars())

    assert not await queue.mark_sending(claimed["retest"].id, worker="other")
    assert not await queue.mark_sending(claimed["checkin"].id, worker="other")
    assert await pending_checkins() == []
    assert await queue.mark_sending(claimed["checkin"].id, worker="w", now=NOW)
    # From 'sending' on it counts as sent: tomorrow's is already there, before the Bot API call.
    assert await pending_checkins() == [datetime(2026, 11, 25, 9, 0, tzinfo=UTC)]
    assert await queue.mark_sent(claimed["checkin"].id, worker="w", after_sending=True)
    assert await queue.mark_sending(claimed["retest"].id, worker="w", now=NOW)
    assert not await queue.mark_sending(claimed["retest"].id, worker="w", now=NOW)  # once
    assert await queue.mark_sent(claimed["retest"].id, worker="w", after_sending=True)
    assert await pending_checkins() == [datetime(2026, 11, 25, 9, 0, tzinfo=UTC)]  # one, not two
    async with db.transaction() as session:
        statuses = (await session.execute(select(Reminder.kind, Reminder.status))).all()
    assert sorted(statuses) == [("checkin", "pending"), ("checkin", "sent"), ("retest", "sent")]


async def test_a_pass_is_marked_sent_at_once_only_where_it_was_sending(db: Database) -> None:
    queue = ReminderQueue(db.sessions)
    uid = await _user(db)
    for key in "abcd":
        await queue.add(user_id=uid, kind="retest", due_at=NOW, idempotency_key=key)
    ids = [r.id for r in await queue.claim_due(now=NOW, limit=10, worker="w")]
    for rid in ids[:3]:
        assert await queue.mark_sending(rid, worker="w", now=NOW)
    assert await queue.mark_many_sent([], worker="w") == 0
    assert await queue.mark_many_sent(ids[:3], worker="other") == 0  # not its claims
    # The fourth was never marked 'sending' (never sent): it stays claimed.
    assert await queue.mark_many_sent(ids, worker="w", now=NOW) == 3
    assert await queue.mark_many_sent(ids, worker="w", now=NOW) == 0  # once only
    async with db.transaction() as session:
        rows = dict((await session.execute(select(Reminder.id, Reminder.status))).tuples().all())
    assert [rows[i] for i in ids] == ["sent", "sent", "sent", "claimed"]


async def test_claim_send_and_lease(db: Database) -> None:
    queue = ReminderQueue(db.sessions)
    uid = await _user(db)
    await queue.add(
        user_id=uid, kind="retest", due_at=NOW - timedelta(minutes=1), idempotency_key="a"
    )
    await queue.add(
        user_id=uid, kind="retest", due_at=NOW + timedelta(hours=1), idempotency_key="b"
    )
    claimed = await queue.claim_due(now=NOW, limit=10, worker="w1")
    assert [c.kind for c in claimed] == ["retest"]
    assert claimed[0].telegram_id == 1
    assert await queue.claim_due(now=NOW, limit=10, worker="w2") == []  # held by w1
    # w1 dies; after the lease another worker takes it over and sends it.
    later = NOW + timedelta(minutes=3)
    taken = await queue.claim_due(now=later, limit=10, worker="w2")
    assert [t.id for t in taken] == [claimed[0].id]
    assert not await queue.mark_sent(claimed[0].id, worker="w1")  # the old claim is void
    assert await queue.mark_sent(claimed[0].id, worker="w2")
    assert await queue.claim_due(now=later + timedelta(minutes=10), limit=10, worker="w3") == []


async def test_a_reminder_interrupted_during_its_send_is_never_sent_again(db: Database) -> None:
    queue = ReminderQueue(db.sessions)
    uid = await _user(db, checkin_time="09:00", timezone="UTC")
    await queue.add(user_id=uid, kind="checkin", due_at=NOW, idempotency_key="c")
    await queue.add(user_id=uid, kind="retest", due_at=NOW, idempotency_key="r")
    claimed = await queue.claim_due(now=NOW, limit=10, worker="w1")
    assert len(claimed) == 2
    checkin = next(c for c in claimed if c.kind == "checkin")
    retest = next(c for c in claimed if c.kind == "retest")
    assert not await queue.mark_sending(checkin.id, worker="w2")  # not w2's claim
    assert await queue.mark_sending(checkin.id, worker="w1", now=NOW)
    # w1 is killed during the Bot API call for the check-in; the retest was never tried.
    later = NOW + timedelta(minutes=3)
    taken = await queue.claim_due(now=later, limit=10, worker="w2")
    assert [t.id for t in taken] == [retest.id]  # tried again: it cannot have arrived
    async with db.transaction() as session:
        settled = await session.get(Reminder, checkin.id)
        assert settled is not None and settled.status == "sent"
        assert settled.sent_at == NOW
        nxt = (
            await session.execute(
                select(Reminder).where(Reminder.kind == "checkin", Reminder.status == "pending")
            )
        ).scalar_one()
        assert nxt.due_at == datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # the series goes on
    assert not await queue.mark_sent(checkin.id, worker="w1")


async def test_failures_retry_then_give_up(db: Database) -> None:
    queue = ReminderQueue(db.sessions)
    uid = await _user(db)
    rid = await queue.add(user_id=uid, kind="retest", due_at=NOW, idempotency_key="f")
    assert rid is not None
    claimed = await queue.claim_due(now=NOW, limit=1, worker="w")
    await queue.mark_failed(claimed[0].id, "NetworkError", NOW + timedelta(seconds=30))
    assert await queue.claim_due(now=NOW + timedelta(seconds=10), limit=1, worker="w") == []
    again = await queue.claim_due(now=NOW + timedelta(seconds=31), limit=1, worker="w")
    assert again[0].attempts == 2


async def test_users_only_touch_their_own(db: Database) -> None:
    queue = ReminderQueue(db.sessions)
    alice, bob = await _user(db, 1), await _user(db, 2)
    rid = await queue.add(user_id=alice, kind="retest", due_at=NOW, idempotency_key="x")
    assert rid is not None
    assert not await queue.cancel(user_id=bob, reminder_id=rid)
    assert not await queue.snooze(user_id=bob, reminder_id=rid, until=NOW + timedelta(hours=1))
    assert await queue.list_for_user(user_id=bob) == []
    assert await queue.cancel(user_id=alice, reminder_id=rid)


async def test_recurring_checkin_keeps_local_time_across_dst(db: Database) -> None:
    queue = ReminderQueue(db.sessions)
    uid = await _user(db, timezone="Europe/Berlin", checkin_time="20:00")
    # Saturday 28 March 2026, 20:00 CET = 19:00 UTC; the clocks go forward that night.
    first = datetime(2026, 3, 28, 19, 0, tzinfo=UTC)
    await queue.add(
        user_id=uid, kind="checkin", due_at=first, idempotency_key="checkin:1:2026-03-28"
    )
    claimed = await queue.claim_due(now=first, limit=1, worker="w")
    assert await queue.mark_sent(claimed[0].id, worker="w", now=first)
    pending = await queue.list_for_user(user_id=uid)
    assert [r.due_at for r in pending] == [datetime(2026, 3, 29, 18, 0, tzinfo=UTC)]  # 20:00 CEST


@pytest.mark.parametrize(
    ("after", "zone", "expected"),
    [
        (
            datetime(2026, 3, 8, 12, tzinfo=UTC),
            "America/New_York",
            datetime(2026, 3, 9, 0, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 10, 25, 12, tzinfo=UTC),
            "Europe/Berlin",
            datetime(2026, 10, 25, 19, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 11, 1, 12, tzinfo=UTC),
            "America/New_York",
            datetime(2026, 11, 2, 1, 0, tzinfo=UTC),
        ),
    ],
)
def test_next_local_time_over_dst(after: datetime, zone: str, expected: datetime) -> None:
    assert next_local_time(after, "20:00", zone) == expected


def test_nonexistent_local_time_moves_forward_and_quiet_hours() -> None:
    # 02:30 does not exist in Berlin on 29 March 2026: it becomes 03:30 CEST (01:30 UTC).
    assert next_local_time(
        datetime(2026, 3, 28, 23, tzinfo=UTC), "02:30", "Europe/Berlin"
    ) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    moved = next_local_time(
        datetime(2026, 6, 1, 0, tzinfo=UTC), "22:30", "UTC", quiet=("22:00", "07:00")
    )
    assert moved == datetime(2026, 6, 2, 7, 0, tzinfo=UTC)


async def test_deactivate_on_block(db: Database) -> None:
    queue = ReminderQueue(db.sessions)
    uid = await _user(db)
    await queue.add(user_id=uid, kind="retest", due_at=NOW, idempotency_key="z")
    assert await queue.deactivate_user(user_id=uid) == 1
    assert await queue.list_for_user(user_id=uid) == []


@pytest.mark.postgres
async def test_four_dispatchers_send_ten_thousand_exactly_once(
    postgres_cluster: PostgresCluster,
) -> None:
    url = await postgres_cluster.create_database()
    setup = open_database(url)
    await setup.upgrade()
    uid = await _user(setup)
    async with setup.transaction() as session:
        session.add_all(
            Reminder(
                user_id=uid,
                kind="retest",
                due_at=NOW - timedelta(seconds=i % 60),
                idempotency_key=f"k{i}",
                status="pending",
                attempts=0,
            )
            for i in range(10_000)
        )
    sent: list[int] = []

    async def dispatcher(name: str) -> None:
        db = open_database(url, pool_size=2)
        queue = ReminderQueue(db.sessions)
        try:
            while True:
                batch = await queue.claim_due(now=NOW, limit=200, worker=name)
                if not batch:
                    return
                for reminder in batch:
                    if await queue.mark_sent(reminder.id, worker=name):
                        sent.append(reminder.id)
        finally:
            await db.close()

    await asyncio.wait_for(asyncio.gather(*(dispatcher(f"w{i}") for i in range(4))), timeout=120)
    async with setup.transaction() as session:
        remaining = await session.scalar(
            select(func.count()).select_from(Reminder).where(Reminder.status != "sent")
        )
    await setup.close()
    assert len(sent) == 10_000
    assert len(set(sent)) == 10_000
    assert remaining == 0


async def test_a_claim_that_lapses_after_the_last_attempt_is_failed_not_reclaimed(
    db: Database,
) -> None:
    from storage.reminders import MAX_ATTEMPTS

    queue = ReminderQueue(db.sessions)
    uid = await _user(db)
    rid = await queue.add(user_id=uid, kind="retest", due_at=NOW, idempotency_key="x")
    when = NOW
    for _ in range(MAX_ATTEMPTS):  # a sender that dies every time, after claiming
        claimed = await queue.claim_due(now=when, limit=1, worker="w")
        assert [c.id for c in claimed] == [rid]
        when += timedelta(minutes=3)  # past the lease
    assert await queue.claim_due(now=when, limit=1, worker="w") == []
    async with db.transaction() as session:
        row = await session.get(Reminder, rid)
        assert row is not None and row.status == "failed" and row.attempts == MAX_ATTEMPTS
