"""Wiring: ``build_application`` registers every handler, the error handler and lifecycle hooks."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from types import ModuleType
from typing import Any

from telegram import BotCommand
from telegram.ext import Application, ApplicationBuilder

from bot import errors
from bot.concurrency import PerChatUpdateProcessor, limit_handler
from bot.flows import account, admin, checkin, fallback, questions, reminders, results, upload
from bot.runtime import DB_KEY, SETTINGS_KEY, database_of, settings_of
from bot.settings import Settings, load_settings
from storage import Session, open_database
from storage.models import User

log = logging.getLogger("gutbot.app")

#: Feature modules in registration order (earlier ones win when two handlers could match).
FLOWS: tuple[ModuleType, ...] = (account, admin, upload, results, checkin, reminders, questions)

#: Updates handled at once per worker (never two of the same chat).
MAX_CONCURRENT_UPDATES = 64

CancelHook = Callable[..., Awaitable[bool]]


def cancel_hooks() -> list[CancelHook]:
    """Every flow's ``on_cancel(session=, user=)`` hook."""
    return [hook for module in FLOWS if (hook := getattr(module, "on_cancel", None)) is not None]


TextHook = Callable[..., Awaitable[bool]]


def text_hooks() -> list[TextHook]:
    """Every flow's ``intercept_text(update, context, session, user) -> bool`` hook."""
    return [
        hook for module in FLOWS if (hook := getattr(module, "intercept_text", None)) is not None
    ]


def menu_commands() -> list[BotCommand]:
    """The commands menu, from every flow."""
    return [BotCommand(name, description) for m in FLOWS for name, description in m.commands()]


async def _post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    settings = settings_of(application)
    db = open_database(
        settings.database_url,
        encryption_keys=settings.encryption_keys(),
        pool_size=settings.database_pool_size,
    )
    await db.upgrade()
    application.bot_data[DB_KEY] = db
    await application.bot.set_my_commands(menu_commands())
    for module in FLOWS:
        startup = getattr(module, "on_startup", None)
        if startup is not None:
            await startup(application)
    log.info("gutbot ready (database %s)", db.dialect)


async def _post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    for module in reversed(FLOWS):
        shutdown = getattr(module, "on_shutdown", None)
        if shutdown is not None:
            try:
                await shutdown(application)
            except Exception:
                log.exception("shutdown hook of %s failed", module.__name__)
    db = application.bot_data.pop(DB_KEY, None)
    if db is not None:
        await db.close()


def build_application(
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] | None = None,
    settings: Settings | None = None,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """Build the bot: every handler, the error handler, and database set-up in ``post_init``.

    With no builder, one is made from the settings' token. A given builder must already carry
    its token and request objects; settings then default to the environment.
    """
    settings = settings or load_settings()
    if builder is None:
        if settings.token is None:
            from bot.settings import SettingsError

            raise SettingsError(
                "configuration error: TELEGRAM_BOT_TOKEN is not set (use `gutbot chat` locally)"
            )
        builder = Application.builder().token(settings.token)
    application = (
        builder.post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .concurrent_updates(PerChatUpdateProcessor(MAX_CONCURRENT_UPDATES))
        .build()
    )
    application.bot_data[SETTINGS_KEY] = settings
    application.add_handler(limit_handler(), group=-1)
    for handler in fallback.group_handlers():
        application.add_handler(handler)
    for module in FLOWS:
        for handler in module.handlers():
            application.add_handler(handler)
    for handler in fallback.handlers():
        application.add_handler(handler)
    application.add_error_handler(errors.on_error)
    return application


__all__ = ["FLOWS", "Session", "User", "build_application", "cancel_hooks", "database_of"]
