"""Curated content: topics, triage, retrieval and answers (pure: data in, data out)."""

from content.answer import Answer, AnswerContext, answer, answer_topic
from content.evidence import evidence_label
from content.topics import (
    all_topics,
    areas,
    citations_text,
    get_topic,
    helps_for_findings,
    long_text,
    meaning_for_finding,
    topics_for_finding,
    topics_in_area,
)
from content.triage import Triage, UserFacts, triage

__all__ = [
    "Answer",
    "AnswerContext",
    "Triage",
    "UserFacts",
    "all_topics",
    "answer",
    "answer_topic",
    "areas",
    "citations_text",
    "evidence_label",
    "get_topic",
    "helps_for_findings",
    "long_text",
    "meaning_for_finding",
    "topics_for_finding",
    "topics_in_area",
    "triage",
]
