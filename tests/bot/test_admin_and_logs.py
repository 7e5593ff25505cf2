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
