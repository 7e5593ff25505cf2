"""Lab reports through the real handlers: the advice first, what was read shown, kept only when
confirmed, never the document or the personal details printed on it."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.local_bot import LocalBot
from content.messages import text
from storage.models import LabResult, PendingUpload
from tests.bot.conftest import consent
from tests.conftest import shared_path

#: A report written for this test: three markers outside their ranges that ask for a doctor.
REPORT = b"""Stool analysis report
Marker  Result  Reference range
Calprotectin  380 ug/g  < 50
Lactoferrin  12.1 ug/g  < 7.3
Campylobacter  Positive  Negative
Giardia  Negative  Negative
Pancreatic Elastase 1  150 ug/g  > 200
"""


async def _rows(bot: LocalBot, model: type) -> int:
    async with bot.db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_pathogen_in_a_lab_report_gets_advice_before_anything_else(
    local_bot: LocalBot,
) -> None:
    await consent(local_bot, 31)
    calls = await local_bot.upload(31, REPORT, "stool-report.txt", mime_type="text/plain")
    said = [c.text for c in calls if c.method == "sendMessage"]
    advice = next(n for n, t in enumerate(said) if t.startswith("⚠️"))
    reading = next(n for n, t in enumerate(said) if t.startswith("I read this as"))
    assert advice < reading
    assert "Campylobacter" in said[advice]
    assert "Calprotectin" in said[advice] and "Pancreatic Elastase 1" in said[advice]  # "also"
    assert "Giardia" not in said[reading]  # negative, as expected: not listed
    assert text("labs.not_indices") in said[reading]
    assert await _rows(local_bot, LabResult) == 0  # nothing kept before the user says so
    async with local_bot.db.transaction() as session:
        held = await session.scalar(select(PendingUpload))
    assert held is not None and held.data == b""  # the document itself is never kept
    saved = await local_bot.press(31, text("labs.buttons.save"))
    assert saved[-1].text == text("labs.saved")
    assert await _rows(local_bot, LabResult) == 1
    again = await local_bot.upload(31, REPORT, "stool-report.txt", mime_type="text/plain")
    assert again[-1].text == text("labs.duplicate_text")
    listed = await local_bot.say(31, "/results")
    assert any(c.text and c.text.startswith(text("labs.listed_title")) for c in listed)


async def test_a_gi_map_text_is_read_and_can_be_left_unsaved(local_bot: LocalBot) -> None:
    await consent(local_bot, 32)
    path = shared_path("labs", "dsl_gi-map_2024-12_anonymised_pdftext_lamtha.txt")
    calls = await local_bot.upload(32, path.read_bytes(), path.name, mime_type="text/plain")
    reading = next(c.text for c in calls if c.text and c.text.startswith("I read this as"))
    assert "GI-MAP" in reading and "22 Nov 2024" in reading
    assert "Lactobacillus spp.: 1.29e9" in reading  # 1.29e9 H, range 8.6e5 - 6.2e8
    for private in ("PATIENT NAME", "ACCESSION", "1/1/1900", "REDACTED"):
        assert private not in reading
    dropped = await local_bot.press(32, text("labs.buttons.discard"))
    assert dropped[-1].text == text("labs.discarded")
    assert await _rows(local_bot, LabResult) == 0 and await _rows(local_bot, PendingUpload) == 0
    stale = await local_bot.press(32, text("labs.buttons.save"))
    assert stale[-1].text != text("labs.saved")


async def test_a_genova_pdf_is_read_as_a_lab_panel(local_bot: LocalBot) -> None:
    await consent(local_bot, 33)
    path = shared_path("labs", "genova_gi-effects-microbial-ecology-profile_sample-report_2016.pdf")
    calls = await local_bot.upload(
        32 + 1, path.read_bytes(), path.name, mime_type="application/pdf"
    )
    reading = next(c.text for c in calls if c.text and c.text.startswith("I read this as"))
    assert "Genova" in reading and "SAMPLE PATIENT" not in reading
    # Page 2: Odoribacter spp. 8.8E7 H, range <=8.0E7
    assert "Odoribacter spp.: 8.8E7" in reading
    saved = await local_bot.press(33, text("labs.buttons.save"))
    assert saved[-1].text == text("labs.saved")
    async with local_bot.db.transaction() as session:
        row = await session.scalar(select(LabResult))
    assert row is not None and "SAMPLE PATIENT" not in str(row.panel)


async def test_a_pdf_that_is_no_report_is_answered_and_nothing_is_kept(local_bot: LocalBot) -> None:
    await consent(local_bot, 34)
    calls = await local_bot.upload(34, b"%PDF-1.4\n%garbage", "x.pdf", mime_type="application/pdf")
    assert text("upload.nothing_stored") in calls[-1].text
    assert "went wrong on my side" not in calls[-1].text
    assert await _rows(local_bot, LabResult) == 0


async def test_pages_of_one_report_sent_as_an_album_are_joined(local_bot: LocalBot) -> None:
    # NutriPATH pages 4 and 5 as two photos of one album: one reading of both pages.
    await consent(local_bot, 35)
    pages = [
        shared_path("labs", f"nutripath_cdsa-level4plus_sample-report_2011_page{n}.jpg")
        for n in (4, 5)
    ]
    replies = []
    for path in pages:
        file_id = local_bot.api.add_upload(path.read_bytes())
        update = local_bot.updates.photo(35, file_id, size=path.stat().st_size)
        update["message"]["media_group_id"] = "album-1"
        replies.append(await local_bot.process(update))
    assert text("labs.page_added", pages=2) in [c.text for c in replies[1]]
    reading = next(c.text for c in replies[1] if c.text and c.text.startswith("I read this as"))
    assert "Calprotectin" in reading  # page 4: 62.0, range <50
    async with local_bot.db.transaction() as session:
        held = await session.scalar(select(PendingUpload))
    assert held is not None and held.state["panel"]["pages"] == 2
    # Both pages' markers, as transcribed by hand from the two images.
    from tests.analysis.labs_ocr.expected import NUTRIPATH, PAGES

    transcribed = [row for n in (4, 5) for row in PAGES[NUTRIPATH.format(n)]]
    assert len(held.state["panel"]["markers"]) == len(transcribed)
    saved = await local_bot.press(35, text("labs.buttons.save"))
    assert saved[-1].text == text("labs.saved")
    assert await _rows(local_bot, LabResult) == 1
