"""Replies for what no feature handles: unreadable messages, unknown buttons, group chats."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.runtime import Context
from content.messages import text


async def not_private(update: Update, context: Context) -> None:
    """Health conversations belong in a private chat."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(text("common.not_private"))


async def unsupported(update: Update, context: Context) -> None:
    """Say what gutbot can read instead."""
    message = update.effective_message
    if message is None:
        return
    if message.sticker is not None:
        key = "common.unsupported_sticker"
    elif message.voice or message.video_note or message.video or message.audio:
        key = "common.unsupported_voice"
    else:
        key = "common.unsupported_other"
    await message.reply_text(text(key))


async def unknown_button(update: Update, context: Context) -> None:
    """A button no flow reads (from an older version, or forged): say it has expired."""
    if update.callback_query is not None:
        await update.callback_query.answer(text("common.stale_button"))


def group_handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Registered first: anything outside a private chat gets one polite line."""
    return [MessageHandler(~filters.ChatType.PRIVATE & filters.COMMAND, not_private)]


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Registered last: messages no feature handled."""
    unreadable = filters.ChatType.PRIVATE & ~filters.COMMAND & ~filters.TEXT
    return [MessageHandler(unreadable, unsupported), CallbackQueryHandler(unknown_button)]
