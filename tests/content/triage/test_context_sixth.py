"""The patient's context carries the weight: a condition, a medicine, an age or a pregnancy.

The messages are written here by hand in the ways people told such cases in the blind development
sets; each tier and reason comes from the clinical sources named in ``content/triage/concepts.toml``.
"""

from __future__ import annotations

import pytest

from content.triage import triage


@pytest.mark.parametrize(
    ("message", "level", "reason"),
    [
        (
            "I had my spleen removed after a car crash years ago and now I have a temp of 38.4",
            "emergency",
            "asplenia_fever",
        ),
        ("no spleen since 2015, shivering and shaking tonight", "emergency", "asplenia_fever"),
        (
            "I have sickle cell and my tummy has been hurting since this morning",
            "urgent",
            "sickle_cell_pain",
        ),
        (
            "on azathioprine for crohns and my throat is really sore, bit feverish",
            "urgent",
            "low_white_cells_risk",
        ),
        (
            "I have Addison's and have had diarrhoea four times today",
            "urgent",
            "adrenal_sick_day",
        ),
        (
            "pain started round my belly button last night and has moved down to the right side",
            "urgent",
            "migrating_pain",
        ),
        (
            "gallstones known, this attack has gone on 9 hours and I keep being sick",
            "urgent",
            "gallstone_pain_prolonged",
        ),
        (
            "terrible pain in the top of my stomach going straight through to my back and I keep vomiting",
            "emergency",
            "pancreatitis_pattern",
        ),
        (
            "my 3 year old got into my iron tablets, a few are missing",
            "emergency",
            "child_dangerous_medicine",
        ),
        (
            "my 6 week old is not feeding and seems floppy",
            "emergency",
            "infant_poor_feeding_unwell",
        ),
        (
            "toddler aged 18 months, dry nappies all day and his eyes look sunken",
            "emergency",
            "infant_dehydration_signs",
        ),
        (
            "I've been taking 2 paracetamol every 2 hours for 3 days for my tooth",
            "emergency",
            "paracetamol_overuse",
        ),
        ("I'm 20 weeks pregnant and it burns when I wee", "urgent", "pregnancy_uti"),
        (
            "my stoma looks swollen and there is much less in the bag than usual, crampy",
            "urgent",
            "stoma_trouble",
        ),
    ],
)
def test_context_changes_the_tier(message: str, level: str, reason: str) -> None:
    result = triage(message)
    assert result.level == level, (result.level, result.reasons)
    assert reason in result.reasons


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        # A newborn's first black sticky stool is meconium, not a bleed.
        (
            "baby born yesterday, her first nappy was black and sticky like tar, is that meconium?",
            "melaena",
        ),
        # One or two loose stools after an antibiotic are common and settle.
        (
            "finished amoxicillin on Friday and had two loose poos today, otherwise fine",
            "c_diff_risk",
        ),
        # Gallstones known, pain gone after an hour, eating normally: not a same-day problem.
        (
            "I have gallstones, had a twinge after dinner for an hour, gone now",
            "gallstone_pain_prolonged",
        ),
        # A baby feeding well is not a baby who is not feeding.
        (
            "my 5 week old has been a bit windy but is feeding fine and has wet nappies",
            "infant_poor_feeding_unwell",
        ),
        # Having had the spleen out does not make a cold without a fever an emergency.
        ("I had my spleen out years ago, is it ok to take probiotics?", "asplenia_fever"),
    ],
)
def test_context_alone_raises_nothing(message: str, reason: str) -> None:
    result = triage(message)
    assert reason not in result.reasons
    assert result.level in ("routine", "see_doctor"), (result.level, result.reasons)
