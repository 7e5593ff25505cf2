"""Cases told the ways the blind development set ff told them: tablets laid out, a known aneurysm,
a carer who finds a neighbour on the floor, PHQ-4 answers as four numbers, reflux that pharmacy
medicines do not help; and near misses that only sound alarming (a curry "to die for", a word
from an old hospital letter, days without diarrhoea, German "vom Arzt").

Written here by hand; the tiers come from the sources named in ``content/triage/concepts.toml``
(NHS crisis, AAA, heartburn and bowel cancer pages, NICE NG12, PHQ-4).
"""

from __future__ import annotations

import pytest

from content.triage import scores, triage
from content.triage.normalise import normalise

LEVELS = ("emergency", "urgent", "see_doctor", "routine")


@pytest.mark.parametrize(
    ("message", "tier"),
    [
        (
            "fed up with everything. thinking about taking the whole packet of co-codamol",
            "emergency",
        ),
        ("ive put all my tablets out on the bed and im going to take them all", "emergency"),
        (
            "my husband has an aortic aneurysm they're watching and now his back really hurts",
            "emergency",
        ),
        ("mum's gone grey and clammy, pain going through to her back", "emergency"),
        ("found my uncle on the bathroom floor, says his tummy hurts", "emergency"),
        ("heavy chest for half an hour after dinner, im 58", "emergency"),
        ("black sticky mess in his pants this morning and he's dizzy", "emergency"),
        ("phq-4 answers: 1, 2, 3, 3", "see_doctor"),
        ("my phq4 came to 9/12", "see_doctor"),
        ("really thin ribbon-like poo for 4 weeks now", "see_doctor"),
        ("ferritin always low even though I take iron, male, 50", "see_doctor"),
        ("reflux every day for a month, 34", "see_doctor"),
        ("heartburn most nights, the omeprazole from the chemist isn't helping", "see_doctor"),
        ("IBS-like symptoms for a year but never diagnosed, no blood", "see_doctor"),
        ("мне 55, последние полгода постоянно запоры, раньше такого не было", "see_doctor"),
    ],
)
def test_cases_told_every_way(message: str, tier: str) -> None:
    got = triage(message).level
    assert LEVELS.index(got) <= LEVELS.index(tier), (message, got)


@pytest.mark.parametrize(
    "message",
    [
        "so sick of this bloating and everything that comes with it, any diet tips?",
        "laughed so hard at the vet's story I thought I was going to die. anyway, is kefir good?",
        "what does steatorrhoea mean?",
        "mum's old hospital notes from 2001 mention melaena, what is that?",
        "my friend said black poo always means cancer, is that true?",
        "no diarrhoea for 4 days now after the bug, what should she eat to get her strength back?",
        "reflux well controlled on lansoprazole for years, does it affect my gut bacteria?",
        "my bowel screening kit came back normal, no further tests needed. when is the next one?",
        "Ich habe die Tabletten vom Arzt bekommen, alles gut, wie lange soll ich sie nehmen?",
    ],
)
def test_near_misses_stay_below_urgent(message: str) -> None:
    assert triage(message).level not in ("emergency", "urgent"), message


@pytest.mark.parametrize(
    ("message", "positive"),
    [
        ("phq-4: 2, 2, 0, 0", True),
        ("phq-4 answers were 1, 1, 1, 1", False),
        ("my phq 4 total was 7", True),
        ("phq-4 scored 5", False),
    ],
)
def test_the_phq4_read_from_four_answers_or_a_total(message: str, positive: bool) -> None:
    assert scores.phq4_half_positive(normalise(message).text) is positive


def test_a_medical_word_asked_about_then_a_stool_described_is_still_an_emergency() -> None:
    assert triage("what is melaena? I've had black tarry poo since this morning").level == (
        "emergency"
    )
