"""Button data made by hand (a modified client) is refused, never stored, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.local_bot import LocalBot
from content.messages import text
from storage.models import SymptomEntry
from tests.bot.conftest import consent


async def _open_entry(bot: LocalBot, telegram_id: int) -> int:
    await consent(bot, telegram_id)
    await bot.say(telegram_id, "/checkin")
    data = bot.button_data(telegram_id, "ci:")
    return int(data.split(":")[1])


@pytest.mark.parametrize(
    ("step", "value"),
    [(0, 99), (0, -7), (1, 6), (2, 999999), (3, 11), (4, 42), (4, 0), (5, 2), (9, -1)],
)
async def test_an_answer_no_button_offers_is_not_stored(
    any_bot: LocalBot, step: int, value: int
) -> None:
    entry = await _open_entry(any_bot, 1)
    calls = await any_bot.press_data(1, f"ci:{entry}:{step}:{value}")
    assert any(c.method == "answerCallbackQuery" for c in calls)
    assert text("common.error") not in [c.text for c in calls]
    async with any_bot.db.transaction() as session:
        row = await session.scalar(select(SymptomEntry).where(SymptomEntry.id == entry))
    assert row is not None
    assert (row.stool_form, row.bowel_movements, row.bloating, row.pain, row.mood) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert row.step == "stool_form"  # still waiting for the first real answer


@pytest.mark.parametrize(
    "data",
    [
        "rm:snooze:99999999999999999999",
        "rm:cancel:2147483648",
        "res:show:9223372036854775808",
        "ci:99999999999:0:4",
        "rt:99:99",
        "up:pick:-1:-1",
    ],
)
async def test_out_of_range_ids_and_malformed_data_are_answered_politely(
    any_bot: LocalBot, data: str
) -> None:
    await consent(any_bot, 2)
    calls = await any_bot.press_data(2, data)
    answered = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answered, calls
    sent = [c.text for c in calls if c.method == "sendMessage"]
    assert text("common.error") not in sent
