"""/remind, /reminders, the dispatcher and the buttons on every reminder."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.dispatch import Dispatcher
from bot.local_bot import LocalBot
from bot.rate_limit import SendRateLimiter
from content.messages import text
from storage.models import Reminder, User, utcnow
from storage.reminders import ReminderQueue
from storage.users import get_user_by_telegram_id
from tests.bot.conftest import consent


async def _user_id(bot: LocalBot, telegram_id: int) -> int:
    async with bot.db.transaction() as session:
        user = await get_user_by_telegram_id(session=session, telegram_id=telegram_id)
    assert user is not None
    return user.id


async def test_remind_asks_zone_then_time_and_schedules(local_bot: LocalBot) -> None:
    await consent(local_bot, 1)
    ask = await local_bot.say(1, "/remind")
    assert ask[-1].text == text("reminders.ask_timezone")
    bad = await local_bot.say(1, "Atlantis")
    assert "couldn't recognise" in bad[-1].text
    await local_bot.say(1, "Berlin")
    done = await local_bot.press(1, "20:00")
    assert "every day at 20:00 (Europe/Berlin)" in done[-1].text
    async with local_bot.db.transaction() as session:
        user = await session.scalar(select(User).where(User.telegram_id == 1))
        reminder = await session.scalar(select(Reminder).where(Reminder.kind == "checkin"))
    assert user is not None and user.timezone == "Europe/Berlin" and user.checkin_time == "20:00"
    assert reminder is not None and reminder.status == "pending"
    listed = await local_bot.say(1, "/reminders")
    assert text("reminders.kind.checkin") in listed[-1].text
    # Typed time, free text afterwards goes to questions again.
    await local_bot.say(1, "/remind")
    typed = await local_bot.say(1, "21:15")
    assert "21:15" in typed[-1].text
    assert (await local_bot.say(1, "what is dysbiosis"))[-1].text.startswith(
        "What 'dysbiosis' means"
    )


async def _due(bot: LocalBot, telegram_id: int, kind: str = "retest") -> int:
    uid = await _user_id(bot, telegram_id)
    rid = await ReminderQueue(bot.db.sessions).add(
        user_id=uid,
        kind=kind,
        due_at=utcnow() - timedelta(seconds=1),
        idempotency_key=f"{kind}:{telegram_id}:{utcnow().timestamp()}",
    )
    assert rid is not None
    return rid


async def test_dispatch_sends_with_buttons_and_marks_sent(local_bot: LocalBot) -> None:
    await consent(local_bot, 2)
    rid = await _due(local_bot, 2)
    dispatcher = Dispatcher(local_bot.app, limiter=SendRateLimiter(enabled=False))
    assert await dispatcher.dispatch_once() == 1
    message = local_bot.api.sent(2)[-1]
    assert message.text == text("reminders.message.retest")
    assert [d for _, d in message.buttons] == [
        f"rm:now:{rid}",
        f"rm:snooze:{rid}",
        f"rm:stop:{rid}",
    ]
    assert await dispatcher.dispatch_once() == 0
    now = await local_bot.press(2, f"rm:now:{rid}")
    assert now[-1].text == text("reminders.retest_now")
    snoozed = await local_bot.press(2, f"rm:snooze:{rid}")
    assert snoozed[-1].text.startswith("Snoozed")


async def test_blocked_user_is_deactivated_and_retry_after_is_honoured(local_bot: LocalBot) -> None:
    await consent(local_bot, 3)
    await consent(local_bot, 4)
    await _due(local_bot, 3)
    await _due(local_bot, 4, kind="questionnaire")
    local_bot.api.blocked_chats.add(3)
    local_bot.api.retry_after[4] = 7
    dispatcher = Dispatcher(local_bot.app, limiter=SendRateLimiter(enabled=False))
    assert await dispatcher.dispatch_once() == 0
    async with local_bot.db.transaction() as session:
        rows = {r.kind: r for r in (await session.scalars(select(Reminder))).all()}
        blocked = await session.scalar(select(User.blocked_at).where(User.telegram_id == 3))
    assert rows["retest"].status == "cancelled" and blocked is not None
    assert rows["questionnaire"].status == "pending"
    assert rows["questionnaire"].due_at > utcnow() + timedelta(seconds=5)


async def test_network_errors_retry_with_backoff(local_bot: LocalBot) -> None:
    await consent(local_bot, 5)
    await _due(local_bot, 5)
    local_bot.api.fail_network = 5  # PTB retries nothing by itself here
    dispatcher = Dispatcher(local_bot.app, limiter=SendRateLimiter(enabled=False))
    await dispatcher.dispatch_once()
    async with local_bot.db.transaction() as session:
        reminder = await session.scalar(select(Reminder))
    assert reminder is not None and reminder.status == "pending" and reminder.attempts == 1
    assert reminder.last_error is not None


async def test_others_cannot_touch_my_reminders_and_stop_works(local_bot: LocalBot) -> None:
    await consent(local_bot, 6)
    await consent(local_bot, 7)
    rid = await _due(local_bot, 6)
    stolen = await local_bot.press_data(7, f"rm:stop:{rid}")
    assert stolen[-1].text == text("reminders.not_found")
    stopped = await local_bot.press_data(6, f"rm:stop:{rid}")
    assert stopped[-1].text == text("reminders.stopped")
    async with local_bot.db.transaction() as session:
        status = await session.scalar(select(Reminder.status))
    assert status == "cancelled"


async def test_one_broken_reminder_never_stops_the_others(
    local_bot: LocalBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    for telegram_id in (21, 22, 23):
        await consent(local_bot, telegram_id)
        await _due(local_bot, telegram_id)
    dispatcher = Dispatcher(local_bot.app, limiter=SendRateLimiter(enabled=False))
    real = dispatcher._text_for

    async def text_for(reminder: Any) -> str | None:
        if reminder.telegram_id == 22:
            raise ValueError("a bug in one user's reminder text")
        return await real(reminder)

    monkeypatch.setattr(dispatcher, "_text_for", text_for)
    assert await dispatcher.dispatch_once() == 2
    assert local_bot.api.sent(21) and local_bot.api.sent(23)
    async with local_bot.db.transaction() as session:
        broken = await session.scalar(select(Reminder).join(User).where(User.telegram_id == 22))
    assert broken is not None and broken.status == "pending" and broken.last_error == "ValueError"
