"""A table that does not say how it was sequenced: the bot asks (16S, shotgun, not sure), keeps
the answer with the sample and compares it only with people tested that way."""

from __future__ import annotations

from sqlalchemy import select

from bot.local_bot import LocalBot
from content.messages import text
from storage.models import Sample
from tests.bot.conftest import consent
from tests.conftest import shared_path

#: A plain genus table (no tool, no method): common gut genera with made-up percentages.
GENUS_TABLE = "genus,abundance\n" + "\n".join(
    f"{name},{share}"
    for name, share in [
        ("Bacteroides", 30),
        ("Faecalibacterium", 12),
        ("Prevotella", 5),
        ("Roseburia", 4),
        ("Bifidobacterium", 3),
        ("Blautia", 6),
        ("Alistipes", 5),
        ("Ruminococcus", 4),
        ("Akkermansia", 2),
        ("Escherichia", 1),
        ("Parabacteroides", 3),
        ("Eubacterium", 5),
        ("Subdoligranulum", 4),
        ("Collinsella", 2),
        ("Coprococcus", 3),
        ("Dorea", 2),
        ("Lachnospira", 3),
        ("Oscillibacter", 2),
        ("Streptococcus", 1),
        ("Other", 3),
    ]
)
BUTTONS = [text("upload.method_16s"), text("upload.method_shotgun"), text("upload.method_unsure")]


async def _stored(bot: LocalBot) -> list[Sample]:
    async with bot.db.transaction() as session:
        return list((await session.scalars(select(Sample))).all())


async def _ask(bot: LocalBot, user: int, data: bytes, name: str) -> None:
    await consent(bot, user)
    calls = await bot.upload(user, data, name, mime_type="text/csv")
    question = calls[-1]
    assert question.text == text("upload.method_question")
    assert [label for label, _ in question.buttons] == BUTTONS
    assert not any(c.text.startswith("Read:") for c in calls)
    assert await _stored(bot) == []


async def test_a_genus_table_told_16s_is_compared_with_16s_people(local_bot: LocalBot) -> None:
    await _ask(local_bot, 60, GENUS_TABLE.encode(), "my_genera.csv")
    calls = await local_bot.press(60, text("upload.method_16s"))
    assert any(
        c.text == text("upload.method_told", method=text("analysis.method.16s")) for c in calls
    )
    summary = next(c.text for c in calls if c.text.startswith("Read:"))
    assert "(16S sequencing)" in summary
    assert "healthy people in our reference" in summary
    assert text("analysis.caveat.method_from_user_16s") in summary
    assert text("analysis.caveat.method_unknown") not in summary
    [sample] = await _stored(local_bot)
    assert sample.method == "16s" and sample.report["method"] == "16s"
    keys = {c["key"] for c in sample.report["samples"][0]["caveats"]}
    assert "method_from_user" in keys


async def test_not_sure_shows_the_sample_without_a_comparison(local_bot: LocalBot) -> None:
    await _ask(local_bot, 61, GENUS_TABLE.encode(), "my_genera.csv")
    calls = await local_bot.press(61, text("upload.method_unsure"))
    assert any(c.text == text("upload.method_unsure_told") for c in calls)
    summary = next(c.text for c in calls if c.text.startswith("Read:"))
    assert "healthy people in our reference" not in summary
    assert text("analysis.caveat.method_unknown") in summary
    [sample] = await _stored(local_bot)
    assert sample.method == "unknown"


async def test_a_second_tap_on_the_question_changes_nothing(local_bot: LocalBot) -> None:
    await _ask(local_bot, 62, GENUS_TABLE.encode(), "my_genera.csv")
    data = local_bot.button_data(62, "up:method:")
    await local_bot.press(62, text("upload.method_shotgun"))
    again = await local_bot.press_data(62, data)
    assert again[-1].text == text("upload.pick_stale")
    [sample] = await _stored(local_bot)
    assert sample.method == "shotgun"


async def test_several_samples_the_method_first_then_the_sample(local_bot: LocalBot) -> None:
    rows = GENUS_TABLE.splitlines()
    # Three samples: the same shares, and two with the first genera doubled.
    table = "\n".join(
        [rows[0].replace("abundance", "me,my_partner,my_dog")]
        + [
            f"{r},{int(r.split(',')[1]) * (2 if n < 3 else 1)},{r.split(',')[1]}"
            for n, r in enumerate(rows[1:])
        ]
    )
    await _ask(local_bot, 63, table.encode(), "household.csv")
    typed = await local_bot.say(63, "me")  # a sample id, but the method question comes first
    assert not any(c.text.startswith(text("upload.pick_typed", count=1)) for c in typed)
    calls = await local_bot.press(63, text("upload.method_16s"))
    picker = calls[-1]
    assert picker.text.startswith(text("upload.pick_sample", count=3))
    assert [label for label, _ in picker.buttons] == ["me", "my_dog", "my_partner"]
    picked = await local_bot.press(63, "my_partner")
    summary = next(c.text for c in picked if c.text.startswith("Read:"))
    assert "(16S sequencing)" in summary and "my_partner" in summary
    [sample] = await _stored(local_bot)
    assert sample.method == "16s" and sample.sample_label == "my_partner"


async def test_a_file_that_says_its_method_is_never_asked(local_bot: LocalBot) -> None:
    await consent(local_bot, 64)
    name = "metaphlan3_SRR1761667_stool.txt"
    calls = await local_bot.upload(64, shared_path("corpus", name).read_bytes(), name)
    assert not any(c.text == text("upload.method_question") for c in calls)
    assert any(c.text.startswith("Read:") for c in calls)
