"""Chest pain, breathing difficulty, anaphylaxis, collapse, sepsis."""

from __future__ import annotations

import pytest

from content.triage import triage


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (
            "crushing feeling in the middle of my chest spreading up into my jaw. thought it was indigestion",
            "chest_pain",
        ),
        (
            "I have crushing chest pain spreading to my left arm, anyway which probiotic is best for bloating?",
            "chest_pain",
        ),
        ("can't breathe, lips a bit blue", "breathing_difficulty"),
        (
            "Post-op day 2 after a bowel resection, I feel short of breath and my left calf is swollen",
            "breathing_difficulty",
        ),
        (
            "ate a satay skewer and now my lips and throat are swelling up and its getting hard to breathe",
            "anaphylaxis",
        ),
        ("mum's 79 and she just collapsed in the bathroom", "collapse"),
        (
            "im 6 wks pregnant, bleeding and cramping really bad on one side, fainted at work",
            "collapse",
        ),
        (
            "my partner (30) is shaking uncontrollably, 40.1, diarrhoea, confused and breathing fast",
            "sepsis_signs",
        ),
    ],
)
def test_emergencies(message: str, reason: str) -> None:
    result = triage(message)
    assert result.level == "emergency"
    assert reason in result.reasons


def test_a_resolved_chest_pain_visit_is_not_an_emergency() -> None:
    message = "went to A&E last month with chest pain, ECG and bloods all fine, they said it was reflux. what foods help reflux?"
    assert triage(message).level == "routine"


def test_reflux_burning_is_not_chest_pain() -> None:
    assert triage("burning in my throat after spicy food, what helps reflux").level == "routine"


def test_a_heart_attack_felt_between_the_shoulder_blades_is_an_emergency() -> None:
    result = triage(
        "woman, 67, diabetic: for an hour a strange pain between my shoulder blades and in the"
        " upper belly, I feel sick and have a cold sweat"
    )
    assert result.level == "emergency"
    assert "cardiac_atypical" in result.reasons


def test_an_asthma_attack_the_inhaler_does_not_touch_is_an_emergency() -> None:
    result = triage("asthma attack, used my ventolin 4 times and it isnt helping, cant say 3 words")
    assert result.level == "emergency"
    assert "breathing_difficulty" in result.reasons


def test_a_young_person_sweating_after_the_gym_is_not_a_heart_attack() -> None:
    assert triage(
        "cold sweat after the gym and a sore upper belly from the shake, im 25"
    ).level in (
        "routine",
        "see_doctor",
    )
