"""The consent gate: nothing about a user's health is kept before explicit consent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callbacks import CONSENT, DELETE
from bot.runtime import Context, unit_of_work
from bot.services.profile import conditions_of, user_facts
from content.messages import text
from storage import Session
from storage.models import User
from storage.reminder_rows import quiet_of
from storage.users import ensure_user


def consent_keyboard() -> InlineKeyboardMarkup:
    """The explicit, never pre-ticked consent choice (GDPR art. 9(2)(a))."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    text("account.buttons.agree"), callback_data=CONSENT.pack("yes")
                )
            ],
            [
                InlineKeyboardButton(
                    text("account.buttons.decline"), callback_data=CONSENT.pack("no")
                )
            ],
        ]
    )


async def user_for_update(*, session: Session, update: Update) -> User:
    """The stored user behind this update (created with only the Telegram id and language)."""
    tg_user = update.effective_user
    if tg_user is None:
        raise ValueError("update has no user")
    return await ensure_user(
        session=session, telegram_id=tg_user.id, language=tg_user.language_code
    )


async def consented_user(*, session: Session, update: Update) -> User | None:
    """The user if they have given consent; otherwise ask for it and return None."""
    user = await user_for_update(session=session, update=update)
    if user.has_consent:
        return user
    await ask_for_consent(update, withdrawn_at=user.consent_withdrawn_at)
    return None


async def ask_for_consent(update: Update, *, withdrawn_at: datetime | None = None) -> None:
    """Say that this needs consent and offer the choice; after a withdrawal, what is still kept."""
    message = update.effective_message
    if message is None:
        return
    if withdrawn_at is not None:
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        text("account.buttons.agree_again"), callback_data=CONSENT.pack("yes")
                    )
                ],
                [
                    InlineKeyboardButton(
                        text("account.buttons.delete_stored"), callback_data=DELETE.pack("ask")
                    )
                ],
            ]
        )
        # "What you just sent was not kept" only when something was sent, not for a command.
        sent = update.callback_query is None and (
            bool(message.document or message.photo or message.location)
            or bool(message.text and not message.text.startswith("/"))
        )
        key = (
            "account.consent.needed_withdrawn"
            if sent
            else "account.consent.needed_withdrawn_command"
        )
        await message.reply_text(text(key, date=f"{withdrawn_at:%d %B %Y}"), reply_markup=markup)
        return
    await message.reply_text(text("account.consent.needed"))
    await message.reply_text(text("account.start.consent_request"), reply_markup=consent_keyboard())


@dataclass(frozen=True)
class Member:
    """Who sent an update, read once by the consent gate (not bound to any session)."""

    id: int
    has_consent: bool
    timezone: str | None
    age_band: str | None
    sex: str | None
    quiet: tuple[str, str] | None = None
    withdrawn_at: datetime | None = None
    #: Conditions and medicines given in /profile (they change triage).
    conditions: frozenset[str] = frozenset()

    @classmethod
    def of(cls, user: User) -> Member:
        """The snapshot of a stored user."""
        return cls(
            user.id,
            user.has_consent,
            user.timezone,
            user.age_band,
            user.sex,
            quiet_of(user),
            None if user.has_consent else user.consent_withdrawn_at,
            conditions_of(user),
        )


async def member_for_update(update: Update, context: Context) -> Member:
    """The sender of this update (a bare row is created for a new user)."""
    async with unit_of_work(context) as session:
        return Member.of(await user_for_update(session=session, update=update))


async def consented_member(update: Update, context: Context) -> Member | None:
    """The sender if they have given consent; otherwise ask for it (once) and return None."""
    member = await member_for_update(update, context)
    if member.has_consent:
        return member
    await ask_for_consent(update, withdrawn_at=member.withdrawn_at)
    return None


__all__ = [
    "Member",
    "ask_for_consent",
    "consent_keyboard",
    "consented_member",
    "consented_user",
    "member_for_update",
    "user_facts",
    "user_for_update",
]
