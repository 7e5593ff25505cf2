"""Samples: stored results and the uploads that wait for a second step. Always scoped to a user."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from storage.models import Owner, PendingUpload, Sample, utcnow

#: Readers of samples leave the stored taxon profile out: nothing in the bot reads it back (the
#: report holds what is shown; the profile is kept for export), and decrypting and parsing it cost
#: 0.2-0.7 ms per sample, on every question of a user with results. Touching it raises.
_WITHOUT_PROFILE = defer(Sample.profile, raiseload=True)


async def add_sample(
    *,
    session: AsyncSession,
    user: Owner,
    original_filename: str | None,
    detected_format: str,
    method: str,
    sample_label: str,
    sha256: str,
    profile: dict[str, Any],
    report: dict[str, Any],
) -> Sample:
    """Store one analysed sample for this user (the caller owns the transaction).

    One row per file and sample id: the same sample of the same file again returns the row kept
    (labels are encrypted, so this is checked here rather than by a unique index).
    """
    label = sample_label[:255]
    same_file = await session.scalars(
        select(Sample)
        .options(_WITHOUT_PROFILE)
        .where(Sample.user_id == user.id, Sample.sha256 == sha256)
    )
    for kept in same_file:
        if kept.sample_label == label:
            return kept
    sample = Sample(
        user_id=user.id,
        original_filename=(original_filename or "")[:255] or None,
        detected_format=detected_format,
        method=method,
        sample_label=label,
        sha256=sha256,
        profile=profile,
        report=report,
    )
    session.add(sample)
    await session.flush()
    return sample


async def find_by_sha256(*, session: AsyncSession, user: Owner, sha256: str) -> Sample | None:
    """This user's newest sample stored from a file with this hash, or None."""
    result = await session.execute(
        select(Sample)
        .options(_WITHOUT_PROFILE)
        .where(Sample.user_id == user.id, Sample.sha256 == sha256)
        .order_by(Sample.created_at.desc(), Sample.id.desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def get_sample(*, session: AsyncSession, user: Owner, sample_id: int) -> Sample | None:
    """One of this user's samples by row id; None for another user's or a missing id."""
    result = await session.execute(
        select(Sample)
        .options(_WITHOUT_PROFILE)
        .where(Sample.id == sample_id, Sample.user_id == user.id)
    )
    return result.scalar_one_or_none()


async def list_samples(
    *, session: AsyncSession, user: Owner, limit: int | None = None
) -> list[Sample]:
    """This user's samples, newest first."""
    query = (
        select(Sample)
        .options(_WITHOUT_PROFILE)
        .where(Sample.user_id == user.id)
        .order_by(Sample.created_at.desc(), Sample.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return list((await session.execute(query)).scalars())


async def previous_sample(*, session: AsyncSession, user: Owner, before: Sample) -> Sample | None:
    """This user's sample stored just before ``before``, or None."""
    result = await session.execute(
        select(Sample)
        .options(_WITHOUT_PROFILE)
        .where(Sample.user_id == user.id, Sample.id != before.id)
        .where(
            (Sample.created_at < before.created_at)
            | ((Sample.created_at == before.created_at) & (Sample.id < before.id))
        )
        .order_by(Sample.created_at.desc(), Sample.id.desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def add_pending_upload(
    *,
    session: AsyncSession,
    user: Owner,
    kind: str,
    filename: str | None,
    sha256: str,
    data: bytes,
    expires_at: datetime,
    state: dict[str, Any] | None = None,
) -> PendingUpload:
    """Keep an upload until its second step (one pending upload of a kind per user)."""
    await session.execute(
        delete(PendingUpload).where(PendingUpload.user_id == user.id, PendingUpload.kind == kind)
    )
    pending = PendingUpload(
        user_id=user.id,
        kind=kind,
        filename=(filename or "")[:255] or None,
        sha256=sha256,
        data=data,
        expires_at=expires_at,
        state=state or {},
    )
    session.add(pending)
    await session.flush()
    return pending


async def get_pending_upload(
    *, session: AsyncSession, user: Owner, kind: str, pending_id: int | None = None
) -> PendingUpload | None:
    """This user's unexpired pending upload of a kind (expired ones are removed)."""
    await purge_expired_uploads(session=session, user=user)
    query = select(PendingUpload).where(
        PendingUpload.user_id == user.id, PendingUpload.kind == kind
    )
    if pending_id is not None:
        query = query.where(PendingUpload.id == pending_id)
    result = await session.execute(query.order_by(PendingUpload.id.desc()).limit(1))
    return result.scalar_one_or_none()


async def remove_pending_upload(*, session: AsyncSession, user: Owner, pending_id: int) -> None:
    """Forget one of this user's pending uploads."""
    await session.execute(
        delete(PendingUpload).where(
            PendingUpload.id == pending_id, PendingUpload.user_id == user.id
        )
    )


async def remove_pending_uploads(*, session: AsyncSession, user: Owner) -> int:
    """Forget all of this user's pending uploads (for /cancel); returns how many there were."""
    result = await session.execute(delete(PendingUpload).where(PendingUpload.user_id == user.id))
    return int(getattr(result, "rowcount", 0) or 0)


async def purge_expired_uploads(*, session: AsyncSession, user: Owner) -> None:
    """Drop this user's pending uploads whose time is up."""
    await session.execute(
        delete(PendingUpload).where(
            PendingUpload.user_id == user.id, PendingUpload.expires_at < utcnow()
        )
    )
