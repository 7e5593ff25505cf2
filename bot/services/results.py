"""Results without Telegram: storing the chosen sample with its follow-ups, and reading one back."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from analysis.model import Report
from bot.reports import load_report
from storage import Database
from storage.models import Owner, ReminderKind, Sample, User
from storage.reminders import ReminderQueue
from storage.samples import add_sample, get_sample, list_samples, previous_sample
from storage.symptoms import recent_alarm_answers

FOLLOWUP_CHECKIN_AFTER = timedelta(days=7)
RETEST_AFTER = timedelta(weeks=12)
FOLLOWUP_KINDS = (ReminderKind.FOLLOWUP_CHECKIN, ReminderKind.RETEST)


def sample_of(report: dict[str, Any], sample_id: str | None = None) -> dict[str, Any]:
    """The sample with this id (or the first) from a fresh report's JSON (before storing)."""
    samples = report["samples"]
    if sample_id is None:
        return dict(samples[0])
    for sample in samples:
        if sample["sample_id"] == sample_id:
            return dict(sample)
    raise KeyError(sample_id)


#: The longest sample label a row holds (the column is 255 characters on every database).
LABEL_LIMIT = 255


def storable_label(sample_id: str) -> str:
    """The sample id as stored: whole when it fits, else cut and made unique by its hash.

    NUL characters are dropped (PostgreSQL text cannot hold them); the stored report carries the
    same label, so every later lookup finds it.
    """
    label = sample_id.replace("\x00", "")
    if len(label) <= LABEL_LIMIT:
        return label
    digest = hashlib.sha256(sample_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{label[: LABEL_LIMIT - 18]}…~{digest}"


def _single_sample_report(report: dict[str, Any], sample_id: str, label: str) -> dict[str, Any]:
    return {**report, "samples": [{**sample_of(report, sample_id), "sample_id": label}]}


def _profile(sample: dict[str, Any]) -> dict[str, Any]:
    return {
        "rank": sample["rank"],
        "taxa": [
            {
                "name": r["name"],
                "rank": r["rank"],
                "lineage": r["lineage"],
                "abundance": r["abundance"],
                "count": r.get("count"),
            }
            for r in sample.get("taxa", [])
        ],
    }


@dataclass(frozen=True)
class Stored:
    """A stored sample: its row id, and whether follow-up reminders were queued for it."""

    row_id: int
    followups: bool


async def store(
    db: Database,
    owner: Owner,
    report: dict[str, Any],
    sample_id: str,
    filename: str | None,
    sha: str,
) -> Stored:
    """Save the chosen sample and its follow-ups in one transaction."""
    label = storable_label(sample_id)
    stored_report = _single_sample_report(report, sample_id, label)
    sample = stored_report["samples"][0]
    async with db.transaction() as session:
        row = await add_sample(
            session=session,
            user=owner,
            original_filename=filename,
            detected_format=report["format"],
            method=report["method"],
            sample_label=label,
            sha256=sha,
            profile=_profile(sample),
            report=stored_report,
        )
        user = await session.get(User, owner.id)
        followups = user is not None and user.followups_enabled
        if user is not None and user.followups_enabled:
            for kind, delay in (
                (ReminderKind.FOLLOWUP_CHECKIN, FOLLOWUP_CHECKIN_AFTER),
                (ReminderKind.RETEST, RETEST_AFTER),
            ):
                await ReminderQueue.plan_in(
                    session,
                    user=user,
                    kind=kind,
                    due_at=row.created_at + delay,
                    payload={"sample_id": row.id},
                )
        return Stored(row.id, followups)


@dataclass(frozen=True)
class Result:
    """A stored sample as the bot reads it: the typed report, whatever engine version made it."""

    id: int
    sample_label: str
    created_at: datetime
    report: Report
    filename: str | None = None


def result_of(row: Sample) -> Result:
    """The typed view of a stored sample row (the one place stored report JSON is read)."""
    return Result(
        row.id, row.sample_label, row.created_at, load_report(row.report), row.original_filename
    )


@dataclass(frozen=True)
class Shown:
    """What showing a stored result needs."""

    result: Result
    has_previous: bool
    symptoms_flagged: bool


async def shown(db: Database, owner: Owner, row_id: int) -> Shown | None:
    """A stored sample with whether an earlier one exists and recent alarm answers (or None)."""
    async with db.transaction() as session:
        row = await get_sample(session=session, user=owner, sample_id=row_id)
        if row is None:
            return None
        has_previous = await previous_sample(session=session, user=owner, before=row) is not None
        flagged = bool(await recent_alarm_answers(session=session, user=owner))
        return Shown(result_of(row), has_previous, flagged)


async def one(db: Database, owner: Owner, row_id: int) -> Result | None:
    """One of this user's stored results (None for a missing id or another user's)."""
    async with db.transaction() as session:
        row = await get_sample(session=session, user=owner, sample_id=row_id)
        return None if row is None else result_of(row)


async def before(db: Database, owner: Owner, row_id: int) -> Result | None:
    """The user's result stored just before this one, or None."""
    async with db.transaction() as session:
        row = await get_sample(session=session, user=owner, sample_id=row_id)
        if row is None:
            return None
        older = await previous_sample(session=session, user=owner, before=row)
        return None if older is None else result_of(older)


async def listing(db: Database, owner: Owner, limit: int = 20) -> list[Result]:
    """The user's stored results, newest first."""
    async with db.transaction() as session:
        return [
            result_of(row) for row in await list_samples(session=session, user=owner, limit=limit)
        ]


async def followups_off(db: Database, owner: Owner) -> bool:
    """Stop follow-ups after uploads: the setting off, and the queued ones cancelled together."""
    async with db.transaction() as session:
        user = await session.get(User, owner.id)
        if user is None:
            return False
        user.followups_enabled = False
        await ReminderQueue.cancel_kinds_in(session, user_id=user.id, kinds=FOLLOWUP_KINDS)
        return True
