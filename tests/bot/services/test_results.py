"""Stored results without Telegram: typed reads, the previous one, follow-ups off (both databases)."""

from __future__ import annotations

from sqlalchemy import select

from analysis import analyze
from bot.services import results
from storage import Database
from storage.models import Reminder, User
from storage.users import ensure_user, give_consent
from tests.conftest import shared_path


async def _owner(db: Database, telegram_id: int) -> User:
    async with db.transaction() as session:
        user = await ensure_user(session=session, telegram_id=telegram_id)
        await give_consent(session=session, user=user)
        return user


async def test_results_come_back_typed_newest_first_with_the_one_before(db: Database) -> None:
    owner = await _owner(db, 41)
    report = analyze(shared_path("corpus", "ubiome_gut_74607.json").read_bytes())
    data, label = report.model_dump(mode="json"), report.samples[0].sample_id
    first = await results.store(db, owner, data, label, "a.json", "sha-a")
    second = await results.store(db, owner, data, label, "b.json", "sha-b")
    listed = await results.listing(db, owner)
    assert [r.id for r in listed] == [second.row_id, first.row_id]
    assert listed[0].report.samples[0].alpha.shannon == report.samples[0].alpha.shannon
    older = await results.before(db, owner, second.row_id)
    assert older is not None and older.id == first.row_id
    assert await results.before(db, owner, first.row_id) is None
    stranger = await _owner(db, 42)
    assert await results.one(db, stranger, first.row_id) is None  # not theirs


async def test_followups_off_cancels_the_queued_ones_in_the_same_transaction(
    db: Database,
) -> None:
    owner = await _owner(db, 43)
    report = analyze(shared_path("corpus", "ubiome_gut_74607.json").read_bytes())
    stored = await results.store(
        db, owner, report.model_dump(mode="json"), report.samples[0].sample_id, None, "sha-c"
    )
    assert stored.followups
    assert await results.followups_off(db, owner)
    async with db.transaction() as session:
        user = await session.get(User, owner.id)
        statuses = (
            await session.scalars(select(Reminder.status).where(Reminder.user_id == owner.id))
        ).all()
    assert user is not None and user.followups_enabled is False
    assert statuses and set(statuses) == {"cancelled"}
