"""Admin commands: aggregate counts only, never one user's data; limited to ADMIN_USER_IDS."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.flows.registry import Flow
from bot.runtime import Context, database_of, settings_of
from bot.services import admin
from content.messages import text


async def stats_command(update: Update, context: Context) -> None:
    """/stats for admins: how many users, consents, samples and check-ins exist."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    if user.id not in settings_of(context).admin_user_ids:
        await message.reply_text(text("admin.not_allowed"))
        return
    counts = await admin.stats(database_of(context))
    await message.reply_text(text("admin.stats", **counts))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """The admin commands (not in the public menu)."""
    return [CommandHandler("stats", stats_command)]


#: Admin commands stay out of the public menu and /help.
FLOW = Flow(name="admin", handlers=handlers)
