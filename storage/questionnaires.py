"""Questionnaires (IBS-SSS-style, PHQ-4): resumable, with their items and total."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import EntryStatus, Owner, QuestionnaireResponse, utcnow

#: An unfinished questionnaire can be resumed for this long.
RESUME_WINDOW = timedelta(days=7)


async def open_response(
    *, session: AsyncSession, user: Owner, instrument: str
) -> QuestionnaireResponse:
    """The unfinished questionnaire of this kind to resume (within a week), or a new one."""
    result = await session.execute(
        select(QuestionnaireResponse)
        .where(
            QuestionnaireResponse.user_id == user.id,
            QuestionnaireResponse.instrument == instrument,
            QuestionnaireResponse.status == EntryStatus.IN_PROGRESS,
            QuestionnaireResponse.started_at >= utcnow() - RESUME_WINDOW,
        )
        .order_by(QuestionnaireResponse.id.desc())
        .limit(1)
    )
    response = result.scalar_one_or_none()
    if response is None:
        response = QuestionnaireResponse(
            user_id=user.id, instrument=instrument, status=EntryStatus.IN_PROGRESS, items={}
        )
        session.add(response)
        await session.flush()
    return response


async def get_response(
    *, session: AsyncSession, user: Owner, response_id: int
) -> QuestionnaireResponse | None:
    """One of this user's questionnaires, or None."""
    result = await session.execute(
        select(QuestionnaireResponse).where(
            QuestionnaireResponse.id == response_id, QuestionnaireResponse.user_id == user.id
        )
    )
    return result.scalar_one_or_none()


async def completed(
    *, session: AsyncSession, user: Owner, instrument: str | None = None
) -> list[QuestionnaireResponse]:
    """This user's finished questionnaires, oldest first."""
    query = select(QuestionnaireResponse).where(
        QuestionnaireResponse.user_id == user.id,
        QuestionnaireResponse.status == EntryStatus.COMPLETE,
    )
    if instrument is not None:
        query = query.where(QuestionnaireResponse.instrument == instrument)
    result = await session.execute(query.order_by(QuestionnaireResponse.completed_at))
    return list(result.scalars())


async def abandon_open_responses(*, session: AsyncSession, user: Owner) -> int:
    """Mark this user's unfinished questionnaires abandoned (for /cancel)."""
    result = await session.execute(
        update(QuestionnaireResponse)
        .where(
            QuestionnaireResponse.user_id == user.id,
            QuestionnaireResponse.status == EntryStatus.IN_PROGRESS,
        )
        .values(status=EntryStatus.ABANDONED)
    )
    return int(getattr(result, "rowcount", 0) or 0)
