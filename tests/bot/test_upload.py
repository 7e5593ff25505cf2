"""Sending results files: the whole flow through the real dispatcher, checked in the database."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest
from sqlalchemy import func, select

from bot.local_bot import LocalBot
from bot.settings import Settings
from content.messages import text
from storage.models import PendingUpload, Reminder, Sample
from tests.bot.conftest import consent
from tests.conftest import shared_path

MPA3 = "metaphlan3_SRR1761667_stool.txt"


def _file(name: str) -> bytes:
    return shared_path("corpus", name).read_bytes()


async def _count(bot: LocalBot, model: type) -> int:
    async with bot.db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_upload_summary_chart_buttons_and_followups(local_bot: LocalBot) -> None:
    await consent(local_bot, 1)
    calls = await local_bot.upload(1, _file(MPA3), MPA3, mime_type="text/plain")
    methods = [c.method for c in calls]
    assert "getFile" in methods and "sendChatAction" in methods
    texts = [c.text for c in calls if c.method == "sendMessage"]
    summary = next(t for t in texts if t.startswith("Read:"))
    assert "MetaPhlAn 3 profile" in summary and "shotgun" in summary
    assert "GMWI2: 1.40" in summary
    assert "not a diagnosis" in summary
    assert any(
        t.startswith(text("results.suggestions_title")) or t == text("results.no_suggestions")
        for t in texts
    )
    photo = next(c for c in calls if c.method == "sendPhoto")
    labels = [label for label, _ in photo.buttons]
    assert labels == [
        text("results.buttons.all_findings"),
        text("results.buttons.explain"),
        text("results.buttons.table"),
        text("results.buttons.report"),
    ]
    assert texts[-1] == text("upload.stored")
    assert await _count(local_bot, Sample) == 1
    async with local_bot.db.transaction() as session:
        kinds = sorted((await session.scalars(select(Reminder.kind))).all())
    assert kinds == ["followup_checkin", "retest"]


async def test_detail_buttons(local_bot: LocalBot) -> None:
    await consent(local_bot, 2)
    await local_bot.upload(2, _file(MPA3), MPA3)
    table = await local_bot.press(2, text("results.buttons.table"))
    document = next(c for c in table if c.method == "sendDocument")
    name, content, _ = next(iter(document.files.values()))
    assert name.endswith(".csv")
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert rows[0][0] == "taxon" and len(rows) > 20
    report = await local_bot.press(2, text("results.buttons.report"))
    html = next(iter(next(c for c in report if c.method == "sendDocument").files.values()))[
        1
    ].decode()
    assert html.startswith("<!doctype html>") and "data:image/png;base64," in html
    findings = await local_bot.press(2, text("results.buttons.all_findings"))
    assert findings[-1].text.startswith(
        text("results.all_findings_title", sample="metaphlan3_SRR1761667_stool").split(":")[0]
    )
    await local_bot.press(2, text("results.buttons.explain"))
    _, data = local_bot.last_with_button(2, "res:f:1:0")
    explained = await local_bot.press(2, data)
    assert "Your result:" in explained[-1].text
    assert any(d.startswith("topic:") for _, d in explained[-1].buttons)


async def test_same_file_twice_is_not_stored_twice(local_bot: LocalBot) -> None:
    await consent(local_bot, 3)
    await local_bot.upload(3, _file(MPA3), MPA3)
    again = await local_bot.upload(3, _file(MPA3), "renamed.txt")
    assert any("You sent this file before" in c.text for c in again)
    assert await _count(local_bot, Sample) == 1


async def test_second_test_compares_with_the_first(local_bot: LocalBot) -> None:
    await consent(local_bot, 4)
    await local_bot.upload(4, _file(MPA3), MPA3)
    await local_bot.upload(4, _file("metaphlan3_kefir_Subj001_time1_stool.txt"), "kefir.txt")
    compared = await local_bot.press(4, text("results.buttons.compare"))
    # Two tests sent the same day: "between your two tests of <day>", not "from <day> to <day>".
    assert any(
        "Change between your two tests" in c.text and "Bray-Curtis" in c.text for c in compared
    )
    assert any(c.method == "sendPhoto" for c in compared)
    listed = await local_bot.say(4, "/results")
    assert listed[-1].text.startswith(text("results.list_title"))
    assert len(listed[-1].buttons) == 2
    assert any("Change between" in c.text for c in await local_bot.say(4, "/compare"))


async def test_no_consent_no_storage(local_bot: LocalBot) -> None:
    await local_bot.say(5, "/start")
    calls = await local_bot.upload(5, _file(MPA3), MPA3)
    assert calls[0].text == text("account.consent.needed")
    assert not any(c.method == "getFile" for c in calls)
    assert await _count(local_bot, Sample) == 0


async def test_too_big_and_wrong_type_are_refused_before_download(local_bot: LocalBot) -> None:
    await consent(local_bot, 6)
    big = await local_bot.upload(6, b"x", "huge.tsv", size=25_000_000)
    assert "20 MB" in big[-1].text
    video = await local_bot.upload(6, b"\x00\x00", "clip.mp4", mime_type="video/mp4")
    assert text("upload.refused_type", what=text("upload.file_kind.video")) in video[-1].text
    assert not any(c.method == "getFile" for c in big + video)
    letter = await local_bot.upload(6, b"Dear doctor,\nmy tummy hurts.\n", "letter.txt")
    assert text("upload.nothing_stored") in letter[-1].text
    assert await _count(local_bot, Sample) == 0


async def test_a_local_bot_api_server_still_has_a_download_limit(bot_settings: Settings) -> None:
    # A local Bot API server lifts Telegram's 20 MB cap; the bot keeps its own (MAX_UPLOAD_MB).
    local_server = bot_settings.model_copy(
        update={"telegram_api_url": "http://127.0.0.1:8081/bot", "max_upload_mb": 50}
    )
    bot = LocalBot(local_server)
    await bot.start()
    try:
        await consent(bot, 66)
        huge = await bot.upload(66, b"x", "huge.tsv", size=400_000_000)
    finally:
        await bot.stop()
    assert "400.0" in huge[-1].text and "50 MB" in huge[-1].text
    assert not any(c.method == "getFile" for c in huge)


async def test_a_message_that_understates_its_size_is_refused_before_download(
    bot_settings: Settings,
) -> None:
    # The message claims nothing; getFile says 1.5 MB, over a 1 MB limit: nothing is downloaded.
    small_limit = bot_settings.model_copy(update={"max_upload_mb": 1})
    bot = LocalBot(small_limit)
    await bot.start()
    try:
        await consent(bot, 67)
        calls = await bot.upload(67, b"x" * 1_500_000, "big.tsv", size=0)
    finally:
        await bot.stop()
    assert any(c.method == "getFile" for c in calls)
    # Without the check the bytes would be downloaded and analysed ("not a results table").
    assert "1.5 MB" in calls[-1].text and "up to 1 MB" in calls[-1].text


async def test_table_then_taxonomy_then_pick_a_sample(local_bot: LocalBot) -> None:
    await consent(local_bot, 7)
    first = await local_bot.upload(
        7, _file("qiime2_movingpictures_feature-table.tsv"), "feature-table.tsv"
    )
    assert "taxonomy" in first[-1].text
    assert await _count(local_bot, PendingUpload) == 1
    second = await local_bot.upload(7, _file("qiime2_movingpictures_taxonomy.tsv"), "taxonomy.tsv")
    ask = second[-1]
    assert ask.text.startswith(text("upload.pick_sample", count=34))
    assert text("upload.pick_more", start=1, end=20, count=34) in ask.text
    assert len(ask.buttons) == 21  # 20 ids and "more"
    more = await local_bot.press(7, text("results.buttons.more"))
    assert more[-1].method == "editMessageText"
    assert text("upload.pick_more", start=21, end=34, count=34) in more[-1].text
    assert [label for label, _ in more[-1].buttons][-1] == text("results.buttons.back")
    _, data = local_bot.last_with_button(7, "L1S105")
    picked = await local_bot.press(7, data)
    assert any(
        c.text.startswith("Read: QIIME 2 table (16S sequencing), sample L1S105") for c in picked
    )
    async with local_bot.db.transaction() as session:
        sample = await session.scalar(select(Sample))
    assert sample is not None and sample.sample_label == "L1S105"
    assert sample.report["samples"][0]["indices"]["gmhi"]["status"] == "not_applicable"
    assert await _count(local_bot, PendingUpload) == 0


async def test_ten_files_in_a_row_are_each_answered_in_order(local_bot: LocalBot) -> None:
    await consent(local_bot, 8)
    names = ["ubiome_gut_74607.json", "motus3_cami_profile_ERR479304_stool.profile", MPA3]
    for i in range(10):
        name = names[i % len(names)]
        data = _file(name) if i < len(names) else _file(name) + b"\n" * i
        await local_bot.upload(8, data, f"{i}-{name}")
    reads = [
        c.text
        for c in local_bot.api.sent(8)
        if c.text.startswith("Read:") or "You sent this file before" in c.text
    ]
    assert len(reads) == 10
    assert reads[0].startswith("Read: uBiome export")


async def test_followups_can_be_turned_off(local_bot: LocalBot) -> None:
    await consent(local_bot, 9)
    await local_bot.upload(9, _file(MPA3), MPA3)
    await local_bot.press(9, text("results.buttons.followups_off"))
    async with local_bot.db.transaction() as session:
        statuses = set((await session.scalars(select(Reminder.status))).all())
    assert statuses == {"cancelled"}


async def test_another_users_result_cannot_be_opened(local_bot: LocalBot) -> None:
    await consent(local_bot, 10)
    await consent(local_bot, 11)
    await local_bot.upload(10, _file(MPA3), MPA3)
    stolen = await local_bot.press_data(11, "res:csv:1")
    assert stolen[-1].text == text("results.not_found")
    exported = json.loads(
        next(
            iter(
                next(
                    c for c in await local_bot.say(11, "/export") if c.method == "sendDocument"
                ).files.values()
            )
        )[1]
    )
    assert exported["samples"] == []


ONE_PER_FORMAT = [
    ("metaphlan2_merged_species_GMHI_25samples.csv", "MetaPhlAn 2 profile", True),
    ("metaphlan4_vOct22_ERR7569997_NOTstool.txt", "MetaPhlAn 4 profile", False),
    ("kraken_report_official_sample_SIMULATED.kreport", "Kraken2 report", False),
    ("bracken_species_output_official_sample_SIMULATED.txt", "Bracken table", False),
    ("motus3_cami_profile_ERR479304_stool.profile", "mOTUs profile", False),
    ("ubiome_gut_74607_export.csv", "uBiome export", False),
    ("biom1_json_AmericanGut_MetaphlanWGS.biom", "BIOM 1.0 table", True),
]


@pytest.mark.parametrize(("name", "label", "several"), ONE_PER_FORMAT)
async def test_one_file_per_format(
    local_bot: LocalBot, name: str, label: str, several: bool
) -> None:
    await consent(local_bot, 20)
    calls = await local_bot.upload(20, _file(name), name)
    if several:
        assert calls[-1].text.startswith("This file holds")
        data = local_bot.button_data(20, "up:pick:")
        calls = await local_bot.press(20, data)
    summary = next(c.text for c in calls if c.text.startswith("Read:"))
    assert label in summary
    assert any(c.method == "sendPhoto" for c in calls)
    assert await _count(local_bot, Sample) == 1


@pytest.mark.parametrize(
    ("table", "taxonomy", "label"),
    [
        (
            "dada2_happybelly_ASVs_counts_CF_infant_stool_first20samples.tsv",
            "dada2_happybelly_ASVs_taxonomy_CF_infant_stool.tsv",
            "DADA2 table",
        ),
        (
            "qiime2_movingpictures_feature-table.tsv",
            "qiime2_movingpictures_taxonomy.tsv",
            "QIIME 2 table",
        ),
    ],
)
async def test_paired_formats_in_one_zip(
    local_bot: LocalBot, table: str, taxonomy: str, label: str
) -> None:
    await consent(local_bot, 21)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(table, _file(table))
        archive.writestr(taxonomy, _file(taxonomy))
    calls = await local_bot.upload(
        21, buffer.getvalue(), "results.zip", mime_type="application/zip"
    )
    assert calls[-1].text.startswith("This file holds")
    data = local_bot.button_data(21, "up:pick:")
    picked = await local_bot.press(21, data)
    assert any(label in c.text for c in picked if c.text.startswith("Read:"))


def _is_limit_reply(reply: str, *, limit: int) -> bool:
    """The limit message, with the limit and a time within the hour to come."""
    pattern = re.escape(text("common.too_many_uploads", limit=limit, at="AT", minutes=999))
    pattern = pattern.replace("AT", r"(\d\d):(\d\d) \(UTC\)").replace("999", r"(\d+)")
    match = re.fullmatch(pattern, reply)
    return match is not None and 1 <= int(match.group(3)) <= 60


async def test_only_files_that_were_read_count_and_every_file_is_answered(
    bot_settings: Settings,
) -> None:
    settings = bot_settings.model_copy(update={"uploads_per_hour": 2})
    bot = LocalBot(settings)
    await bot.start()
    try:
        await bot.upload(14, _file(MPA3), MPA3)  # before consent: not read, not counted
        await consent(bot, 14)
        await bot.upload(14, b"\x89PNG\r\n\x1a\n" + bytes(64), "photo.png", mime_type="image/png")
        await bot.upload(14, b"hello\nthis is not a table\n", "notes.txt")
        await bot.upload(14, b"", "empty.tsv")
        first = await bot.upload(14, _file(MPA3), MPA3)
        assert first[-1].text == text("upload.stored")
        await bot.upload(14, _file(MPA3), MPA3)  # the same file again: shown, not counted
        second = await bot.upload(14, _file("ubiome_gut_74607.json"), "ubiome.json")
        assert second[-1].text == text("upload.stored")
        for attempt in range(3):  # at the limit, every further file is answered
            refused = await bot.upload(14, _file(MPA3) + b"\n" * (attempt + 1), f"{attempt}.txt")
            (reply,) = [c.text for c in refused if c.method == "sendMessage"]
            assert _is_limit_reply(reply, limit=2), reply
        assert await _count(bot, Sample) == 2
    finally:
        await bot.stop()


async def test_the_hourly_upload_limit_holds_across_workers(bot_settings: Settings) -> None:
    # Two workers on one database: each sees only half the uploads, the database sees them all.
    settings = bot_settings.model_copy(update={"uploads_per_hour": 3})
    first, second = LocalBot(settings), LocalBot(settings)
    await first.start()
    await second.start()
    try:
        await consent(first, 12)
        names = ["ubiome_gut_74607.json", "motus3_cami_profile_ERR479304_stool.profile", MPA3]
        for i, name in enumerate(names):
            await (first if i % 2 == 0 else second).upload(12, _file(name), name)
        refused = await second.upload(12, _file("ubiome_gut_74607_export.csv"), "fourth.csv")
        (reply,) = [c.text for c in refused if c.method == "sendMessage"]
        assert _is_limit_reply(reply, limit=3)
        assert not any(c.method == "getFile" for c in refused)  # refused before downloading
        assert await _count(first, Sample) == 3
        # Another user is not held back by the first one's uploads.
        await consent(second, 13)
        other = await second.upload(13, _file(MPA3), MPA3)
        assert any(c.text.startswith("Read:") for c in other)
    finally:
        await first.stop()
        await second.stop()


async def test_a_qiime2_artifact_is_read_not_refused_by_its_ending(local_bot: LocalBot) -> None:
    # QIIME 2 users hold .qza files; the reader opens them (a ZIP), so the bot must not refuse
    # them unread. A feature table alone asks for its taxonomy, as the reader says.
    await consent(local_bot, 61)
    data = shared_path("wild", "qiime2_2020.8_dada2_table_FMT_mouse.qza").read_bytes()
    calls = await local_bot.upload(61, data, "table.qza")
    texts = " ".join(c.text for c in calls if c.text)
    assert text("upload.refused_ending", value=".qza") not in texts
    assert "taxonomy" in texts.lower()


@pytest.mark.parametrize(
    ("filename", "mime", "kind"),
    [
        ("clip.mov", "video/quicktime", "video"),
        ("results.xls", "application/vnd.ms-excel", "spreadsheet"),
    ],
)
async def test_a_refused_file_is_named_in_plain_words(
    local_bot: LocalBot, filename: str, mime: str, kind: str
) -> None:
    await consent(local_bot, 30)
    calls = await local_bot.upload(30, b"\x00\x01binary", filename, mime_type=mime)
    reply = calls[-1].text
    what = text(f"upload.file_kind.{kind}")
    assert reply.startswith(
        text("upload.not_results", reason="", formats="", how_to_export="")[:30]
    )
    assert text("upload.refused_type", what=what) in reply
    assert mime not in reply and ".)." not in reply and "(It" not in reply


async def test_an_unknown_text_file_reads_as_one_sentence(local_bot: LocalBot) -> None:
    await consent(local_bot, 31)
    calls = await local_bot.upload(31, b"dear diary\ntoday my tummy hurt\n", "diary.txt")
    reply = [c.text for c in calls if c.method == "sendMessage"][-1]
    assert ".)." not in reply and "(I couldn" not in reply
    assert text("upload.nothing_stored") in reply


async def test_the_sample_picker_is_in_natural_order_and_takes_a_typed_name(
    local_bot: LocalBot,
) -> None:
    await consent(local_bot, 32)
    name = "metaphlan2_merged_species_GMHI_25samples.csv"
    calls = await local_bot.upload(32, _file(name), name)
    with_ids = calls[-1]
    header = _file(name).decode("utf-8-sig").splitlines()[0].split(",")[1:]
    expected = sorted(header, key=lambda s: int(s.removeprefix("Sample")))[:20]
    assert [label for label, _ in with_ids.buttons][:20] == expected
    typed = await local_bot.say(32, "sample17")
    assert typed[-1].text == text("upload.pick_typed", count=1)
    assert [label for label, _ in typed[-1].buttons] == ["Sample17"]
    picked = await local_bot.press(32, "Sample17")
    assert any(c.text.startswith("Read:") and "Sample17" in c.text for c in picked)


async def test_names_from_files_are_shown_without_control_or_bidi_characters(
    local_bot: LocalBot,
) -> None:
    await consent(local_bot, 33)
    evil = "evil\x1b[31mRED\x1b[0m\u202egnp" + "x" * 200 + ".txt"
    calls = await local_bot.upload(33, _file(MPA3), evil, mime_type="text/plain")
    texts = [c.text for c in calls if c.text]
    assert texts and not any(ch in t for t in texts for ch in ("\x1b", "\u202e"))
    listed = (await local_bot.say(33, "/results"))[-1].text
    assert "\x1b" not in listed and "\u202e" not in listed
    assert max(len(line) for line in listed.splitlines()) < 160


async def test_a_second_table_waiting_for_taxonomy_says_it_replaced_the_first(
    local_bot: LocalBot,
) -> None:
    await consent(local_bot, 34)
    table = _file("qiime2_movingpictures_feature-table.tsv")
    await local_bot.upload(34, table, "first-table.tsv")
    calls = await local_bot.upload(34, table + b"\n", "second-table.tsv")
    texts = [c.text for c in calls if c.method == "sendMessage"]
    assert any(
        t.startswith(text("upload.replaced_half", earlier="first-table.tsv", have_words="")[:40])
        for t in texts
    ), texts
    assert "taxonomy" in texts[-1]
    assert await _count(local_bot, PendingUpload) == 1
