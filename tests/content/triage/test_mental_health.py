"""Self-harm and suicidal thoughts get the crisis reply; eating-disorder risk gets support."""

from __future__ import annotations

import pytest

from content.messages import text
from content.triage import triage


@pytest.mark.parametrize(
    "message",
    [
        "i dont want to be alive anymore. 8 years of IBS and nothing works. i have a plan",
        "Been cutting myself again because of how disgusting my body feels with all the bloating",
        "I've been self-harming to cope with the IBS pain. last night I took 20 of my amitriptyline",
        "work is awful, I've been saying goodbye to people in my head and I've sorted out who gets my stuff. is lactose free milk low FODMAP?",
        "i want to end my life",
        "thanks for all the help with my IBS. I've sorted my affairs out so I won't need the app after tonight.",
        "I took 30 of my sertraline earlier",
    ],
)
def test_crisis_reply_not_the_tummy_text(message: str) -> None:
    result = triage(message)
    assert result.level == "emergency"
    assert "self_harm" in result.reasons
    assert result.message.startswith(text("triage.crisis"))
    assert "tummy" not in result.message.lower()


@pytest.mark.parametrize(
    "message",
    [
        "this bloating is literally killing me lol, what foods cause the most gas",
        "my IBS is killing me this week with all the stress at work",
        "I nearly died laughing at the FODMAP app's names",
    ],
)
def test_figures_of_speech_do_not_alarm(message: str) -> None:
    assert triage(message).level == "routine"


def test_eating_disorder_risk() -> None:
    result = triage("I diet a lot and sometimes make myself sick when my stomach feels too full")
    assert result.level == "see_doctor"
    assert "eating_disorder_risk" in result.reasons


@pytest.mark.parametrize(
    "message",
    [
        "Took two ibuprofen last week for a headache. Could that affect my gut bacteria?",
        "took 2 paracetamol for my cramps",
        # A count of stools is not a count of tablets.
        "on flucloxacillin for a skin infection, had two loose poos today, feel fine otherwise",
    ],
)
def test_ordinary_doses_are_not_an_overdose(message: str) -> None:
    assert "self_harm" not in triage(message).reasons


@pytest.mark.parametrize(
    "message", ["I took 30 of my amitriptyline", "took all my tablets an hour ago"]
)
def test_an_overdose_is_a_crisis(message: str) -> None:
    assert triage(message).message.startswith(text("triage.crisis"))


@pytest.mark.parametrize(
    "message",
    [
        "dont bother sending me the 4 week plan tbh. I won't be around to try it",
        "ngl i wanna kms. my stomach hurts literally every day",
        "I have about 60 co-codamol saved up. I'm not saying I'm going to use them",
        "Pills lined up on the kitchen table. Just wanted to tell someone",
        "is it possible to od on omeprazole? i have 3 boxes and im honestly thinking about it",
        "If I don't wake up tomorrow at least the bloating stops.",
        "My microbiome test came back awful. I've made my mind up. Tonight.",
        "my friend texted 'thanks for everything, look after my dog'. she's been saying she's done",
        "every time I get a flare I burn my arm on the hob. did it 20 mins ago",
        "I took like 20 citalopram earlier and I'm worried about mixing it with buscopan",
    ],
)
def test_suicidal_thoughts_said_indirectly_are_emergencies(message: str) -> None:
    result = triage(message)
    assert result.level == "emergency"
    assert "self_harm" in result.reasons


@pytest.mark.parametrize(
    "message",
    [
        "I self-harmed as a teenager, had DBT and haven't done it in over 12 years. GP wants to "
        "start me on amitriptyline for IBS",
        "I had an overdose when I was 19, got proper treatment and I'm doing really well now",
        "I'd rather die than eat another plain rice cake. any tasty low fodmap snacks?",
        "overdosed on easter chocolate lol, is it the fat or the lactose?",
        "if i have to drink one more kefir ill shoot myself haha",
    ],
)
def test_a_recovered_past_or_a_figure_of_speech_is_not_a_crisis(message: str) -> None:
    assert triage(message).level != "emergency"


def test_a_recovered_past_that_is_back_is_a_crisis() -> None:
    message = "self-harmed as a teen, 5 years clean, but I cut again last night"
    assert triage(message).level == "emergency"


def test_purging_with_a_slow_pulse_is_urgent() -> None:
    message = (
        "throwing up after dinner to get rid of the bloat, my watch says resting heart rate 42"
    )
    assert triage(message).level == "urgent"
