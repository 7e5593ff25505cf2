"""The reminder queue: follow-ups in the database, claimed by one worker, sent exactly once.

python-telegram-bot's JobQueue lives in process memory (lost on restart, duplicated across
workers), so reminders live here. ``claim_due`` moves due rows to ``claimed`` atomically
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL); a claim older than the lease is claimable again, so a
worker that dies before sending loses nothing; ``mark_sent`` only succeeds for the claim's owner.

Right before the Bot API call a reminder moves to ``sending`` (and the next one of a recurring kind
is queued in the same commit). Telegram has no idempotency key, so a worker killed during that call
leaves it unknown whether the message arrived; such a reminder is settled as sent once its lease
lapses, never sent again: a reminder may not arrive twice.

The two marks around a send are one prepared statement each, committed on their own: a
dispatcher's cost per reminder is mostly these round trips (``make bench`` measures it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, and_, bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from storage.models import Reminder, ReminderKind, ReminderStatus, User, utcnow
from storage.reminder_rows import (
    ACTIVE,
    UserReminders,
    add_in,
    cancel_kinds_in,
    idempotency_key,
    plan_in,
    quiet_of,
)
from storage.schedule import next_local_time

__all__ = [
    "ACTIVE",
    "MAX_ATTEMPTS",
    "RECURRING",
    "ReminderQueue",
    "UserReminders",
    "add_in",
    "cancel_kinds_in",
    "idempotency_key",
    "plan_in",
    "quiet_of",
]

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8
RECURRING: dict[str, timedelta] = {
    ReminderKind.CHECKIN: timedelta(days=1),
    ReminderKind.WEEKLY_SUMMARY: timedelta(days=7),
}


_TABLE: Table = Reminder.__table__  # type: ignore[assignment]
# The statements around every send, built once on the table (not the ORM class): a dispatcher
# runs them for each reminder, and building and compiling them per call was most of its CPU.
_CLAIMED_BY_ME = and_(
    _TABLE.c.id == bindparam("b_id"),
    _TABLE.c.status == ReminderStatus.CLAIMED,
    _TABLE.c.claimed_by == bindparam("b_worker"),
)
_MARK_SENDING_ONE_OFF = (
    update(_TABLE)
    # Plain comparisons, not NOT IN: an IN list is expanded into the SQL again on every call.
    .where(_CLAIMED_BY_ME, *(_TABLE.c.kind != kind for kind in RECURRING))
    .values(status=ReminderStatus.SENDING, claimed_at=bindparam("b_at"))
)
_MARK_SENDING = (
    update(_TABLE)
    .where(_CLAIMED_BY_ME)
    .values(status=ReminderStatus.SENDING, claimed_at=bindparam("b_at"))
    .returning(_TABLE.c.kind)
)
_MARK_MANY_SENT = (
    update(_TABLE)
    .where(
        _TABLE.c.id.in_(bindparam("b_ids", expanding=True)),
        _TABLE.c.status == ReminderStatus.SENDING,
        _TABLE.c.claimed_by == bindparam("b_worker"),
    )
    .values(status=ReminderStatus.SENT, sent_at=bindparam("b_at"))
)


@dataclass(frozen=True)
class ClaimedReminder:
    """A reminder claimed for sending, with the chat to send it to."""

    id: int
    user_id: int
    telegram_id: int
    kind: str
    due_at: datetime
    status: str
    attempts: int
    payload: dict[str, Any] | None


class ReminderQueue(UserReminders):
    """The queue over a session factory (``Database.sessions``): claiming and marking sends;
    what a user does with their own reminders is in :class:`UserReminders`."""

    add_in = staticmethod(add_in)
    plan_in = staticmethod(plan_in)
    cancel_kinds_in = staticmethod(cancel_kinds_in)

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], *, lease: timedelta = LEASE
    ) -> None:
        self.sessions = sessions
        self.lease = lease

    @property
    def _engine(self) -> AsyncEngine:
        engine = self.sessions.kw["bind"]
        assert isinstance(engine, AsyncEngine)
        return engine

    async def add(
        self,
        *,
        user_id: int,
        kind: str,
        due_at: datetime,
        payload: dict[str, Any] | None = None,
        idempotency_key: str,
    ) -> int | None:
        """Queue a reminder; None when the idempotency key exists already."""
        async with self.sessions() as session, session.begin():
            return await add_in(
                session,
                user_id=user_id,
                kind=kind,
                due_at=due_at,
                payload=payload,
                idempotency_key=idempotency_key,
            )

    async def claim_due(self, *, now: datetime, limit: int, worker: str) -> list[ClaimedReminder]:
        """Atomically claim up to ``limit`` due reminders for ``worker`` (expired claims included)."""
        async with self.sessions() as session, session.begin():
            due = and_(
                Reminder.due_at <= now,
                # A reminder that failed every attempt is never claimed again (below: failed).
                Reminder.attempts < MAX_ATTEMPTS,
                or_(
                    Reminder.status == ReminderStatus.PENDING,
                    and_(
                        Reminder.status == ReminderStatus.CLAIMED,
                        Reminder.claimed_at < now - self.lease,
                    ),
                ),
            )
            postgres = session.bind is not None and session.bind.dialect.name == "postgresql"
            await self._settle_interrupted(session, now=now, postgres=postgres)
            await session.execute(
                update(Reminder)
                .where(
                    Reminder.status == ReminderStatus.CLAIMED,
                    Reminder.claimed_at < now - self.lease,
                    Reminder.attempts >= MAX_ATTEMPTS,
                )
                .values(
                    status=ReminderStatus.FAILED,
                    last_error=f"gave up after {MAX_ATTEMPTS} attempts",
                    claimed_by=None,
                    claimed_at=None,
                )
                .execution_options(synchronize_session=False)
            )
            pick = (
                select(Reminder.id).where(due).order_by(Reminder.due_at, Reminder.id).limit(limit)
            )
            if postgres:
                pick = pick.with_for_update(skip_locked=True)
            # One statement: pick (skipping rows other workers hold), claim, and return them.
            claimed = (
                await session.execute(
                    update(Reminder)
                    .where(Reminder.id.in_(pick.scalar_subquery()), due)
                    .values(
                        status=ReminderStatus.CLAIMED,
                        claimed_by=worker,
                        claimed_at=now,
                        attempts=Reminder.attempts + 1,
                    )
                    .returning(
                        Reminder.id,
                        Reminder.user_id,
                        Reminder.kind,
                        Reminder.due_at,
                        Reminder.attempts,
                        Reminder.payload,
                    )
                    .execution_options(synchronize_session=False)
                )
            ).all()
            if not claimed:
                return []
            users = dict(
                (
                    await session.execute(
                        select(User.id, User.telegram_id).where(
                            User.id.in_({r.user_id for r in claimed})
                        )
                    )
                )
                .tuples()
                .all()
            )
            rows = sorted(claimed, key=lambda r: (r.due_at, r.id))
            return [
                ClaimedReminder(
                    r.id,
                    r.user_id,
                    users[r.user_id],
                    r.kind,
                    r.due_at,
                    ReminderStatus.CLAIMED,
                    r.attempts,
                    r.payload,
                )
                for r in rows
                if r.user_id in users
            ]

    async def _settle_interrupted(
        self, session: AsyncSession, *, now: datetime, postgres: bool
    ) -> None:
        """Reminders whose sender died during its Bot API call or before marking the pass sent:
        count them as sent, never resend."""
        stale = select(Reminder).where(
            Reminder.status == ReminderStatus.SENDING, Reminder.claimed_at < now - self.lease
        )
        if postgres:
            stale = stale.with_for_update(skip_locked=True)
        for reminder in (await session.execute(stale.limit(100))).scalars():
            reminder.status, reminder.sent_at = ReminderStatus.SENT, reminder.claimed_at
            reminder.last_error = (
                "sender stopped during or after the send, before marking it sent; "
                "counted as sent, not repeated"
            )
            # Queued already with the 'sending' mark; kept for rows marked by older versions
            # (the idempotency key makes it once).
            if reminder.kind in RECURRING:
                await self._schedule_next(session, reminder)
        await session.flush()

    async def mark_sending(
        self, reminder_id: int, *, worker: str, now: datetime | None = None
    ) -> bool:
        """Right before the send: False when the claim is no longer this worker's.

        From here on the reminder counts as sent whatever becomes of the Bot API call (it is never
        sent twice), so the next occurrence of a recurring kind is queued in the same commit.
        """
        params = {"b_id": reminder_id, "b_worker": worker, "b_at": now or utcnow()}
        # A one-off reminder needs one statement, committed on its own (and durably).
        async with self._engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            if getattr(await conn.execute(_MARK_SENDING_ONE_OFF, params), "rowcount", 0):
                return True
        # A recurring one (or one that is no longer this worker's).
        async with self._engine.begin() as conn:
            done = (await conn.execute(_MARK_SENDING, params)).first()
            if done is None:
                return False
            if done.kind in RECURRING:
                await self._schedule_next_of(conn, reminder_id)
            return True

    async def mark_sent(
        self,
        reminder_id: int,
        *,
        worker: str | None = None,
        now: datetime | None = None,
        after_sending: bool = False,
    ) -> bool:
        """Mark a claimed reminder sent (and queue the next one of a recurring kind).

        With ``after_sending`` (the reminder was marked 'sending', and its next occurrence queued,
        before the Bot API call), only this worker's 'sending' row is marked, in one statement.
        """
        at = now or utcnow()
        if after_sending and worker is not None:
            return await self.mark_many_sent([reminder_id], worker=worker, now=at) == 1
        states = (
            (ReminderStatus.SENDING,)
            if after_sending
            else (ReminderStatus.CLAIMED, ReminderStatus.SENDING)
        )
        statement = (
            update(_TABLE)
            .where(_TABLE.c.id == reminder_id, _TABLE.c.status.in_(states))
            .values(status=ReminderStatus.SENT, sent_at=at)
            .returning(_TABLE.c.kind)
        )
        if worker is not None:
            statement = statement.where(_TABLE.c.claimed_by == worker)
        async with self._engine.begin() as conn:
            done = (await conn.execute(statement)).first()
            if done is None:
                return False
            if done.kind in RECURRING:
                # Queued already if it went through 'sending'; the idempotency key makes it once.
                await self._schedule_next_of(conn, reminder_id)
            return True

    async def mark_many_sent(
        self, reminder_ids: Sequence[int], *, worker: str, now: datetime | None = None
    ) -> int:
        """After their sends, mark several of this worker's 'sending' reminders sent at once.

        The dispatcher marks a pass's sends together: 'sending' already guarantees each is never
        sent again, so 'sent' only records how it ended and can wait for the end of the pass (a
        worker that dies first leaves them to be settled as sent after the lease). Returns how
        many rows were marked.
        """
        if not reminder_ids:
            return 0
        params = {"b_ids": list(reminder_ids), "b_worker": worker, "b_at": now or utcnow()}
        async with self._engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            return int(getattr(await conn.execute(_MARK_MANY_SENT, params), "rowcount", 0))

    async def _schedule_next_of(self, conn: AsyncConnection, reminder_id: int) -> None:
        # An ORM session joining the connection's transaction: one commit for both.
        async with AsyncSession(bind=conn, expire_on_commit=False) as session:
            reminder = await session.get(Reminder, reminder_id)
            if reminder is not None:
                await self._schedule_next(session, reminder)
            await session.flush()

    async def _schedule_next(self, session: AsyncSession, reminder: Reminder) -> None:
        user = await session.get(User, reminder.user_id)
        if user is None or not user.has_consent or user.blocked_at is not None:
            return
        if reminder.kind == ReminderKind.CHECKIN and user.checkin_time:
            due = next_local_time(
                reminder.due_at + timedelta(hours=1),
                user.checkin_time,
                user.timezone,
                quiet=quiet_of(user),
            )
        else:
            due = reminder.due_at + RECURRING[reminder.kind]
        await plan_in(
            session,
            user=user,
            kind=ReminderKind(reminder.kind),
            due_at=due,
            payload=reminder.payload,
        )

    async def mark_failed(self, reminder_id: int, error: str, retry_at: datetime) -> None:
        """Back to pending at ``retry_at``, or ``failed`` after too many attempts."""
        async with self.sessions() as session, session.begin():
            reminder = await session.get(Reminder, reminder_id)
            if reminder is None or reminder.status not in (
                ReminderStatus.CLAIMED,
                ReminderStatus.SENDING,
            ):
                return
            reminder.last_error = error[:500]
            if reminder.attempts >= MAX_ATTEMPTS:
                reminder.status = ReminderStatus.FAILED
            else:
                reminder.status, reminder.due_at = ReminderStatus.PENDING, retry_at
            reminder.claimed_by, reminder.claimed_at = None, None
