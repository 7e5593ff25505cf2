"""When feeling better does not settle it, when "if" stops at "but", and numbers people paste.

Written here by hand, in the ways the blind development set cc told such cases; the tiers come
from the clinical sources named in ``content/triage/concepts.toml`` (NHS 'get help now' table,
NICE CG61, IBS-SSS and PHQ-4 cut-offs).
"""

from __future__ import annotations

import pytest

from content.triage import quantities, scores, triage
from content.triage.normalise import normalise

#: An emergency an hour ago is still one: "I feel fine now" says nothing of when it happened.
STILL_EMERGENCIES = [
    ("threw up a load of fresh blood after dinner, I feel ok now though", "haematemesis"),
    ("passed about a mugful of blood, no poo with it, feel alright now", "heavy_rectal_bleeding"),
    ("my lips swelled up after the satay, used my pen and I'm better now", "anaphylaxis"),
]


@pytest.mark.parametrize(("message", "reason"), STILL_EMERGENCIES)
def test_feeling_better_does_not_settle_an_undated_emergency(message: str, reason: str) -> None:
    result = triage(message)
    assert result.level == "emergency"
    assert reason in result.reasons


#: Dated, or seen to by a doctor: a history, not today's emergency.
SETTLED = [
    "vomited blood once 3 years ago, it was an ulcer, all fine now. Is kefir good for the gut?",
    "in 2019 I passed a lot of blood, had a colonoscopy which was clear, fine since. fibre tips?",
    "had bloody diarrhoea years ago (salmonella in 2015), fully recovered, now want to know how "
    "to avoid food poisoning abroad",
]


@pytest.mark.parametrize("message", SETTLED)
def test_a_dated_or_checked_story_stays_in_the_past(message: str) -> None:
    assert triage(message).level not in ("emergency", "urgent")


#: "if" reaches no further than "but", and doubting what a symptom is poses no case.
NOT_HYPOTHETICAL = [
    (
        "not sure if this is the right place but my throat is closing up after eating nuts",
        "anaphylaxis",
    ),
    (
        "no idea whether it's related but I can't breathe properly and my lips are blue",
        "breathing_difficulty",
    ),
]


@pytest.mark.parametrize(("message", "reason"), NOT_HYPOTHETICAL)
def test_doubt_and_but_end_a_hypothetical(message: str, reason: str) -> None:
    result = triage(message)
    assert result.level == "emergency" and reason in result.reasons


@pytest.mark.parametrize(
    "message",
    [
        "if I ever threw up blood what should I do? right now I'm fine, just asking",
        "what if someone vomits blood, do they need A&E? I'm totally fine right now",
    ],
)
def test_a_real_hypothetical_with_the_writer_fine_now_does_not_alarm(message: str) -> None:
    assert triage(message).level not in ("emergency", "urgent")


def test_a_red_drink_explains_red_sick_unless_blood_is_said() -> None:
    colour = "my son had a red ice lolly then was sick in the car, the sick was bright red"
    result = triage(colour)
    assert result.level not in ("emergency", "urgent")
    assert "lookalike_beetroot" in result.notes
    said = colour + ", my wife says it looks like blood though"
    assert triage(said).level == "emergency"


@pytest.mark.parametrize(
    ("message", "days"),
    [
        ("d&v for 3/7", [3.0]),
        ("loose stools 2/52 now", [14.0]),
        ("abdo pain x 4/7", [4.0]),
        ("clinic on 3/12/2026", []),  # a date
        ("seen on 5/7", []),  # a date
    ],
)
def test_clinical_shorthand_durations(message: str, days: list[float]) -> None:
    assert quantities.durations(normalise(message).text) == days


def test_a_stomach_bug_told_in_shorthand_is_as_long_as_in_words() -> None:
    assert (
        triage("tummy bug 4/7 now and no better").level
        == triage("tummy bug for 4 days now and no better").level
    )


@pytest.mark.parametrize(
    ("message", "rise"),
    [
        ("ibs-sss went 160 -> 250 this month", 90),
        ("my ibs-sss score went from 200 to 310", 110),
        ("ibs-sss is 300 now, was 180 in spring", 120),
        ("ibs-sss dropped from 300 to 210", 0),
        ("ibs-sss 210", 0),
    ],
)
def test_ibs_sss_rises_are_read_from_the_numbers(message: str, rise: int) -> None:
    assert scores.ibs_sss_rise(normalise(message).text) == rise


def test_a_meaningful_ibs_sss_rise_is_worth_a_gp_visit() -> None:
    result = triage("IBS-SSS went from 140 to 240 in three weeks, nothing changed in my diet")
    assert result.level == "see_doctor" and "ibs_sss_worse" in result.reasons
    assert "ibs_sss_worse" not in triage("IBS-SSS went from 240 to 220").reasons


@pytest.mark.parametrize(
    ("message", "positive"),
    [
        ("phq-4: anxiety 4, depression 1", True),
        ("phq4 anxiety 1 depression 3", True),
        ("my phq-4 was anxiety 1, depression 2", False),
    ],
)
def test_either_half_of_the_phq4_screens_positive_at_three(message: str, positive: bool) -> None:
    assert scores.phq4_half_positive(normalise(message).text) is positive


@pytest.mark.parametrize(
    ("message", "tier", "reason"),
    [
        (
            "sharp pain low on one side came on within seconds, I'm clammy and white as a "
            "sheet, 8 weeks pregnant",
            "emergency",
            "pregnancy_pain_shock",
        ),
        (
            "kidney transplant, on tacrolimus, diarrhoea 5 times since this morning",
            "urgent",
            "immunosuppressed_frequent_diarrhoea",
        ),
        (
            "my 4 month old's last wet nappy was at 6am and it's nearly lunchtime, she's been sick",
            "urgent",
            None,
        ),
    ],
)
def test_the_patient_carries_the_weight(message: str, tier: str, reason: str | None) -> None:
    result = triage(message)
    assert result.level == tier
    if reason is not None:
        assert reason in result.reasons


def test_a_recent_wet_nappy_is_reassuring() -> None:
    assert triage(
        "baby is 3 months, last wet nappy was 20 minutes ago, is reflux normal?"
    ).level == ("routine")


@pytest.mark.parametrize(
    ("message", "tier"),
    [
        ("não consigo evacuar nem soltar gases há três dias e estou vomitando", "emergency"),
        ("o meu bebé tem sangue e muco tipo geleia na fralda e chora com dores", "emergency"),
    ],
)
def test_portuguese_obstruction_and_intussusception(message: str, tier: str) -> None:
    assert triage(message).level == tier


def test_a_longest_message_of_red_flag_words_is_triaged_in_well_under_a_second() -> None:
    # Telegram's longest text (4,096 characters) with no full stop, made of cue words: a
    # quadratic cue search here once took 41 s, holding every other user of the worker.
    import random
    import time

    words = (
        "blood black poo pain stomach since days not no never if my mum baby vomit fever 39 weeks"
    )
    rng = random.Random(1)
    message = " ".join(rng.choice([*words.split(), "ago", "fine now"]) for _ in range(900))[:4096]
    triage("warm up the models")
    start = time.perf_counter()
    triage(message)
    assert time.perf_counter() - start < 3.0
