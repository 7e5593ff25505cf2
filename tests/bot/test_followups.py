"""Follow-ups as a user meets them (SQLite and PostgreSQL, through the real Application)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.local_bot import LocalBot
from content.messages import text
from storage.models import Reminder, User, utcnow
from storage.reminders import ReminderQueue
from tests.bot.conftest import consent
from tests.conftest import shared_path

MPA3 = "metaphlan3_SRR1761667_stool.txt"


async def _uid(bot: LocalBot, telegram_id: int) -> int:
    async with bot.db.transaction() as session:
        uid = await session.scalar(select(User.id).where(User.telegram_id == telegram_id))
    assert uid is not None
    return uid


async def test_several_uploads_leave_one_follow_up_and_one_retest(any_bot: LocalBot) -> None:
    await consent(any_bot, 1)
    data = shared_path("corpus", MPA3).read_bytes()
    for copy in range(3):  # three different files (a new line each), all stored
        calls = await any_bot.upload(1, data + b"\n" * (copy + 1), f"{copy}.txt")
        assert calls[-1].text == text("upload.stored")
    listed = (await any_bot.say(1, "/reminders"))[-1]
    lines = listed.text.splitlines()[1:]
    assert len(lines) == 2, listed.text
    assert sum(text("reminders.kind.followup_checkin") in line for line in lines) == 1
    assert sum(text("reminders.kind.retest") in line for line in lines) == 1
    assert len(listed.buttons) == 4  # cancel and snooze for each of the two


async def test_a_time_inside_quiet_hours_says_why_it_moved(any_bot: LocalBot) -> None:
    await consent(any_bot, 2)
    await any_bot.say(2, "/remind")
    await any_bot.say(2, "London")
    reply = (await any_bot.say(2, "23:30"))[-1]
    assert "23:30" in reply.text and "07:00" in reply.text and "22:00-07:00" in reply.text
    assert reply.text == text(
        "reminders.time_in_quiet", time="23:30", quiet="22:00-07:00", moved="07:00"
    )
    off = await any_bot.press(2, text("reminders.buttons.quiet_off"))
    assert off[-1].text == text("reminders.quiet_off")
    async with any_bot.db.transaction() as session:
        due = await session.scalar(select(Reminder.due_at).where(Reminder.status == "pending"))
    assert due is not None
    assert due.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M") == "23:30"


async def test_snooze_is_never_earlier_than_planned_and_shown_in_the_users_zone(
    any_bot: LocalBot,
) -> None:
    await consent(any_bot, 3)
    await any_bot.say(3, "/remind")
    await any_bot.say(3, "Tokyo")
    await any_bot.press(3, "08:00")
    uid = await _uid(any_bot, 3)
    (planned,) = await ReminderQueue(any_bot.db.sessions).list_for_user(user_id=uid)
    snoozed = await any_bot.press_data(3, f"rm:snooze:{planned.id}")
    (moved,) = await ReminderQueue(any_bot.db.sessions).list_for_user(user_id=uid)
    assert moved.due_at == planned.due_at + timedelta(hours=1)
    local = moved.due_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert local.strftime("%H:%M") == "09:00"
    assert snoozed[-1].text == text(
        "reminders.snoozed", when=f"{local:%a %d %b, %H:%M} (Asia/Tokyo)"
    )


async def test_a_snooze_after_the_send_is_an_hour_from_now(any_bot: LocalBot) -> None:
    await consent(any_bot, 4)
    uid = await _uid(any_bot, 4)
    async with any_bot.db.transaction() as session:
        user = await session.get(User, uid)
        assert user is not None
        user.quiet_start, user.quiet_end, user.checkin_time = None, None, "12:00"  # quiet off
    rid = await ReminderQueue(any_bot.db.sessions).add(
        user_id=uid, kind="retest", due_at=utcnow() - timedelta(hours=5), idempotency_key="r:4"
    )
    before = utcnow()
    await any_bot.press_data(4, f"rm:snooze:{rid}")
    (moved,) = await ReminderQueue(any_bot.db.sessions).list_for_user(user_id=uid)
    assert before + timedelta(minutes=59) < moved.due_at < utcnow() + timedelta(minutes=61)


async def test_the_questionnaire_reminder_names_its_questionnaire(any_bot: LocalBot) -> None:
    await consent(any_bot, 5)
    await any_bot.say(5, "/questionnaire")
    await any_bot.press(5, text("checkin.buttons.phq4"))
    for _ in range(4):
        await any_bot.press(5, any_bot.button_data(5, "qn:"))
    listed = (await any_bot.say(5, "/reminders"))[-1].text
    assert text("reminders.kind.questionnaire_phq4") in listed
    assert text("reminders.kind.questionnaire_ibs_sss") not in listed
