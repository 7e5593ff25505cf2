"""Self-harm and suicidal thoughts get the crisis reply; eating-disorder risk gets support."""

from __future__ import annotations

import pytest

from content.messages import text
from content.triage import triage


@pytest.mark.parametrize(
    "message",
    [
        "i dont want to be alive anymore. 8 years of IBS and nothing works. i have a plan",
        "Been cutting myself again because of how disgusting my body feels with all the bloating",
        "I've been self-harming to cope with the IBS pain. last night I took 20 of my amitriptyline",
        "work is awful, I've been saying goodbye to people in my head and I've sorted out who gets my stuff. is lactose free milk low FODMAP?",
        "i want to end my life",
    ],
)
def test_crisis_reply_not_the_tummy_text(message: str) -> None:
    result = triage(message)
    assert result.level == "emergency"
    assert "self_harm" in result.reasons
    assert result.message.startswith(text("triage.crisis"))
    assert "tummy" not in result.message.lower()


@pytest.mark.parametrize(
    "message",
    [
        "this bloating is literally killing me lol, what foods cause the most gas",
        "my IBS is killing me this week with all the stress at work",
        "I nearly died laughing at the FODMAP app's names",
    ],
)
def test_figures_of_speech_do_not_alarm(message: str) -> None:
    assert triage(message).level == "routine"


def test_eating_disorder_risk() -> None:
    result = triage("I diet a lot and sometimes make myself sick when my stomach feels too full")
    assert result.level == "see_doctor"
    assert "eating_disorder_risk" in result.reasons


@pytest.mark.parametrize(
    "message",
    [
        "Took two ibuprofen last week for a headache. Could that affect my gut bacteria?",
        "took 2 paracetamol for my cramps",
    ],
)
def test_ordinary_doses_are_not_an_overdose(message: str) -> None:
    assert "self_harm" not in triage(message).reasons


@pytest.mark.parametrize(
    "message", ["I took 30 of my amitriptyline", "took all my tablets an hour ago"]
)
def test_an_overdose_is_a_crisis(message: str) -> None:
    assert triage(message).message.startswith(text("triage.crisis"))
