"""/start, consent, /help, /privacy, /export, /delete, /consent and /cancel."""

from __future__ import annotations

import io
import json
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.callbacks import CONSENT, DELETE, Choice
from bot.consent import consent_keyboard
from bot.flows.registry import Command, Flow, registry_of
from bot.handlers import Call, Tap, button, button_handlers, command
from bot.runtime import Context, database_of
from bot.services import account
from content.messages import text
from storage.models import utcnow


def _date(value: datetime) -> str:
    return value.strftime("%d %B %Y")


@command(consent=False)
async def start(call: Call) -> None:
    """Say what gutbot does and does not do, then ask for consent if it is missing."""
    message = call.message
    await message.reply_text(text("account.start.intro"))
    if call.member.has_consent:
        await message.reply_text(text("account.start.welcome_back"))
    else:
        await message.reply_text(
            text("account.start.consent_request"), reply_markup=consent_keyboard()
        )


_CONSENT_REPLIES = {
    account.ConsentAnswer.GIVEN: "account.start.consent_given",
    account.ConsentAnswer.ALREADY: "account.start.already_consented",
    account.ConsentAnswer.DECLINED: "account.start.consent_declined",
}


@button(CONSENT, consent=False)
async def consent_answer(tap: Tap[Choice]) -> None:
    """Record the answer to the consent question (or withdraw it)."""
    if tap.data.value == "withdraw":
        await _withdraw(tap)
        return
    answer = await account.answer_consent(
        database_of(tap.context), tap.member, yes=tap.data.value == "yes"
    )
    await tap.query.edit_message_text(text(_CONSENT_REPLIES[answer]))


@command(consent=False)
async def consent_command(call: Call) -> None:
    """Show the consent status with a button to withdraw or give it."""
    state = await account.consent_state(database_of(call.context), call.member)
    if state.given_at is not None:
        status = text("account.consent.status_given", date=_date(state.given_at))
        button = InlineKeyboardButton(
            text("account.buttons.withdraw"), callback_data=CONSENT.pack("withdraw")
        )
        markup = InlineKeyboardMarkup([[button]])
    else:
        status = text("account.consent.status_none")
        if state.withdrawn_at is not None:
            status = text("account.consent.status_withdrawn", date=_date(state.withdrawn_at))
        markup = consent_keyboard()
    await call.message.reply_text(status, reply_markup=markup)


async def _withdraw(tap: Tap[Choice]) -> None:
    """Withdraw consent: no new health data, no reminders."""
    await account.withdraw(database_of(tap.context), tap.member)
    await tap.query.edit_message_text(text("account.consent.withdrawn"))


async def help_command(update: Update, context: Context) -> None:
    """List the commands and what to send (generated from the flows' commands)."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(registry_of(context).help_text())


async def privacy_command(update: Update, context: Context) -> None:
    """Explain what is stored, why, for how long, and how to export or delete it."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(text("account.privacy.text"))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


@command(consent=False)
async def export_command(call: Call) -> None:
    """Send everything stored about the user as a JSON document (/export csv: for a doctor)."""
    message, context = call.message, call.context
    if call.args and call.args[0].lower() == "csv":
        await registry_of(context).action("doctor_export")(call.update, context)
        return
    await message.reply_chat_action(ChatAction.UPLOAD_DOCUMENT)
    exported = await account.export(database_of(context), call.member)
    payload = json.dumps(exported.data, indent=2, ensure_ascii=False, default=_json_default)
    caption = text("account.export.caption", date=_date(utcnow()))
    if not exported.has_consent and exported.empty:
        caption += "\n" + text("account.export.empty_note")
    await message.reply_document(
        document=io.BytesIO(payload.encode("utf-8")),
        filename="gutbot-export.json",
        caption=caption,
    )


async def delete_command(update: Update, context: Context) -> None:
    """Ask for confirmation before erasing everything (never creates a row for a new user)."""
    message = update.effective_message
    tg_user = update.effective_user
    if message is None or tg_user is None:
        return
    if not await account.is_known(database_of(context), tg_user.id):
        await message.reply_text(text("account.delete.nothing"))
        return
    await message.reply_text(text("account.delete.confirm"), reply_markup=_delete_keyboard())


def _delete_keyboard() -> InlineKeyboardMarkup:
    yes, no = DELETE.pack("yes"), DELETE.pack("no")
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(text("account.buttons.delete_confirm"), callback_data=yes)],
            [InlineKeyboardButton(text("account.buttons.delete_cancel"), callback_data=no)],
        ]
    )


async def delete_answer(update: Update, context: Context) -> None:
    """Erase every row of the user after the second step, or keep everything."""
    query = update.callback_query
    tg_user = update.effective_user
    choice = DELETE.unpack(query.data if query else None)
    if query is None or tg_user is None or choice is None:
        return
    await query.answer()
    if choice.value == "ask":  # the button under "consent withdrawn": the same two steps
        if query.message is not None:
            await context.bot.send_message(
                query.message.chat.id,
                text("account.delete.confirm"),
                reply_markup=_delete_keyboard(),
            )
        return
    if choice.value != "yes":
        await query.edit_message_text(text("account.delete.cancelled"))
        return
    deleted = await account.delete(database_of(context), tg_user.id)
    await query.edit_message_text(
        text("account.delete.done" if deleted else "account.delete.nothing")
    )


async def cancel_command(update: Update, context: Context) -> None:
    """Stop whatever dialogue the user is in (every flow's cancel hook)."""
    message = update.effective_message
    tg_user = update.effective_user
    if message is None or tg_user is None:
        return
    hooks = registry_of(context).cancel_hooks()
    stopped = await account.cancel_dialogues(database_of(context), tg_user.id, hooks)
    await message.reply_text(text("account.cancel.done" if stopped else "account.cancel.nothing"))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """The account handlers."""
    return [
        *button_handlers(consent_answer),
        CallbackQueryHandler(delete_answer, pattern=DELETE.pattern),
    ]


FLOW = Flow(
    name="account",
    handlers=handlers,
    commands=(
        Command("start", handler=start),
        Command("help", handler=help_command),
        Command("privacy", "data", handler=privacy_command),
        Command("export", "data", handler=export_command),
        Command("delete", "data", handler=delete_command),
        Command("consent", "data", handler=consent_command),
        Command("cancel", "data", handler=cancel_command),
    ),
)
