"""The ``gutbot`` command: run (polling), chat (local, no token), analyze, migrate."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Any

from bot.settings import Settings, SettingsError, load_settings

#: Libraries that log what users wrote, SQL parameters or request URLs (with the bot token) at
#: DEBUG or INFO: they log at this level at most, whatever the level of the bot's own logs.
QUIET_LOGGERS = {
    "telegram.Bot": logging.INFO,  # "Calling Bot API endpoint ... with parameters" (message text)
    "telegram.ext.ExtBot": logging.INFO,
    "telegram.ext.Updater": logging.INFO,  # updates as received
    "aiosqlite": logging.WARNING,  # every statement with its parameters
    "sqlalchemy.engine": logging.WARNING,
    "sqlalchemy.pool": logging.WARNING,
    "asyncpg": logging.WARNING,
    "httpx": logging.WARNING,  # every request URL, and the URL contains the bot token
    "httpcore": logging.WARNING,
    "aiohttp.client": logging.WARNING,
    "hpack": logging.WARNING,
    "alembic": logging.WARNING,
}


class RedactSecrets(logging.Filter):
    """Replace the bot token and the other secrets wherever they appear in a log line."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if len(s) >= 8]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        redacted = message
        for secret in self.secrets:
            redacted = redacted.replace(secret, "[redacted]")
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def configure_logging(settings: Settings) -> None:
    """Plain logs with no message text, health data or secrets, at every level."""
    logging.basicConfig(
        level=settings.numeric_log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for name, ceiling in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(max(ceiling, settings.numeric_log_level))
    secrets = [settings.token or "", *settings.data_encryption_keys]
    if settings.webhook_secret is not None:
        secrets.append(settings.webhook_secret.get_secret_value())
    redact = RedactSecrets(secrets)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(redact)


def application_builder(settings: Settings) -> Any:
    """python-telegram-bot's builder with the token, aiohttp requests, rate limit and API server."""
    from telegram.ext import AIORateLimiter, Application

    from bot.http import AiohttpRequest

    if settings.token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    # The builder's generic parameters change with the rate limiter; the app is typed by build.
    builder: Any = (
        Application.builder()
        .token(settings.token)
        .request(AiohttpRequest(connection_pool_size=256))
        .get_updates_request(AiohttpRequest(connection_pool_size=1))
    )
    if settings.outgoing_rate_limit:
        builder = builder.rate_limiter(
            AIORateLimiter(overall_max_rate=settings.outgoing_rate_limit)
        )
    if settings.telegram_api_url:
        # A self-hosted Bot API server: no 20 MB download cap, its own upload limits.
        builder = (
            builder.base_url(f"{settings.telegram_api_url}/bot")
            .base_file_url(f"{settings.telegram_api_url}/file/bot")
            .local_mode(True)
        )
    return builder


def _freeze_heap_after_post_init(application: Any) -> None:
    from bot.runtime import freeze_startup_heap

    initialise = application.post_init

    async def post_init(app: Any) -> None:
        if initialise is not None:
            await initialise(app)
        freeze_startup_heap()

    application.post_init = post_init


def _run_bot(settings: Settings, *, webhook: bool) -> int:
    from telegram import Update
    from telegram.error import InvalidToken

    from bot.app import build_application

    if settings.token is None:
        print(
            "gutbot: TELEGRAM_BOT_TOKEN is not set. Put it in the environment or .env, "
            "or use `gutbot chat` for a local chat without Telegram.",
            file=sys.stderr,
        )
        return 2
    builder = application_builder(settings)
    if webhook:
        if not settings.webhook_url or settings.webhook_secret is None:
            print(
                "gutbot: --webhook needs WEBHOOK_URL and WEBHOOK_SECRET (see the README).",
                file=sys.stderr,
            )
            return 2
        builder = builder.updater(None)
    application = build_application(builder, settings)
    try:
        if webhook:
            from bot.webhook import serve

            serve(application, settings)
        else:
            _freeze_heap_after_post_init(application)
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        print(
            "gutbot: Telegram rejected TELEGRAM_BOT_TOKEN; check it with BotFather.",
            file=sys.stderr,
        )
        return 2
    return 0


def _chat(settings: Settings) -> int:
    from bot.local_chat import run_chat

    # The terminal is the chat: only warnings and errors from the machinery in between.
    logging.getLogger().setLevel(max(settings.numeric_log_level, logging.WARNING))
    return asyncio.run(run_chat(settings))


def _migrate(settings: Settings) -> int:
    from storage import open_database

    async def upgrade() -> str | None:
        db = open_database(settings.database_url, encryption_keys=settings.encryption_keys())
        try:
            await db.upgrade()
            return await db.current_revision()
        finally:
            await db.close()

    revision = asyncio.run(upgrade())
    print(f"database at revision {revision}")
    return 0


def _rotate_keys(settings: Settings) -> int:
    from storage import open_database
    from storage.maintenance import rotate_encryption

    async def rotate() -> int:
        db = open_database(settings.database_url, encryption_keys=settings.encryption_keys())
        try:
            await db.upgrade()
            return await rotate_encryption(db)
        finally:
            await db.close()

    print(f"re-encrypted {asyncio.run(rotate())} rows with the newest key")
    return 0


def _prepare_model() -> int:
    from content.embedding_model import embedding_model, source_model

    logging.basicConfig(level=logging.WARNING, format="gutbot: %(message)s")
    path = embedding_model()
    if path == source_model():
        print("gutbot: the int8 embedding model could not be built (see above)", file=sys.stderr)
        return 1
    print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``gutbot`` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "analyze":
        from bot.cli_analyze import run as run_analyze

        return run_analyze(args[1:])
    parser = argparse.ArgumentParser(prog="gutbot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    run.add_argument(
        "--webhook", action="store_true", help="serve updates by webhook (WEBHOOK_URL, ...)"
    )
    sub.add_parser("chat", help="chat with the bot in this terminal (no token needed)")
    sub.add_parser("start", help="run with a token, or the local chat without one")
    sub.add_parser("migrate", help="create or migrate the database to the latest revision")
    sub.add_parser("analyze", help="analyse results files: gutbot analyze FILE... [--json]")
    sub.add_parser("new-key", help="print a new key for DATA_ENCRYPTION_KEYS")
    sub.add_parser("rotate-keys", help="re-encrypt all health data with the first key")
    sub.add_parser(
        "prepare-model", help="build the int8 embedding model into its cache ahead of time"
    )
    ns = parser.parse_args(args)
    if ns.command == "new-key":
        from storage.crypto import generate_key

        print(generate_key())
        return 0
    if ns.command == "prepare-model":
        return _prepare_model()
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"gutbot: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings)
    command = ns.command or "start"
    if command == "start":
        command = "run" if settings.token else "chat"
        if command == "chat":
            print("No TELEGRAM_BOT_TOKEN set: starting the local chat.", file=sys.stderr)
    if command == "run":
        return _run_bot(settings, webhook=bool(getattr(ns, "webhook", False)))
    if command == "chat":
        return _chat(settings)
    if command == "migrate":
        return _migrate(settings)
    if command == "rotate-keys":
        return _rotate_keys(settings)
    parser.print_help()
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
