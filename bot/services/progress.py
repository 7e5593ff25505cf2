"""Progress over a period: check-ins, questionnaire scores and tests, as numbers to word and draw."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.services.checkins import local_today
from content.instruments import IBS_SSS_MEANINGFUL_CHANGE
from storage import Database, Session
from storage.models import QuestionnaireResponse, Sample, SymptomEntry
from storage.questionnaires import completed
from storage.samples import list_samples
from storage.symptoms import entries_since

#: The periods /progress offers, in days (None: everything).
RANGES: dict[str, int | None] = {"14": 14, "90": 90, "0": None}


@dataclass(frozen=True)
class Progress:
    """What was logged in a period and what stands out."""

    start: date
    end: date
    days_logged: int
    #: Mean change from the first week to the last (None: under a week of check-ins).
    bloating_change: float | None
    pain_change: float | None
    #: The most common Bristol type and its share in percent (None: none, or a tie).
    usual_stool: tuple[int, float] | None
    #: The latest total of each questionnaire, by instrument.
    latest_scores: dict[str, int | None]
    #: Every Bristol type logged in the period, in order.
    stool_types: tuple[int, ...]
    tests: int
    #: Alarm answers given "yes" in the period (keys of ``SymptomEntry.alarms``).
    alarms: tuple[str, ...]
    #: The largest IBS-SSS rise above an earlier low, when it is a meaningful change.
    ibs_sss_rise: int | None
    entries: tuple[SymptomEntry, ...]
    scores: tuple[QuestionnaireResponse, ...]
    samples: tuple[Sample, ...]


def _mean_change(first: list[int], last: list[int]) -> float:
    if not first or not last:
        return 0.0
    return sum(last) / len(last) - sum(first) / len(first)


async def progress(db: Database, user: Any, days: int | None) -> Progress | None:
    """The period's progress (None when nothing was logged in it)."""
    async with db.transaction() as session:
        return await progress_in(session, user, days)


async def progress_in(session: Session, user: Any, days: int | None) -> Progress | None:
    """The same inside a caller's transaction (the weekly summary reads it while sending)."""
    today = local_today(user.timezone)
    since = None if days is None else today - timedelta(days=days)
    entries = await entries_since(session=session, user=user, since=since)
    scores = [
        r
        for r in await completed(session=session, user=user)
        if r.completed_at is not None and (since is None or r.completed_at.date() >= since)
    ]
    samples = [
        s
        for s in await list_samples(session=session, user=user)
        if since is None or s.created_at.date() >= since
    ]
    if not entries and not scores and not samples:
        return None
    start = since or min(
        [e.day for e in entries]
        + [r.completed_at.date() for r in scores if r.completed_at]
        + [s.created_at.date() for s in samples]
    )
    bloating_change = pain_change = None
    if entries and entries[-1].day - entries[0].day >= timedelta(days=7):
        first = [e for e in entries if e.day < entries[0].day + timedelta(days=7)]
        last = [e for e in entries if e.day > entries[-1].day - timedelta(days=7)]
        bloating_change = _mean_change(
            [e.bloating for e in first if e.bloating is not None],
            [e.bloating for e in last if e.bloating is not None],
        )
        pain_change = _mean_change(
            [e.pain for e in first if e.pain is not None],
            [e.pain for e in last if e.pain is not None],
        )
    forms = Counter(e.stool_form for e in entries if e.stool_form)
    usual = None
    ranked = forms.most_common(2)
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        bristol, count = ranked[0]
        usual = (bristol, 100 * count / sum(forms.values()))
    latest: dict[str, int | None] = {}
    for response in scores:
        latest[response.instrument] = response.total
    ibs = [r.total for r in scores if r.instrument == "ibs_sss" and r.total is not None]
    rise = max((ibs[i] - min(ibs[:i]) for i in range(1, len(ibs))), default=0)
    return Progress(
        start=start,
        end=today,
        days_logged=len({e.day for e in entries}),
        bloating_change=bloating_change,
        pain_change=pain_change,
        usual_stool=usual,
        stool_types=tuple(sorted(forms)),
        latest_scores=latest,
        tests=len(samples),
        alarms=tuple(sorted({k for e in entries for k, v in (e.alarms or {}).items() if v})),
        ibs_sss_rise=rise if rise >= IBS_SSS_MEANINGFUL_CHANGE else None,
        entries=tuple(entries),
        scores=tuple(scores),
        samples=tuple(samples),
    )
