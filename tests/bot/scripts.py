"""Scenario helpers that read as what a person does, not as taps on labels.

``await CheckinScript(stool=7, movements=5, fever=True).run(bot, user)`` answers a whole
check-in through the real handlers, pressing the buttons a person would press; the labels come
from ``content`` (the same words the user sees), so a test never spells one out.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.local_api import ApiCall
from bot.local_bot import LocalBot
from content.messages import text

#: The bowel-movement buttons, as the check-in shows them.
MOVEMENT_LABELS = ("0", "1", "2", "3", "4", "5+")


@dataclass(frozen=True)
class CheckinScript:
    """One check-in's answers; None means "skip" where the check-in offers it."""

    stool: int | None = 4  #: Bristol type 1-7, or None for "no bowel movement today"
    movements: int = 1  #: 0-5 (5 stands for "5 or more"); not asked without a movement
    bloating: int = 0  #: 0-10
    pain: int = 0  #: 0-10
    mood: int | None = None  #: 1-5, or None to skip
    blood: bool = False
    black: bool = False
    weight: bool = False
    fever: bool = False
    note: str | None = None
    #: Press "add a note" and stop there (the check-in then waits for the typed note).
    stop_before_note: bool = False

    async def run(self, bot: LocalBot, telegram_id: int) -> list[ApiCall]:
        """Start /checkin and answer everything; returns what the bot sent from the safety
        questions on (their advice, then the closing message)."""
        await bot.say(telegram_id, "/checkin")
        if self.stool is None:
            await bot.press(telegram_id, text("checkin.buttons.no_bm"))
        else:
            await bot.press(telegram_id, text(f"checkin.bristol.{self.stool}"))
            await bot.press(telegram_id, MOVEMENT_LABELS[min(self.movements, 5)])
        await bot.press(telegram_id, str(self.bloating))
        await bot.press(telegram_id, str(self.pain))
        mood = (
            text("checkin.buttons.skip") if self.mood is None else text(f"checkin.mood.{self.mood}")
        )
        await bot.press(telegram_id, mood)
        replies: list[ApiCall] = []
        for answer in (self.blood, self.black, self.weight, self.fever):
            label = text("checkin.buttons.yes" if answer else "checkin.buttons.no")
            replies += await bot.press(telegram_id, label)
        if self.note is None:
            return replies + await bot.press(telegram_id, text("checkin.buttons.done"))
        replies += await bot.press(telegram_id, text("checkin.buttons.add_note"))
        if self.stop_before_note:
            return replies
        return replies + await bot.say(telegram_id, self.note)
