"""/profile: optional facts, used by triage, encrypted, exported and erased (both databases)."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy import text as sql

from bot.local_bot import LocalBot
from content.messages import text
from content.triage import triage
from storage.models import User
from tests.bot.conftest import consent


async def _set(bot: LocalBot, uid: int, field: str, value: str) -> None:
    await bot.press_data(uid, f"pf:menu:{field}")
    await bot.press_data(uid, f"pf:{field}:{value}")


async def test_profile_facts_change_triage_and_are_stored_encrypted(any_bot: LocalBot) -> None:
    await consent(any_bot, 1)
    shown = (await any_bot.say(1, "/profile"))[-1]
    assert shown.text.startswith(text("profile.empty"))
    await _set(any_bot, 1, "age", "60-69")
    await _set(any_bot, 1, "sex", "female")
    await _set(any_bot, 1, "cond", "chemo")
    await any_bot.press_data(1, "pf:menu:done")
    summary = (await any_bot.say(1, "/profile"))[-1].text
    assert text("profile.age.60-69") in summary and text("profile.condition.chemo") in summary
    # Words that are no emergency without the profile are one during chemotherapy.
    message = "I have a temperature of 38.2 today"
    assert triage(message).level != "emergency"
    replies = await any_bot.say(1, message)
    assert any(text("triage.emergency.title") in c.text for c in replies if c.text)
    async with any_bot.db.engine.connect() as conn:
        raw = (await conn.execute(sql("SELECT health_facts FROM users"))).scalar_one()
    assert raw and "chemo" not in raw  # encrypted at rest
    exported = await any_bot.say(1, "/export")
    document = next(c for c in exported if c.method == "sendDocument")
    (_, content, _) = next(iter(document.files.values()))
    data = json.loads(content)
    assert data["user"]["health_facts"] == {"conditions": ["chemo"]}
    await any_bot.press_data(1, "pf:clear:all")
    async with any_bot.db.transaction() as session:
        user = await session.scalar(select(User))
    assert user is not None and (user.age_band, user.sex, user.health_facts) == (None, None, None)


async def test_a_forged_profile_value_changes_nothing(any_bot: LocalBot) -> None:
    await consent(any_bot, 2)
    for data in ("pf:age:200", "pf:sex:robot", "pf:cond:unicorn_pills", "pf:nope:x"):
        await any_bot.press_data(2, data)
    async with any_bot.db.transaction() as session:
        user = await session.scalar(select(User))
    assert user is not None and (user.age_band, user.sex, user.health_facts) == (None, None, None)


async def test_privacy_and_help_name_the_profile(any_bot: LocalBot) -> None:
    await consent(any_bot, 3)
    assert "/profile" in (await any_bot.say(3, "/privacy"))[-1].text
    assert "/profile" in (await any_bot.say(3, "/help"))[-1].text
