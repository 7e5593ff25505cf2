"""One chat's updates run in order; other chats run alongside; per-user limits."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Update

from bot.app import FLOWS
from bot.concurrency import PerChatUpdateProcessor, SlidingWindowLimiter
from bot.flows.registry import Registry
from bot.local_api import UpdateFactory
from bot.local_bot import LocalBot
from bot.settings import Settings
from bot.webhook import ChatLanes
from content.messages import text

HELP_TEXT = Registry(FLOWS).help_text()


async def _run_processor(processor: PerChatUpdateProcessor) -> list[tuple[str, int, str]]:
    factory = UpdateFactory()
    log: list[tuple[str, int, str]] = []

    async def work(chat: int, n: int) -> None:
        log.append(("start", chat, f"{chat}-{n}"))
        await asyncio.sleep(0.02)
        log.append(("end", chat, f"{chat}-{n}"))

    jobs = []
    for n in range(3):
        for chat in (1, 2):
            update = Update.de_json(factory.text(chat, f"m{n}"), None)
            jobs.append(asyncio.create_task(processor.process_update(update, work(chat, n))))
    await asyncio.gather(*jobs)
    return log


async def test_same_chat_in_order_other_chats_in_parallel() -> None:
    log = await _run_processor(PerChatUpdateProcessor(8))
    for chat in (1, 2):
        events = [(kind, name) for kind, c, name in log if c == chat]
        # strictly start, end, start, end ... in arrival order
        assert events == [(kind, f"{chat}-{n}") for n in range(3) for kind in ("start", "end")]
    first_end = next(i for i, e in enumerate(log) if e[0] == "end")
    started_before = {e[1] for e in log[:first_end] if e[0] == "start"}
    assert started_before == {1, 2}


async def test_lanes_serialise_one_key() -> None:
    lanes = ChatLanes()
    order: list[str] = []

    async def job(key: int, name: str) -> None:
        async with lanes.lane(key):
            order.append(f"in {name}")
            await asyncio.sleep(0.01)
            order.append(f"out {name}")

    await asyncio.gather(job(1, "a"), job(1, "b"), job(1, "c"))
    assert order == ["in a", "out a", "in b", "out b", "in c", "out c"]


def test_sliding_window() -> None:
    limiter = SlidingWindowLimiter(3, 60)
    assert [limiter.allow(1, now=t) for t in (0, 1, 2, 3)] == [True, True, True, False]
    assert limiter.allow(2, now=3)
    assert limiter.allow(1, now=61)


async def _flood(bot: LocalBot, user: int, times: int) -> tuple[int, int]:
    """Send /help ``times`` times: how many were answered, and how many refusals were said."""
    for _ in range(times):
        await bot.say(user, "/help")
    replies = [c.text for c in bot.api.sent(user)]
    return replies.count(HELP_TEXT), replies.count(text("common.too_many_messages"))


async def test_a_flooding_user_is_told_once_and_others_are_served(bot_settings: Settings) -> None:
    settings = bot_settings.model_copy(update={"messages_per_minute": 5})
    async with LocalBot(settings) as bot:
        assert await _flood(bot, 31, 12) == (5, 1)
        other = await bot.say(32, "/help")
        assert other[-1].text == HELP_TEXT


async def test_taps_have_their_own_limit_and_every_refused_tap_is_answered(
    bot_settings: Settings,
) -> None:
    settings = bot_settings.model_copy(update={"messages_per_minute": 3, "taps_per_minute": 4})
    async with LocalBot(settings) as bot:
        await bot.say(41, "/topics")  # one message of three
        answers = []
        for _ in range(7):
            calls = await bot.press_data(41, "area:symptoms")
            answers += [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"]
        refusal = text("common.too_many_messages")
        assert answers.count(refusal) == 3  # taps 5 to 7, each answered, none left spinning
        assert len(answers) == 7
        # Taps did not use up the messages: two more are still answered.
        assert (await bot.say(41, "/help"))[-1].text == HELP_TEXT
        assert (await bot.say(41, "/help"))[-1].text == HELP_TEXT


def test_the_limiter_forgets_users_idle_for_a_whole_window() -> None:
    limiter = SlidingWindowLimiter(2, 60)
    for user in range(1000):
        assert limiter.allow(user, now=user / 100)
    assert len(limiter) == 1000
    # A window later only the users active in it are remembered, and limits still hold.
    assert limiter.allow(5000, now=70)
    assert len(limiter) == 1
    assert limiter.allow(5000, now=71)
    assert not limiter.allow(5000, now=72)
    assert limiter.allow(1, now=72)  # forgotten, so a fresh window


def test_a_refusal_is_said_once_per_burst() -> None:
    limiter = SlidingWindowLimiter(1, 60)
    assert limiter.first_refusal(7, now=0)
    assert not limiter.first_refusal(7, now=20)
    assert limiter.first_refusal(8, now=20)
    assert limiter.first_refusal(7, now=31)


async def test_the_message_limit_holds_across_workers(
    bot_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two workers on one database; each sees only half of the user's messages.
    monkeypatch.setattr("storage.usage.current_minute", lambda now=None: 29_000_000)
    settings = bot_settings.model_copy(update={"messages_per_minute": 4})
    async with LocalBot(settings) as first, LocalBot(settings) as second:
        for n in range(10):
            await (first if n % 2 else second).say(41, "/help")
        replies = [c.text for c in first.api.sent(41) + second.api.sent(41)]
        assert replies.count(HELP_TEXT) == 4  # not 4 per worker
        assert 1 <= replies.count(text("common.too_many_messages")) <= 2  # once per worker
        other = await first.say(42, "/help")  # someone else is not held up
        assert other[-1].text == HELP_TEXT


async def test_without_the_database_each_worker_still_limits_on_its_own(
    bot_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unreachable(*args: object, **kwargs: object) -> None:
        return None

    monkeypatch.setattr("bot.concurrency.count_message", unreachable)
    settings = bot_settings.model_copy(update={"messages_per_minute": 3})
    async with LocalBot(settings) as bot:
        assert await _flood(bot, 43, 5) == (3, 1)


async def test_a_stuck_update_is_stopped_logged_and_answered_and_its_chat_goes_on(
    bot_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    bot = LocalBot(bot_settings)
    await bot.app.initialize()
    try:
        processor = PerChatUpdateProcessor(8, timeout=0.2)
        done: list[str] = []

        async def stuck_in_a_handler() -> None:
            await asyncio.sleep(30)

        async def next_one() -> None:
            done.append("next")

        stuck = Update.de_json(bot.updates.text(5, "my bloating"), bot.app.bot)
        following = Update.de_json(bot.updates.text(5, "/help"), bot.app.bot)
        with caplog.at_level("ERROR", logger="gutbot.limits"):
            await asyncio.wait_for(
                asyncio.gather(
                    processor.process_update(stuck, stuck_in_a_handler()),
                    processor.process_update(following, next_one()),
                ),
                timeout=5,
            )
        assert done == ["next"]
        assert [m.text for m in bot.api.sent(5)] == [text("common.too_slow")]
        assert "stuck_in_a_handler" in caplog.text  # where it was stuck
        assert "my bloating" not in caplog.text  # and nothing the user wrote
    finally:
        await bot.app.shutdown()
