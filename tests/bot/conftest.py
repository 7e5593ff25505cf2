"""A real Application on the in-process Bot API, with a fresh SQLite database per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.local_bot import LocalBot
from bot.settings import Settings


@pytest.fixture
def bot_settings(tmp_path: Path, encryption_keys: list[str]) -> Settings:
    """Settings for one test: its own database file, no token."""
    return Settings(
        data_encryption_keys=tuple(encryption_keys),
        telegram_bot_token=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        chat_output_dir=str(tmp_path / "chat-output"),
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
async def local_bot(bot_settings: Settings) -> AsyncIterator[LocalBot]:
    """A started bot; stopped (database closed) after the test."""
    bot = LocalBot(bot_settings)
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()


async def consent(bot: LocalBot, user_id: int) -> None:
    """Take a user through /start and the consent button."""
    await bot.say(user_id, "/start")
    await bot.press(user_id, "consent:yes")


@pytest.fixture
async def any_bot(
    database_url: str, tmp_path: Path, encryption_keys: list[str]
) -> AsyncIterator[LocalBot]:
    """A started bot on each database backend (SQLite and PostgreSQL)."""
    settings = Settings(
        data_encryption_keys=tuple(encryption_keys),
        telegram_bot_token=None,
        database_url=database_url,
        chat_output_dir=str(tmp_path / "chat-output"),
        _env_file=None,  # type: ignore[call-arg]
    )
    bot = LocalBot(settings)
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()
