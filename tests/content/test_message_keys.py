"""Every message key the code uses exists (static keys found by scanning the source)."""

from __future__ import annotations

import re
from pathlib import Path

from bot.app import FLOWS
from bot.flows.registry import HELP_SECTIONS
from bot.render.tracking import CHART_LABELS
from bot.services.checkins import STEPS
from content.messages import all_messages
from content.topics import AREAS

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = tuple(c.name for f in FLOWS for c in f.commands)
HELP_COMMANDS = tuple(c.name for f in FLOWS for c in f.commands if c.help_section)
STATIC = re.compile(r"""\btext\(\s*["']([a-z0-9_.]+)["']""")
# Keys built at run time: prefix -> the values the code puts after it.
DYNAMIC = {
    "results.index.": ("gmhi", "gmwi2", "distance_to_healthy"),
    "results.status.": ("healthy", "non_healthy", "indeterminate", "not_applicable"),
    "checkin.ask.": STEPS,
    "checkin.bristol.": tuple(str(n) for n in range(1, 8)),
    "checkin.mood.": tuple(str(n) for n in range(1, 6)),
    "checkin.band.": ("remission", "mild", "moderate", "severe", "none"),
    "checkin.q.": (
        "has_pain",
        "pain_severity",
        "pain_days",
        "has_bloating",
        "bloating_severity",
        "bowel_dissatisfaction",
        "life_interference",
        "nervous",
        "worrying",
        "interest",
        "down",
        "phq_0",
        "phq_1",
        "phq_2",
        "phq_3",
        "ibs_sss_intro",
        "phq4_intro",
    ),
    "checkin.buttons.": ("ibs_sss", "phq4"),
    "checkin.chart.": CHART_LABELS,
    "menu.": COMMANDS,
    "help.command.": HELP_COMMANDS,
    "help.section.": HELP_SECTIONS,
    "browse.area.": AREAS,
    "questions.evidence.": (
        "guideline",
        "randomised_trial",
        "human_association",
        "animal_mechanism",
    ),
    "triage.": (
        "emergency.title",
        "emergency.action",
        "urgent.title",
        "urgent.action",
        "see_doctor.title",
        "see_doctor.action",
        "because",
        "also",
        "sounds_like",
        "and_more",
        "lower",
        "crisis",
        "note.lookalike_beetroot",
        "note.lookalike_iron",
        "note.checkin_fever",
    ),
    **{
        f"languages.{code}.": (
            "english_only",
            "emergency",
            "urgent",
            "see_doctor",
            "because",
            "crisis",
            "reason_generic",
        )
        for code in ("de", "es", "fr", "ru", "pt", "it")
    },
    "upload.need.": ("taxonomy", "feature_table"),
}


def test_every_static_key_exists() -> None:
    known = all_messages()
    missing = []
    for package in ("bot", "content", "analysis"):
        for path in (ROOT / package).rglob("*.py"):
            for key in STATIC.findall(path.read_text()):
                if "." in key and key not in known:
                    missing.append(f"{path.relative_to(ROOT)}: {key}")
    assert missing == []


def test_every_dynamic_key_exists() -> None:
    known = all_messages()
    missing = [
        prefix + value
        for prefix, values in DYNAMIC.items()
        for value in values
        if prefix + value not in known
    ]
    assert missing == []


def test_translated_triage_reasons_name_real_rules() -> None:
    from content.triage.lexicon import lexicon

    rules = {rule.key for rule in lexicon().rules}
    translated = [k for k in all_messages() if k.startswith("languages.") and ".reason." in k]
    assert translated
    assert [k for k in translated if k.rsplit(".", 1)[1] not in rules] == []


def test_upload_errors_have_messages() -> None:
    known = all_messages()
    for key in (
        "empty_file",
        "binary_file",
        "unknown_format",
        "bad_values",
        "abundance_over_100",
        "too_many_samples",
        "zip_bomb",
        "corrupt_archive",
        "malformed_hdf5",
        "metadata_only",
        "malformed_file",
        "analysis_failed",
        "generic",
    ):
        assert f"upload.error.{key}" in known
