"""Random text never breaks triage or answering (nightly-sized with GUTBOT_FUZZ_EXAMPLES)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content import answer, triage
from content.triage import LEVELS, UserFacts

EXAMPLES = int(os.environ.get("GUTBOT_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORDS = st.sampled_from(
    [
        "blood",
        "black",
        "stool",
        "poo",
        "no",
        "not",
        "never",
        "vomit",
        "fever",
        "39.5",
        "pain",
        "severe",
        "beetroot",
        "iron",
        "tablets",
        "years ago",
        "I'm 64",
        "weight",
        "lost",
        "diarrhoea",
        "for 3 days",
        "antibiotics",
        "kill myself",
        "faint",
        "bloated",
        "?",
        ",",
        ".",
        "but",
        "tummy",
        "night",
    ]
)


@FUZZ
@given(st.text(max_size=400))
def test_random_text(message: str) -> None:
    result = triage(message)
    assert result.level in LEVELS
    assert answer(message).triage.level in LEVELS


@FUZZ
@given(st.lists(WORDS, max_size=25), st.integers(0, 110), st.sampled_from([None, "female", "male"]))
def test_symptom_word_salad(words: list[str], age: int, sex: str | None) -> None:
    message = " ".join(words)
    result = triage(message, UserFacts(age=age, sex=sex))
    assert result.level in LEVELS
    if result.level != "routine":
        assert result.message
