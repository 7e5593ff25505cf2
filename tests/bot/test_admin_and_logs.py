"""Admin commands show only aggregates to admins; logs never carry tokens, text or health data."""

from __future__ import annotations

import logging

import pytest

from bot.local_bot import LocalBot
from bot.settings import Settings
from content.messages import text
from tests.bot.conftest import consent


async def test_stats_only_for_admins(bot_settings: Settings) -> None:
    settings = bot_settings.model_copy(update={"admin_user_ids": frozenset({900})})
    async with LocalBot(settings) as bot:
        await consent(bot, 41)
        refused = await bot.say(41, "/stats")
        assert refused[-1].text == text("admin.not_allowed")
        shown = await bot.say(900, "/stats")
        assert "Users: 1 (with consent: 1)" in shown[-1].text
        assert "41" not in shown[-1].text


async def test_logs_at_info_hold_no_text_token_or_health_data(
    bot_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    secret_text = "my stool has been black and tarry since tuesday"
    caplog.set_level(logging.INFO)
    async with LocalBot(bot_settings) as bot:
        await consent(bot, 42)
        await bot.say(42, secret_text)
        await bot.say(42, "/export")
        await bot.upload(42, b"k__Bacteria|p__Firmicutes\t100\n", "profile.txt")
        db = bot.app.bot_data.pop("gutbot.db")  # force the error path: it logs a traceback
        try:
            await bot.say(42, "/start")
        finally:
            bot.app.bot_data["gutbot.db"] = db
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "unhandled error" in logged
    for forbidden in (secret_text, "tarry", "Firmicutes", "LOCAL-in-process", "bot7000000001"):
        assert forbidden not in logged
        assert forbidden not in caplog.text


async def test_logs_at_debug_hold_no_text_file_names_sql_parameters_or_token(
    bot_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    from pydantic import SecretStr

    from bot.cli import QUIET_LOGGERS, RedactSecrets, configure_logging
    from tests.conftest import shared_path

    token = "7000000001:AAH-secret-token-for-the-test"
    settings = bot_settings.model_copy(update={"log_level": "DEBUG"})
    caplog.set_level(logging.DEBUG)
    configure_logging(settings.model_copy(update={"telegram_bot_token": SecretStr(token)}))
    try:
        async with LocalBot(settings) as bot:
            await consent(bot, 43)
            await bot.say(43, "my stool has been black and tarry since tuesday")
            data = shared_path("corpus", "metaphlan3_SRR1761667_stool.txt").read_bytes()
            await bot.upload(43, data, "john-doe-feature-table.txt")
            logging.getLogger("gutbot.test").debug(
                "calling https://api.telegram.org/bot%s/x", token
            )
    finally:
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.NOTSET)
        for handler in logging.getLogger().handlers:
            for f in [f for f in handler.filters if isinstance(f, RedactSecrets)]:
                handler.removeFilter(f)
    logged = "\n".join(f"{r.name}: {r.getMessage()}" for r in caplog.records)
    assert "[redacted]" in logged  # the token line was logged, without the token
    for forbidden in ("tarry", "john-doe", "SRR1761667", "Bacteroides", token):
        assert forbidden not in logged, forbidden
