"""Lab reports: a PDF, a photo or text copied from a clinical stool panel is read, its advice
given first, what was read shown, and the markers kept only once the user confirms them."""

from __future__ import annotations

import hashlib
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from analysis.labs.model import LabPanel
from analysis.labs.scanned import merge
from bot import analysis_jobs
from bot.arrivals import (
    chat_action,
    download,
    download_limit,
    error_words,
    run_job,
    too_big,
    upload_allowed,
)
from bot.callbacks import LAB, LabTap
from bot.flows.registry import Flow
from bot.handlers import Call, Tap, button, command
from bot.render.labs import panel_messages
from bot.runtime import Context, database_of, settings_of
from bot.services import labs, uploads
from content.messages import text
from storage.models import Owner


@command()
async def on_photo(call: Call) -> None:
    """A photo arrives: it may be a page of a lab report."""
    message, context, user = call.message, call.context, call.member
    if not message.photo:
        return
    if not await upload_allowed(message, context, user):
        return
    photo = message.photo[-1]  # Telegram sends several sizes, largest last
    limit = download_limit(context)
    if (photo.file_size or 0) > limit:
        await message.reply_text(too_big(photo.file_size or 0, limit))
        return
    async with chat_action(message):
        data = await download(message, photo, limit)
        if data is None:
            return
        await read_lab_report(message, context, user, data, None, group=message.media_group_id)


async def read_lab_report(
    message: Message,
    context: Context,
    user: Owner,
    data: bytes,
    filename: str | None,
    *,
    group: str | None = None,
) -> None:
    """Read a lab report, give the advice its markers ask for, show it and ask to save it."""
    db = database_of(context)
    sha = hashlib.sha256(data).hexdigest()
    saved_at = await labs.already_saved(db, user, sha)
    if saved_at is not None:
        await message.reply_text(text("labs.duplicate", date=saved_at.strftime("%d %B %Y")))
        return
    await message.reply_text(text("labs.reading"))
    outcome = await run_job(message, context, analysis_jobs.lab_job, data, filename)
    if outcome is None:
        return
    if "error" in outcome:
        await _reply_lab_error(message, outcome["error"])
        return
    await show_lab_panel(message, context, user, outcome["panel"], sha, group=group)


async def show_lab_panel(
    message: Message,
    context: Context,
    user: Owner,
    panel_json: dict[str, Any],
    sha: str,
    *,
    group: str | None = None,
) -> None:
    """Give the advice a panel's markers ask for, show what was read and ask to save it.

    A page of a report whose other pages are held (an album, or the same report's pages sent
    one by one) is joined to them, and the whole report is shown again.
    """
    db = database_of(context)
    if await labs.already_saved(db, user, sha) is not None:
        await message.reply_text(text("labs.duplicate_text"))
        return
    await uploads.count_upload(db, user, settings_of(context).uploads_per_hour)
    panel = LabPanel.model_validate(panel_json)
    earlier = await labs.held(db, user)
    if earlier is not None and labs.same_report(earlier, panel, group):
        joined = merge([earlier.panel, panel])
        if joined is not None:
            panel, sha = joined, earlier.sha
            panel_json = panel.model_dump(mode="json")
            group = group or earlier.group
            await message.reply_text(text("labs.page_added", pages=panel.pages))
    *first, reading = panel_messages(panel)
    for words in first:  # the advice comes before anything else
        await message.reply_text(words)
    pending_id = await labs.hold(db, user, panel_json, sha, group)
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    text("labs.buttons.save"), callback_data=LAB.pack("save", pending_id)
                ),
                InlineKeyboardButton(
                    text("labs.buttons.discard"), callback_data=LAB.pack("discard", pending_id)
                ),
            ]
        ]
    )
    await message.reply_text(reading)
    await message.reply_text(text("labs.confirm"), reply_markup=keyboard)


async def _reply_lab_error(message: Message, error: dict[str, Any]) -> None:
    # The lab's own words first, then a bound of the pool (time, memory, a crashed reader).
    words = error_words(error, ("labs", "upload"), "labs.error.not_a_report")
    await message.reply_text(f"{words} {text('upload.nothing_stored')}")


@button(LAB)
async def on_lab_tap(tap: Tap[LabTap]) -> None:
    """Save the reading of a lab report, or drop it."""
    action, pending_id = tap.data
    db = database_of(tap.context)
    if action == "show":
        panel = await labs.saved_panel(db, tap.member, pending_id)
        if panel is None:
            await tap.message.reply_text(text("labs.gone"))
            return
        for words in panel_messages(panel):
            await tap.message.reply_text(words)
        return
    await tap.query.edit_message_reply_markup(None)
    if action == "discard":
        dropped = await labs.discard(db, tap.member, pending_id)
        await tap.message.reply_text(text("labs.discarded" if dropped else "labs.stale"))
        return
    saved = await labs.confirm(db, tap.member, pending_id)
    if saved is None:
        await tap.message.reply_text(text("labs.stale"))
    elif saved.already:
        await tap.message.reply_text(
            text("labs.duplicate", date=saved.created_at.strftime("%d %B %Y"))
        )
    else:
        await tap.message.reply_text(text("labs.saved"))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Photos in private chats, and the save / don't save / show buttons."""
    return [
        MessageHandler(filters.ChatType.PRIVATE & filters.PHOTO, on_photo),
        CallbackQueryHandler(on_lab_tap, pattern=LAB.pattern),
    ]


FLOW = Flow(
    name="labs",
    handlers=handlers,
    actions={"labs.read": read_lab_report, "labs.show_panel": show_lab_panel},
)
