"""/profile: the optional facts that change what triage says (age band, sex, conditions)."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import BaseHandler

from bot.callbacks import PROFILE, ProfileTap
from bot.flows.registry import Command, Flow
from bot.handlers import Call, Tap, button, button_handlers, command
from bot.runtime import database_of
from bot.services import profile
from bot.services.profile import AGE_BANDS, CONDITIONS, SEXES, Profile
from content.messages import text


def _summary(facts: Profile) -> str:
    if facts.empty:
        return text("profile.empty")
    none = text("profile.not_given")
    lines = [
        text("profile.title"),
        text(
            "profile.age_line",
            value=text(f"profile.age.{facts.age_band}") if facts.age_band else none,
        ),
        text("profile.sex_line", value=text(f"profile.sex.{facts.sex}") if facts.sex else none),
        text(
            "profile.conditions_line",
            value=", ".join(
                text(f"profile.condition.{c}") for c in CONDITIONS if c in facts.conditions
            )
            or none,
        ),
    ]
    return "\n".join(lines)


def _button(label: str, field: str, value: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=PROFILE.pack(field, value))


def _menu() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(text("profile.buttons.age"), "menu", "age"),
                _button(text("profile.buttons.sex"), "menu", "sex"),
            ],
            [_button(text("profile.buttons.conditions"), "menu", "cond")],
            [_button(text("profile.buttons.clear"), "clear", "all")],
        ]
    )


def _choices(field: str, facts: Profile) -> InlineKeyboardMarkup:
    if field == "age":
        options = [(text(f"profile.age.{b}"), b) for b in AGE_BANDS]
    elif field == "sex":
        options = [(text(f"profile.sex.{s}"), s) for s in SEXES]
    else:
        options = [
            (("✓ " if c in facts.conditions else "") + text(f"profile.condition.{c}"), c)
            for c in CONDITIONS
        ]
    buttons = [_button(label[:60], field, value) for label, value in options]
    width = 1 if field == "cond" else 2
    rows = [buttons[i : i + width] for i in range(0, len(buttons), width)]
    if field != "cond":
        rows.append([_button(text("profile.buttons.not_say"), field, "none")])
    rows.append([_button(text("profile.buttons.done"), "menu", "done")])
    return InlineKeyboardMarkup(rows)


@command()
async def profile_command(call: Call) -> None:
    """/profile: what the user has given, and buttons to change it."""
    facts = await profile.read(database_of(call.context), call.member)
    if facts is None:
        return
    await call.message.reply_text(
        f"{_summary(facts)}\n\n{text('profile.why')}", reply_markup=_menu()
    )


@button(PROFILE)
async def on_profile_button(tap: Tap[ProfileTap]) -> None:
    """Open a choice, set an answer, toggle a condition, or clear everything."""
    field, value = tap.data
    db = database_of(tap.context)
    if field == "menu":
        facts = await profile.read(db, tap.member)
        if facts is None:
            return
        if value == "done":
            await tap.query.edit_message_text(
                f"{_summary(facts)}\n\n{text('profile.saved')}", reply_markup=_menu()
            )
            return
        await tap.query.edit_message_text(
            text(f"profile.ask.{value if value in ('age', 'sex') else 'cond'}"),
            reply_markup=_choices(value if value in ("age", "sex") else "cond", facts),
        )
        return
    changed = await profile.change(db, tap.member, field, value)
    if changed is None:
        return
    if field == "cond":  # stay on the list: several can apply
        await tap.query.edit_message_reply_markup(_choices("cond", changed))
        return
    await tap.query.edit_message_text(
        f"{_summary(changed)}\n\n{text('profile.saved')}", reply_markup=_menu()
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """The /profile buttons."""
    return [*button_handlers(on_profile_button)]


FLOW = Flow(
    name="profile",
    handlers=handlers,
    commands=(Command("profile", "data", handler=profile_command),),
)
