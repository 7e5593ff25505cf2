"""Users: creation, consent, export equals the database, deletion leaves nothing, isolation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from storage import Database
from storage.audit import list_events
from storage.models import (
    AuditEvent,
    LabResult,
    PendingUpload,
    QuestionnaireResponse,
    Reminder,
    Sample,
    SymptomEntry,
    UsageCount,
    User,
)
from storage.users import (
    USER_TABLES,
    delete_user_data,
    ensure_user,
    export_user_data,
    give_consent,
    update_profile,
    withdraw_consent,
)


async def _fill(db: Database, telegram_id: int) -> int:
    async with db.transaction() as session:
        user = await ensure_user(session=session, telegram_id=telegram_id, language="en")
        await give_consent(session=session, user=user)
        session.add_all(
            [
                Sample(
                    user_id=user.id,
                    original_filename=f"profile-{telegram_id}.txt",
                    detected_format="metaphlan3",
                    method="shotgun",
                    sample_label="S1",
                    sha256=f"{telegram_id:064d}",
                    profile={"taxa": [["Bacteroides", 0.5]]},
                    report={"format": "metaphlan3"},
                ),
                LabResult(
                    user_id=user.id,
                    lab="Lab",
                    test="Panel",
                    collected=date(2026, 10, 1),
                    sha256=f"{telegram_id:064d}",
                    panel={"markers": [{"name": "Calprotectin", "result_text": "40"}]},
                ),
                SymptomEntry(user_id=user.id, day=date(2026, 11, 1), bloating=telegram_id % 10),
                QuestionnaireResponse(user_id=user.id, instrument="phq4", items={"q1": 1}, total=1),
                Reminder(
                    user_id=user.id,
                    kind="checkin",
                    due_at=datetime(2026, 12, 1, tzinfo=UTC),
                    idempotency_key=f"checkin:{telegram_id}",
                ),
                UsageCount(
                    user_id=user.id,
                    kind="upload",
                    slot_start=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
                    used=1,
                ),
                PendingUpload(
                    user_id=user.id,
                    kind="awaiting_taxonomy",
                    filename="feature-table.tsv",
                    sha256="a" * 64,
                    data=b"#OTU ID\tS1\n",
                    expires_at=datetime.now(UTC) + timedelta(minutes=15),
                ),
            ]
        )
        return user.id


async def test_ensure_user_creates_once_and_keeps_only_id_and_language(db: Database) -> None:
    async with db.transaction() as session:
        first = await ensure_user(session=session, telegram_id=42, language="de")
    async with db.transaction() as session:
        again = await ensure_user(session=session, telegram_id=42)
        count = await session.scalar(select(func.count()).select_from(User))
    assert first.id == again.id
    assert count == 1
    assert again.language == "de"
    assert again.consent_given_at is None and again.age_band is None and again.sex is None
    assert not again.has_consent


async def test_consent_given_then_withdrawn_cancels_reminders(db: Database) -> None:
    user_id = await _fill(db, 7)
    async with db.transaction() as session:
        user = await session.get(User, user_id)
        assert user is not None and user.has_consent
        await withdraw_consent(session=session, user=user)
    async with db.transaction() as session:
        user = await session.get(User, user_id)
        assert user is not None and not user.has_consent
        statuses = (await session.scalars(select(Reminder.status))).all()
        events = [e.event for e in await list_events(session=session, user=user)]
    assert statuses == ["cancelled"]
    assert events == ["consent_given", "consent_withdrawn"]


async def test_timestamps_are_timezone_aware_utc(db: Database) -> None:
    user_id = await _fill(db, 8)
    async with db.transaction() as session:
        user = await session.get(User, user_id)
        reminder = await session.scalar(select(Reminder))
    assert user is not None and reminder is not None
    assert user.created_at.tzinfo is not None
    assert user.consent_given_at is not None and user.consent_given_at.utcoffset() == timedelta(0)
    assert reminder.due_at == datetime(2026, 12, 1, tzinfo=UTC)


async def test_export_holds_exactly_what_the_database_holds(db: Database) -> None:
    user_id = await _fill(db, 11)
    await _fill(db, 12)
    async with db.transaction() as session:
        user = await session.get(User, user_id)
        assert user is not None
        data = await export_user_data(session=session, user=user)
        for model in USER_TABLES:
            ids = (await session.scalars(select(model.id).where(model.user_id == user_id))).all()
            assert [row["id"] for row in data[model.__tablename__]] == list(ids)
            assert all(row["user_id"] == user_id for row in data[model.__tablename__])
    assert data["user"]["telegram_id"] == 11
    assert data["samples"][0]["profile"] == {"taxa": [["Bacteroides", 0.5]]}
    assert data["symptom_entries"][0]["bloating"] == 1
    assert [e["event"] for e in data["audit_log"]] == ["consent_given"]


async def test_delete_leaves_no_row_of_the_user_and_keeps_others(db: Database) -> None:
    gone = await _fill(db, 21)
    kept = await _fill(db, 22)
    async with db.transaction() as session:
        user = await session.get(User, gone)
        assert user is not None
        await delete_user_data(session=session, user=user)
    async with db.transaction() as session:
        assert await session.get(User, gone) is None
        for model in USER_TABLES:
            left = await session.scalar(
                select(func.count()).select_from(model).where(model.user_id == gone)
            )
            others = await session.scalar(
                select(func.count()).select_from(model).where(model.user_id == kept)
            )
            assert left == 0, model.__tablename__
            assert others == 1, model.__tablename__
        audit = (await session.execute(select(AuditEvent.user_id, AuditEvent.event))).all()
    assert (None, "data_deleted") in audit
    assert all(uid != gone for uid, _ in audit)


async def test_profile_fields_are_checked(db: Database) -> None:
    async with db.transaction() as session:
        user = await ensure_user(session=session, telegram_id=5)
        await update_profile(session=session, user=user, timezone="Europe/Berlin", age_band="50-59")
    async with db.transaction() as session:
        user = await ensure_user(session=session, telegram_id=5)
        assert (user.timezone, user.age_band) == ("Europe/Berlin", "50-59")
        with pytest.raises(ValueError, match="telegram_id"):
            await update_profile(session=session, user=user, telegram_id="9")


async def test_reading_samples_leaves_the_stored_profile_out(db: Database) -> None:
    from sqlalchemy.exc import InvalidRequestError

    from storage.samples import find_by_sha256, get_sample, list_samples, previous_sample

    user_id = await _fill(db, 13)
    async with db.transaction() as session:
        user = await session.get(User, user_id)
        assert user is not None
        [latest] = await list_samples(session=session, user=user)
        sample_id, sha = latest.id, latest.sha256
    async with db.transaction() as session:
        user = await session.get(User, user_id)
        assert user is not None
        found = [
            await get_sample(session=session, user=user, sample_id=sample_id),
            await find_by_sha256(session=session, user=user, sha256=sha),
            *await list_samples(session=session, user=user, limit=1),
        ]
        assert await previous_sample(session=session, user=user, before=found[0]) is None  # type: ignore[arg-type]
        for sample in found:
            assert sample is not None and sample.report is not None  # what is shown is there
            with pytest.raises(InvalidRequestError):
                _ = sample.profile  # not loaded, and never fetched behind the caller's back
        # Export still has all of it (see the export test above).
        data = await export_user_data(session=session, user=user)
    assert data["samples"][0]["profile"] == {"taxa": [["Bacteroides", 0.5]]}
