"""The semantic safety net raises a tier where no expression matched."""

from __future__ import annotations

import pytest

from content.triage import semantic
from content.triage.engine import assess
from content.triage.semantic import THRESHOLDS, clauses, load_exemplars, nearest, safety_net


def test_every_exemplar_names_a_rule() -> None:
    pairs = load_exemplars()
    assert len(pairs) >= 80
    assert {rule.tier for rule, _ in pairs} == {"emergency", "urgent", "see_doctor"}


def test_negated_hypothetical_and_pet_clauses_are_not_compared() -> None:
    assert clauses("i have no chest pain at all") == []
    assert clauses("what would it mean if my poo went black") == []
    assert clauses("my dog is vomiting blood everywhere") == []
    assert clauses("i feel like an elephant is sitting on my chest") != []


def test_a_close_paraphrase_raises_the_tier() -> None:
    if semantic.bank() is None:
        pytest.skip("no embedding model installed")
    message = "feels like an elephant is sitting on me and I'm sweating like mad"
    assessment = assess(message)
    before = assessment.level
    safety_net(assessment, {tier: 0.5 for tier in THRESHOLDS}, margin=0.0)
    assert before == "routine"
    assert assessment.level == "emergency"
    assert any(f.via == "semantic" for f in assessment.fired)


def test_nearest_returns_a_similarity_per_clause() -> None:
    if semantic.bank() is None:
        pytest.skip("no embedding model installed")
    found = nearest(["i am throwing up blood", "what is a prebiotic"])
    assert found[0][1].key == "haematemesis"
    assert found[0][2] > found[1][2]
    assert found[0][2] - found[0][3] > found[1][2] - found[1][3]
