"""Shared by the content benchmark and its accuracy test: score answers on the evaluation set."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from content.answer import answer
from content.retrieval import Retriever
from content.topics import all_topics

SAFETY_TOPIC = "safety.when_to_see_doctor"
EVAL = Path(__file__).resolve().parents[1] / "tests" / "data" / "eval_messages.jsonl"


@dataclass
class Scores:
    topic_accuracy: float
    emergency_recall: float
    urgent_recall: float
    lookalike_false_alarms: int
    n: int


def load_rows() -> list[dict[str, object]]:
    """The evaluation messages."""
    return [json.loads(line) for line in EVAL.read_text().splitlines() if line.strip()]


def evaluate() -> Scores:
    """Accuracy of ``content.answer`` on the evaluation set."""
    rows = load_rows()
    correct = 0
    recall = {"emergency": [0, 0], "urgent": [0, 0]}
    false_alarms = 0
    for row in rows:
        result = answer(str(row["text"]))
        expected = list(row["topics"])  # type: ignore[call-overload]
        alarm_only = set(expected) <= {SAFETY_TOPIC} and result.triage.level != "routine"
        if (
            (not expected and result.topic is None and not result.suggestions)
            or result.topic in expected
            # An emergency is answered by its triage message alone; an alarm with no other
            # question needs no topic after the triage message.
            or (row["triage"] == "emergency" and result.triage.level == "emergency")
            or (alarm_only and result.topic is None)
            # After the triage message, the rest of an alarm message is answered: a symptom
            # topic is a right answer to "lost weight and have stomach pain".
            or (
                SAFETY_TOPIC in expected
                and result.triage.level != "routine"
                and str(result.topic).startswith("symptoms.")
            )
        ):
            correct += 1
        level = str(row["triage"])
        if level in recall:
            recall[level][1] += 1
            rank = ("emergency", "urgent", "see_doctor", "routine")
            if rank.index(result.triage.level) <= rank.index(level):
                recall[level][0] += 1
        if level in ("routine", "see_doctor") and result.triage.level == "emergency":
            false_alarms += 1
    return Scores(
        topic_accuracy=correct / len(rows),
        emergency_recall=recall["emergency"][0] / max(1, recall["emergency"][1]),
        urgent_recall=recall["urgent"][0] / max(1, recall["urgent"][1]),
        lookalike_false_alarms=false_alarms,
        n=len(rows),
    )


def answer_latency(texts: list[str], rounds: int) -> tuple[float, float]:
    """Median and p99 milliseconds of ``content.answer`` over ``texts``, after a warm-up."""
    import statistics
    import time

    for text in texts[:20]:
        answer(text)
    times = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            answer(text)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


def baseline_accuracy() -> float:
    """Plain BM25 over title, short and long text: the top topic, no thresholds, no expansion."""
    plain = Retriever(all_topics(), expand=False)
    rows = load_rows()
    correct = 0
    for row in rows:
        ranked = plain.rank(str(row["text"]), limit=1)
        top = ranked[0].topic_id if ranked else None
        expected = list(row["topics"])  # type: ignore[call-overload]
        if (not expected and top is None) or top in expected:
            correct += 1
    return correct / len(rows)
