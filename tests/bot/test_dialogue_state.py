"""One dialogue state (User.dialog): set by the step that waits for text, cleared when done."""

from __future__ import annotations

from sqlalchemy import select

from bot.local_bot import LocalBot
from content.messages import text
from storage.models import Dialog, SymptomEntry, User
from tests.bot.conftest import consent
from tests.bot.scripts import CheckinScript
from tests.conftest import shared_path


async def _dialog(bot: LocalBot, telegram_id: int) -> str | None:
    async with bot.db.transaction() as session:
        return await session.scalar(select(User.dialog).where(User.telegram_id == telegram_id))


async def test_a_check_in_waiting_for_its_note_is_the_users_dialogue(any_bot: LocalBot) -> None:
    await consent(any_bot, 1)
    script = CheckinScript(stool=4, note="x", stop_before_note=True)
    await script.run(any_bot, 1)
    assert await _dialog(any_bot, 1) == Dialog.CHECKIN_NOTE
    async with any_bot.db.transaction() as session:
        entry = await session.scalar(select(SymptomEntry))
    assert entry is not None and (entry.step, entry.status) == ("note", "in_progress")
    await any_bot.say(1, "/cancel")
    assert await _dialog(any_bot, 1) is None
    # After /cancel, text is a question again.
    answer = await any_bot.say(1, "what is dysbiosis")
    assert answer[-1].text.startswith("What 'dysbiosis' means")


async def test_the_note_dialogue_takes_the_next_text_and_cancel_ends_it(any_bot: LocalBot) -> None:
    await consent(any_bot, 2)
    script = CheckinScript(stool=4, movements=1, bloating=1, pain=1, note="pizza last night")
    reply = await script.run(any_bot, 2)
    assert reply[-1].text.startswith(text("checkin.note_saved"))
    assert await _dialog(any_bot, 2) is None
    # A question afterwards is answered as a question, not stored as a note.
    answer = await any_bot.say(2, "what is dysbiosis")
    assert answer[-1].text.startswith("What 'dysbiosis' means")


async def test_picking_a_sample_is_a_dialogue_until_the_sample_is_picked(any_bot: LocalBot) -> None:
    await consent(any_bot, 3)
    name = "metaphlan2_merged_species_GMHI_25samples.csv"
    await any_bot.upload(3, shared_path("corpus", name).read_bytes(), name)
    assert await _dialog(any_bot, 3) == Dialog.PICK_SAMPLE
    await any_bot.press(3, "Sample3")
    assert await _dialog(any_bot, 3) is None
    # With no dialogue, a sample's name is just text (a question), not a pick.
    reply = await any_bot.say(3, "Sample4")
    assert reply[-1].text != text("upload.pick_typed", count=1)


async def test_cancel_ends_a_remind_dialogue(any_bot: LocalBot) -> None:
    await consent(any_bot, 4)
    await any_bot.say(4, "/remind")
    assert await _dialog(any_bot, 4) == Dialog.REMIND_TZ
    await any_bot.say(4, "/cancel")
    assert await _dialog(any_bot, 4) is None
