"""Wiring: ``build_application`` registers every handler, the error handler and lifecycle hooks."""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import Application, ApplicationBuilder

from bot import errors
from bot.concurrency import PerChatUpdateProcessor, limit_handler
from bot.flows import (
    account,
    admin,
    checkin,
    fallback,
    labs,
    profile,
    questions,
    reminders,
    results,
    upload,
)
from bot.flows.registry import REGISTRY_KEY, Flow, Registry, registry_of
from bot.runtime import DB_KEY, SETTINGS_KEY, database_of, settings_of
from bot.settings import Settings, load_settings
from storage import open_database

log = logging.getLogger("gutbot.app")

#: Feature flows in registration order (earlier ones win when two handlers could match the same
#: update; typed text goes to the flow that declares the user's dialogue state, ``Flow.dialogs``).
FLOWS: tuple[Flow, ...] = (
    account.FLOW,
    admin.FLOW,
    upload.FLOW,
    labs.FLOW,
    results.FLOW,
    checkin.FLOW,
    reminders.FLOW,
    profile.FLOW,
    questions.FLOW,
)

#: Updates handled at once per worker (never two of the same chat).
MAX_CONCURRENT_UPDATES = 64


async def _post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    settings = settings_of(application)
    db = open_database(
        settings.database_url,
        encryption_keys=settings.encryption_keys(),
        pool_size=settings.database_pool_size,
    )
    await db.upgrade()
    application.bot_data[DB_KEY] = db
    await application.bot.set_my_commands(registry_of(application).menu())
    for flow in FLOWS:
        if flow.on_startup is not None:
            await flow.on_startup(application)
    log.info("gutbot ready (database %s)", db.dialect)


async def _post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    for flow in reversed(FLOWS):
        if flow.on_shutdown is not None:
            try:
                await flow.on_shutdown(application)
            except Exception:
                log.exception("shutdown hook of flow %s failed", flow.name)
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
        .concurrent_updates(
            PerChatUpdateProcessor(MAX_CONCURRENT_UPDATES, settings.update_timeout_seconds)
        )
        .build()
    )
    application.bot_data[SETTINGS_KEY] = settings
    application.bot_data[REGISTRY_KEY] = Registry(FLOWS)
    application.add_handler(limit_handler(), group=-1)
    for handler in fallback.group_handlers():
        application.add_handler(handler)
    for flow in FLOWS:
        for handler in flow.all_handlers():
            application.add_handler(handler)
    for handler in fallback.handlers():
        application.add_handler(handler)
    application.add_error_handler(errors.on_error)
    return application


__all__ = ["FLOWS", "build_application", "database_of"]
