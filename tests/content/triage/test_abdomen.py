"""Severe pain, peritonism, obstruction, hernia, trauma and complications after surgery."""

from __future__ import annotations

import pytest

from content.triage import triage


@pytest.mark.parametrize(
    "message",
    [
        "sudden agonising pain in my stomach came on about an hour ago, cant stand up straight, sweating buckets",
        "tummy is rock hard and it hurts if i even press on it lightly, started this afternoon. 41f",
        "Hi, 34M. Pain started round my belly button last night and has moved down to the lower right. Hurts way more when I cough",
        "My belly hurts so badly I can't move at all, lying completely still is the only thing that helps",
        "havent had a poo or passed any wind for 4 days, belly is massive and tight and ive been sick 3 times today",
        "haven't pooped or farted in 3 days and keep being sick",
        "My stoma hasn't put anything out for 12 hours and I've been sick twice, crampy pains",
        "vomiting and bad pain in my groin where my hernia is, it's gone hard and red and won't push back in",
        "my husband fell off a ladder, hit his side on the way down and now his belly is swelling up and he's going pale",
        "Had my gallbladder out (keyhole) 4 days ago. Pain's getting worse not better, belly swollen and hard, temp 38.9",
        "excruciating cramps came on suddenly an hour ago",
    ],
)
def test_emergencies(message: str) -> None:
    assert triage(message).level == "emergency"


@pytest.mark.parametrize(
    "message",
    [
        "crampy lower tummy after big meals, goes after an hour or so. what causes that?",
        "stitch in my side when I run. is that a gut thing?",
        "why does my stomach hurt after eating really spicy food",
        "new baby = zero sleep = terrible tummy. are those related",
    ],
)
def test_everyday_pain_is_routine(message: str) -> None:
    assert triage(message).level == "routine"


def test_not_tender_is_not_peritonism() -> None:
    result = triage(
        "temp 103 and my stomach hurts all over but it's not tender when I press, diarrhea too. 19yo"
    )
    assert result.level == "urgent"
    assert "peritonism" not in result.reasons
