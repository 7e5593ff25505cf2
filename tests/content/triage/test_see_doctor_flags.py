"""NICE NG12 and CG61, Rome IV: see a doctor within about two weeks."""

from __future__ import annotations

import pytest

from content.triage import UserFacts, triage


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (
            "lost about 6kg in 3 months without trying, plus bloating and loose poo. 44M",
            "weight_loss",
        ),
        ("Lost half a stone since Christmas without trying, plus stomach aches. 47", "weight_loss"),
        ("lost weight (not dieting) and my tummy hurts", "weight_loss"),
        ("she's not growing much and has lost weight", "weight_loss"),
        ("bloods show iron deficiency anaemia, ferritin 6. I'm a 65 year old man", "anaemia"),
        (
            "bloods back: ferritin 8, haemoglobin 102. I'm a 30yo woman with heavy periods",
            "anaemia",
        ),
        ("stool test from my GP says faecal calprotectin 180. what is that", "raised_calprotectin"),
        ("GP did a FIT, positive, I'm booked for a colonoscopy in 10 days", "positive_fit"),
        (
            "im sixty three and my bowels have been looser and more frequent since around easter, so about 2 months",
            "bowel_change_over_60",
        ),
        ("70F, bowels looser for 3 months", "bowel_change_over_60"),
        ("my mother (71) has new constipation since the spring", "new_symptoms_over_50"),
        ("female 56, bloated every day for weeks", "persistent_bloating_over_50"),
        (
            "Food keeps getting stuck halfway down my chest, happening more over the last month. 57M",
            "dysphagia",
        ),
        (
            "found a lump on the right side of my tummy that doesn't go away. doesn't hurt",
            "abdominal_mass",
        ),
        (
            "I wake up at 3am most nights needing to rush to the toilet with diarrhoea",
            "nocturnal_symptoms",
        ),
        (
            "family history of bowel cancer (dad at 48). my stools have been looser for 6 weeks. I'm 33",
            "family_history",
        ),
        (
            "poo is pale, greasy, floats and stinks, really hard to flush, and I've lost weight",
            "steatorrhoea",
        ),
        (
            "diarrhoea for about 8 weeks now, 3-4 times a day. not getting worse but not stopping either. 35F",
            "chronic_diarrhoea",
        ),
    ],
)
def test_see_doctor(message: str, reason: str) -> None:
    result = triage(message)
    assert result.level == "see_doctor"
    assert reason in result.reasons


def test_age_thresholds_use_the_profile() -> None:
    # Under six weeks the age decides; from six weeks a doctor should look at any age.
    message = "my bowels changed, more constipated for 4 weeks"
    assert triage(message, UserFacts(age_band="60-69")).level == "see_doctor"
    assert triage(message, UserFacts(age_band="30-39")).level == "routine"
    assert triage("recently started getting bloating", UserFacts(age=54)).level == "see_doctor"
    assert (
        "persistent_bloating_over_50"
        in triage("bloated every day for weeks", UserFacts(age=56, sex="female")).reasons
    )


def test_intended_weight_loss_is_not_a_red_flag() -> None:
    assert triage("lost 5kg on a diet, feeling great, which fibre is best?").level == "routine"
    assert triage("lost 5 kg and I wasn't trying to lose weight").level == "see_doctor"


def test_family_history_without_symptoms_is_routine() -> None:
    message = (
        "I'm healthy, no symptoms, but my dad had bowel cancer at 72. anything I can do diet-wise?"
    )
    assert triage(message).level == "routine"


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (
            "feel sick most mornings for about 6 weeks, not pregnant, 34",
            "persistent_symptoms_weeks",
        ),
        (
            "got my bowel screening kit result back, letter says abnormal, they want a colonoscopy",
            "positive_fit",
        ),
        (
            "my dad has lynch syndrome, the genetics nurse said the rest of us should be tested",
            "hereditary_bowel_cancer",
        ),
        ("bread sometimes catches halfway down, i wash it down with water", "dysphagia"),
        (
            "convinced i have bowel cancer, i google it every night and its taking over my life",
            "low_mood",
        ),
    ],
)
def test_see_a_doctor_said_indirectly(message: str, reason: str) -> None:
    result = triage(message)
    assert result.level != "routine"
    assert reason in result.reasons


def test_long_known_ibs_unchanged_is_not_sent_to_the_doctor() -> None:
    result = triage("IBS-M since my teens, bloated most days as always, nothing's changed. 30")
    assert "persistent_symptoms_weeks" not in result.reasons
