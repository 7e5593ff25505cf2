"""Reminder rows one user owns: adding them inside a transaction, cancelling, snoozing, listing.

``storage.reminders.ReminderQueue`` (claiming and marking sends) builds on these; both are
re-exported there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.database import dialect_insert
from storage.models import Reminder, ReminderKind, ReminderStatus, User, utcnow
from storage.schedule import DEFAULT_QUIET, local_day, outside_quiet

ACTIVE = (ReminderStatus.PENDING, ReminderStatus.CLAIMED)

#: Kinds of which a user has at most one waiting: a newer plan replaces the older one (the
#: retest follows the latest test; the questionnaire comes two weeks after the last one filled in).
ONE_WAITING = frozenset(
    {ReminderKind.RETEST, ReminderKind.QUESTIONNAIRE, ReminderKind.WEEKLY_SUMMARY}
)


def idempotency_key(kind: str, *parts: object) -> str:
    """The one shape of a reminder's idempotency key: its kind, then what makes it unique."""
    return ":".join([str(kind), *(str(part) for part in parts)])


async def add_in(
    session: AsyncSession,
    *,
    user_id: int,
    kind: str,
    due_at: datetime,
    payload: dict[str, Any] | None = None,
    idempotency_key: str,
) -> int | None:
    """Queue a reminder inside the caller's transaction; None when the key exists already."""
    if due_at.tzinfo is None:
        raise ValueError("due_at must be timezone-aware")
    insert = dialect_insert(session)
    statement = (
        insert(Reminder)
        .values(
            user_id=user_id,
            kind=kind,
            due_at=due_at,
            status=ReminderStatus.PENDING,
            attempts=0,
            payload=payload,
            idempotency_key=idempotency_key,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(Reminder.id)
    )
    result = await session.execute(statement)
    row = result.first()
    return None if row is None else int(row[0])


def quiet_of(user: User) -> tuple[str, str] | None:
    """The user's quiet hours: their own, none if they turned them off, else the default."""
    if user.quiet_start and user.quiet_end:
        return (user.quiet_start, user.quiet_end)
    # /remind sets quiet hours with the time; a user with a time and none turned them off.
    return None if user.checkin_time else DEFAULT_QUIET


async def plan_in(
    session: AsyncSession,
    *,
    user: User,
    kind: ReminderKind,
    due_at: datetime,
    payload: dict[str, Any] | None = None,
    variant: str | None = None,
) -> int | None:
    """Queue a follow-up by the one rule: one per user, kind (and variant) and local day.

    The time moves out of the user's quiet hours; a kind in ``ONE_WAITING`` replaces the one
    waiting (of the same variant). A plan for a day that already has one, waiting or sent, adds
    nothing (None); one cancelled earlier that day comes back.
    """
    due = outside_quiet(due_at, user.timezone, quiet_of(user))
    parts: list[object] = [variant] if variant else []
    key = idempotency_key(kind, user.id, *parts, local_day(due, user.timezone).isoformat())
    if kind in ONE_WAITING:
        waiting = await session.execute(
            select(Reminder).where(
                Reminder.user_id == user.id,
                Reminder.kind == kind,
                Reminder.status.in_(ACTIVE),
                Reminder.idempotency_key != key,
            )
        )
        for reminder in waiting.scalars():
            if variant is None or (reminder.payload or {}).get("variant") == variant:
                reminder.status = ReminderStatus.CANCELLED
    if variant is not None:
        payload = {**(payload or {}), "variant": variant}
    added = await add_in(
        session, user_id=user.id, kind=kind, due_at=due, payload=payload, idempotency_key=key
    )
    if added is not None:
        return added
    existing = (
        await session.execute(select(Reminder).where(Reminder.idempotency_key == key))
    ).scalar_one_or_none()
    if existing is not None and existing.status in (
        ReminderStatus.CANCELLED,
        ReminderStatus.FAILED,
    ):
        existing.status, existing.due_at, existing.attempts = ReminderStatus.PENDING, due, 0
        existing.payload, existing.claimed_by, existing.claimed_at = payload, None, None
        return existing.id
    return None


async def cancel_kinds_in(session: AsyncSession, *, user_id: int, kinds: Iterable[str]) -> int:
    """Cancel this user's pending reminders of these kinds (inside the caller's transaction)."""
    result = await session.execute(
        update(Reminder)
        .where(
            Reminder.user_id == user_id, Reminder.kind.in_(list(kinds)), Reminder.status.in_(ACTIVE)
        )
        .values(status=ReminderStatus.CANCELLED)
    )
    return int(getattr(result, "rowcount", 0) or 0)


class UserReminders:
    """What one user does with their own reminders (over ``Database.sessions``)."""

    sessions: async_sessionmaker[AsyncSession]

    async def cancel(self, *, user_id: int, reminder_id: int) -> bool:
        """Cancel one of this user's reminders; False for another user's or a finished one."""
        async with self.sessions() as session, session.begin():
            result = await session.execute(
                update(Reminder)
                .where(
                    Reminder.id == reminder_id,
                    Reminder.user_id == user_id,
                    Reminder.status.in_(ACTIVE),
                )
                .values(status=ReminderStatus.CANCELLED)
            )
            return bool(getattr(result, "rowcount", 0))

    async def snooze(self, *, user_id: int, reminder_id: int, until: datetime) -> bool:
        """Move one of this user's reminders (pending, or just sent) to ``until``."""
        async with self.sessions() as session, session.begin():
            reminder = await session.get(Reminder, reminder_id)
            if (
                reminder is None
                or reminder.user_id != user_id
                or reminder.status in (ReminderStatus.CANCELLED, ReminderStatus.FAILED)
            ):
                return False
            if reminder.status == ReminderStatus.SENT:
                await add_in(
                    session,
                    user_id=user_id,
                    kind=reminder.kind,
                    due_at=until,
                    payload=reminder.payload,
                    idempotency_key=idempotency_key("snooze", reminder.id, until.isoformat()),
                )
            else:
                reminder.due_at, reminder.status = until, ReminderStatus.PENDING
                reminder.claimed_by = reminder.claimed_at = None
            return True

    async def list_for_user(self, *, user_id: int) -> list[Reminder]:
        """This user's pending and claimed reminders, soonest first."""
        async with self.sessions() as session:
            result = await session.execute(
                select(Reminder)
                .where(Reminder.user_id == user_id, Reminder.status.in_(ACTIVE))
                .order_by(Reminder.due_at, Reminder.id)
            )
            return list(result.scalars())

    async def get_for_user(self, *, user_id: int, reminder_id: int) -> Reminder | None:
        """One of this user's reminders (any status)."""
        async with self.sessions() as session:
            reminder = await session.get(Reminder, reminder_id)
            return reminder if reminder is not None and reminder.user_id == user_id else None

    async def deactivate_user(self, *, user_id: int) -> int:
        """The user blocked the bot: cancel their reminders and remember when."""
        async with self.sessions() as session, session.begin():
            user = await session.get(User, user_id)
            if user is not None:
                user.blocked_at = utcnow()
            result = await session.execute(
                update(Reminder)
                .where(
                    Reminder.user_id == user_id,
                    Reminder.status.in_((*ACTIVE, ReminderStatus.SENDING)),
                )
                .values(status=ReminderStatus.CANCELLED)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    async def cancel_kind(self, *, user_id: int, kinds: Sequence[str]) -> int:
        """Cancel this user's active reminders of these kinds."""
        async with self.sessions() as session, session.begin():
            return await cancel_kinds_in(session, user_id=user_id, kinds=kinds)
