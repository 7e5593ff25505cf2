"""Cases told the ways the blind development set hh told them: swallowed magnets, toxic shock, a
very young baby with a temperature who is not feeding, an older person too sleepy to drink,
self-harm told as coping, heartburn that came on climbing stairs; and jokes, dreams and sinks.

Written here by hand; the tiers come from the sources named in ``content/triage/concepts.toml``
(NHS swallowed objects, toxic shock, fever in children, dehydration and heart attack pages;
NICE NG143 and NG151).
"""

from __future__ import annotations

import pytest

from content.triage import triage

LEVELS = ("emergency", "urgent", "see_doctor", "routine")


@pytest.mark.parametrize(
    ("message", "tier"),
    [
        ("my son (2) might have swallowed some of his sister's magnetic beads", "emergency"),
        ("tampon in since this morning, now 39.5, vomiting and a red rash everywhere", "emergency"),
        ("5 week old, 38.4 and too sleepy to feed", "emergency"),
        (
            "my grandad is 84, vomiting since last night and now so drowsy he won't drink",
            "emergency",
        ),
        (
            "when the cramps get bad I cope by cutting, did it again and it's still bleeding",
            "emergency",
        ),
        ("heartburn came on walking up stairs, I'm 61 and it's been 20 minutes", "emergency"),
        ("on methotrexate, mouth ulcers, 38.6 and unsteady on my feet", "emergency"),
        ("i cant hold any water down since yesterday", "urgent"),
        ("my 7 week old has a temperature of 38.1 but is feeding fine", "urgent"),
        ("scope years ago found Barrett's oesophagus and I've never had a follow-up", "see_doctor"),
    ],
)
def test_cases_told_every_way(message: str, tier: str) -> None:
    got = triage(message).level
    assert LEVELS.index(got) <= LEVELS.index(tier), (message, got)


@pytest.mark.parametrize(
    "message",
    [
        "the coffee grounds keep blocking my sink, any tips? also is coffee bad for the gut?",
        "nearly had a heart attack of joy when my calprotectin came back normal! what now?",
        "dreamt I was vomiting blood last night lol, is that a reflux thing?",
        "taking activated charcoal for wind and my poo is black, normal?",
        "what's the best way to make rehydration drinks for the kids' tummy bug?",
        "my 8 month old has a streak of red in her nappy, she ate strawberries and beetroot",
    ],
)
def test_questions_that_only_look_alarming(message: str) -> None:
    assert triage(message).level not in ("emergency", "urgent"), message


def test_a_baby_with_a_temperature_who_is_well_is_urgent_not_an_emergency() -> None:
    assert triage("my 9 week old has 38.0, feeding and smiling").level == "urgent"
