"""/remind, /reminders and the buttons on every reminder; starts the dispatcher in each worker."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    BaseHandler,
    MessageHandler,
    filters,
)

from bot.callbacks import QUIET, REMIND_TIME, REMINDER, Choice, ReminderTap
from bot.consent import consented_user
from bot.dispatch import Dispatcher
from bot.flows.registry import Command, Flow, registry_of
from bot.handlers import Call, Tap, button, button_handlers, command
from bot.runtime import Context, database_of, settings_of, unit_of_work
from bot.timezones import parse_timezone, timezone_from_location
from content.messages import has, text
from storage import Session
from storage.models import Dialog, ReminderKind, User, utcnow
from storage.reminders import ReminderQueue, cancel_kinds_in, plan_in
from storage.schedule import DEFAULT_QUIET, in_quiet, next_local_time, outside_quiet
from storage.schedule import zone as user_zone

DISPATCHER_KEY = "gutbot.dispatcher"
REMIND_DIALOGS = (Dialog.REMIND_TZ, Dialog.REMIND_TIME)
TIMES = ("08:00", "12:00", "18:00", "20:00", "21:30")
_TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.h]?([0-5]\d)?\s*$")


def _quiet(user: User) -> tuple[str, str] | None:
    return (user.quiet_start, user.quiet_end) if user.quiet_start and user.quiet_end else None


async def schedule_checkin(session: Session, user: User) -> str:
    """(Re)create the user's daily check-in reminder; returns its local time label."""
    await cancel_kinds_in(session, user_id=user.id, kinds=(ReminderKind.CHECKIN,))
    assert user.checkin_time is not None
    due = next_local_time(utcnow(), user.checkin_time, user.timezone, quiet=_quiet(user))
    await plan_in(session, user=user, kind=ReminderKind.CHECKIN, due_at=due)
    return due.astimezone(user_zone(user.timezone)).strftime("%H:%M")


def _time_keyboard() -> InlineKeyboardMarkup:
    row = [InlineKeyboardButton(t, callback_data=REMIND_TIME.pack(t)) for t in TIMES]
    return InlineKeyboardMarkup([row[:3], row[3:]])


@command()
async def remind_command(call: Call) -> None:
    """/remind: ask the time zone once, then the time."""
    async with unit_of_work(call.context) as session:
        user = await session.get(User, call.member.id)
        if user is None:
            return
        if user.timezone is None:
            user.dialog = Dialog.REMIND_TZ
            reply, markup = text("reminders.ask_timezone"), None
        else:
            user.dialog = Dialog.REMIND_TIME
            reply, markup = text("reminders.ask_time"), _time_keyboard()
    await call.message.reply_text(reply, reply_markup=markup)


@button(REMIND_TIME)
async def on_time_button(tap: Tap[Choice]) -> None:
    """A time from the /remind keyboard."""
    message, value = tap.message, tap.data.value
    async with unit_of_work(tap.context) as session:
        user = await session.get(User, tap.member.id)
        if user is None:
            return
        reply, markup = await _set_time(session, user, value)
    await message.reply_text(reply, reply_markup=markup)


async def _set_time(session: Session, user: User, value: str) -> tuple[str, InlineKeyboardMarkup]:
    """Store the daily time and schedule it; the reply says where it landed and why."""
    user.checkin_time, user.dialog = value, None
    if user.quiet_start is None:
        user.quiet_start, user.quiet_end = DEFAULT_QUIET
    local = await schedule_checkin(session, user)
    quiet = f"{user.quiet_start}-{user.quiet_end}" if _quiet(user) else text("reminders.quiet_none")
    reply = text("reminders.scheduled", time=local, zone=user.timezone or "UTC", quiet=quiet)
    if in_quiet(value, _quiet(user)):
        reply = text("reminders.time_in_quiet", time=value, quiet=quiet, moved=local)
    button = InlineKeyboardButton(
        text("reminders.buttons.quiet_off"), callback_data=QUIET.pack("off")
    )
    return reply, InlineKeyboardMarkup([[button]])


