"""Concurrency with order: updates of one chat run one after another, different chats in parallel.

Also the per-user limits (messages and button taps a minute) that stop one flooding user from
slowing everyone else down; the hourly upload limit is counted where a file is accepted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import traceback
from collections import defaultdict, deque
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseUpdateProcessor, TypeHandler

from bot.errors import describe_update
from bot.runtime import Context, database_of, settings_of
from content.messages import text
from storage.usage import count_message, current_minute, purge_message_counts

log = logging.getLogger("gutbot.limits")


def chat_key(update: object) -> int | None:
    """The chat an update belongs to (the user for callbacks without a message), or None."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


#: Longest an update may run before the watchdog stops it (``Settings.update_timeout_seconds``).
DEFAULT_UPDATE_TIMEOUT = 60.0


async def run_watched(update: object, coroutine: Awaitable[Any], seconds: float) -> bool:
    """Run one update's handling; stop it after ``seconds``, log where it was stuck, say sorry.

    One stuck update must never hold its chat (or the bot): the chat's next update runs as soon
    as this returns. Returns False when the update was stopped.
    """
    task = asyncio.ensure_future(coroutine)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if task in done:
        task.result()  # an exception goes to the caller, as before
        return True
    stack = "".join(traceback.format_stack(task.get_stack()[-1])) if task.get_stack() else ""
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task
    log.error(
        "update stopped after %ss: %s\nstuck at:\n%s", seconds, describe_update(update), stack
    )
    message = getattr(update, "effective_message", None)
    if message is not None and getattr(update, "callback_query", None) is None:
        with contextlib.suppress(Exception):
            await message.reply_text(text("common.too_slow"))
    return False


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Process up to ``max_concurrent_updates`` at once, but never two of the same chat, and
    none for longer than ``timeout`` seconds (:func:`run_watched`)."""

    def __init__(
        self, max_concurrent_updates: int, timeout: float = DEFAULT_UPDATE_TIMEOUT
    ) -> None:
        super().__init__(max_concurrent_updates)
        self.timeout = timeout
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = defaultdict(int)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            await run_watched(update, coroutine, self.timeout)
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] += 1
        try:
            async with lock:
                await run_watched(update, coroutine, self.timeout)
        finally:
            self._users[key] -= 1
            if self._users[key] == 0:
                del self._users[key]
                self._locks.pop(key, None)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


class SlidingWindowLimiter:
    """At most ``limit`` events per ``window`` seconds per key (in this worker's memory).

    Keys whose events have all left the window are forgotten (swept once a window), so memory
    follows the users active in the last window, not every user the worker has ever seen.
    """

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._events: dict[int, deque[float]] = {}
        self._notified: dict[int, float] = {}
        self._next_sweep = 0.0

    def allow(self, key: int, now: float | None = None) -> bool:
        """Record an event for ``key`` if it is within the limit; False when it is not."""
        now = time.monotonic() if now is None else now
        if now >= self._next_sweep:
            self._sweep(now)
        events = self._events.get(key)
        if events is None:
            events = self._events[key] = deque()
        while events and events[0] <= now - self.window:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        return True

    def first_refusal(self, key: int, now: float | None = None, quiet: float = 30.0) -> bool:
        """Whether a refusal for ``key`` should be said (once per ``quiet`` seconds, per burst)."""
        now = time.monotonic() if now is None else now
        last = self._notified.get(key)
        if last is not None and now - last <= quiet:
            return False
        self._notified[key] = now
        return True

    def __len__(self) -> int:
        """How many keys are remembered."""
        return len(self._events)

    def _sweep(self, now: float) -> None:
        cutoff = now - self.window
        for key in [k for k, events in self._events.items() if not events or events[-1] <= cutoff]:
            del self._events[key]
        for key in [k for k, last in self._notified.items() if last <= cutoff]:
            del self._notified[key]
        self._next_sweep = now + self.window


LIMITERS_KEY = "gutbot.limiters"
SHARED_KEY = "gutbot.shared_limit"


def _limiters(context: Context) -> tuple[SlidingWindowLimiter, SlidingWindowLimiter]:
    """This worker's limiters: messages a minute, button taps a minute.

    Uploads are limited where they are accepted (``bot.services.uploads``), counted in the
    database and only for files that were read, so a refused file never uses up the limit.
    """
    limiters = context.bot_data.get(LIMITERS_KEY)
    if limiters is None:
        settings = settings_of(context)
        limiters = (
            SlidingWindowLimiter(settings.messages_per_minute, 60.0),
            SlidingWindowLimiter(settings.taps_per_minute, 60.0),
        )
        context.bot_data[LIMITERS_KEY] = limiters
    return limiters


async def _within_shared_message_limit(context: Context, telegram_id: int) -> bool:
    """The message count every worker shares (each worker's own limiter sees only its share).

    If the database cannot be reached, this worker's own limit still applies and the message
    goes on: a user is never refused because of an outage.
    """
    try:
        engine = database_of(context).engine
    except RuntimeError:
        return True
    state: dict[str, int] = context.bot_data.setdefault(SHARED_KEY, {"purged": 0, "warned": 0})
    minute = current_minute()
    used = await count_message(engine, telegram_id=telegram_id)
    if used is None:
        if state["warned"] != minute:  # once a minute, not once per message
            state["warned"] = minute
            log.warning("shared message count unavailable: the database did not answer")
        return True
    if state["purged"] != minute:
        state["purged"] = minute
        await purge_message_counts(engine)
    return used <= settings_of(context).messages_per_minute


async def enforce_user_limits(update: Update, context: Context) -> None:
    """Runs before every handler: a user over their limit gets one polite line, nothing else."""
    user = update.effective_user
    if user is None:
        return
    messages, taps = _limiters(context)
    if update.callback_query is not None:
        # Taps answer the bot's own keyboards: counted apart from messages (a check-in is ten).
        allowed, limiter = taps.allow(user.id), taps
    else:
        allowed = messages.allow(user.id) and await _within_shared_message_limit(context, user.id)
        limiter = messages
    if allowed:
        return
    key = "common.too_many_messages"
    if update.callback_query is not None:
        # Every refused tap is answered (a passing notice), or its button would spin forever.
        await update.callback_query.answer(text(key), show_alert=False)
    elif update.effective_message is not None and (
        update.effective_message.document is not None or limiter.first_refusal(user.id)
    ):
        # A message is refused with one line per burst, not one per extra message; a file is
        # always answered, so nobody waits for a reply to a file that was never read.
        await update.effective_message.reply_text(text(key))
    raise ApplicationHandlerStop


def limit_handler() -> TypeHandler[Update, Context, None]:
    """The handler to register in group -1 (before every feature)."""
    return TypeHandler(Update, enforce_user_limits)
