"""Handler decorators: the preamble every command and button shares, written once.

``@command()`` and ``@button(codec)`` check that the update has what a handler needs (a message,
a sender, callback data of the right family), answer stale and foreign buttons, run the consent
gate (asking for consent when it is missing, the same way everywhere) and hand the handler a
typed ``Call`` or ``Tap``. The handler then parses nothing and checks nothing: it calls one
service and replies.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from functools import wraps
from typing import Any, Generic, TypeVar

from telegram import CallbackQuery, Message, Update
from telegram.ext import CallbackQueryHandler

from bot.callbacks import Codec
from bot.consent import Member, consented_member, member_for_update
from bot.runtime import Context
from content.messages import text

T = TypeVar("T")

Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class Call:
    """A command or message from a user, with who they are."""

    update: Update
    context: Context
    message: Message
    member: Member

    @property
    def args(self) -> list[str]:
        """The words after the command."""
        return list(self.context.args or [])


@dataclass(frozen=True)
class Tap(Generic[T]):
    """A button press: the message it sits on, its typed data, and who pressed it."""

    update: Update
    context: Context
    query: CallbackQuery
    message: Message
    data: T
    member: Member


def command(*, consent: bool = True) -> Callable[[Callable[[Call], Awaitable[None]]], Handler]:
    """A command handler; with ``consent`` (the default) only consented users reach it."""

    def wrap(body: Callable[[Call], Awaitable[None]]) -> Handler:
        @wraps(body)
        async def handler(update: Update, context: Context) -> None:
            message = update.effective_message
            if message is None or update.effective_user is None:
                return
            member = await (consented_member if consent else member_for_update)(update, context)
            if member is None:
                return
            await body(Call(update, context, message, member))

        return handler

    return wrap


def button(
    codec: Codec[Any], *, consent: bool = True, answer: bool = True
) -> Callable[[Callable[[Tap[Any]], Awaitable[None]]], Handler]:
    """A button handler for one codec family.

    Data that does not unpack (a button from an older version) is answered as expired. With
    ``answer`` the tap is acknowledged before the body runs; without it the body answers with
    its own short text (e.g. "saved").
    """

    def wrap(body: Callable[[Tap[Any]], Awaitable[None]]) -> Handler:
        @wraps(body)
        async def handler(update: Update, context: Context) -> None:
            query = update.callback_query
            message = update.effective_message
            if query is None or message is None or update.effective_user is None:
                return
            data = codec.unpack(query.data)
            if data is None:
                await query.answer(text("common.stale_button"))
                return
            member = await (consented_member if consent else member_for_update)(update, context)
            if member is None:
                await query.answer()
                return
            if answer:
                await query.answer()
            await body(Tap(update, context, query, message, data, member))

        handler.codec = codec  # type: ignore[attr-defined]
        return handler

    return wrap


def button_handlers(*handlers: Handler) -> list[CallbackQueryHandler[Any, Any]]:
    """One ``CallbackQueryHandler`` per ``@button`` handler, routed by its codec's pattern."""
    return [CallbackQueryHandler(h, pattern=h.codec.pattern) for h in handlers]  # type: ignore[attr-defined]
