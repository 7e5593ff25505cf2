"""Consent, export, deletion and /cancel: the account's use cases, each one transaction.

Telegram-free. Deletion and /cancel look the user up by Telegram id and never create a row: a
stranger who types /delete leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from storage import Database, Session
from storage.audit import record_event
from storage.models import AuditKind, User
from storage.users import (
    delete_user_data,
    export_user_data,
    get_user_by_telegram_id,
    give_consent,
    withdraw_consent,
)

#: A flow's /cancel hook: drop its dialogue; True when something was stopped.
CancelHook = Callable[..., Awaitable[bool]]


class ConsentAnswer(StrEnum):
    """What an answer to the consent question did."""

    GIVEN = "given"
    ALREADY = "already"
    DECLINED = "declined"


@dataclass(frozen=True)
class ConsentState:
    """When consent was given, or withdrawn (both None: never asked or declined)."""

    given_at: datetime | None
    withdrawn_at: datetime | None


@dataclass(frozen=True)
class Export:
    """Everything stored about the user (JSON-ready), and whether any health data is in it."""

    data: dict[str, Any]
    has_consent: bool
    #: True when nothing but the user row itself is stored.
    empty: bool


async def answer_consent(db: Database, member: Any, *, yes: bool) -> ConsentAnswer:
    """Record the answer to the consent question (declining stores nothing)."""
    if not yes:
        return ConsentAnswer.DECLINED
    async with db.transaction() as session:
        user = await session.get(User, member.id)
        if user is None or user.has_consent:
            return ConsentAnswer.ALREADY
        await give_consent(session=session, user=user)
        return ConsentAnswer.GIVEN


async def withdraw(db: Database, member: Any) -> None:
    """Withdraw consent: no new health data and no reminders; what is stored stays until /delete."""
    async with db.transaction() as session:
        user = await session.get(User, member.id)
        if user is not None and user.has_consent:
            await withdraw_consent(session=session, user=user)


async def consent_state(db: Database, member: Any) -> ConsentState:
    """When consent was given (if it holds now) or withdrawn."""
    async with db.transaction() as session:
        user = await session.get(User, member.id)
        if user is None:
            return ConsentState(None, None)
        if user.has_consent:
            return ConsentState(user.consent_given_at, None)
        return ConsentState(None, user.consent_withdrawn_at)


async def export(db: Database, member: Any) -> Export:
    """Everything stored about the user; the export itself is recorded in the audit log."""
    async with db.transaction() as session:
        user = await session.get(User, member.id)
        if user is None:  # the consent gate created the row just before
            raise LookupError(f"no user row {member.id}")
        data = await export_user_data(session=session, user=user)
        await record_event(session=session, user=user, event=AuditKind.DATA_EXPORTED)
        empty = all(not rows for table, rows in data.items() if table != "user")
        return Export(data, user.has_consent, empty)


async def is_known(db: Database, telegram_id: int) -> bool:
    """Whether anything is stored for this Telegram id (no row is created)."""
    async with db.transaction() as session:
        return await get_user_by_telegram_id(session=session, telegram_id=telegram_id) is not None


async def delete(db: Database, telegram_id: int) -> bool:
    """Erase every row of the user (False: there was nothing to erase)."""
    async with db.transaction() as session:
        user = await get_user_by_telegram_id(session=session, telegram_id=telegram_id)
        if user is None:
            return False
        await delete_user_data(session=session, user=user)
    await db.erase_traces()
    return True


async def cancel_dialogues(db: Database, telegram_id: int, hooks: Iterable[CancelHook]) -> bool:
    """Run every flow's /cancel hook in one transaction; True when any dialogue was stopped."""
    stopped = False
    async with db.transaction() as session:
        user = await get_user_by_telegram_id(session=session, telegram_id=telegram_id)
        if user is not None:
            for hook in hooks:
                stopped = await _run(hook, session, user) or stopped
    return stopped


async def _run(hook: CancelHook, session: Session, user: User) -> bool:
    return bool(await hook(session=session, user=user))


__all__ = [
    "ConsentAnswer",
    "ConsentState",
    "Export",
    "answer_consent",
    "cancel_dialogues",
    "consent_state",
    "delete",
    "export",
    "is_known",
    "withdraw",
]
