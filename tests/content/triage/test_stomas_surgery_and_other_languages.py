"""Stomas and weight-loss surgery, overflow, family history, weeks of sickness, and "no X but Y"
in the other languages (families from blind development set z, in new words)."""

from __future__ import annotations

import pytest

from content.triage import triage


@pytest.mark.parametrize(
    ("message", "level", "reason"),
    [
        (
            "my ileostomy has put nothing out since this morning and i have cramps",
            "urgent",
            "stoma_no_output",
        ),
        (
            "wife had a gastric sleeve 10 days ago, tummy pain getting bad and her pulse is 125",
            "emergency",
            "post_op_leak_signs",
        ),
        (
            "dad (84) hasnt had a proper poo for a week and now brown water keeps leaking out",
            "urgent",
            "overflow_constipation",
        ),
        (
            "my 17 year old has lost loads of weight this term and keeps feeling dizzy, pulse 44",
            "urgent",
            "restricting_danger",
        ),
        (
            "my mum had colon cancer at 45, should i get a colonoscopy? im 38 and fine",
            "see_doctor",
            "family_history_assessment",
        ),
        (
            "been nauseous nearly every day for the past 4 weeks, not pregnant",
            "see_doctor",
            "nausea_for_weeks",
        ),
        (
            "32 weeks and my hands and feet itch like mad at night",
            "urgent",
            "pregnancy_cholestasis_signs",
        ),
        (
            "kidney transplant 8 years ago, had diarrhoea for 2 days and a temp of 38.2",
            "urgent",
            None,
        ),
        (
            "he took a handful of his sertraline an hour ago and says hes fine",
            "emergency",
            "self_harm",
        ),
    ],
)
def test_new_families(message: str, level: str, reason: str | None) -> None:
    result = triage(message)
    # A stoma that stopped can be a blockage: urgent at least (emergency when it reads as one).
    assert result.level == level or (reason == "stoma_no_output" and result.level == "emergency")
    if reason is not None:
        assert reason in result.reasons


@pytest.mark.parametrize(
    "message",
    [
        "10 weeks pregnant, sick most mornings but keeping fluids down ok, any tips?",
        "my tummy is so bloated i look pregnant lol, any food tips?",
        "finished chemo 3 years ago, now I get a bit of bloating after beans",
    ],
)
def test_lookalikes_stay_routine(message: str) -> None:
    assert triage(message).level == "routine", triage(message).reasons


@pytest.mark.parametrize(
    "message",
    [
        "No tengo fiebre pero vomito sangre desde esta mañana",
        "Não tenho febre mas vomitei sangue",
        "Non ho febbre ma ho vomitato sangue",
        "Je n'ai pas de fièvre mais je vomis du sang",
        "Ich habe kein Fieber aber ich erbreche Blut",
        "У меня нет температуры, но меня рвёт кровью",
    ],
)
def test_a_denial_ends_at_but_in_every_language(message: str) -> None:
    assert triage(message).level == "emergency"


def test_a_denied_symptom_in_portuguese_stays_denied() -> None:
    message = "Tomo sulfato ferroso e as fezes ficaram pretas. Não sinto tontura nem dor, é normal?"
    assert triage(message).level != "emergency"


def test_rectal_bleeding_at_55_is_seen_even_when_called_piles_in_spanish() -> None:
    message = "Tengo 56 años y veo sangre en el papel cada día desde hace semanas. Son hemorroides?"
    assert triage(message).level == "see_doctor"
