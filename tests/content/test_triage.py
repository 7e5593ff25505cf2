"""Triage: alarm symptoms, negation, past events, lookalikes, ages."""

from __future__ import annotations

import pytest

from content.triage import UserFacts, age_from_text, triage


@pytest.mark.parametrize(
    ("message", "level", "reason"),
    [
        ("I've been throwing up blood", "emergency", "vomiting_blood"),
        ("sick that looks like coffee grounds", "emergency", "vomiting_blood"),
        ("my poop is black and tarry", "emergency", "black_tarry_stool"),
        ("sudden severe stomach pain", "emergency", "severe_pain"),
        ("i can't pass wind and keep vomiting", "emergency", "obstruction"),
        ("I passed out this morning", "emergency", "fainting"),
        ("i want to end my life", "emergency", "self_harm"),
        ("bloody diarrhoea and a fever", "urgent", "bloody_diarrhoea_fever"),
        ("temperature 39.8", "urgent", "high_fever"),
        ("can't keep fluids down", "urgent", "dehydration"),
        ("diarrhea for 5 days", "urgent", "diarrhoea_over_2_days"),
        ("diarrhoea since starting amoxicillin", "urgent", "diarrhoea_after_antibiotics"),
        ("lost 4 kilos without trying", "see_doctor", "weight_loss"),
        ("blood on the tissue when I wipe", "see_doctor", "rectal_bleeding"),
        ("I'm anaemic", "see_doctor", "anaemia"),
        ("pain wakes me up at night", "see_doctor", "nocturnal"),
        ("my sister has crohn's and i have new cramps", "see_doctor", "family_history"),
    ],
)
def test_alarm_rules(message: str, level: str, reason: str) -> None:
    result = triage(message)
    assert result.level == level
    assert reason in result.reasons
    assert result.message


@pytest.mark.parametrize(
    "message",
    [
        "no blood in my stool",
        "I never vomited blood",
        "there was no black stool",
        "no fever at all",
        "without any weight loss",
    ],
)
def test_negation(message: str) -> None:
    assert triage(message).level == "routine"


def test_past_events_are_not_emergencies_now() -> None:
    result = triage("I had black tarry stool years ago")
    assert result.level == "see_doctor"


def test_lookalikes_are_explained_not_alarmed() -> None:
    beet = triage("my poo is red after beetroot")
    assert beet.level == "routine"
    assert "beetroot" in beet.message.lower()
    iron = triage("black stool since starting iron tablets")
    assert iron.level == "see_doctor"
    assert "iron" in iron.message.lower()
    tarry = triage("black tarry sticky stool even though i take iron tablets")
    assert tarry.level == "emergency"


def test_age_and_sex_from_the_profile_and_the_text() -> None:
    assert age_from_text("I'm 63 and worried") == 63
    assert (
        triage("my bowels changed, looser for 3 months", UserFacts(age_band="60-69")).level
        == "see_doctor"
    )
    assert (
        triage("my bowels changed, looser for 3 months", UserFacts(age_band="30-39")).level
        == "routine"
    )
    assert triage("recently started getting bloating", UserFacts(age=54)).level == "see_doctor"
    persistent = triage("bloated every day for weeks", UserFacts(age=56, sex="female"))
    assert "persistent_bloating_50" in persistent.reasons
    assert triage("I'm 70 and have had new cramps lately").level == "see_doctor"


def test_higher_tier_wins() -> None:
    result = triage("lost weight and now vomiting blood")
    assert result.level == "emergency"
    assert set(result.reasons) >= {"vomiting_blood", "weight_loss"}
