"""Check-ins and questionnaires: every tap saved at once, stale and double taps, restarts."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlalchemy import select

from bot.local_bot import LocalBot
from bot.settings import Settings
from content.messages import text
from storage.models import QuestionnaireResponse, Reminder, SymptomEntry
from tests.bot.conftest import consent
from tests.bot.scripts import CheckinScript


async def _entry(bot: LocalBot) -> SymptomEntry:
    async with bot.db.transaction() as session:
        entry = await session.scalar(select(SymptomEntry).order_by(SymptomEntry.id.desc()))
    assert entry is not None
    return entry


async def test_checkin_saves_each_tap_and_finishes(local_bot: LocalBot) -> None:
    await consent(local_bot, 1)
    start = await local_bot.say(1, "/checkin")
    assert start[-1].text == text("checkin.ask.stool_form")
    await local_bot.press(1, text("checkin.bristol.4"))
    entry = await _entry(local_bot)
    assert (entry.stool_form, entry.step, entry.status) == (4, "bowel_movements", "in_progress")
    await local_bot.press(1, "2")
    await local_bot.press(1, "6")  # bloating
    await local_bot.press(1, "3")  # pain
    entry = await _entry(local_bot)
    assert (entry.bowel_movements, entry.bloating, entry.pain, entry.step) == (2, 6, 3, "mood")
    await local_bot.press(1, text("checkin.buttons.skip"))
    for _ in range(4):
        await local_bot.press(1, text("checkin.buttons.no"))
    done = await local_bot.press(1, text("checkin.buttons.done"))
    entry = await _entry(local_bot)
    assert entry.status == "complete"
    assert entry.alarms == {"blood": False, "black": False, "weight": False, "fever": False}
    assert done[-1].text.startswith(text("checkin.done"))


async def test_alarm_yes_gets_triage_advice_first(local_bot: LocalBot) -> None:
    await consent(local_bot, 2)
    await local_bot.say(2, "/checkin")
    await local_bot.press(2, text("checkin.buttons.no_bm"))  # skips the count
    entry = await _entry(local_bot)
    assert (entry.stool_form, entry.bowel_movements, entry.step) == (None, 0, "bloating")
    await local_bot.press(2, "1")
    await local_bot.press(2, "1")
    await local_bot.press(2, text("checkin.buttons.skip"))
    calls = await local_bot.press(2, text("checkin.buttons.yes"))  # blood in stool
    advice = next(c for c in calls if c.method == "sendMessage")
    assert (
        text("triage.see_doctor.title") in advice.text
        or text("triage.emergency.title") in advice.text
    )
    assert calls.index(advice) < max(
        i for i, c in enumerate(calls) if c.method == "editMessageText"
    )
    assert (await _entry(local_bot)).alarms == {"blood": True}


async def test_double_taps_and_stale_buttons_write_nothing_wrong(local_bot: LocalBot) -> None:
    await consent(local_bot, 3)
    await local_bot.say(3, "/checkin")
    _, first = local_bot.last_with_button(3, text("checkin.bristol.3"))
    await local_bot.press_data(3, first)
    again = await local_bot.press_data(
        3, first.replace(":3", ":6")
    )  # second tap on the old question
    assert again[-1].method == "answerCallbackQuery"
    assert (await _entry(local_bot)).stool_form == 3
    stale = await local_bot.press_data(3, "ci:999:0:4")
    assert stale[-1].params.get("text") == text("checkin.stale")


async def test_note_text_is_captured_and_triaged(local_bot: LocalBot) -> None:
    await consent(local_bot, 4)
    note = "ate a lot of beans, felt fine otherwise"
    reply = await CheckinScript(stool=5, movements=1, bloating=2, pain=2, note=note).run(
        local_bot, 4
    )
    entry = await _entry(local_bot)
    assert entry.note == "ate a lot of beans, felt fine otherwise"
    assert entry.status == "complete"
    assert reply[-1].text.startswith(text("checkin.note_saved"))


async def test_questionnaire_resumes_after_a_restart(bot_settings: Settings) -> None:
    async with LocalBot(bot_settings) as bot:
        await consent(bot, 5)
        await bot.say(5, "/questionnaire")
        await bot.press(5, text("checkin.buttons.ibs_sss"))
        await bot.press(5, text("checkin.buttons.yes"))  # has pain
        await bot.press(5, "7")  # severity
    async with LocalBot(bot_settings) as bot:  # a restart, or another worker
        await bot.say(5, "/questionnaire")
        resumed = await bot.press(5, text("checkin.buttons.ibs_sss"))
        assert any(c.text == text("checkin.q.resumed") for c in resumed)
        assert resumed[-1].text == text("checkin.q.pain_days")
        for label in ("5", text("checkin.buttons.no"), "6", "4"):
            await bot.press(5, label)
        async with bot.db.transaction() as session:
            response = await session.scalar(select(QuestionnaireResponse))
            reminder = await session.scalar(
                select(Reminder).where(Reminder.kind == "questionnaire")
            )
        assert response is not None and response.status == "complete"
        assert response.total == 70 + 50 + 0 + 60 + 40
        assert response.items["has_bloating"] == 0
        assert reminder is not None


async def test_phq4_positive_screen_suggests_a_doctor(local_bot: LocalBot) -> None:
    await consent(local_bot, 6)
    await local_bot.say(6, "/questionnaire")
    await local_bot.press(6, text("checkin.buttons.phq4"))
    result = []
    for _ in range(4):
        result = await local_bot.press(6, text("checkin.q.phq_2"))
    final = [c.text for c in result if c.method in ("editMessageText", "sendMessage")]
    assert any("PHQ-4 score: 8" in t and "talk" in t for t in final)
    assert any(t == text("checkin.q.phq4_crisis") for t in final)


async def test_progress_and_doctor_export(local_bot: LocalBot) -> None:
    await consent(local_bot, 7)
    await CheckinScript(stool=2, movements=1, bloating=5, pain=4, mood=3).run(local_bot, 7)
    await local_bot.say(7, "/progress")
    shown = await local_bot.press(7, text("checkin.buttons.range_2w"))
    assert any(c.text.startswith("Your progress") and "Days logged: 1" in c.text for c in shown)
    assert any(c.method == "sendPhoto" for c in shown)
    exported = await local_bot.say(7, "/export csv")
    files = {name: raw for c in exported for name, raw, _ in c.files.values()}
    assert set(files) == {"gutbot-summary-for-doctor.pdf", "gutbot-symptoms-for-doctor.csv"}
    rows = list(csv.reader(io.StringIO(files["gutbot-symptoms-for-doctor.csv"].decode())))
    assert rows[0][:3] == ["date", "record", "bristol_type"] and rows[1][2] == "2"
    assert any("Bristol stool form: type 2: 1" in c.text for c in exported)
    weekly = await local_bot.press(7, text("checkin.buttons.weekly_on"))
    assert weekly[-1].text == text("checkin.progress.weekly_on")


async def test_the_doctor_summary_has_safety_answers_notes_and_a_one_page_pdf(
    local_bot: LocalBot, tmp_path: Path
) -> None:
    await consent(local_bot, 8)
    note = "finished amoxicillin 3 days ago"
    await CheckinScript(stool=6, movements=3, bloating=6, pain=5, blood=True, note=note).run(
        local_bot, 8
    )
    exported = await local_bot.say(8, "/export csv")
    summary = next(c.text for c in exported if c.text and c.text.startswith("Summary for"))
    lines = summary.splitlines()
    assert "1 day logged." in lines and "1 days" not in summary
    assert any("blood in stool" in line for line in lines), summary
    assert not any("fever" in line for line in lines), summary  # answered no: not listed
    assert any(note in line for line in lines), summary
    files = [raw for c in exported if c.method == "sendDocument" for _, raw, _ in c.files.values()]
    pdf = next(raw for raw in files if raw.startswith(b"%PDF"))
    assert b"/Count 1" in pdf  # one page
    table = next(raw for raw in files if raw.startswith(b"date,"))
    rows = list(csv.DictReader(io.StringIO(table.decode())))
    assert rows[0]["blood"] == "yes" and rows[0]["fever"] == "no" and rows[0]["details"] == note
    (tmp_path / "summary.pdf").write_bytes(pdf)


async def test_fever_with_watery_frequent_stools_gets_same_day_advice(local_bot: LocalBot) -> None:
    await consent(local_bot, 4)
    await local_bot.say(4, "/checkin")
    await local_bot.press(4, text("checkin.bristol.7"))
    await local_bot.press(4, "5+")
    for _ in range(2):  # bloating, pain
        await local_bot.press(4, "2")
    await local_bot.press(4, text("checkin.buttons.skip"))  # mood
    sent: list[str] = []
    for _ in range(3):  # blood, black, weight: no
        calls = await local_bot.press(4, text("checkin.buttons.no"))
        sent += [c.text for c in calls if c.method == "sendMessage"]
    assert sent == []
    calls = await local_bot.press(4, text("checkin.buttons.yes"))  # fever
    advice = [c.text for c in calls if c.method == "sendMessage"]
    assert len(advice) == 1
    assert advice[0].startswith(text("triage.urgent.title"))
    assert "fever with frequent diarrhoea" in advice[0]


async def test_a_calm_check_in_read_as_a_script(local_bot: LocalBot) -> None:
    await consent(local_bot, 31)
    done = await CheckinScript(stool=4, movements=1, bloating=2, pain=1, mood=4).run(local_bot, 31)
    assert done[-1].text.startswith(text("checkin.done"))
    entry = await _entry(local_bot)
    assert (entry.stool_form, entry.bowel_movements, entry.bloating, entry.pain) == (4, 1, 2, 1)
    assert entry.status == "complete" and not any(entry.alarms.values())


async def test_fever_with_watery_stools_five_times_gets_the_typed_message_advice(
    local_bot: LocalBot,
) -> None:
    await consent(local_bot, 32)
    replies = await CheckinScript(stool=7, movements=5, fever=True).run(local_bot, 32)
    said = "\n".join(r.text or "" for r in replies)
    # The same engine as a typed message: the urgent advice, naming its reason.
    assert text("triage.urgent.title") in said
    assert "fever" in said.lower()
    assert replies[-1].text is not None and replies[-1].text.startswith(text("checkin.done"))
