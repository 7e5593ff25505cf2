"""Hostile names in files (very long, NUL, huge taxon names) never break a user's results."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.local_bot import LocalBot
from content.messages import text
from storage.models import Sample
from tests.bot.conftest import consent

TELEGRAM_LIMIT = 4096


def _table(sample_id: str, names: list[str]) -> bytes:
    rows = [f"taxon\t{sample_id}"] + [f"{name}\t{10 + i}" for i, name in enumerate(names)]
    return ("\n".join(rows) + "\n").encode()


GENERA = ["Bacteroides", "Prevotella", "Faecalibacterium", "Roseburia", "Blautia"]


async def test_a_very_long_sample_id_is_stored_and_found_again(any_bot: LocalBot) -> None:
    await consent(any_bot, 1)
    for n, letter in enumerate("AB"):
        sample_id = letter * 1000 + "end"
        calls = await any_bot.upload(1, _table(sample_id, GENERA[n:] + GENERA[:n]), f"{n}.tsv")
        assert calls[-1].text == text("upload.method_question")  # a genus table: 16S or shotgun?
        calls = await any_bot.press(1, text("upload.method_16s"))
        assert calls[-1].text == text("upload.stored"), [c.text for c in calls]
    async with any_bot.db.transaction() as session:
        labels = (await session.scalars(select(Sample.sample_label))).all()
    assert len(labels) == 2 and len(set(labels)) == 2
    assert all(len(label) <= 255 for label in labels)
    listed = await any_bot.say(1, "/results")
    assert len(listed[-1].buttons) == 2
    shown = await any_bot.press(1, listed[-1].buttons[0][1])
    assert any(c.text.startswith("Read:") for c in shown)
    compared = await any_bot.say(1, "/compare")
    assert all(len(c.text) <= TELEGRAM_LIMIT for c in compared if c.text)
    assert text("common.error") not in [c.text for c in compared]


async def test_huge_taxon_names_keep_every_reply_within_telegrams_limit(
    any_bot: LocalBot,
) -> None:
    await consent(any_bot, 2)
    for n in range(2):
        names = [f"{genus}{'x' * 5000}" for genus in GENERA[n:] + GENERA[:n]]
        calls = await any_bot.upload(2, _table(f"S{n}", names), f"s{n}.tsv")
        assert all(len(c.text) <= TELEGRAM_LIMIT for c in calls if c.text)
    compared = await any_bot.say(2, "/compare")
    assert compared and all(len(c.text) <= TELEGRAM_LIMIT for c in compared if c.text)
    assert text("common.error") not in [c.text for c in compared]


async def test_a_nul_in_a_sample_id_is_stored_without_it(any_bot: LocalBot) -> None:
    # PostgreSQL text cannot hold NUL: the id from a BIOM file used to fail every later update.
    rows = [
        {
            "id": f"o{i}",
            "metadata": {
                "taxonomy": ["k__Bacteria", "p__Firmicutes", "c__C", "o__O", "f__F", f"g__{g}"]
            },
        }
        for i, g in enumerate(GENERA)
    ]
    doc = {
        "id": None,
        "format": "Biological Observation Matrix 1.0.0",
        "format_url": "http://biom-format.org",
        "type": "OTU table",
        "generated_by": "a test",
        "date": "2026-12-02T00:00:00",
        "matrix_type": "dense",
        "matrix_element_type": "int",
        "shape": [5, 1],
        "rows": rows,
        "columns": [{"id": "S\u0000evil", "metadata": None}],
        "data": [[10], [20], [30], [40], [50]],
    }
    await consent(any_bot, 3)
    calls = await any_bot.upload(3, json.dumps(doc).encode(), "table.biom")
    assert calls[-1].text == text("upload.stored"), [c.text for c in calls]
    async with any_bot.db.transaction() as session:
        label = await session.scalar(select(Sample.sample_label))
    assert label == "Sevil"
    assert (await any_bot.say(3, "/results"))[-1].buttons
    assert text("common.error") not in [c.text for c in await any_bot.say(3, "/help")]


async def test_a_language_code_that_is_no_language_never_breaks_a_user(any_bot: LocalBot) -> None:
    for language in ("x" * 40, "en\x00", "de-DE-with-a-very-long-tail"):
        calls = await any_bot.say(4, "/help", language=language)
        assert calls and text("common.error") not in [c.text for c in calls]
    await consent(any_bot, 4)
    reply = await any_bot.say(4, "/help", language="pt-br")
    assert text("common.error") not in [c.text for c in reply]
