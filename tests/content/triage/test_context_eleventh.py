"""Cases told the ways the blind development set gg told them: appendicitis in a child told by what
hurts when he moves, laxative misuse with the heart skipping, blood in a baby's nappy, a hernia
that goes back in, gallstone pain after fatty food, and plain questions that only look alarming.

Written here by hand; the tiers come from the sources named in ``content/triage/concepts.toml``
(NHS appendicitis, blood in poo, hernia, gallstones and poisoning pages; MEED; NICE NG12).
"""

from __future__ import annotations

import pytest

from content.triage import triage

LEVELS = ("emergency", "urgent", "see_doctor", "routine")


@pytest.mark.parametrize(
    ("message", "tier"),
    [
        (
            "my 9 year old's tummy hurts low on the right, he's been sick and it hurts when he coughs",
            "emergency",
        ),
        ("she won't hop because her belly hurts too much, temp 38.5 since lunch", "emergency"),
        (
            "taking 30 laxatives a day to stay thin and now my heart keeps skipping and I feel faint",
            "emergency",
        ),
        ("my 4 month old has streaks of blood in her nappy today, otherwise happy", "urgent"),
        (
            "there's a lump in my groin that comes out when I lift things and disappears lying down",
            "see_doctor",
        ),
        (
            "pain under my right ribs after fried food, keeps coming back and lasts hours",
            "see_doctor",
        ),
        ("home bowel test kit says blood detected, I'm 35 and feel fine", "see_doctor"),
        ("it's like pooing broken glass and I'm in tears on the toilet every time", "urgent"),
    ],
)
def test_cases_told_every_way(message: str, tier: str) -> None:
    got = triage(message).level
    assert LEVELS.index(got) <= LEVELS.index(tier), (message, got)


@pytest.mark.parametrize(
    "message",
    [
        "my knee hurts when I walk, could my gut bacteria be causing inflammation?",
        "the sweetcorn test took 40 hours to come through, is that slow?",
        "how do I brew water kefir without poisoning myself?",
        "going to Thailand in May, how can I cut my chances of getting the runs?",
        "red bits in my baby's nappy but she had tomato soup yesterday, she's fine",
        "since having my baby I get a little blood on the paper when constipated, any fibre tips?",
    ],
)
def test_questions_that_only_look_alarming(message: str) -> None:
    assert triage(message).level not in ("emergency", "urgent"), message


def test_a_person_named_before_a_pet_is_who_the_symptoms_are_about() -> None:
    message = (
        "my dad is 67 and walks the dog twice a day. for 3 months he's been going five times a day, "
        "looser than ever"
    )
    assert LEVELS.index(triage(message).level) <= LEVELS.index("see_doctor")
