"""Alarm-symptom triage, run before anything else on every message and every check-in.

Tiers follow CONTENT_SOURCES.md section 1: NHS "get help now" advice and IDSA/SHEA (emergency,
urgent), NICE NG12 and CG61 and Rome IV alarm features (see a doctor). The red flags are data
(``concepts.toml``); the engine (``engine``) reads them in context; the reply names the specific
reason, what to do and how soon. When unsure, the higher tier wins.
"""

from __future__ import annotations

from content.triage.checkin import CheckinAnswers, triage_checkin
from content.triage.engine import UserFacts
from content.triage.lexicon import LEVELS, Level
from content.triage.reply import Triage, age_from_text, triage


def warm_up() -> None:
    """Load the concept files, speller, NegEx pipeline, language models and exemplar bank now."""
    from content.triage.languages import warm_up as warm_languages
    from content.triage.semantic import bank

    triage("I have had tummy pain since yesterday, no blood.")
    warm_languages()
    bank()


__all__ = [
    "LEVELS",
    "CheckinAnswers",
    "Level",
    "Triage",
    "UserFacts",
    "age_from_text",
    "triage",
    "triage_checkin",
    "warm_up",
]
