"""What a user's own data says, for personalising an answer to their question."""

from __future__ import annotations

from typing import Any

from analysis.model import Finding
from bot.reports import load_report
from bot.services.profile import user_facts
from content import Answer, AnswerContext, answer_topic
from storage import Database, Session
from storage.database import commit_without_disk_wait
from storage.models import User
from storage.samples import list_samples
from storage.symptoms import recent_entries


async def answer_context(session: Session, user: User) -> AnswerContext:
    """What this user's own data says, for personalising an answer (consented users only)."""
    samples = await list_samples(session=session, user=user, limit=1)
    entries = await recent_entries(session=session, user=user, days=7)
    findings: list[Finding] = []
    report_date = None
    method = None
    shannon = None
    shannon_percentile = None
    if samples:
        latest = samples[0]
        report = load_report(latest.report)
        sample = report.samples[0]
        findings = list(sample.findings)
        report_date = latest.created_at
        method = report.method
        shannon = sample.alpha.shannon
        shannon_percentile = sample.percentiles.shannon
    bloating = [e.bloating for e in entries if e.bloating is not None]
    pain = [e.pain for e in entries if e.pain is not None]
    forms = [e.stool_form for e in entries if e.stool_form is not None]
    return AnswerContext(
        findings=findings,
        report_date=report_date,
        method=method,
        shannon=shannon,
        shannon_percentile=shannon_percentile,
        mean_bloating=sum(bloating) / len(bloating) if bloating else None,
        mean_pain=sum(pain) / len(pain) if pain else None,
        bristol_types=forms,
        user=user_facts(user),
    )


async def save_quietly(session: Session) -> None:
    """Commit what a question wrote (only the last topic, or a new user's bare row), if anything.

    A question must not wait for the disk: on PostgreSQL this commit returns before the flush
    (a topic is cheap to lose in a crash; see ``commit_without_disk_wait``).
    """
    if session.new or session.dirty:
        await commit_without_disk_wait(session)


async def topic(db: Database, member: Any, topic_id: str) -> Answer | None:
    """A topic's short answer, personalised with consent (None: no such topic any more).

    With consent the topic is remembered for /sources; without it nothing is stored.
    """
    async with db.transaction() as session:
        user = await session.get(User, member.id)
        consented = user is not None and user.has_consent
        ctx = await answer_context(session, user) if user is not None and consented else None
        try:
            result = answer_topic(topic_id, ctx)
        except KeyError:
            return None
        if user is not None and consented:
            user.last_topic = topic_id
            await save_quietly(session)
        return result


async def last_topic(db: Database, member: Any) -> str | None:
    """The topic of the user's last answer, kept only with consent."""
    async with db.transaction() as session:
        user = await session.get(User, member.id)
        return user.last_topic if user is not None and user.has_consent else None
