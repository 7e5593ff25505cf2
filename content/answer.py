"""Answering a message: triage first, then the best topic, personalised with the user's data."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

from analysis.model import Finding
from content.evidence import evidence_label
from content.messages import ContentError, text
from content.retrieval import default_retriever
from content.topics import Topic, get_topic
from content.triage import Triage, UserFacts, triage

#: Below this BM25 score (or too close a second place) we offer topics instead of guessing.
CONFIDENT_SCORE = 6.0
CLEAR_MARGIN = 1.0
#: Below this, nothing in the message is about gut health.
OUT_OF_SCOPE = 2.5
GREETING = re.compile(
    r"^\s*(hi|hello|hey|hiya|good (morning|afternoon|evening)|thanks?( you)?|thank you|cheers|ok(ay)?|yo)\b[\s!.,]*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AnswerContext:
    """What the user's own data says (all optional)."""

    findings: list[Finding] = field(default_factory=list)
    report_date: datetime | None = None
    method: str | None = None
    shannon: float | None = None
    shannon_percentile: float | None = None
    mean_bloating: float | None = None
    mean_pain: float | None = None
    bristol_types: list[int] = field(default_factory=list)
    user: UserFacts | None = None


@dataclass(frozen=True)
class Answer:
    """The reply to one message."""

    topic: str | None
    triage: Triage
    text: str
    citations: list[str]
    related: list[str]
    personalised: bool
    suggestions: list[str] = field(default_factory=list)
    confidence: float = 0.0


def _pct(value: float) -> str:
    return f"{value * 100:.2g}%" if value < 0.01 else f"{value * 100:.1f}%"


def personal_lines(topic: Topic, context: AnswerContext | None) -> list[str]:
    """What this user's data shows for this topic (empty when nothing bears on it)."""
    if context is None or context.report_date is None:
        return []
    when = context.report_date.strftime("%d %B %Y")
    lines = []
    for finding in context.findings:
        if finding.key not in topic.findings:
            continue
        if finding.direction == "present" or finding.percentile is None:
            where = text("questions.personal.present")
        elif finding.direction == "low":
            where = text("questions.personal.lower", share=f"{100 - finding.percentile:.0f}")
        else:
            where = text("questions.personal.higher", share=f"{finding.percentile:.0f}")
        lines.append(
            text(
                "questions.personal.finding",
                date=when,
                taxon=finding.taxon,
                value=_pct(finding.value),
                where=where,
                meaning=topic.finding_meaning.get(finding.key, ""),
            ).strip()
        )
    if lines:
        lines.append(text("questions.personal.unknown"))
    return lines


def _symptom_line(topic: Topic, context: AnswerContext | None) -> list[str]:
    if context is None or topic.area != "symptoms":
        return []
    parts = []
    if context.mean_bloating is not None:
        parts.append(text("questions.personal.bloating", value=f"{context.mean_bloating:.1f}"))
    if context.mean_pain is not None:
        parts.append(text("questions.personal.pain", value=f"{context.mean_pain:.1f}"))
    return [text("questions.personal.symptoms", items=", ".join(parts))] if parts else []


def compose(topic: Topic, context: AnswerContext | None) -> tuple[str, bool]:
    """The answer text for a topic and whether it was personalised."""
    personal = personal_lines(topic, context) + _symptom_line(topic, context)
    order = ["guideline", "randomised_trial", "human_association", "animal_mechanism"]
    levels = [p.evidence for p in topic.key_points]
    strongest = min(levels, key=order.index)
    weakest = max(levels, key=order.index)
    body = [f"{topic.title}", "", topic.short.strip()]
    if personal:
        body += ["", text("questions.personal.title"), *personal]
    elif (context is None or context.report_date is None) and topic.findings:
        body += ["", text("questions.invite_upload")]
    body += [
        "",
        text("questions.evidence_note_one", level=evidence_label(strongest))
        if strongest == weakest
        else text(
            "questions.evidence_note",
            level=evidence_label(strongest),
            weakest=evidence_label(weakest),
        ),
        text("questions.more_hint"),
    ]
    return "\n".join(body), bool(personal)


def answer_topic(topic_id: str, context: AnswerContext | None = None) -> Answer:
    """The answer for a topic chosen directly (a button), without triage of free text."""
    topic = get_topic(topic_id)
    body, personalised = compose(topic, context)
    return Answer(
        topic=topic.id,
        triage=Triage("routine"),
        text=body,
        citations=[c.formatted() for c in topic.citations],
        related=list(topic.related),
        personalised=personalised,
        confidence=1.0,
    )


SCOPE_FILE = Path(__file__).with_name("data") / "scope_words.toml"


@cache
def _scope_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    def pattern(words: list[str]) -> re.Pattern[str]:
        parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
        return re.compile(r"\b(?:" + "|".join(parts) + r")\b")

    try:
        data = tomllib.loads(SCOPE_FILE.read_text(encoding="utf-8"))
        return pattern(data["elsewhere"]), pattern(data["gut"])
    except (OSError, tomllib.TOMLDecodeError, KeyError) as exc:
        raise ContentError(f"{SCOPE_FILE.name}: {exc}") from exc


def elsewhere_in_body(message: str) -> str | None:
    """The part of the body a message is about when it is not the gut (None: it may be)."""
    elsewhere, gut = _scope_patterns()
    lowered = message.lower()
    found = elsewhere.search(lowered)
    if found is None or gut.search(lowered):
        return None
    return found.group(0)


def answer(message: str, context: AnswerContext | None = None) -> Answer:
    """Triage, then answer: a topic, topic suggestions, or a short scope reply.

    The triage message is separate (``Answer.triage.message``): it goes first for every tier above
    routine; an emergency stops there. Otherwise the rest of the question is still answered. A
    message in another language gets its reply in that language (the triage module writes it),
    because topics are in English only.
    """
    facts = context.user if context is not None else None
    result = triage(message, facts)
    if result.language != "en":
        reply = result.message if result.level == "routine" else ""
        return Answer(None, result, reply, [], [], False)
    if GREETING.match(message):
        return Answer(None, result, text("questions.greeting"), [], [], False)
    if result.level == "emergency":
        return Answer(None, result, "", [], [], False)
    part = elsewhere_in_body(message)
    if part is not None and result.level == "routine":
        return Answer(None, result, text("questions.scope_elsewhere", part=part), [], [], False)
    ranked = default_retriever().rank(message, limit=3)
    if not ranked or ranked[0].score < OUT_OF_SCOPE:
        reply = (
            text("questions.scope") if result.level == "routine" else text("questions.alarm_only")
        )
        return Answer(None, result, reply, [], [], False)
    top = ranked[0]
    second = ranked[1].score if len(ranked) > 1 else 0.0
    confidence = top.score / (top.score + second) if top.score + second > 0 else 0.0
    if top.score < CONFIDENT_SCORE or (second and top.score / second < CLEAR_MARGIN):
        suggestions = [m.topic_id for m in ranked]
        return Answer(
            None, result, text("questions.did_you_mean"), [], [], False, suggestions, confidence
        )
    topic = get_topic(top.topic_id)
    body, personalised = compose(topic, context)
    return Answer(
        topic=topic.id,
        triage=result,
        text=body,
        citations=[c.formatted() for c in topic.citations],
        related=list(topic.related),
        personalised=personalised,
        confidence=confidence,
    )
