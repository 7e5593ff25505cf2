"""The real Application driven in-process: what ``gutbot chat`` and the tests talk to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.app import build_application
from bot.local_api import LOCAL_TOKEN, ApiCall, LocalBotApi, UpdateFactory
from bot.runtime import database_of
from bot.settings import Settings
from storage import Database


class LocalBot:
    """One Application on the in-process Bot API, with helpers that act as a user."""

    def __init__(
        self, settings: Settings, *, listener: Callable[[ApiCall], None] | None = None
    ) -> None:
        self.api = LocalBotApi(listener)
        self.updates = UpdateFactory()
        builder = (
            Application.builder()
            .token(LOCAL_TOKEN)
            .request(self.api)
            .get_updates_request(self.api)
            .updater(None)
        )
        self.app: Application[Any, Any, Any, Any, Any, Any] = build_application(builder, settings)
        self._started = False

    async def start(self) -> None:
        """Initialise the bot and run ``post_init`` (database migration, menu, background tasks)."""
        await self.app.initialize()
        if self.app.post_init is not None:
            await self.app.post_init(self.app)
        self._started = True

    async def stop(self) -> None:
        """Shut down cleanly (``post_shutdown`` closes the database)."""
        if not self._started:
            return
        self._started = False
        await self.app.shutdown()
        if self.app.post_shutdown is not None:
            await self.app.post_shutdown(self.app)

    async def __aenter__(self) -> LocalBot:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def db(self) -> Database:
        """The bot's open database."""
        return database_of(self.app)

    async def process(self, update: dict[str, Any]) -> list[ApiCall]:
        """Feed one update through the real dispatcher; returns the calls it caused."""
        before = len(self.api.calls)
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return self.api.calls[before:]

    async def say(self, user_id: int, text: str, *, language: str | None = "en") -> list[ApiCall]:
        """The user sends a text message or command."""
        return await self.process(self.updates.text(user_id, text, language=language))

    async def upload(
        self,
        user_id: int,
        data: bytes,
        filename: str,
        *,
        mime_type: str = "application/octet-stream",
        size: int | None = None,
    ) -> list[ApiCall]:
        """The user sends a file as a document (``size`` may claim a different size)."""
        file_id = self.api.add_upload(data)
        update = self.updates.document(
            user_id,
            file_id,
            filename=filename,
            size=len(data) if size is None else size,
            mime_type=mime_type,
        )
        return await self.process(update)

    async def photo(self, user_id: int, data: bytes) -> list[ApiCall]:
        """The user sends a photo (a picture, not a file)."""
        file_id = self.api.add_upload(data)
        return await self.process(self.updates.photo(user_id, file_id, size=len(data)))

    def last_with_button(self, user_id: int, label_or_data: str) -> tuple[ApiCall, str]:
        """The newest message to this user with a button whose label or data matches."""
        for call in reversed(self.api.sent(user_id)):
            for label, data in call.buttons:
                if label_or_data in (label, data):
                    return call, data
        raise LookupError(f"no message with a button {label_or_data!r} for user {user_id}")

    def button_data(self, user_id: int, prefix: str) -> str:
        """Callback data of the first button starting with ``prefix`` on the newest such message."""
        for call in reversed(self.api.sent(user_id)):
            for _, data in call.buttons:
                if data.startswith(prefix):
                    return data
        raise LookupError(f"no button with data starting {prefix!r} for user {user_id}")

    async def press(self, user_id: int, label_or_data: str) -> list[ApiCall]:
        """The user presses the newest button with this label or callback data."""
        call, data = self.last_with_button(user_id, label_or_data)
        message_id = self._message_id_of(call)
        update = self.updates.callback(user_id, data, message_id=message_id, message_text=call.text)
        return await self.process(update)

    async def press_data(self, user_id: int, data: str, *, message_id: int = 1) -> list[ApiCall]:
        """The user presses a button with this callback data (possibly a stale one)."""
        return await self.process(self.updates.callback(user_id, data, message_id=message_id))

    def _message_id_of(self, call: ApiCall) -> int:
        if call.message_id is None:
            raise LookupError(f"{call.method} produced no message to press a button on")
        return call.message_id
