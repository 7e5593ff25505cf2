"""Dehydration, vomiting and diarrhoea that go on, babies and children."""

from __future__ import annotations

import pytest

from content.triage import triage


@pytest.mark.parametrize(
    "message",
    [
        "can't keep water down",
        "cant even keep water down",
        "can't keep even water down since 8 this morning, keep throwing up, now its 9pm",
        "so thirsty, mouth like sandpaper, barely weed today and what came out was dark brown. had gastro since the weekend",
        "had diarrhoea for 4 days now and its not getting any better, like 8 times a day",
        "diarrhoea 2 and a half days and not getting better",
        "My baby (9 months) hasn't had a wet nappy for over 3 hours and has had diarrhoea since last night",
        "my 8-month-old has had no wet nappy for 5 hours",
        "baby 5 months, fever 39.3, grizzly, diarrhoea",
        "our 4yo has had a tummy bug for three days, still vomiting, barely drunk anything today and he's so sleepy",
    ],
)
def test_urgent(message: str) -> None:
    assert triage(message).level == "urgent"


@pytest.mark.parametrize(
    "message",
    [
        "baby is 4 months, floppy and really hard to wake, been having diarrhoea all day",
        "my 3 week old is projectile vomiting and it's bright green, she won't feed",
        "my 2 year old keeps screaming and pulling his knees up, theres something like red jelly in his nappy",
        "5yo hasn't had a wee since yesterday. bloody diarrhoea for 5 days since we visited a petting farm",
    ],
)
def test_emergencies(message: str) -> None:
    assert triage(message).level == "emergency"


def test_a_childs_age_is_read_from_the_parent() -> None:
    result = triage("my 8 month old has a fever")
    assert result.level == "urgent"
    assert "infant_fever" in result.reasons


def test_diarrhoea_since_this_morning_is_not_urgent() -> None:
    assert triage("a bit of diarrhoea since this morning, otherwise fine").level == "routine"
