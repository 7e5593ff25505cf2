"""Poisoning, a rash that does not fade, DKA signs, a dark stoma and trouble after a procedure."""

from __future__ import annotations

import pytest

from content.triage import triage


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (
            "my 2 year old got into my handbag and ate some of my loperamide, now shes really drowsy",
            "poisoning_unwell",
        ),
        (
            "mum took too many of her heart tablets by mistake and her pulse is really low",
            "poisoning_unwell",
        ),
        (
            "dad took his methotrexate every day instead of once a week, now mouth ulcers and diarrhoea",
            "poisoning_unwell",
        ),
        (
            "we ate mushrooms we picked in the woods and 8 hours later were both vomiting",
            "poisoning_unwell",
        ),
        (
            "fever 39 and she has purple spots on her tummy that dont fade when i press a glass on them",
            "non_blanching_rash",
        ),
        (
            "hes 12, always thirsty drinking loads and weeing constantly, now vomiting and his breath"
            " smells like pear drops",
            "dka_signs",
        ),
        ("my colostomy has gone a dusky purple colour since this morning", "stoma_colour"),
        (
            "had a colonoscopy this morning with 2 polyps removed, pain is getting worse and im swollen",
            "post_op_complication",
        ),
    ],
)
def test_emergencies_name_their_reason(message: str, reason: str) -> None:
    result = triage(message)
    assert result.level == "emergency"
    assert reason in result.reasons


def test_a_child_who_swallowed_medicines_but_seems_well_is_urgent() -> None:
    result = triage("my son swallowed two of my iron tablets, he seems completely fine")
    assert result.level in ("urgent", "emergency")
    assert "poisoning" in result.reasons


def test_swallowing_that_gets_worse_is_urgent_not_routine() -> None:
    result = triage("food sticks in my throat, getting worse every week, now even soup")
    assert result.level == "urgent"
    assert "dysphagia_progressive" in result.reasons


@pytest.mark.parametrize(
    "message",
    [
        "had a bag of mixed nuts and now im bloated, is that normal?",
        "after eating nuts I get gassy, any tips",
    ],
)
def test_nuts_as_food_are_not_testicles(message: str) -> None:
    assert "testicular_pain" not in triage(message).reasons


def test_holding_the_chest_and_barely_breathing_is_an_emergency() -> None:
    result = triage("my husband is grey, holding his chest and barely breathing")
    assert result.level == "emergency"
    assert "breathing_difficulty" in result.reasons or "chest_pain" in result.reasons


@pytest.mark.parametrize(
    "message",
    [
        "sometimes i think itd be easier not to wake up. im not going to do anything",
        "my son (15) told me he wishes he wasnt here because of his stomach and school",
        "also been having thoughts about ending things this week, nothing planned",
    ],
)
def test_passive_suicidal_thoughts_get_the_crisis_reply(message: str) -> None:
    assert "self_harm" in triage(message).reasons


@pytest.mark.parametrize(
    "message",
    [
        "going to india next month, how do i avoid travellers diarrhoea",
        "writing a thriller where a character vomits coffee grounds, what would paramedics ask",
        "would it be better not to wake up early for the colonoscopy prep?",
        "took too much magnesium and had the runs for a day, fine now",
    ],
)
def test_plans_stories_and_settled_upsets_do_not_alarm(message: str) -> None:
    assert triage(message).level not in ("urgent", "emergency")


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("a fish bone is stuck in my throat since dinner, it scratches every time", "stuck_object"),
        ("the peritoneal dialysis bag came out cloudy this morning, tummy sore", "pd_peritonitis"),
        ("my dad (79) is suddenly muddled since yesterday and off his food", "older_new_confusion"),
        (
            "she takes laxatives to lose weight and now she is dizzy with palpitations",
            "eating_disorder_danger",
        ),
    ],
)
def test_same_day_problems_are_urgent(message: str, reason: str) -> None:
    result = triage(message)
    assert result.level in ("urgent", "emergency")
    assert reason in result.reasons


@pytest.mark.parametrize(
    "message",
    [
        "my stomach is screaming at me after a massive sunday roast, any tips",
        "overdosed on easter eggs haha, stomach a bit grumbly",
        "mood much better on sertraline, no thoughts of harming myself or anything, just curious",
        "beetroot juice before my run and now my pee is pink",
        "took activated charcoal for gas and now everything coming out is black, no pain",
    ],
)
def test_figures_of_speech_denials_and_lookalikes_do_not_alarm(message: str) -> None:
    assert triage(message).level not in ("urgent", "emergency")


@pytest.mark.parametrize(
    ("message", "level", "reason"),
    [
        (
            "3 yo vomiting and hot, now some purple spots on her legs that don't go when I press a glass on them",
            "emergency",
            "non_blanching_rash",
        ),
        (
            "10 day old brought up milk earlier and it was the colour of a highlighter pen, like neon green",
            "emergency",
            "infant_bilious_vomiting",
        ),
        (
            "born yesterday, she's been sick dark green twice and her tummy looks rounder",
            "emergency",
            "infant_bilious_vomiting",
        ),
        (
            "type 2 diabetic, throbbing swelling next to my back passage for 2 days, red and hot, getting bigger",
            "urgent",
            "perianal_abscess_lump",
        ),
        (
            "found my 2 year old with grandma's pill organiser open, some are missing. he's vomited and is very sleepy",
            "emergency",
            "poisoning_unwell",
        ),
        (
            "steak stuck since dinner. I'm spitting my saliva into a bowl because nothing will go down, not even water",
            "emergency",
            "food_bolus",
        ),
    ],
)
def test_flags_told_in_everyday_words(message: str, level: str, reason: str) -> None:
    result = triage(message)
    assert result.level == level and reason in result.reasons
