"""The reminder dispatcher: a task in every worker that claims due reminders and sends them.

Claims come from the database (``storage.reminders``), so several workers never send the same
reminder; a worker that dies leaves its claims to expire and be taken over, except a reminder
it was in the middle of sending, which is counted as sent rather than risk sending it twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import warnings
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application
from telegram.warnings import PTBDeprecationWarning

from bot.callbacks import REMINDER
from bot.rate_limit import SendRateLimiter
from bot.render.tracking import weekly_summary_text
from bot.runtime import database_of
from bot.services.progress import progress_in
from content.messages import has, text
from storage.models import ReminderKind, User, utcnow
from storage.reminders import LEASE, ClaimedReminder, ReminderQueue

log = logging.getLogger("gutbot.dispatch")
KINDS = tuple(ReminderKind)


def reminder_keyboard(reminder_id: int) -> InlineKeyboardMarkup:
    """Do it now, snooze 1 hour, stop these."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    text("reminders.buttons.now"), callback_data=REMINDER.pack("now", reminder_id)
                ),
                InlineKeyboardButton(
                    text("reminders.buttons.snooze"),
                    callback_data=REMINDER.pack("snooze", reminder_id),
                ),
            ],
            [
                InlineKeyboardButton(
                    text("reminders.buttons.stop"), callback_data=REMINDER.pack("stop", reminder_id)
                )
            ],
        ]
    )


def retry_seconds(exc: RetryAfter) -> float:
    """RetryAfter's wait in seconds (an int today, a timedelta in a future PTB major version)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return float(value.total_seconds() if isinstance(value, timedelta) else value)


class Dispatcher:
    """Claims and sends due reminders until stopped."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        *,
        limiter: SendRateLimiter | None = None,
        poll_seconds: float = 1.0,
        batch: int = 50,
        lease: timedelta = LEASE,
    ) -> None:
        self.application = application
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{id(self) % 10_000}"
        self.limiter = limiter or SendRateLimiter()
        self.poll_seconds = poll_seconds
        self.batch = batch
        self.lease = lease
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    @property
    def queue(self) -> ReminderQueue:
        return ReminderQueue(database_of(self.application).sessions, lease=self.lease)

    def start(self) -> None:
        """Start the loop as a background task."""
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="gutbot-reminder-dispatch")

    async def stop(self) -> None:
        """Stop after the send in progress (its claim lapses if it was interrupted)."""
        self._stopping.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, timeout=10)
            except TimeoutError:
                self._task.cancel()
            self._task = None

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                sent = await self.dispatch_once()
            except Exception:
                log.exception("reminder dispatch pass failed")
                sent = 0
            if sent == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), timeout=self.poll_seconds)

    async def dispatch_once(self) -> int:
        """Claim due reminders once and send them; returns how many were sent."""
        claimed = await self.queue.claim_due(now=utcnow(), limit=self.batch, worker=self.worker)
        sent: list[int] = []
        try:
            for reminder in claimed:
                if self._stopping.is_set():
                    break
                try:
                    if await self._send(reminder):
                        sent.append(reminder.id)
                except Exception as exc:  # one reminder's failure never stops the others
                    await self._failed(reminder, exc)
        finally:
            # One statement for the pass; until then each is 'sending', never sent again.
            await self.queue.mark_many_sent(sent, worker=self.worker)
        return len(sent)

    async def _failed(self, reminder: ClaimedReminder, exc: Exception) -> None:
        # Only the exception's type is logged: its message could carry a user's data.
        log.error("reminder %s: %s while sending; retried later", reminder.id, type(exc).__name__)
        backoff = min(3600, 30 * 2 ** max(0, reminder.attempts - 1))
        await self.queue.mark_failed(
            reminder.id, type(exc).__name__, utcnow() + timedelta(seconds=backoff)
        )

    async def _text_for(self, reminder: ClaimedReminder) -> str | None:
        db = database_of(self.application)
        async with db.transaction() as session:
            user = await session.get(User, reminder.user_id)
            if user is None or not user.has_consent:
                return None
            if reminder.kind == ReminderKind.WEEKLY_SUMMARY:
                return weekly_summary_text(await progress_in(session, user, 7))
        key = reminder.kind if reminder.kind in KINDS else "generic"
        instrument = (reminder.payload or {}).get("instrument")
        if key == ReminderKind.QUESTIONNAIRE and has(
            f"reminders.message.questionnaire_{instrument}"
        ):
            key = f"questionnaire_{instrument}"
        return text(f"reminders.message.{key}")

    async def _send(self, reminder: ClaimedReminder) -> bool:
        queue = self.queue
        body = await self._text_for(reminder)
        if body is None:
            await queue.cancel(user_id=reminder.user_id, reminder_id=reminder.id)
            return False
        await self.limiter.wait(reminder.telegram_id)
        if not await queue.mark_sending(reminder.id, worker=self.worker):
            return False  # the claim lapsed and another worker has it
        try:
            await self.application.bot.send_message(
                reminder.telegram_id, body, reply_markup=reminder_keyboard(reminder.id)
            )
        except Forbidden:
            log.info("reminder %s: user blocked the bot; deactivating", reminder.id)
            await queue.deactivate_user(user_id=reminder.user_id)
            return False
        except RetryAfter as exc:
            seconds = float(
                exc.retry_after
                if isinstance(exc.retry_after, (int, float))
                else exc.retry_after.total_seconds()
            )
            self.limiter.pause(seconds)
            await queue.mark_failed(
                reminder.id, "RetryAfter", utcnow() + timedelta(seconds=seconds + 0.5)
            )
            return False
        except (TimedOut, NetworkError) as exc:
            backoff = min(3600, 30 * 2 ** max(0, reminder.attempts - 1))
            log.warning("reminder %s: %s; retry in %ss", reminder.id, type(exc).__name__, backoff)
            await queue.mark_failed(
                reminder.id, type(exc).__name__, utcnow() + timedelta(seconds=backoff)
            )
            return False
        return True  # marked sent with the rest of the pass (dispatch_once)
