"""The local chat, driven by a scripted stdin, goes through the real handlers."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from bot.local_chat import run_chat
from bot.settings import Settings
from content.messages import text


async def test_scripted_chat_consents_exports_and_quits(bot_settings: Settings) -> None:
    script = io.StringIO("1\n/help\n/export\n7\n\n/quit\n")
    out = io.StringIO()
    code = await run_chat(bot_settings, stdin=script, stdout=out)
    transcript = out.getvalue()
    assert code == 0
    assert "[1] " + text("account.buttons.agree") in transcript
    assert text("account.start.consent_given").split(".")[0] in transcript
    assert "/privacy" in transcript  # from the /help text
    assert "(no button with that number)" in transcript
    saved = re.search(r"gutbot sent a document: (\S+)", transcript)
    assert saved is not None
    exported = json.loads(Path(saved.group(1)).read_text())
    assert exported["user"]["telegram_id"] == 1
    assert exported["user"]["consent_given_at"] is not None
    assert transcript.rstrip().endswith("Bye.")


async def test_chat_ends_cleanly_at_end_of_input(bot_settings: Settings) -> None:
    out = io.StringIO()
    code = await run_chat(
        bot_settings, stdin=io.StringIO("/upload /no/such/file.tsv\n"), stdout=out
    )
    assert code == 0
    assert "(no file at /no/such/file.tsv)" in out.getvalue()


async def test_two_checkins_in_a_minute_are_answered_to_the_end(bot_settings: Settings) -> None:
    # The reported hang: the second check-in of the day stopped after a safety question, and
    # nothing was answered after it. Taps were counted as messages (20 a minute), so the 21st
    # tap and everything after it were refused without a word. Default limits, as a user has.
    taps = "4\n2\n3\n3\n3\n1\n2\n2\n2\n2\n"  # Bristol 4 ... blood yes ... done
    script = io.StringIO("1\n/checkin\n" + taps + "/checkin\n" + taps + "/help\n/quit\n")
    out = io.StringIO()
    await run_chat(bot_settings, stdin=script, stdout=out)
    transcript = out.getvalue()
    assert transcript.count(text("checkin.done")) == 2
    assert transcript.count(text("triage.see_doctor.title")) == 2
    assert "/privacy" in transcript.split(text("checkin.done"))[-1]  # /help still answered


async def test_every_keyboard_of_a_turn_has_its_own_numbers_and_charts_are_png(
    bot_settings: Settings,
) -> None:
    from tests.conftest import shared_path

    path = shared_path("corpus", "metaphlan3_SRR1761667_stool.txt")
    out = io.StringIO()
    await run_chat(bot_settings, stdin=io.StringIO(f"1\n/upload {path}\n"), stdout=out)
    transcript = out.getvalue()
    numbers = {
        label: int(n) for n, label in re.findall(r"^\s+\[(\d+)\] (.+)$", transcript, re.M)[-5:]
    }
    # The follow-ups button comes last, after the chart's four; none shares a number.
    findings = numbers[text("results.buttons.all_findings")]
    assert numbers[text("results.buttons.followups_off")] == findings + 4
    photo = re.search(r"gutbot sent a photo: (\S+)", transcript)
    assert photo is not None and photo.group(1).endswith(".png")
    assert Path(photo.group(1)).read_bytes().startswith(b"\x89PNG")
    # Typing the number of "All findings" opens the findings (it used to turn follow-ups off).
    out = io.StringIO()
    await run_chat(bot_settings, stdin=io.StringIO(f"/upload {path}\n{findings}\n"), stdout=out)
    pressed = out.getvalue().rsplit("you> ", 1)[0].rsplit("you> ", 1)[-1]
    assert text("upload.followups_off") not in pressed
    assert text("results.all_findings_title", sample=path.stem) in pressed


async def test_files_the_chat_saved_are_removed_after_delete(bot_settings: Settings) -> None:
    out = io.StringIO()
    await run_chat(bot_settings, stdin=io.StringIO("1\n/export\n/delete\n1\n"), stdout=out)
    transcript = out.getvalue()
    assert "Everything about you has been deleted" in transcript
    assert "removed 1 file(s)" in transcript
    assert not list(Path(bot_settings.chat_output_dir).glob("*"))