@button(QUIET)
async def on_quiet_button(tap: Tap[Choice]) -> None:
    """Quiet hours (22:00-07:00) on or off."""
    async with unit_of_work(tap.context) as session:
        user = await session.get(User, tap.member.id)
        if user is None:
            return
        if tap.data.value == "off":
            user.quiet_start = user.quiet_end = None
            reply = text("reminders.quiet_off")
        else:
            user.quiet_start, user.quiet_end = DEFAULT_QUIET
            reply = text("reminders.quiet_set", start=DEFAULT_QUIET[0], end=DEFAULT_QUIET[1])
        if user.checkin_time:
            await schedule_checkin(session, user)
    await tap.message.reply_text(reply)


async def intercept_text(update: Update, context: Context, session: Session, user: User) -> bool:
    """Typed answers inside /remind (time zone, time); False when no /remind dialogue waits."""
    message = update.effective_message
    if message is None or message.text is None or user.dialog not in REMIND_DIALOGS:
        return False
    if user.dialog == Dialog.REMIND_TZ:
        zone = parse_timezone(message.text)
        if zone is None:
            await message.reply_text(text("reminders.timezone_unknown", value=message.text[:40]))
            return True
        user.timezone, user.dialog = zone, Dialog.REMIND_TIME
        await message.reply_text(text("reminders.timezone_set", zone=zone))
        await message.reply_text(text("reminders.ask_time"), reply_markup=_time_keyboard())
        return True
    match = _TIME.match(message.text)
    if match is None:
        await message.reply_text(text("reminders.time_invalid"))
        return True
    value = f"{int(match.group(1)):02d}:{match.group(2) or '00'}"
    reply, markup = await _set_time(session, user, value)
    await message.reply_text(reply, reply_markup=markup)
    return True


async def on_location(update: Update, context: Context) -> None:
    """A shared location while /remind asks for the time zone."""
    message = update.effective_message
    if message is None or message.location is None:
        return
    async with unit_of_work(context) as session:
        user = await consented_user(session=session, update=update)
        if user is None or user.dialog != Dialog.REMIND_TZ:
            return
        user.timezone = timezone_from_location(
            message.location.latitude, message.location.longitude
        )
        user.dialog = Dialog.REMIND_TIME
        zone = user.timezone
    await message.reply_text(text("reminders.timezone_set", zone=zone))
    await message.reply_text(text("reminders.ask_time"), reply_markup=_time_keyboard())


@command()
async def reminders_command(call: Call) -> None:
    """/reminders: what is scheduled, with cancel and snooze buttons."""
    message, context = call.message, call.context
    zone, uid = user_zone(call.member.timezone), call.member.id
    items = await ReminderQueue(database_of(context).sessions).list_for_user(user_id=uid)
    if not items:
        await message.reply_text(text("reminders.list_empty"))
        return
    lines = [text("reminders.list_title")]
    rows = []
    for item in items[:15]:
        kind = _kind_name(item.kind, item.payload)
        when = item.due_at.astimezone(zone).strftime("%a %d %b, %H:%M")
        lines.append(text("reminders.list_line", kind=kind, when=when))
        rows.append(
            [
                InlineKeyboardButton(
                    text("reminders.buttons.cancel", kind=kind)[:60],
                    callback_data=REMINDER.pack("cancel", item.id),
                ),
                InlineKeyboardButton(
                    text("reminders.buttons.snooze"), callback_data=REMINDER.pack("snooze", item.id)
                ),
            ]
        )
    await message.reply_text("\n".join(lines), reply_markup=InlineKeyboardMarkup(rows))


KIND_KEYS = tuple(ReminderKind)


