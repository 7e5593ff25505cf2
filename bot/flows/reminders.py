"""/remind, /reminders and the buttons on every reminder; starts the dispatcher in each worker."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, BaseHandler, MessageHandler, filters

from bot.callbacks import QUIET, REMIND_TIME, REMINDER, Choice, ReminderTap
from bot.dispatch import Dispatcher
from bot.flows.registry import Command, Flow, registry_of
from bot.handlers import Call, Tap, button, button_handlers, command
from bot.runtime import Context, database_of, settings_of
from bot.services import followups
from bot.timezones import parse_timezone, timezone_from_location
from content.messages import has, text
from storage import Session
from storage.models import Dialog, ReminderKind, User

DISPATCHER_KEY = "gutbot.dispatcher"
_WHEN = "%a %d %b, %H:%M"


def _time_keyboard() -> InlineKeyboardMarkup:
    row = [InlineKeyboardButton(t, callback_data=REMIND_TIME.pack(t)) for t in followups.TIMES]
    return InlineKeyboardMarkup([row[:3], row[3:]])


def _scheduled_reply(done: followups.Scheduled) -> tuple[str, InlineKeyboardMarkup]:
    """Where the reminder landed and why, with the quiet-hours button."""
    quiet = f"{done.quiet[0]}-{done.quiet[1]}" if done.quiet else text("reminders.quiet_none")
    if done.in_quiet:
        reply = text("reminders.time_in_quiet", time=done.chosen, quiet=quiet, moved=done.local)
    else:
        reply = text("reminders.scheduled", time=done.local, zone=done.zone, quiet=quiet)
    button = InlineKeyboardButton(
        text("reminders.buttons.quiet_off"), callback_data=QUIET.pack("off")
    )
    return reply, InlineKeyboardMarkup([[button]])


async def _ask_time(message: Message, zone: str) -> None:
    await message.reply_text(text("reminders.timezone_set", zone=zone))
    await message.reply_text(text("reminders.ask_time"), reply_markup=_time_keyboard())


@command()
async def remind_command(call: Call) -> None:
    """/remind: ask the time zone once, then the time."""
    asked = await followups.start_remind(database_of(call.context), call.member)
    if asked == Dialog.REMIND_TZ:
        await call.message.reply_text(text("reminders.ask_timezone"))
    elif asked == Dialog.REMIND_TIME:
        await call.message.reply_text(text("reminders.ask_time"), reply_markup=_time_keyboard())


@button(REMIND_TIME)
async def on_time_button(tap: Tap[Choice]) -> None:
    """A time from the /remind keyboard."""
    done = await followups.set_time(database_of(tap.context), tap.member, tap.data.value)
    if done is not None:
        reply, markup = _scheduled_reply(done)
        await tap.message.reply_text(reply, reply_markup=markup)


@button(QUIET)
async def on_quiet_button(tap: Tap[Choice]) -> None:
    """Quiet hours (22:00-07:00) on or off."""
    on = tap.data.value != "off"
    if await followups.set_quiet(database_of(tap.context), tap.member, on=on):
        start, end = followups.DEFAULT_QUIET
        reply = text("reminders.quiet_set", start=start, end=end) if on else None
        await tap.message.reply_text(reply or text("reminders.quiet_off"))


async def intercept_text(update: Update, context: Context, session: Session, user: User) -> bool:
    """Typed answers inside /remind (time zone, time); False when no /remind dialogue waits."""
    message = update.effective_message
    if message is None or message.text is None or user.dialog not in followups.REMIND_DIALOGS:
        return False
    if user.dialog == Dialog.REMIND_TZ:
        zone = parse_timezone(message.text)
        if zone is None:
            await message.reply_text(text("reminders.timezone_unknown", value=message.text[:40]))
        else:
            followups.set_timezone_in(user, zone)
            await _ask_time(message, zone)
        return True
    value = followups.parse_time(message.text)
    if value is None:
        await message.reply_text(text("reminders.time_invalid"))
        return True
    reply, markup = _scheduled_reply(await followups.set_time_in(session, user, value))
    await message.reply_text(reply, reply_markup=markup)
    return True


@command()
async def on_location(call: Call) -> None:
    """A shared location while /remind asks for the time zone."""
    location = call.message.location
    if location is None:
        return
    zone = timezone_from_location(location.latitude, location.longitude)
    if await followups.set_timezone_if_asked(database_of(call.context), call.member, zone):
        await _ask_time(call.message, zone)


@command()
async def reminders_command(call: Call) -> None:
    """/reminders: what is scheduled, with cancel and snooze buttons."""
    items = await followups.listed(database_of(call.context), call.member)
    if not items:
        await call.message.reply_text(text("reminders.list_empty"))
        return
    lines, rows = [text("reminders.list_title")], []
    for item in items:
        kind = _kind_name(item.kind, item.instrument)
        when = item.due_local.strftime(_WHEN)
        lines.append(text("reminders.list_line", kind=kind, when=when))
        cancel = text("reminders.buttons.cancel", kind=kind)[:60]
        snooze = text("reminders.buttons.snooze")
        rows.append(
            [
                InlineKeyboardButton(cancel, callback_data=REMINDER.pack("cancel", item.id)),
                InlineKeyboardButton(snooze, callback_data=REMINDER.pack("snooze", item.id)),
            ]
        )
    await call.message.reply_text("\n".join(lines), reply_markup=InlineKeyboardMarkup(rows))


KIND_KEYS = tuple(ReminderKind)


def _kind_name(kind: str, instrument: str | None) -> str:
    """What a reminder is, as the user knows it (which questionnaire, for a questionnaire)."""
    if kind == ReminderKind.QUESTIONNAIRE and has(f"reminders.kind.questionnaire_{instrument}"):
        return text(f"reminders.kind.questionnaire_{instrument}")
    return text(f"reminders.kind.{kind}") if kind in KIND_KEYS else text("reminders.kind.generic")


@button(REMINDER)
async def on_reminder_button(tap: Tap[ReminderTap]) -> None:
    """Now, snooze, stop or cancel, on a reminder or in /reminders."""
    action, reminder_id = tap.data
    acted = await followups.act(database_of(tap.context), tap.member, action, reminder_id)
    if acted is None:
        await tap.message.reply_text(text("reminders.not_found"))
    elif acted.until_local is not None:
        when = f"{acted.until_local.strftime(_WHEN)} ({acted.zone})"
        await tap.message.reply_text(text("reminders.snoozed", when=when))
    elif action == "cancel":
        await tap.message.reply_text(text("reminders.cancelled"))
    elif action == "stop":
        await tap.message.reply_text(text("reminders.stopped"))
    elif action == "now":
        await _do_now(tap, acted.kind)


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
    return followups.cancel_dialog(user)


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
    dialogs=followups.REMIND_DIALOGS,
    cancel_hook=on_cancel,
    on_startup=on_startup,
    on_shutdown=on_shutdown,
)
