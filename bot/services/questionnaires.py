"""Questionnaires (IBS-SSS-style severity, PHQ-4): one saved answer per tap, the score at the end.

A finished questionnaire schedules the next one in ``QUESTIONNAIRE_EVERY``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from content.instruments import (
    IBS_SSS_MEANINGFUL_CHANGE,
    Item,
    ibs_sss_band,
    ibs_sss_total,
    next_item,
    phq4_score,
)
from storage import Database, Session
from storage.models import EntryStatus, QuestionnaireResponse, ReminderKind, User, utcnow
from storage.questionnaires import completed, get_response, open_response
from storage.reminders import ReminderQueue

INSTRUMENTS = ("ibs_sss", "phq4")
QUESTIONNAIRE_EVERY = timedelta(days=14)


@dataclass(frozen=True)
class Score:
    """A finished questionnaire: its total and band, and what it means against the last one."""

    instrument: str
    total: int
    band: str
    #: IBS-SSS: the change since the previous one and when that one was done.
    change: int | None = None
    previous_at: datetime | None = None
    meaningful_rise: bool = False
    #: PHQ-4: anxiety or depression screen positive; a crisis line is shown when ``crisis``.
    positive: bool = False
    crisis: bool = False


@dataclass(frozen=True)
class Progress:
    """Where a questionnaire stands: the next item to ask, or the score."""

    response_id: int
    instrument: str
    item: Item | None
    resumed: bool = False
    stale: bool = False
    score: Score | None = None


async def start(db: Database, user: Any, instrument: str) -> Progress:
    """Start the chosen questionnaire or resume the unfinished one."""
    async with db.transaction() as session:
        response = await open_response(session=session, user=user, instrument=instrument)
        answers = dict(response.items or {})
        return Progress(
            response.id, instrument, next_item(instrument, answers), resumed=bool(answers)
        )


async def answer(db: Database, user: Any, response_id: int, item_key: str, value: int) -> Progress:
    """Save one answer if it is the one expected now; the next item, or the score."""
    async with db.transaction() as session:
        response = await get_response(session=session, user=user, response_id=response_id)
        expected = (
            next_item(response.instrument, dict(response.items or {}))
            if response is not None and response.status == EntryStatus.IN_PROGRESS
            else None
        )
        if (
            response is None
            or expected is None
            or expected.key != item_key
            or value not in expected.answers
        ):
            return Progress(response_id, "", None, stale=True)
        answers = {**(response.items or {}), item_key: value}
        response.items = answers
        following = next_item(response.instrument, answers)
        if following is not None:
            return Progress(response.id, response.instrument, following)
        score = await _finish(session, user, response, answers)
        return Progress(response.id, response.instrument, None, score=score)


async def _finish(
    session: Session, user: Any, response: QuestionnaireResponse, answers: dict[str, int]
) -> Score:
    response.status, response.completed_at = EntryStatus.COMPLETE, utcnow()
    if response.instrument == "ibs_sss":
        total = ibs_sss_total(answers)
        response.total = total
        score = Score("ibs_sss", total, ibs_sss_band(total))
        earlier = [
            r
            for r in await completed(session=session, user=user, instrument="ibs_sss")
            if r.id != response.id
        ]
        if earlier and earlier[-1].total is not None and earlier[-1].completed_at is not None:
            change = total - earlier[-1].total
            score = Score(
                "ibs_sss",
                total,
                score.band,
                change=change,
                previous_at=earlier[-1].completed_at,
                meaningful_rise=change >= IBS_SSS_MEANINGFUL_CHANGE,
            )
    else:
        result = phq4_score(answers)
        response.total = result.total
        positive = result.anxiety_positive or result.depression_positive
        score = Score(
            "phq4",
            result.total,
            result.band,
            positive=positive,
            crisis=positive and answers.get("down", 0) >= 2,
        )
    stored = await session.get(User, user.id)
    if stored is None:
        return score
    await ReminderQueue.plan_in(
        session,
        user=stored,
        kind=ReminderKind.QUESTIONNAIRE,
        due_at=utcnow() + QUESTIONNAIRE_EVERY,
        payload={"instrument": response.instrument},
        variant=response.instrument,
    )
    return score
