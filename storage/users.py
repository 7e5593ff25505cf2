"""Users: creation, consent, profile facts, and erasure of everything a user has stored."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.audit import record_event
from storage.models import (
    AuditEvent,
    AuditKind,
    LabResult,
    MessageCount,
    PendingUpload,
    QuestionnaireResponse,
    Reminder,
    ReminderStatus,
    Sample,
    SymptomEntry,
    UsageCount,
    User,
    utcnow,
)
from storage.usage import message_sender

#: Every table that holds rows of one user, in the order they are erased.
USER_TABLES: tuple[type[Any], ...] = (
    Reminder,
    PendingUpload,
    QuestionnaireResponse,
    SymptomEntry,
    Sample,
    LabResult,
    UsageCount,
)

PROFILE_FIELDS = frozenset(
    {"timezone", "age_band", "sex", "checkin_time", "quiet_start", "quiet_end"}
)


#: A language tag as Telegram sends it ("en", "pt-br"): at most 16 characters (the column).
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})?")


async def ensure_user(
    *, session: AsyncSession, telegram_id: int, language: str | None = None
) -> User:
    """Return the user with this Telegram id, creating the row (id and language only) if new.

    The language is an IETF tag from Telegram's client; anything that is not one (too long,
    odd characters, a NUL) is not stored, so no client can make a user's every update fail.
    """
    language = language if language and _LANGUAGE_TAG.fullmatch(language) else None
    user = await get_user_by_telegram_id(session=session, telegram_id=telegram_id)
    if user is None:
        user = User(telegram_id=telegram_id, language=(language or None))
        session.add(user)
        await session.flush()
    elif language and user.language != language:
        user.language = language
    return user


async def get_user_by_telegram_id(*, session: AsyncSession, telegram_id: int) -> User | None:
    """The user with this Telegram id, or None."""
    result = await session.execute(select(User).where(User.telegram_id == telegram_id))
    return result.scalar_one_or_none()


async def get_user(*, session: AsyncSession, user_id: int) -> User | None:
    """The user with this row id, or None."""
    return await session.get(User, user_id)


async def give_consent(*, session: AsyncSession, user: User, at: datetime | None = None) -> None:
    """Record explicit consent to process health data (GDPR art. 9(2)(a))."""
    user.consent_given_at = at or utcnow()
    await record_event(session=session, user=user, event=AuditKind.CONSENT_GIVEN)


async def withdraw_consent(
    *, session: AsyncSession, user: User, at: datetime | None = None
) -> None:
    """Record that consent was withdrawn; stored health data stays until the user deletes it."""
    user.consent_withdrawn_at = at or utcnow()
    await record_event(session=session, user=user, event=AuditKind.CONSENT_WITHDRAWN)
    # Nothing may be sent on the strength of a withdrawn consent.
    await session.execute(
        update(Reminder)
        .where(
            Reminder.user_id == user.id,
            Reminder.status.in_((ReminderStatus.PENDING, ReminderStatus.CLAIMED)),
        )
        .values(status=ReminderStatus.CANCELLED)
    )


async def update_profile(*, session: AsyncSession, user: User, **fields: str | None) -> None:
    """Set optional profile facts the user chose to give (timezone, age band, sex, times)."""
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise ValueError(f"not a profile field: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(user, name, value)


async def delete_user_data(*, session: AsyncSession, user: User) -> dict[str, int]:
    """Erase every row of this user; the audit log keeps only that a deletion happened."""
    counts: dict[str, int] = {}
    for model in USER_TABLES:
        result = await session.execute(delete(model).where(model.user_id == user.id))
        counts[model.__tablename__] = int(getattr(result, "rowcount", 0) or 0)
    await session.execute(delete(AuditEvent).where(AuditEvent.user_id == user.id))
    # Message counts are keyed by a hash of the Telegram id (non-consenting users are limited too).
    sender = message_sender(user.telegram_id)
    await session.execute(delete(MessageCount).where(MessageCount.sender == sender))
    await session.delete(user)
    await session.flush()
    session.add(AuditEvent(user_id=None, event=AuditKind.DATA_DELETED))
    counts["users"] = 1
    return counts


def _row_dict(row: Any, *, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in row.__table__.columns:
        if column.key in skip:
            continue
        value = getattr(row, column.key)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, bytes):
            value = f"<{len(value)} bytes>"
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        out[column.key] = value
    return out


async def export_user_data(*, session: AsyncSession, user: User) -> dict[str, Any]:
    """Everything stored about this user, as plain JSON-ready data (GDPR art. 15 and 20)."""
    data: dict[str, Any] = {"user": _row_dict(user)}
    for model in USER_TABLES:
        rows = await session.execute(
            select(model).where(model.user_id == user.id).order_by(model.id)
        )
        data[model.__tablename__] = [_row_dict(r) for r in rows.scalars()]
    events = await session.execute(
        select(AuditEvent).where(AuditEvent.user_id == user.id).order_by(AuditEvent.id)
    )
    data["audit_log"] = [_row_dict(e) for e in events.scalars()]
    counts = await session.execute(
        select(MessageCount)
        .where(MessageCount.sender == message_sender(user.telegram_id))
        .order_by(MessageCount.minute)
    )
    data["message_counts"] = [_row_dict(c) for c in counts.scalars()]
    return data
