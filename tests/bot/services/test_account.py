"""The account without Telegram: consent, withdrawal, export, deletion, /cancel (both databases)."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.consent import Member
from bot.services import account, followups
from storage import Database, Session
from storage.models import AuditEvent, AuditKind, Dialog, Reminder, ReminderStatus, User
from storage.users import ensure_user


async def _stranger(db: Database, telegram_id: int) -> Member:
    async with db.transaction() as session:
        return Member.of(await ensure_user(session=session, telegram_id=telegram_id))


async def _events(db: Database, member: Member) -> list[str]:
    async with db.transaction() as session:
        rows = await session.scalars(
            select(AuditEvent.event).where(AuditEvent.user_id == member.id).order_by(AuditEvent.id)
        )
        return list(rows)


async def test_consent_is_given_once_and_declining_stores_nothing(db: Database) -> None:
    member = await _stranger(db, 81)
    assert await account.answer_consent(db, member, yes=False) == account.ConsentAnswer.DECLINED
    assert await _events(db, member) == []
    assert await account.answer_consent(db, member, yes=True) == account.ConsentAnswer.GIVEN
    assert await account.answer_consent(db, member, yes=True) == account.ConsentAnswer.ALREADY
    assert await _events(db, member) == [AuditKind.CONSENT_GIVEN]
    state = await account.consent_state(db, member)
    assert state.given_at is not None and state.withdrawn_at is None


async def test_withdrawal_stops_reminders_and_keeps_the_data_until_delete(db: Database) -> None:
    member = await _stranger(db, 82)
    await account.answer_consent(db, member, yes=True)
    await followups.set_time(db, member, "09:00")
    await account.withdraw(db, member)
    state = await account.consent_state(db, member)
    assert state.given_at is None and state.withdrawn_at is not None
    async with db.transaction() as session:
        statuses = set(
            await session.scalars(select(Reminder.status).where(Reminder.user_id == member.id))
        )
        assert statuses == {ReminderStatus.CANCELLED}
    exported = await account.export(db, member)
    assert not exported.has_consent and not exported.empty  # the reminder rows are still there
    assert await _events(db, member) == [
        AuditKind.CONSENT_GIVEN,
        AuditKind.CONSENT_WITHDRAWN,
        AuditKind.DATA_EXPORTED,
    ]


async def test_an_export_of_a_bare_row_says_it_is_empty(db: Database) -> None:
    member = await _stranger(db, 83)
    exported = await account.export(db, member)
    assert exported.data["user"]["id"] == member.id
    # The export itself is recorded, but nothing else is stored for this person.
    assert exported.empty and not exported.has_consent


async def test_delete_and_cancel_never_create_a_row_for_a_stranger(db: Database) -> None:
    async def count() -> int:
        async with db.transaction() as session:
            return int(await session.scalar(select(func.count()).select_from(User)) or 0)

    before = await count()
    assert not await account.is_known(db, 84)
    assert not await account.delete(db, 84)
    assert not await account.cancel_dialogues(db, 84, [])
    assert await count() == before


async def test_delete_erases_the_user_and_leaves_only_an_anonymous_event(db: Database) -> None:
    member = await _stranger(db, 85)
    await account.answer_consent(db, member, yes=True)
    await followups.set_time(db, member, "09:00")
    assert await account.is_known(db, 85)
    assert await account.delete(db, 85)
    assert not await account.is_known(db, 85)
    async with db.transaction() as session:
        assert await session.get(User, member.id) is None
        left = await session.scalar(
            select(func.count()).select_from(Reminder).where(Reminder.user_id == member.id)
        )
        assert left == 0
        anonymous = await session.scalars(
            select(AuditEvent.event).where(AuditEvent.user_id.is_(None))
        )
        assert AuditKind.DATA_DELETED in set(anonymous)


async def test_cancel_runs_every_hook_and_says_whether_one_stopped(db: Database) -> None:
    member = await _stranger(db, 86)
    await account.answer_consent(db, member, yes=True)
    assert await followups.start_remind(db, member) == Dialog.REMIND_TZ
    seen: list[int] = []

    async def nothing_waits(*, session: Session, user: User) -> bool:
        seen.append(user.id)
        return False

    async def remind_hook(*, session: Session, user: User) -> bool:
        return followups.cancel_dialog(user)

    hooks = [nothing_waits, remind_hook]
    assert await account.cancel_dialogues(db, 86, hooks)
    assert seen == [member.id]
    async with db.transaction() as session:
        user = await session.get(User, member.id)
        assert user is not None and user.dialog is None
    assert not await account.cancel_dialogues(db, 86, hooks)
