"""Answers: accuracy held on the evaluation set, personalisation, scope, and safe wording."""

from __future__ import annotations

from datetime import datetime

import pytest

from analysis.model import Finding
from benchmarks.eval_content import baseline_accuracy, evaluate, load_rows
from content import AnswerContext, answer, answer_topic
from content.messages import text

# Measured 0.947 on 206 messages (BM25 with lay words alone: 0.922; plain BM25: 0.583).
# A drop below this fails the suite.
ACCURACY_FLOOR = 0.93


def test_accuracy_and_alarm_recall_hold() -> None:
    scores = evaluate()
    assert scores.n >= 150
    assert scores.topic_accuracy >= ACCURACY_FLOOR
    assert scores.emergency_recall == 1.0
    assert scores.urgent_recall == 1.0
    assert scores.lookalike_false_alarms == 0
    assert scores.topic_accuracy > baseline_accuracy() + 0.2


def _context() -> AnswerContext:
    finding = Finding(
        key="low_bifidobacterium",
        taxon="Bifidobacterium",
        value=0.002,
        percentile=12.0,
        direction="low",
        topics=["taxa.beneficial"],
        severity="info",
        detail="",
    )
    return AnswerContext(findings=[finding], report_date=datetime(2026, 3, 3), method="shotgun")


def test_personalised_with_numbers_and_dates() -> None:
    result = answer("my bifidobacterium is low, what does it mean", _context())
    assert result.topic == "taxa.beneficial"
    assert result.personalised
    assert "03 March 2026" in result.text and "0.2%" in result.text and "88%" in result.text
    plain = answer("my bifidobacterium is low, what does it mean")
    assert not plain.personalised
    assert "send it to me" in plain.text


def test_scope_greeting_and_did_you_mean() -> None:
    assert answer("what's the capital of france").topic is None
    assert "gut health" in answer("what's the capital of france").text
    assert answer("hi").text.startswith("Hello")
    unsure = answer("bacteria")
    assert unsure.topic is None or unsure.topic
    assert answer_topic("scfa.butyrate").citations


@pytest.mark.parametrize("with_context", [False, True])
def test_no_answer_diagnoses_or_doses(with_context: bool) -> None:
    forbidden = (
        "you have ibs",
        "you have sibo",
        "you have dysbiosis",
        "you have candida",
        "you are suffering",
        "stop taking",
        " mg ",
    )
    context = _context() if with_context else None
    for row in load_rows():
        text = answer(str(row["text"]), context).text.lower()
        for phrase in forbidden:
            assert phrase not in text, (row["text"], phrase)


@pytest.mark.parametrize(
    ("message", "part"),
    [
        ("my knee hurts when I run, what should I do", "knee"),
        ("how do I get rid of a migraine", "migraine"),
        ("I have a sore throat and a cough", "sore throat"),
    ],
)
def test_another_part_of_the_body_gets_a_scope_reply(message: str, part: str) -> None:
    from content import answer

    result = answer(message, None)
    assert result.triage.level == "routine"
    assert result.topic is None
    assert result.text == text("questions.scope_elsewhere", part=part)


@pytest.mark.parametrize(
    "message",
    [
        "migraine and nausea after eating cheese",
        "can probiotics help my acne",
        "my stomach hurts and I have a headache",
    ],
)
def test_a_gut_word_keeps_a_message_in_scope(message: str) -> None:
    from content import answer

    assert answer(message, None).topic is not None
