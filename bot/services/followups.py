"""Follow-ups: the daily check-in time, quiet hours, the weekly summary and each reminder's buttons.

Telegram-free: every function takes the ``Database`` (and owns its transaction) or, inside a
typed-text hook that already holds one, a ``Session``. Times come back as aware datetimes in the
user's zone; the flow words them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from storage import Database, Session
from storage.models import Dialog, ReminderKind, User, utcnow
from storage.reminders import ReminderQueue, cancel_kinds_in, plan_in
from storage.schedule import DEFAULT_QUIET, in_quiet, next_local_time, outside_quiet
from storage.schedule import zone as user_zone

#: The dialogues of /remind: the time zone is asked once, then the time.
REMIND_DIALOGS = (Dialog.REMIND_TZ, Dialog.REMIND_TIME)
#: The times the /remind keyboard offers.
TIMES = ("08:00", "12:00", "18:00", "20:00", "21:30")
_TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.h]?([0-5]\d)?\s*$")
#: How far "snooze" moves a reminder.
SNOOZE = timedelta(hours=1)
#: How many reminders /reminders lists (each with two buttons).
LISTED = 15


@dataclass(frozen=True)
class Scheduled:
    """Where the daily check-in reminder landed after a time was chosen."""

    chosen: str
    #: The local time of the next reminder ("HH:MM"), after quiet hours moved it if they did.
    local: str
    zone: str
    quiet: tuple[str, str] | None
    #: True when the chosen time fell inside the quiet hours (so ``local`` differs from it).
    in_quiet: bool


@dataclass(frozen=True)
class Listed:
    """One reminder as /reminders lists it."""

    id: int
    kind: str
    #: Which questionnaire, for a questionnaire reminder (None otherwise).
    instrument: str | None
    due_local: datetime


@dataclass(frozen=True)
class Acted:
    """What a reminder button did: the reminder's kind, and for a snooze its new local time."""

    kind: str
    until_local: datetime | None = None
    zone: str = "UTC"


def parse_time(typed: str) -> str | None:
    """A typed time of day as "HH:MM" ("7", "7.30", "19h15", "07:00"); None if it is not one."""
    match = _TIME.match(typed)
    return None if match is None else f"{int(match.group(1)):02d}:{match.group(2) or '00'}"


def _quiet(user: User) -> tuple[str, str] | None:
    return (user.quiet_start, user.quiet_end) if user.quiet_start and user.quiet_end else None


async def schedule_checkin(session: Session, user: User) -> str:
    """(Re)create the user's daily check-in reminder; returns its local time ("HH:MM")."""
    await cancel_kinds_in(session, user_id=user.id, kinds=(ReminderKind.CHECKIN,))
    assert user.checkin_time is not None
    due = next_local_time(utcnow(), user.checkin_time, user.timezone, quiet=_quiet(user))
    await plan_in(session, user=user, kind=ReminderKind.CHECKIN, due_at=due)
    return due.astimezone(user_zone(user.timezone)).strftime("%H:%M")


async def start_remind(db: Database, member: Any) -> Dialog | None:
    """Begin /remind: the question it asks first (the time zone once, then the time)."""
    async with db.transaction() as session:
        user = await session.get(User, member.id)
        if user is None:
            return None
        user.dialog = Dialog.REMIND_TZ if user.timezone is None else Dialog.REMIND_TIME
        return user.dialog


async def set_time_in(session: Session, user: User, value: str) -> Scheduled:
    """Store the daily time ("HH:MM") and schedule it, inside the caller's transaction."""
    user.checkin_time, user.dialog = value, None
    if user.quiet_start is None:
        user.quiet_start, user.quiet_end = DEFAULT_QUIET
    local = await schedule_checkin(session, user)
    quiet = _quiet(user)
    return Scheduled(value, local, user.timezone or "UTC", quiet, in_quiet(value, quiet))


async def set_time(db: Database, member: Any, value: str) -> Scheduled | None:
    """Store the daily time chosen on the keyboard (None: the user is gone)."""
    async with db.transaction() as session:
        user = await session.get(User, member.id)
        return None if user is None else await set_time_in(session, user, value)


