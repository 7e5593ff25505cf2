"""Follow-ups without Telegram: the daily time, quiet hours, snooze, stop, weekly (both databases)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.consent import Member
from bot.services import followups
from storage import Database
from storage.models import Dialog, Reminder, ReminderKind, ReminderStatus, User, utcnow
from storage.users import ensure_user, give_consent


async def _member(db: Database, telegram_id: int, zone: str | None = None) -> Member:
    async with db.transaction() as session:
        user = await ensure_user(session=session, telegram_id=telegram_id)
        await give_consent(session=session, user=user)
        user.timezone = zone
        return Member.of(user)


async def _active(db: Database, member: Member) -> list[Reminder]:
    async with db.transaction() as session:
        rows = await session.scalars(
            select(Reminder).where(
                Reminder.user_id == member.id,
                Reminder.status == ReminderStatus.PENDING,
            )
        )
        return list(rows)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7", "07:00"),
        ("7.30", "07:30"),
        ("19h15", "19:15"),
        ("07:00", "07:00"),
        (" 23:59 ", "23:59"),
    ],
)
def test_typed_times_of_day(typed: str, expected: str) -> None:
    assert followups.parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["24:00", "7pm-ish", "12:60", "", "noon"])
def test_what_is_not_a_time_of_day(typed: str) -> None:
    assert followups.parse_time(typed) is None


async def test_remind_asks_the_zone_once_then_the_time(db: Database) -> None:
    member = await _member(db, 71)
    assert await followups.start_remind(db, member) == Dialog.REMIND_TZ
    async with db.transaction() as session:
        user = await session.get(User, member.id)
        assert user is not None
        followups.set_timezone_in(user, "Europe/London")
        assert user.dialog == Dialog.REMIND_TIME
    assert await followups.start_remind(db, member) == Dialog.REMIND_TIME


async def test_a_time_in_quiet_hours_lands_after_them_and_says_so(db: Database) -> None:
    member = await _member(db, 72, "Europe/London")
    done = await followups.set_time(db, member, "23:30")
    assert done is not None
    # Quiet hours start at their default (22:00-07:00), so 23:30 is moved to their end.
    assert done.in_quiet and done.quiet == ("22:00", "07:00") and done.local == "07:00"
    [daily] = await _active(db, member)
    assert daily.kind == ReminderKind.CHECKIN
    local = daily.due_at.replace(tzinfo=daily.due_at.tzinfo or ZoneInfo("UTC"))
    assert local.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M") == "07:00"
    # Quiet hours off: the same 23:30 now stands, and the one daily reminder moves.
    assert await followups.set_quiet(db, member, on=False)
    [moved] = await _active(db, member)
    moved_at = moved.due_at.replace(tzinfo=moved.due_at.tzinfo or ZoneInfo("UTC"))
    assert moved_at.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M") == "23:30"


async def test_snooze_moves_an_hour_from_when_it_was_due_in_the_users_zone(db: Database) -> None:
    member = await _member(db, 73, "Asia/Tokyo")
    await followups.set_time(db, member, "12:00")
    async with db.transaction() as session:
        user = await session.get(User, member.id)
        assert user is not None
        member = Member.of(user)  # quiet hours as stored
    [daily] = await _active(db, member)
    due = daily.due_at.replace(tzinfo=daily.due_at.tzinfo or ZoneInfo("UTC"))
    acted = await followups.act(db, member, "snooze", daily.id)
    assert acted is not None and acted.until_local is not None and acted.zone == "Asia/Tokyo"
    assert acted.until_local == (max(due, utcnow()) + timedelta(hours=1)).astimezone(
        ZoneInfo("Asia/Tokyo")
    )
    assert acted.until_local.strftime("%H:%M") == "13:00"


async def test_stop_ends_the_daily_time_and_a_stranger_cannot_touch_it(db: Database) -> None:
    member = await _member(db, 74, "Europe/Berlin")
    stranger = await _member(db, 75, "Europe/Berlin")
    await followups.set_time(db, member, "08:00")
    [daily] = await _active(db, member)
    assert await followups.act(db, stranger, "stop", daily.id) is None
    assert len(await _active(db, member)) == 1
    acted = await followups.act(db, member, "stop", daily.id)
    assert acted is not None and acted.kind == ReminderKind.CHECKIN
    assert await _active(db, member) == []
    async with db.transaction() as session:
        user = await session.get(User, member.id)
        assert user is not None and user.checkin_time is None


async def test_weekly_summary_toggles_one_reminder_a_week_away(db: Database) -> None:
    member = await _member(db, 76)
    assert await followups.weekly_summary_on(db, member) is False
    before = utcnow()
    assert await followups.toggle_weekly_summary(db, member) is True
    [weekly] = await _active(db, member)
    due = weekly.due_at.replace(tzinfo=weekly.due_at.tzinfo or ZoneInfo("UTC"))
    assert weekly.kind == ReminderKind.WEEKLY_SUMMARY
    # A week away, moved to 07:00 when that falls in the default quiet hours (22:00-07:00, UTC
    # for a user with no zone).
    week = before + timedelta(days=7)
    if week.hour >= 22 or week.hour < 7:
        start = week if week.hour < 7 else week + timedelta(days=1)
        week = start.replace(hour=7, minute=0, second=0, microsecond=0)
    assert abs(due - week) < timedelta(minutes=1)
    assert await followups.toggle_weekly_summary(db, member) is False
    assert await _active(db, member) == []


async def test_listed_shows_local_times_soonest_first(db: Database) -> None:
    member = await _member(db, 77, "America/New_York")
    await followups.set_time(db, member, "09:00")
    await followups.toggle_weekly_summary(db, member)
    items = await followups.listed(db, member)
    assert [i.kind for i in items] == [ReminderKind.CHECKIN, ReminderKind.WEEKLY_SUMMARY]
    assert items[0].due_local.strftime("%H:%M") == "09:00"
    assert items[0].due_local.tzinfo is not None
    assert isinstance(items[0].due_local, datetime)
