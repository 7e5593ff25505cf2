"""Check-in answers run through the same rules as typed messages."""

from __future__ import annotations

from content.messages import text
from content.triage import CheckinAnswers, UserFacts, triage, triage_checkin


def test_fever_with_watery_frequent_stools_gets_same_day_advice() -> None:
    result = triage_checkin(CheckinAnswers(stool_form=7, bowel_movements=5, fever=True))
    assert result.level == "urgent"
    assert "fever with frequent diarrhoea" in result.message
    typed = triage("I have a fever and watery diarrhoea 5 times a day")
    assert typed.level == result.level


def test_blood_with_loose_stool_is_bloody_diarrhoea() -> None:
    assert "bloody_diarrhoea" in triage_checkin(CheckinAnswers(stool_form=6, blood=True)).reasons
    assert triage_checkin(CheckinAnswers(stool_form=4, blood=True)).level == "see_doctor"


def test_black_and_tarry_is_an_emergency() -> None:
    assert triage_checkin(CheckinAnswers(black=True)).level == "emergency"


def test_loose_days_in_a_row_count_as_diarrhoea_for_days() -> None:
    assert triage_checkin(CheckinAnswers(stool_form=7, bowel_movements=5)).level == "routine"
    result = triage_checkin(CheckinAnswers(stool_form=7, bowel_movements=5, loose_days_before=2))
    assert result.level == "urgent"


def test_fever_alone_gets_a_note_and_the_profile_counts() -> None:
    alone = triage_checkin(CheckinAnswers(fever=True))
    assert alone.level == "routine"
    assert "checkin_fever" in alone.notes
    chemo = triage_checkin(CheckinAnswers(fever=True), UserFacts(conditions=frozenset({"chemo"})))
    assert chemo.level == "emergency"


def test_the_note_is_triaged_too() -> None:
    result = triage_checkin(CheckinAnswers(stool_form=4, note="chest pain going into my arm"))
    assert result.level == "emergency"


def test_advice_from_tapped_answers_says_answers_not_mention() -> None:
    result = triage_checkin(CheckinAnswers(blood=True, stool_form=7, bowel_movements=6))
    first_reason = result.message.split("\n\n")[1]
    assert first_reason.startswith(text("triage.answered", reason="", why="").split(" ")[0])
    assert "you mention" not in result.message
    assert (
        text("triage.lower", reasons="").split(":")[0] not in result.message
    )  # no repeat of blood
