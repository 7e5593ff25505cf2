"""/start, consent, /help, /privacy, /export, /delete, /consent and /cancel."""

from __future__ import annotations

import io
import json
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.consent import CONSENT_NO, CONSENT_YES, consent_keyboard, user_for_update
from bot.runtime import Context, unit_of_work
from content.messages import text
from storage.audit import record_event
from storage.models import utcnow
from storage.users import (
    delete_user_data,
    export_user_data,
    get_user_by_telegram_id,
    give_consent,
    withdraw_consent,
)

CONSENT_WITHDRAW = "consent:withdraw"
DELETE_YES = "delete:yes"
DELETE_NO = "delete:no"


def _date(value: datetime) -> str:
    return value.strftime("%d %B %Y")


async def start(update: Update, context: Context) -> None:
    """Say what gutbot does and does not do, then ask for consent if it is missing."""
    message = update.effective_message
    if message is None:
        return
    async with unit_of_work(context) as session:
        user = await user_for_update(session=session, update=update)
        consented = user.has_consent
    await message.reply_text(text("account.start.intro"))
    if consented:
        await message.reply_text(text("account.start.welcome_back"))
    else:
        await message.reply_text(
            text("account.start.consent_request"), reply_markup=consent_keyboard()
        )


async def consent_answer(update: Update, context: Context) -> None:
    """Record the answer to the consent question."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    async with unit_of_work(context) as session:
        user = await user_for_update(session=session, update=update)
        if query.data == CONSENT_YES:
            if user.has_consent:
                reply = text("account.start.already_consented")
            else:
                await give_consent(session=session, user=user)
                reply = text("account.start.consent_given")
        else:
            reply = text("account.start.consent_declined")
    await query.edit_message_text(reply)


async def consent_command(update: Update, context: Context) -> None:
    """Show the consent status with a button to withdraw or give it."""
    message = update.effective_message
    if message is None:
        return
    async with unit_of_work(context) as session:
        user = await user_for_update(session=session, update=update)
        if user.has_consent and user.consent_given_at is not None:
            status = text("account.consent.status_given", date=_date(user.consent_given_at))
            button = InlineKeyboardButton(
                text("account.buttons.withdraw"), callback_data=CONSENT_WITHDRAW
            )
            markup = InlineKeyboardMarkup([[button]])
        else:
            if user.consent_withdrawn_at is not None:
                status = text(
                    "account.consent.status_withdrawn", date=_date(user.consent_withdrawn_at)
                )
            else:
                status = text("account.consent.status_none")
            markup = consent_keyboard()
    await message.reply_text(status, reply_markup=markup)


async def consent_withdraw(update: Update, context: Context) -> None:
    """Withdraw consent: no new health data, no reminders."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    async with unit_of_work(context) as session:
        user = await user_for_update(session=session, update=update)
        if user.has_consent:
            await withdraw_consent(session=session, user=user)
    await query.edit_message_text(text("account.consent.withdrawn"))


async def help_command(update: Update, context: Context) -> None:
    """List the commands and what to send."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(text("account.help.text"))


async def privacy_command(update: Update, context: Context) -> None:
    """Explain what is stored, why, for how long, and how to export or delete it."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(text("account.privacy.text"))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


async def export_command(update: Update, context: Context) -> None:
    """Send everything stored about the user as a JSON document (/export csv: for a doctor)."""
    message = update.effective_message
    tg_user = update.effective_user
    if message is None or tg_user is None:
        return
    if context.args and context.args[0].lower() == "csv":
        from bot.flows.checkin import export_csv

        await export_csv(update, context)
        return
    await message.reply_chat_action(ChatAction.UPLOAD_DOCUMENT)
    async with unit_of_work(context) as session:
        user = await user_for_update(session=session, update=update)
        data = await export_user_data(session=session, user=user)
        await record_event(session=session, user=user, event="data_exported")
    payload = json.dumps(data, indent=2, ensure_ascii=False, default=_json_default)
    caption = text("account.export.caption", date=_date(utcnow()))
    if not user.has_consent and all(not v for k, v in data.items() if k != "user"):
        caption += "\n" + text("account.export.empty_note")
    await message.reply_document(
        document=io.BytesIO(payload.encode("utf-8")),
        filename="gutbot-export.json",
        caption=caption,
    )


async def delete_command(update: Update, context: Context) -> None:
    """Ask for confirmation before erasing everything."""
    message = update.effective_message
    tg_user = update.effective_user
    if message is None or tg_user is None:
        return
    async with unit_of_work(context) as session:
        user = await get_user_by_telegram_id(session=session, telegram_id=tg_user.id)
    if user is None:
        await message.reply_text(text("account.delete.nothing"))
        return
    yes, no = DELETE_YES, DELETE_NO
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(text("account.buttons.delete_confirm"), callback_data=yes)],
            [InlineKeyboardButton(text("account.buttons.delete_cancel"), callback_data=no)],
        ]
    )
    await message.reply_text(text("account.delete.confirm"), reply_markup=markup)


async def delete_answer(update: Update, context: Context) -> None:
    """Erase every row of the user after the second step, or keep everything."""
    query = update.callback_query
    tg_user = update.effective_user
    if query is None or tg_user is None:
        return
    await query.answer()
    if query.data != DELETE_YES:
        await query.edit_message_text(text("account.delete.cancelled"))
        return
    async with unit_of_work(context) as session:
        user = await get_user_by_telegram_id(session=session, telegram_id=tg_user.id)
        if user is None:
            reply = text("account.delete.nothing")
        else:
            await delete_user_data(session=session, user=user)
            reply = text("account.delete.done")
    await query.edit_message_text(reply)


async def cancel_command(update: Update, context: Context) -> None:
    """Stop whatever dialogue the user is in (every flow's ``on_cancel`` hook)."""
    from bot.app import cancel_hooks  # the registry lives with the wiring

    message = update.effective_message
    tg_user = update.effective_user
    if message is None or tg_user is None:
        return
    stopped = False
    async with unit_of_work(context) as session:
        user = await get_user_by_telegram_id(session=session, telegram_id=tg_user.id)
        if user is not None:
            for hook in cancel_hooks():
                stopped = await hook(session=session, user=user) or stopped
    await message.reply_text(text("account.cancel.done" if stopped else "account.cancel.nothing"))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """The account handlers."""
    return [
        CommandHandler("start", start),
        CommandHandler("help", help_command),
        CommandHandler("privacy", privacy_command),
        CommandHandler("export", export_command),
        CommandHandler("delete", delete_command),
        CommandHandler("consent", consent_command),
        CommandHandler("cancel", cancel_command),
        CallbackQueryHandler(consent_answer, pattern=f"^({CONSENT_YES}|{CONSENT_NO})$"),
        CallbackQueryHandler(consent_withdraw, pattern=f"^{CONSENT_WITHDRAW}$"),
        CallbackQueryHandler(delete_answer, pattern=f"^({DELETE_YES}|{DELETE_NO})$"),
    ]


def commands() -> list[tuple[str, str]]:
    """Menu entries (command, description)."""
    return [
        ("start", text("menu.start")),
        ("help", text("menu.help")),
        ("privacy", text("menu.privacy")),
        ("export", text("menu.export")),
        ("delete", text("menu.delete")),
        ("consent", text("menu.consent")),
        ("cancel", text("menu.cancel")),
    ]
