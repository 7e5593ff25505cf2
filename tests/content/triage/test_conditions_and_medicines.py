"""Patient facts change tiers: pregnancy, diabetes and SGLT2 drugs, IBD, immunosuppression, blood thinners."""

from __future__ import annotations

import pytest

from content.triage import UserFacts, triage


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("im diabetic, been vomiting for 2 days and now im confused", "dka_risk"),
        (
            "Diabetic on dapagliflozin and metformin. Got a tummy bug yesterday, sick 4 times",
            "dka_risk",
        ),
        ("6 weeks pregnant with pain on one side and some spotting", "ectopic_risk"),
        (
            "my girlfriend is 5 weeks pregnant and just doubled over with pain on her right side",
            "ectopic_risk",
        ),
        ("on chemo for breast cancer, last cycle was 9 days ago. temp is 38.4", "chemo_fever"),
        (
            "UC for 6 years. This flare: 9 bloody trips to the loo today, temp 38.2, my watch says heart rate 112",
            "severe_colitis",
        ),
        (
            "I have UC and I am going 8 times a day with blood, temp 38.3, heart rate 104",
            "severe_colitis",
        ),
    ],
)
def test_emergencies(message: str, reason: str) -> None:
    result = triage(message)
    assert result.level == "emergency"
    assert reason in result.reasons


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (
            "i'm on infliximab for UC and have a temp of 38.3 with a bad cough and loose stools",
            "immunosuppressed_fever",
        ),
        ("fever of 38.5 while on infliximab", "immunosuppressed_fever"),
        (
            "Had a kidney transplant 2 yrs ago, on tacrolimus. diarrhoea 72 hours now and temperature 38",
            "immunosuppressed_fever",
        ),
        (
            "ulcerative colitis flare, blood in every stool, about 5 a day now (up from 2). pulse normal, no temp",
            "ibd_flare",
        ),
        (
            "On methotrexate for RA. My mouth is full of ulcers and I've had diarrhoea since Tuesday",
            "drug_toxicity_risk",
        ),
        (
            "on lithium, been sick with d&v since the day before yesterday and my hands are a bit shaky",
            "drug_toxicity_risk",
        ),
    ],
)
def test_urgent(message: str, reason: str) -> None:
    result = triage(message)
    assert result.level == "urgent"
    assert reason in result.reasons


def test_profile_conditions_count_for_the_user_not_for_others() -> None:
    chemo = UserFacts(conditions=frozenset({"chemo"}))
    assert triage("I have a fever", chemo).level == "emergency"
    assert triage("I have a fever").level == "routine"
    assert triage("my son has a fever of 38", chemo).level == "routine"


def test_finished_chemo_long_ago_is_not_current() -> None:
    result = triage("fever 39 and diarrhoea for 4 days. finished chemo 8 months ago")
    assert result.level == "urgent"
    assert "chemo_fever" not in result.reasons


def test_prediabetes_question_is_routine() -> None:
    assert triage("I'm prediabetic, will eating more fibre help my blood sugar?").level == "routine"