async def set_quiet(db: Database, member: Any, *, on: bool) -> bool:
    """Quiet hours on (the default 22:00-07:00) or off; the daily reminder moves with them."""
    async with db.transaction() as session:
        user = await session.get(User, member.id)
        if user is None:
            return False
        user.quiet_start, user.quiet_end = DEFAULT_QUIET if on else (None, None)
        if user.checkin_time:
            await schedule_checkin(session, user)
        return True


def set_timezone_in(user: User, zone: str) -> None:
    """Store the user's time zone; /remind then asks for the time."""
    user.timezone, user.dialog = zone, Dialog.REMIND_TIME


async def set_timezone_if_asked(db: Database, member: Any, zone: str) -> bool:
    """Store a zone found from a shared location, only while /remind asks for it."""
    async with db.transaction() as session:
        user = await session.get(User, member.id)
        if user is None or not user.has_consent or user.dialog != Dialog.REMIND_TZ:
            return False
        set_timezone_in(user, zone)
        return True


def cancel_dialog(user: User) -> bool:
    """Leave a half-finished /remind dialogue (True when one was waiting)."""
    if user.dialog in REMIND_DIALOGS:
        user.dialog = None
        return True
    return False


async def listed(db: Database, member: Any) -> list[Listed]:
    """The user's coming reminders, soonest first, in their local time."""
    zone = user_zone(member.timezone)
    items = await ReminderQueue(db.sessions).list_for_user(user_id=member.id)
    return [
        Listed(r.id, r.kind, (r.payload or {}).get("instrument"), r.due_at.astimezone(zone))
        for r in items[:LISTED]
    ]


async def act(db: Database, member: Any, action: str, reminder_id: int) -> Acted | None:
    """Snooze, cancel or stop a reminder, or look it up for "do it now" (None: not the user's)."""
    queue = ReminderQueue(db.sessions)
    reminder = await queue.get_for_user(user_id=member.id, reminder_id=reminder_id)
    if reminder is None:
        return None
    if action == "snooze":
        # An hour from now, or from when it was planned if that is later; never into quiet hours.
        start = max(utcnow(), reminder.due_at)
        until = outside_quiet(start + SNOOZE, member.timezone, member.quiet)
        await queue.snooze(user_id=member.id, reminder_id=reminder.id, until=until)
        zone = member.timezone or "UTC"
        return Acted(reminder.kind, until.astimezone(user_zone(member.timezone)), zone)
    if action == "cancel":
        await queue.cancel(user_id=member.id, reminder_id=reminder.id)
    elif action == "stop":
        await queue.cancel_kind(user_id=member.id, kinds=(reminder.kind,))
        if reminder.kind == ReminderKind.CHECKIN:
            async with db.transaction() as session:
                stored = await session.get(User, member.id)
                if stored is not None:
                    stored.checkin_time = None
    return Acted(reminder.kind)


async def weekly_summary_on(db: Database, member: Any) -> bool | None:
    """Whether the weekly summary is on (None: the user is gone)."""
    async with db.transaction() as session:
        user = await session.get(User, member.id)
        return None if user is None else user.weekly_summary


async def toggle_weekly_summary(db: Database, member: Any) -> bool | None:
    """Turn the weekly summary on (first one in 7 days) or off; returns the new setting."""
    async with db.transaction() as session:
        user = await session.get(User, member.id)
        if user is None:
            return None
        user.weekly_summary = not user.weekly_summary
        if user.weekly_summary:
            due = utcnow() + timedelta(days=7)
            await plan_in(session, user=user, kind=ReminderKind.WEEKLY_SUMMARY, due_at=due)
        else:
            await cancel_kinds_in(session, user_id=user.id, kinds=(ReminderKind.WEEKLY_SUMMARY,))
        return user.weekly_summary


__all__ = [
    "DEFAULT_QUIET",
    "LISTED",
    "REMIND_DIALOGS",
    "TIMES",
    "Acted",
    "Listed",
    "Scheduled",
    "act",
    "cancel_dialog",
    "listed",
    "parse_time",
    "schedule_checkin",
    "set_quiet",
    "set_time",
    "set_time_in",
    "set_timezone_if_asked",
    "set_timezone_in",
    "start_remind",
    "toggle_weekly_summary",
    "weekly_summary_on",
]
