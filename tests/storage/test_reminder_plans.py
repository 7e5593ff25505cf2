"""The one rule for follow-ups (plan_in): one per user, kind and local day; never in quiet hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage import Database
from storage.models import Reminder, ReminderKind, ReminderStatus, User
from storage.reminders import ReminderQueue, plan_in
from storage.users import ensure_user, give_consent

# 21:30 UTC is 22:30 in Berlin in winter: inside the default quiet hours (22:00-07:00).
LATE = datetime(2026, 12, 2, 21, 30, tzinfo=UTC)


async def _plan(db: Database, telegram_id: int, **kwargs: object) -> int | None:
    async with db.transaction() as session:
        user = await ensure_user(session=session, telegram_id=telegram_id)
        await give_consent(session=session, user=user)
        if "timezone" in kwargs:
            user.timezone = str(kwargs.pop("timezone"))
        if "quiet" in kwargs:
            quiet = kwargs.pop("quiet")
            assert isinstance(quiet, tuple)
            user.quiet_start, user.quiet_end = quiet
            user.checkin_time = "20:00"
        return await plan_in(session, user=user, **kwargs)  # type: ignore[arg-type]


async def _waiting(db: Database, telegram_id: int) -> list[Reminder]:
    async with db.transaction() as session:
        uid = await session.scalar(select(User.id).where(User.telegram_id == telegram_id))
    assert uid is not None
    return await ReminderQueue(db.sessions).list_for_user(user_id=uid)


async def test_ten_follow_ups_planned_for_one_day_are_one(db: Database) -> None:
    for hour in range(10):
        due = datetime(2026, 12, 9, 9 + hour, 0, tzinfo=UTC)
        await _plan(db, 1, kind=ReminderKind.FOLLOWUP_CHECKIN, due_at=due, timezone="UTC")
    waiting = await _waiting(db, 1)
    assert [r.kind for r in waiting] == ["followup_checkin"]
    assert waiting[0].due_at == datetime(2026, 12, 9, 9, 0, tzinfo=UTC)  # the first plan stands


async def test_a_newer_retest_replaces_the_one_waiting(db: Database) -> None:
    first = datetime(2027, 2, 24, 12, 0, tzinfo=UTC)
    await _plan(db, 2, kind=ReminderKind.RETEST, due_at=first, timezone="UTC")
    await _plan(db, 2, kind=ReminderKind.RETEST, due_at=first + timedelta(days=3), timezone="UTC")
    waiting = await _waiting(db, 2)
    assert [(r.kind, r.due_at) for r in waiting] == [("retest", first + timedelta(days=3))]


async def test_questionnaires_are_one_per_instrument(db: Database) -> None:
    due = datetime(2026, 12, 16, 12, 0, tzinfo=UTC)
    for instrument in ("phq4", "ibs_sss", "phq4"):
        await _plan(
            db,
            3,
            kind=ReminderKind.QUESTIONNAIRE,
            due_at=due,
            payload={"instrument": instrument},
            variant=instrument,
            timezone="UTC",
        )
    waiting = await _waiting(db, 3)
    assert sorted((r.payload or {})["instrument"] for r in waiting) == ["ibs_sss", "phq4"]


async def test_a_follow_up_inside_quiet_hours_moves_to_their_end(db: Database) -> None:
    # No quiet hours chosen: the default ones hold for follow-ups.
    await _plan(db, 4, kind=ReminderKind.FOLLOWUP_CHECKIN, due_at=LATE, timezone="Europe/Berlin")
    (waiting,) = await _waiting(db, 4)
    assert waiting.due_at == datetime(2026, 12, 3, 6, 0, tzinfo=UTC)  # 07:00 in Berlin
    # The user's own quiet hours hold too.
    await _plan(
        db,
        5,
        kind=ReminderKind.RETEST,
        due_at=LATE,
        timezone="Europe/Berlin",
        quiet=("21:00", "09:30"),
    )
    (moved,) = await _waiting(db, 5)
    assert moved.due_at == datetime(2026, 12, 3, 8, 30, tzinfo=UTC)  # 09:30 in Berlin


async def test_quiet_hours_turned_off_are_off(db: Database) -> None:
    async with db.transaction() as session:
        user = await ensure_user(session=session, telegram_id=6)
        user.timezone, user.checkin_time = "Europe/Berlin", "20:00"  # quiet hours turned off
        await plan_in(session, user=user, kind=ReminderKind.FOLLOWUP_CHECKIN, due_at=LATE)
    (waiting,) = await _waiting(db, 6)
    assert waiting.due_at == LATE


async def test_a_plan_cancelled_earlier_the_same_day_comes_back(db: Database) -> None:
    due = datetime(2026, 12, 9, 12, 0, tzinfo=UTC)
    await _plan(db, 7, kind=ReminderKind.WEEKLY_SUMMARY, due_at=due, timezone="UTC")
    (waiting,) = await _waiting(db, 7)
    await ReminderQueue(db.sessions).cancel_kind(user_id=waiting.user_id, kinds=("weekly_summary",))
    assert await _waiting(db, 7) == []
    again = await _plan(db, 7, kind=ReminderKind.WEEKLY_SUMMARY, due_at=due, timezone="UTC")
    assert again == waiting.id
    (back,) = await _waiting(db, 7)
    assert back.status == ReminderStatus.PENDING and back.due_at == due
