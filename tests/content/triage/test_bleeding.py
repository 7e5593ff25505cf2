"""GI bleeding: vomiting blood, black stool, heavy bleeding, bloody diarrhoea, rectal bleeding."""

from __future__ import annotations

import pytest

from content.triage import triage


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (
            "threw up this morning and it was full of dark bits like coffee grounds. feel really weak",
            "haematemesis",
        ),
        (
            "Mum (81) is on apixaban. Her sick has dark brown granules in it and her tummy hurts",
            "haematemesis",
        ),
        (
            "ok not to be dramatic but i just vomited about half a mug of dark red blood",
            "haematemesis",
        ),
        ("i keep vomitting blod", "haematemesis"),
        (
            "my dad's 74 and on warfarin, his poo has gone jet black and sticky like tar since yesterday",
            "melaena",
        ),
        (
            "Black sticky poo 3 times since last night. NOT on iron or pepto or anything like that",
            "melaena",
        ),
        (
            "pooing pure blood and clots every 20 min and i feel like im going to faint",
            "heavy_rectal_bleeding",
        ),
        (
            "hes 67 on rivaroxaban, passing maroon coloured blood, a lot of it",
            "heavy_rectal_bleeding",
        ),
    ],
)
def test_emergencies(message: str, reason: str) -> None:
    result = triage(message)
    assert result.level == "emergency"
    assert reason in result.reasons


@pytest.mark.parametrize(
    "message",
    [
        "bloody diarrhoea since this morning and a fever of 38.8",
        "blood mixed in with diarrhoea since yesterday, no fever. just back from a hiking trip",
        "bloody diarrhoea and a temp of 38.6",
        "on warfarin and there's been a bit of blood on the tissue after I go since last week",
    ],
)
def test_urgent(message: str) -> None:
    assert triage(message).level == "urgent"


@pytest.mark.parametrize(
    "message",
    [
        "noticed bright red blood on the loo roll a few times over the last fortnight, no pain. I'm 52",
        "no blood in the poo itself, but there's bright red on the paper most times I wipe, for about 3 weeks",
        "I had blood in my stool once, 2 weeks ago. I'm 53, otherwise fine",
        "blood streaks on my stool on and off for 3 weeks. I'm 38 and 20 weeks pregnant. probably piles?",
    ],
)
def test_rectal_bleeding_is_checked_within_two_weeks(message: str) -> None:
    result = triage(message)
    assert result.level == "see_doctor"
    assert "rectal_bleeding" in result.reasons
