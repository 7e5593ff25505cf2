"""Negation with its real scope, past events, hypotheticals, pets and harmless lookalikes."""

from __future__ import annotations

from pathlib import Path

import pytest

from content.triage import triage


@pytest.mark.parametrize(
    "message",
    [
        "no blood, no fever, just diarrhoea since this morning",
        "no blood, no fever, no weight loss, just a bit bloated after pasta. 30M",
        "not vomiting, no blood, no pain, temp normal. I just get a bit of reflux with spicy food",
        "bit of mucus in my poo occasionally, no blood. diagnosed IBS 4 years ago",
        "there was no black stool",
        "I never vomited blood",
    ],
)
def test_denied_symptoms_do_not_alarm(message: str) -> None:
    assert triage(message).level == "routine"


def test_negation_does_not_reach_past_its_clause() -> None:
    assert (
        triage("not vomiting but the pain is unbearable and came on suddenly").level == "emergency"
    )
    assert triage("no fever, but I can't keep water down").level == "urgent"


@pytest.mark.parametrize(
    "message",
    [
        "5 years ago I had rectal bleeding, colonoscopy was clear apart from piles, haven't bled since",
        "I threw up blood 10 years ago from a Mallory-Weiss tear after a stag do. scoped, fine ever since",
        "Two years ago I had C diff after antibiotics, fidaxomicin sorted it, all clear since",
    ],
)
def test_resolved_past_events_are_routine(message: str) -> None:
    assert triage(message).level == "routine"


def test_a_past_event_that_is_back_counts_again() -> None:
    assert triage("I had rectal bleeding 5 years ago and it's started again").level != "routine"
    assert triage("I had black tarry stool years ago").level == "see_doctor"


@pytest.mark.parametrize(
    "message",
    [
        "what would black stool mean?",
        "If someone vomited blood, would that be a 999 thing? writing a first aid quiz for my scout group",
        "hypothetically, if my FIT came back positive, what happens next?",
    ],
)
def test_hypothetical_questions_are_routine(message: str) -> None:
    assert triage(message).level == "routine"


@pytest.mark.parametrize(
    "message",
    [
        "My dog has had bloody diarrhoea since yesterday, what should I feed him?",
        "our cat keeps vomiting blood, vet is closed",
    ],
)
def test_pets_are_not_triaged_as_people(message: str) -> None:
    assert triage(message).level == "routine"


@pytest.mark.parametrize(
    ("message", "note"),
    [
        ("red poo after beetroot", "lookalike_beetroot"),
        (
            "my kid ate a whole tray of red velvet cupcakes and now his poo is bright red",
            "lookalike_beetroot",
        ),
        ("black poo since starting iron tablets", "lookalike_iron"),
        (
            "took pepto bismol for a dodgy stomach and now my tongue AND my poo are black lol",
            "lookalike_iron",
        ),
        (
            "started ferrous sulphate last week and my poo's gone dark greeny-black",
            "lookalike_iron",
        ),
    ],
)
def test_lookalikes_are_explained_not_alarmed(message: str, note: str) -> None:
    result = triage(message)
    assert result.level == "routine"
    assert note in result.notes
    assert result.message


def test_a_lookalike_never_hides_tarry_stool_or_faintness() -> None:
    assert triage("black tarry sticky stool even though i take iron tablets").level == "emergency"
    assert triage("black poo on iron tablets and I nearly fainted").level == "emergency"


def test_the_negation_terms_are_data_and_a_broken_file_names_itself(tmp_path: Path) -> None:
    from content.messages import ContentError
    from content.triage.context import _negation_terms

    terms = _negation_terms()
    assert "cant" in terms["preceding_drop"] and "без" in terms["preceding"]
    broken = tmp_path / "negation_terms.toml"
    broken.write_text('preceding = ["no"]\n', encoding="utf-8")
    with pytest.raises(ContentError, match=r"negation_terms\.toml"):
        _negation_terms(broken)
