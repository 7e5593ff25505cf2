"""Emergencies told the ways the blind development set ee told them: a battery or a grandparent's
tablets in a toddler, a week's pill box taken at once, a belly "like nine months pregnant", a
carer who finds someone on the floor; and the questions that only sound alarming.

Written here by hand; the tiers come from the sources named in ``content/triage/concepts.toml``
(NHS poisoning and 'get help now' pages, TOXBASE, NHS intussusception, NICE NG51 sepsis).
"""

from __future__ import annotations

import pytest

from content.triage import quantities, triage
from content.triage.normalise import normalise

LEVELS = ("emergency", "urgent", "see_doctor", "routine")


@pytest.mark.parametrize(
    ("message", "tier"),
    [
        (
            "my 18 month old might have swallowed one of those flat round batteries from a remote",
            "emergency",
        ),
        (
            "toddler got into her grandad's pill box, a few tablets gone, she seems fine",
            "emergency",
        ),
        ("Il mio bambino di 3 anni ha preso delle compresse del nonno, non so quante", "emergency"),
        ("Mum took the whole week's dosette in one go this morning, she's muddled", "emergency"),
        ("been taking 8 paracetamol a day plus lemsip sachets on top for 4 days", "urgent"),
        (
            "my belly is swollen like I'm 9 months pregnant, rock hard and I can't stop being sick",
            "emergency",
        ),
        ("found my nan on the kitchen floor, she can't get up and is confused", "emergency"),
        (
            "my 10 month old keeps screaming every 15 minutes and pulling his legs up, then floppy "
            "in between, there was red jelly in his nappy",
            "emergency",
        ),
        ("on chemo, had my infusion last week, now shivering and feel really unwell", "emergency"),
        ("my sick has dark bits in it like coffee granules", "emergency"),
        ("every time he drinks he's sick, 2 days now, he's 4", "urgent"),
    ],
)
def test_emergencies_told_every_way(message: str, tier: str) -> None:
    got = triage(message).level
    assert LEVELS.index(got) <= LEVELS.index(tier), (message, got)


@pytest.mark.parametrize(
    "message",
    [
        "can stress cause blood in your poo? just curious, no symptoms",
        "what's the difference between a bowel obstruction and constipation?",
        "read it online: does ibuprofen cause stomach ulcers?",
        "started sertraline 3 weeks ago for anxiety and my stools are a bit looser, is that normal?",
        "I feel as big as if I were 9 months pregnant after Christmas dinner, any tips for bloating?",
    ],
)
def test_questions_that_only_sound_alarming(message: str) -> None:
    assert triage(message).level not in ("emergency", "urgent"), message


@pytest.mark.parametrize(
    ("message", "days"),
    [
        ("the diarrhoea started about 7 weeks ago", 49.0),
        ("it came on 3 days ago", 3.0),
        ("since 2 weeks ago", 14.0),
    ],
)
def test_a_start_given_as_ago(message: str, days: float) -> None:
    assert max(quantities.durations(normalise(message).text)) == days


@pytest.mark.parametrize(
    "message",
    ["started sertraline 2 weeks ago for anxiety", "started taking iron 3 weeks ago"],
)
def test_a_medicine_started_is_not_how_long_a_symptom_lasted(message: str) -> None:
    assert max(quantities.durations(normalise(message).text), default=0.0) == 0.0
