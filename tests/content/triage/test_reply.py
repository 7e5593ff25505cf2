"""What the user reads: the tier's title, the specific reason, what to do and how soon."""

from __future__ import annotations

from content.messages import text
from content.triage import triage


def test_an_emergency_names_its_reason_and_what_to_do() -> None:
    result = triage("crushing pain in my chest spreading to my left arm")
    assert result.message.startswith(text("triage.emergency.title"))
    assert "chest pain" in result.message
    assert text("triage.emergency.action") in result.message


def test_see_a_doctor_is_its_own_message_not_the_emergency_page() -> None:
    result = triage("I've lost 6kg in 3 months without trying")
    assert result.level == "see_doctor"
    assert result.message.startswith(text("triage.see_doctor.title"))
    assert "losing weight without trying" in result.message
    assert text("triage.emergency.action") not in result.message


def test_lower_tier_reasons_are_mentioned_after_the_action() -> None:
    result = triage("lost weight without trying and now I'm vomiting blood")
    assert result.level == "emergency"
    assert result.reasons[0] == "haematemesis"
    assert "weight_loss" in result.reasons
    assert result.message.index("vomiting blood") < result.message.index("losing weight")
