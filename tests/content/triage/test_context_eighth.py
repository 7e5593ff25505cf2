"""The middle tiers told the ways the blind development set dd told them: abbreviations, item
scores, a belly "rock hard", a note left for the family, a trip that never quite ended.

Written here by hand; the tiers come from the sources named in ``content/triage/concepts.toml``
(NHS 'get help now' and D&V pages, NICE NG12 and CG122, BSG coeliac guidance, PHQ-4).
"""

from __future__ import annotations

import pytest

from content.triage import quantities, scores, triage
from content.triage.normalise import normalise

CASES = [
    # (message, tier it must reach at least)
    (
        "dad (79) says his belly is rock hard and it hurts so much he can't get out of his chair",
        "emergency",
    ),
    (
        "I've written a letter to my kids. do you know if my codeine would work quickly if I took it all",
        "emergency",
    ),
    ("day 4 of a bug and she's sick every time she drinks anything", "urgent"),
    ("on azathioprine for crohns, watery diarrhoea started yesterday", "urgent"),
    ("back from Egypt 2 weeks ago and had the runs on and off ever since, exhausted", "urgent"),
    (
        "FH of bowel ca (mum, 47). I'm 44 with new bloating, should I ask for anything?",
        "see_doctor",
    ),
    ("got a letter saying my FIT was abnormal, I'm 62, what happens next", "see_doctor"),
    ("waiting for a colonoscopy in April but there's more blood now than before", "see_doctor"),
    ("bright red blood mixed with mucus in my poo for 3 weeks, 31F", "see_doctor"),
    ("IBS for years but now I'm up twice a night with loose stools", "see_doctor"),
    ("tTG IgA came back at 85, GP said it's high, what now?", "see_doctor"),
    ("38 year old woman, bloated every day for 2 months and I've lost my appetite", "see_doctor"),
]
LEVELS = ("emergency", "urgent", "see_doctor", "routine")


@pytest.mark.parametrize(("message", "tier"), CASES)
def test_the_middle_tiers_told_every_way(message: str, tier: str) -> None:
    got = triage(message).level
    assert LEVELS.index(got) <= LEVELS.index(tier), (message, got)


@pytest.mark.parametrize(
    "message",
    [
        "does kefir help stop diarrhoea on antibiotics? starting a course next week",
        "a little blood mixed with mucus when I blow my nose since my cold, otherwise fine",
        "had norovirus 3 years ago, fine ever since, which probiotic is best for general health?",
        "22F, bloated after big meals sometimes, appetite is fine, any tips?",
    ],
)
def test_near_misses_stay_below_urgent(message: str) -> None:
    assert triage(message).level not in ("emergency", "urgent")


@pytest.mark.parametrize(
    ("message", "positive"),
    [
        ("phq-4: nervous 3, worrying 3, interest 2, down 2", True),
        ("phq4 items: nervous 1 worrying 1 interest 1 down 2", True),
        ("phq-4: nervous 1, worrying 1, interest 0, down 1", False),
    ],
)
def test_the_phq4_read_from_its_four_items(message: str, positive: bool) -> None:
    assert scores.phq4_half_positive(normalise(message).text) is positive


@pytest.mark.parametrize(
    ("message", "days"),
    [("diarrhoea for 2 days and a bit", 2.5), ("pain for three days and a half", 3.5)],
)
def test_a_bit_more_than_n_days(message: str, days: float) -> None:
    assert max(quantities.durations(normalise(message).text)) == days
