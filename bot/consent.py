"""The consent gate: nothing about a user's health is kept before explicit consent."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from content.messages import text
from content.triage import UserFacts
from storage import Session
from storage.models import User
from storage.users import ensure_user

CONSENT_YES = "consent:yes"
CONSENT_NO = "consent:no"


def consent_keyboard() -> InlineKeyboardMarkup:
    """The explicit, never pre-ticked consent choice (GDPR art. 9(2)(a))."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(text("account.buttons.agree"), callback_data=CONSENT_YES)],
            [InlineKeyboardButton(text("account.buttons.decline"), callback_data=CONSENT_NO)],
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
    message = update.effective_message
    if message is not None:
        await message.reply_text(text("account.consent.needed"))
        await message.reply_text(
            text("account.start.consent_request"), reply_markup=consent_keyboard()
        )
    return None


def user_facts(user: User) -> UserFacts:
    """The profile facts triage may use (only what the user chose to give)."""
    return UserFacts(age=None, age_band=user.age_band, sex=user.sex)
