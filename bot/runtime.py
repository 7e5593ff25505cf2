"""What handlers share at run time: the settings, the database, per-update user lookup."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes

from bot.settings import Settings
from storage import Database, Session

DB_KEY = "gutbot.db"
SETTINGS_KEY = "gutbot.settings"

Context = ContextTypes.DEFAULT_TYPE


def freeze_startup_heap() -> int:
    """Exempt everything built at start-up from the cyclic garbage collector; returns how many.

    A worker's start-up leaves a large, long-lived heap (topics, the retrieval index, libraries).
    Each full collection walked all of it: pauses of 150 ms measured under load, during which no
    update was answered. Frozen, those objects are no longer scanned (they live as long as the
    process anyway), and collections only walk what updates allocate: a few milliseconds.
    Called once by the serving entry points, after ``post_init``.
    """
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def settings_of(app_or_context: Application[Any, Any, Any, Any, Any, Any] | Context) -> Settings:
    """The settings the application was built with."""
    settings = app_or_context.bot_data[SETTINGS_KEY]
    assert isinstance(settings, Settings)
    return settings


def database_of(app_or_context: Application[Any, Any, Any, Any, Any, Any] | Context) -> Database:
    """The open database (set in ``post_init``)."""
    db = app_or_context.bot_data.get(DB_KEY)
    if not isinstance(db, Database):
        raise RuntimeError("the database is not open yet (post_init has not run)")
    return db


@asynccontextmanager
async def unit_of_work(context: Context) -> AsyncIterator[Session]:
    """One session and transaction: committed on success, rolled back on error."""
    async with database_of(context).transaction() as session:
        yield session


def telegram_ids(update: Update) -> tuple[int, str | None]:
    """The sender's Telegram id and language code (the update must have a user)."""
    user = update.effective_user
    if user is None:
        raise ValueError("update has no user")
    return user.id, user.language_code
