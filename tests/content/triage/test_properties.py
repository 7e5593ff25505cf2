"""Properties: a negation never raises the tier; an alarm clause added to a routine message does."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.triage import LEVELS, triage

EXAMPLES = int(os.environ.get("GUTBOT_FUZZ_EXAMPLES", "40"))
PROPERTY = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# (alarm clause, the same clause denied)
ALARMS = [
    ("I am vomiting blood", "I am not vomiting blood"),
    ("my poo is black and tarry", "my poo is not black and tarry"),
    ("I have blood in my stool", "I have no blood in my stool"),
    ("I can't keep fluids down", "I can keep fluids down fine, no vomiting"),
    ("I have a fever of 39.5", "I have no fever"),
    ("I fainted this morning", "I haven't fainted"),
    ("I have chest pain going down my arm", "no chest pain"),
    ("I have lost weight without trying", "I haven't lost any weight"),
    ("there is blood in my diarrhoea", "there is no blood in my diarrhoea"),
]
ROUTINE = [
    "what is a prebiotic?",
    "does kefir help with bloating",
    "I get a bit gassy after lentils",
    "which probiotic is best after antibiotics",
    "is coffee good for gut bacteria",
    "my IBS flares when I'm stressed",
]
JOINS = [". ", ", also ", "! ", ". by the way ", " and "]


@PROPERTY
@given(st.sampled_from(ALARMS), st.sampled_from(ROUTINE), st.sampled_from(JOINS))
def test_denying_an_alarm_never_raises_the_tier(
    alarm: tuple[str, str], routine: str, join: str
) -> None:
    affirmed, denied = alarm
    stated = triage(f"{routine}{join}{affirmed}")
    negated = triage(f"{routine}{join}{denied}")
    assert LEVELS.index(negated.level) >= LEVELS.index(stated.level)


@PROPERTY
@given(st.sampled_from(ALARMS), st.sampled_from(ROUTINE), st.sampled_from(JOINS))
def test_adding_an_alarm_raises_a_routine_message(
    alarm: tuple[str, str], routine: str, join: str
) -> None:
    assert triage(routine).level == "routine"
    alone = triage(alarm[0])
    combined = triage(f"{routine}{join}{alarm[0]}")
    assert alone.level != "routine"
    assert LEVELS.index(combined.level) <= LEVELS.index(alone.level)
