"""What the database file itself holds: names, sample ids and zones encrypted; nothing after /delete.

Read as raw bytes (the SQLite file and its write-ahead log), the way someone with a copy of the
disk would read them, not through the ORM that decrypts.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from bot.local_bot import LocalBot
from bot.settings import Settings
from content.messages import text
from storage.models import MessageCount, Sample, User
from tests.bot.conftest import consent
from tests.conftest import shared_path

TELEGRAM_ID = 918_273_645_546
FILE_NAME = "john-doe-feature-table.txt"
SAMPLE_ID = "JaneRoe_born_1984_03_07"
ZONE = "Pacific/Chatham"


def _profile() -> bytes:
    data = shared_path("corpus", "metaphlan3_SRR1761667_stool.txt").read_bytes()
    return data.replace(b"Metaphlan_Analysis", SAMPLE_ID.encode())


def _raw(settings: Settings) -> bytes:
    path = Path(settings.database_url.split("///", 1)[1])
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def _id_forms() -> list[bytes]:
    # SQLite keeps a 64-bit integer big-endian in 6 or 8 bytes; text columns would hold digits.
    return [
        str(TELEGRAM_ID).encode(),
        TELEGRAM_ID.to_bytes(6, "big"),
        TELEGRAM_ID.to_bytes(8, "big"),
    ]


async def _store_everything(bot: LocalBot) -> str:
    """Consent, a typed zone and a stored results file; returns the stored sample's label."""
    await consent(bot, TELEGRAM_ID)
    await bot.say(TELEGRAM_ID, "/remind")
    await bot.say(TELEGRAM_ID, ZONE)
    await bot.press(TELEGRAM_ID, "08:00")
    await bot.upload(TELEGRAM_ID, _profile(), FILE_NAME, mime_type="text/plain")
    async with bot.db.transaction() as session:
        sample = await session.scalar(select(Sample))
        user = await session.scalar(select(User))
    assert sample is not None and user is not None
    assert (sample.original_filename, user.timezone) == (FILE_NAME, ZONE)
    # A single MetaPhlAn profile is named by its file unless the id line names it.
    assert sample.sample_label in (SAMPLE_ID, FILE_NAME.removesuffix(".txt"))
    return sample.sample_label


async def test_file_names_sample_ids_and_zones_are_not_in_the_file(
    local_bot: LocalBot, bot_settings: Settings
) -> None:
    label = await _store_everything(local_bot)
    raw = _raw(bot_settings)
    for secret in (FILE_NAME, "john-doe", label, SAMPLE_ID, "JaneRoe", ZONE):
        assert secret.encode() not in raw, secret
    # Message counts are kept under a keyed hash: the table holds no Telegram id.
    async with local_bot.db.transaction() as session:
        senders = set(await session.scalars(select(MessageCount.sender)))
    assert senders and TELEGRAM_ID not in senders


async def test_after_delete_the_file_holds_nothing_of_the_user(
    local_bot: LocalBot, bot_settings: Settings
) -> None:
    label = await _store_everything(local_bot)
    await consent(local_bot, 5)  # someone else, who stays
    await local_bot.say(TELEGRAM_ID, "/delete")
    calls = await local_bot.press(TELEGRAM_ID, "delete:yes")
    assert calls[-1].text == text("account.delete.done")
    async with local_bot.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 1
        assert await session.scalar(select(func.count()).select_from(MessageCount)) >= 1
    raw = _raw(bot_settings)
    for form in _id_forms():
        assert form not in raw, form
    for secret in (FILE_NAME, label, SAMPLE_ID, ZONE):
        assert secret.encode() not in raw, secret
