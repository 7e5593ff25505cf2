"""The error handler: log the traceback (never user text or health data), apologise to the user."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut

from bot.runtime import Context
from content.messages import text
from storage import StorageUnavailable

log = logging.getLogger("gutbot.errors")


def describe_update(update: object) -> str:
    """A log-safe description of an update: ids and kinds, never message text."""
    if not isinstance(update, Update):
        return type(update).__name__
    kind = "unknown"
    message = update.effective_message
    if update.callback_query is not None:
        kind = "callback_query"
    elif message is not None:
        if message.text is not None:
            kind = "command" if message.text.startswith("/") else "text"
        elif message.document is not None:
            kind = "document"
        else:
            kind = "other_message"
    return f"update_id={update.update_id} kind={kind}"


async def on_error(update: object, context: Context) -> None:
    """Log the failure with its traceback and tell the user without details."""
    error = context.error
    if isinstance(error, Forbidden):
        log.info("user blocked the bot (%s)", describe_update(update))
        return
    if isinstance(error, (RetryAfter, TimedOut, NetworkError)):
        name = type(error).__name__
        log.warning("Telegram network problem: %s (%s)", name, describe_update(update))
    else:
        log.error("unhandled error while handling %s", describe_update(update), exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        key = "common.storage_down" if isinstance(error, StorageUnavailable) else "common.error"
        try:
            await context.bot.send_message(update.effective_chat.id, text(key))
        except Exception:  # the apology itself failing must not loop back here
            log.warning("could not send the error message", exc_info=True)
