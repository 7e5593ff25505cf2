"""What every arriving file needs, whichever flow reads it: the download limit, a chat action
while it is read, the upload-limit answer, and a job run in the analysis pool with the queue
and busy answers. Not a flow: the upload and lab-report flows both use it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from telegram import Document, Message, PhotoSize
from telegram.constants import ChatAction, FileSizeLimit
from telegram.error import TelegramError

from bot.analysis_pool import JobFailed, PoolBusy, pool_of
from bot.consent import Member
from bot.render.formatting import shown_name
from bot.runtime import Context, database_of, settings_of
from bot.services import uploads
from content.messages import has, text
from storage.models import utcnow
from storage.schedule import zone as user_zone

log = logging.getLogger("gutbot.upload")


def download_limit(context: Context) -> int:
    """The largest file the bot downloads: MAX_UPLOAD_MB, and Telegram's cap unless a local
    Bot API server (which has none) serves the files."""
    settings = settings_of(context)
    limit = settings.max_upload_mb * 1_000_000
    if getattr(settings, "telegram_api_url", None):
        return limit
    return min(limit, int(FileSizeLimit.FILESIZE_DOWNLOAD))


def too_big(size: int, limit: int) -> str:
    return text("upload.too_big", size_mb=f"{size / 1_000_000:.1f}", limit_mb=limit // 1_000_000)


@contextlib.asynccontextmanager
async def chat_action(message: Message, action: str = ChatAction.TYPING) -> AsyncIterator[None]:
    """Keep showing a chat action while the block runs (Telegram shows one for ~5 seconds)."""

    async def keep() -> None:
        while True:
            with contextlib.suppress(TelegramError):
                await message.reply_chat_action(action)
            await asyncio.sleep(4.5)

    task = asyncio.create_task(keep())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def limit_reached(until: datetime, zone_name: str | None, limit: int) -> str:
    minutes = max(1, math.ceil((until - utcnow()).total_seconds() / 60))
    at = until.astimezone(user_zone(zone_name)).strftime("%H:%M")
    zone = zone_name or "UTC"
    return text("common.too_many_uploads", limit=limit, at=f"{at} ({zone})", minutes=minutes)


async def upload_allowed(message: Message, context: Context, user: Member) -> bool:
    """Whether the user may send another file now (the hourly limit, counted in the database
    so that it holds across workers); when not, says when they can."""
    per_hour = settings_of(context).uploads_per_hour
    until = await uploads.upload_refused_until(database_of(context), user, per_hour)
    if until is None:
        return True
    await message.reply_text(limit_reached(until, user.timezone, per_hour))
    return False


async def download(message: Message, attachment: Document | PhotoSize, limit: int) -> bytes | None:
    """The attachment's bytes, or None after saying why not (over the limit, or Telegram failed).

    The message may omit the size; getFile states it before anything is downloaded.
    """
    try:
        telegram_file = await attachment.get_file()
        if (telegram_file.file_size or 0) > limit:
            await message.reply_text(too_big(telegram_file.file_size or 0, limit))
            return None
        return bytes(await telegram_file.download_as_bytearray())
    except TelegramError:
        log.warning("download failed for an upload", exc_info=True)
        await message.reply_text(text("upload.download_failed"))
        return None


def error_words(error: dict[str, Any], areas: tuple[str, ...], fallback: str) -> str:
    """The words for a keyed error: the first of ``areas`` that words it, else ``fallback``.

    A ``<key>_seen`` message (which shows what the file looked like) is used when the error's
    details fill it; a message whose placeholders the details do not fill falls back as well.
    Text taken from the file is cleaned (no control or bidi characters) before it is shown.
    """
    key = str(error.get("key", ""))
    details = error.get("details") or {}
    values = {
        k: shown_name(v, 120) if isinstance(v, str) else v
        for k, v in details.items()
        if isinstance(v, (str, int, float))
    }
    for area in areas:
        for candidate in (f"{area}.error.{key}_seen", f"{area}.error.{key}"):
            if has(candidate):
                try:
                    return text(candidate, **values)
                except (KeyError, IndexError):
                    continue
        if has(f"{area}.error.{key}"):
            break
    return text(fallback)


async def run_job(message: Message, context: Context, fn: Any, *args: Any) -> dict[str, Any] | None:
    settings = settings_of(context)
    pool = pool_of(settings)
    if pool.would_wait():
        minutes = max(1, pool.waiting + 1)
        await message.reply_text(text("upload.queued", minutes=minutes))
    try:
        result: dict[str, Any] = await pool.run(fn, *args)
    except PoolBusy:
        await message.reply_text(text("upload.busy"))
        return None
    except JobFailed as exc:  # a bound was hit or the file crashed its worker: a keyed answer
        return exc.outcome()
    return result
