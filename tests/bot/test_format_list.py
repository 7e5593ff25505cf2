"""The list of formats people are told about comes from the format registry, everywhere."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from analysis.formats.registry import SUPPORTED_FORMATS, TEXT_FORMATS
from bot.local_bot import LocalBot
from content.messages import text
from tests.bot.conftest import consent

ROOT = Path(__file__).resolve().parents[2]


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "readme_formats", ROOT / "scripts" / "readme_formats.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_list_is_the_registry() -> None:
    script = _script()
    assert script.main(["--check"]) == 0, "run: python scripts/readme_formats.py"
    readme = (ROOT / "README.md").read_text()
    block = readme[readme.index(script.START) : readme.index(script.END)]
    listed = [line[2:] for line in block.splitlines() if line.startswith("- ")]
    assert listed == SUPPORTED_FORMATS
    for spec in TEXT_FORMATS:
        if not spec.readable:
            assert spec.label in block


def test_the_readme_check_sees_a_stale_list(tmp_path: Path) -> None:
    script = _script()
    readme = (ROOT / "README.md").read_text()
    stale = readme.replace(f"- {SUPPORTED_FORMATS[-1]}\n", "")
    assert stale != readme
    assert script.updated(stale) == readme


async def test_help_and_a_refusal_name_every_format(local_bot: LocalBot) -> None:
    await consent(local_bot, 70)
    help_text = "\n".join(c.text for c in await local_bot.say(70, "/help"))
    refusal = "\n".join(
        c.text
        for c in await local_bot.upload(70, b"\x00\x01\x02 not a table", "blob.tsv")
        if c.method == "sendMessage"
    )
    for label in SUPPORTED_FORMATS:
        assert label in help_text
        assert label in refusal


async def test_a_file_not_read_is_answered_with_what_it_looked_like(local_bot: LocalBot) -> None:
    await consent(local_bot, 71)
    calls = await local_bot.upload(71, b"dear diary\ntoday my tummy hurt\n", "diary.txt")
    reply = [c.text for c in calls if c.method == "sendMessage"][-1]
    assert text("upload.error.unknown_format_seen", first_line="dear diary") in reply
    calls = await local_bot.upload(71, b"food,grams\napple,10\nbread,20\n", "food.csv")
    reply = [c.text for c in calls if c.method == "sendMessage"][-1]
    assert "food, grams" in reply and "(apple, bread)" in reply
    assert text("upload.nothing_stored") in reply