def _kind_name(kind: str, payload: dict[str, Any] | None) -> str:
    """What a reminder is, as the user knows it (which questionnaire, for a questionnaire)."""
    instrument = (payload or {}).get("instrument")
    if kind == ReminderKind.QUESTIONNAIRE and has(f"reminders.kind.questionnaire_{instrument}"):
        return text(f"reminders.kind.questionnaire_{instrument}")
    return text(f"reminders.kind.{kind}") if kind in KIND_KEYS else text("reminders.kind.generic")


@button(REMINDER)
async def on_reminder_button(tap: Tap[ReminderTap]) -> None:
    """Now, snooze, stop or cancel, on a reminder or in /reminders."""
    message, context, (action, reminder_id) = tap.message, tap.context, tap.data
    uid = tap.member.id
    queue = ReminderQueue(database_of(context).sessions)
    reminder = await queue.get_for_user(user_id=uid, reminder_id=reminder_id)
    if reminder is None:
        await message.reply_text(text("reminders.not_found"))
        return
    if action == "snooze":
        # An hour from now, or from when it was planned if that is later; never into quiet hours.
        start = max(utcnow(), reminder.due_at)
        until = outside_quiet(start + timedelta(hours=1), tap.member.timezone, tap.member.quiet)
        await queue.snooze(user_id=uid, reminder_id=reminder.id, until=until)
        when = until.astimezone(user_zone(tap.member.timezone)).strftime("%a %d %b, %H:%M")
        zone_name = tap.member.timezone or "UTC"
        await message.reply_text(text("reminders.snoozed", when=f"{when} ({zone_name})"))
    elif action == "cancel":
        await queue.cancel(user_id=uid, reminder_id=reminder.id)
        await message.reply_text(text("reminders.cancelled"))
    elif action == "stop":
        await queue.cancel_kind(user_id=uid, kinds=(reminder.kind,))
        if reminder.kind == ReminderKind.CHECKIN:
            async with unit_of_work(context) as session:
                stored = await session.get(User, uid)
                if stored is not None:
                    stored.checkin_time = None
        await message.reply_text(text("reminders.stopped"))
    elif action == "now":
        await _do_now(tap, reminder.kind)


async def _do_now(tap: Tap[ReminderTap], kind: str) -> None:
    message, registry = tap.message, registry_of(tap.context)
    if kind in (ReminderKind.CHECKIN, ReminderKind.FOLLOWUP_CHECKIN):
        await registry.action("checkin.begin")(tap.update, tap.context)
    elif kind == ReminderKind.QUESTIONNAIRE:
        await registry.action("questionnaire.begin")(tap.update, tap.context)
    elif kind == ReminderKind.RETEST:
        await message.reply_text(text("reminders.retest_now"))
    else:
        await message.reply_text(text("reminders.summary_now"))


async def on_startup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Start this worker's dispatcher."""
    lease = timedelta(seconds=settings_of(application).reminder_lease_seconds)
    dispatcher = Dispatcher(application, lease=lease)
    application.bot_data[DISPATCHER_KEY] = dispatcher
    dispatcher.start()


async def on_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Stop the dispatcher cleanly."""
    dispatcher = application.bot_data.pop(DISPATCHER_KEY, None)
    if isinstance(dispatcher, Dispatcher):
        await dispatcher.stop()


async def on_cancel(*, session: Session, user: User) -> bool:
    """Leave a half-finished /remind dialogue."""
    if user.dialog in REMIND_DIALOGS:
        user.dialog = None
        return True
    return False


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Reminder commands and buttons."""
    return [
        *button_handlers(on_time_button, on_quiet_button, on_reminder_button),
        MessageHandler(filters.ChatType.PRIVATE & filters.LOCATION, on_location),
    ]


FLOW = Flow(
    name="reminders",
    handlers=handlers,
    commands=(
        Command("remind", "tracking", handler=remind_command),
        Command("reminders", "tracking", handler=reminders_command),
    ),
    text_hook=intercept_text,
    dialogs=REMIND_DIALOGS,
    cancel_hook=on_cancel,
    on_startup=on_startup,
    on_shutdown=on_shutdown,
)
