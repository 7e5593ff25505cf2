"""An in-process Bot API: the network edge of Telegram, faked for the local chat and the tests.

``LocalBotApi`` is a python-telegram-bot ``BaseRequest``: the real ``Application`` and handlers
run unchanged, and every call the bot makes (``sendMessage``, ``sendPhoto``, ``getFile`` ...) is
recorded and answered with a valid Bot API object. ``UpdateFactory`` builds the updates a user
would send.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

BOT_USER: dict[str, Any] = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "gutbot",
    "username": "gutbot_local_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
LOCAL_TOKEN = "7000000001:LOCAL-in-process-transport-no-network"
SEND_METHODS = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageReplyMarkup"}
)


@dataclass
class ApiCall:
    """One Bot API call the bot made."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes, str]] = field(default_factory=dict)
    message_id: int | None = None

    @property
    def chat_id(self) -> int | None:
        """The chat the call addressed, when it has one."""
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        """The text or caption of the call ('' when it has none)."""
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """Inline keyboard buttons as (label, callback data or URL), row by row."""
        markup = self.params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if not isinstance(markup, dict):
            return []
        out = []
        for row in markup.get("inline_keyboard", []):
            for button in row:
                out.append((button["text"], button.get("callback_data") or button.get("url", "")))
        return out


class LocalBotApi(BaseRequest):
    """Answers the bot's Bot API calls in memory and records them."""

    def __init__(self, listener: Callable[[ApiCall], None] | None = None) -> None:
        self.calls: list[ApiCall] = []
        self.listener = listener
        self.uploads: dict[str, bytes] = {}
        self.blocked_chats: set[int] = set()
        self.retry_after: dict[int, int] = {}
        self.fail_network: int = 0
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)

    # --- BaseRequest -------------------------------------------------------------------------
    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:
            path = url.split("/file/bot", 1)[1].split("/", 1)[1]
            if path not in self.uploads:
                return 404, b'{"ok": false, "error_code": 404, "description": "Not Found"}'
            return 200, self.uploads[path]
        name = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        files: dict[str, tuple[str, bytes, str]] = {}
        if request_data is not None and request_data.contains_files:
            for part, (filename, content, mime) in request_data.multipart_data.items():
                raw = content if isinstance(content, bytes) else content.read()
                files[part] = (filename, raw, mime)
        call = ApiCall(name, params, files)
        failure = self._failure_for(call)
        if failure is not None:
            return failure
        result = self._result(call)
        if isinstance(result, dict) and "message_id" in result:
            call.message_id = int(result["message_id"])
        self.calls.append(call)
        if self.listener is not None:
            self.listener(call)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # --- scripted failures ---------------------------------------------------------------------
    def _failure_for(self, call: ApiCall) -> tuple[int, bytes] | None:
        if call.method not in SEND_METHODS and call.method != "sendChatAction":
            return None
        if self.fail_network > 0:
            self.fail_network -= 1
            return 502, b'{"ok": false, "error_code": 502, "description": "Bad Gateway"}'
        chat = call.chat_id
        if chat is not None and chat in self.blocked_chats:
            body = {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked"}
            return 403, json.dumps(body).encode()
        if chat is not None and self.retry_after.get(chat):
            seconds = self.retry_after.pop(chat)
            body = {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {seconds}",
                "parameters": {"retry_after": seconds},
            }
            return 429, json.dumps(body).encode()
        return None

    # --- canned results ----------------------------------------------------------------------
    def _message(self, call: ApiCall) -> dict[str, Any]:
        chat_id = call.chat_id or 0
        message: dict[str, Any] = {
            "message_id": int(call.params.get("message_id") or next(self._message_ids)),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT_USER,
        }
        if call.method in {"sendMessage", "editMessageText"}:
            message["text"] = call.text
        elif call.params.get("caption"):
            message["caption"] = call.params["caption"]
        markup = call.params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        if call.method == "sendPhoto":
            size = len(next(iter(call.files.values()))[1]) if call.files else 0
            message["photo"] = [self._file_meta(size) | {"width": 1080, "height": 1080}]
        if call.method == "sendDocument":
            filename, content, mime = next(iter(call.files.values()), ("file", b"", ""))
            meta = self._file_meta(len(content))
            message["document"] = meta | {"file_name": filename, "mime_type": mime}
        return message

    def _file_meta(self, size: int) -> dict[str, Any]:
        n = next(self._file_ids)
        return {"file_id": f"out-{n}", "file_unique_id": f"outu-{n}", "file_size": size}

    def _result(self, call: ApiCall) -> Any:
        name = call.method
        if name == "getMe":
            return BOT_USER
        if name in {"sendMessage", "sendPhoto", "sendDocument"}:
            return self._message(call)
        if name in {"editMessageText", "editMessageReplyMarkup"}:
            return self._message(call) if call.chat_id is not None else True
        if name == "getFile":
            file_id = str(call.params["file_id"])
            path = f"documents/{file_id}"
            return {
                "file_id": file_id,
                "file_unique_id": f"u-{file_id}",
                "file_size": len(self.uploads.get(path, b"")),
                "file_path": path,
            }
        if name == "getUpdates":
            return []
        if name in {"getMyCommands"}:
            return []
        return True

    # --- helpers for callers -----------------------------------------------------------------
    def add_upload(self, data: bytes) -> str:
        """Store bytes a user 'uploaded'; returns the file id for a document update."""
        file_id = "in-" + hashlib.sha256(data).hexdigest()[:16] + f"-{next(self._file_ids)}"
        self.uploads[f"documents/{file_id}"] = data
        return file_id

    def sent(self, chat_id: int | None = None) -> list[ApiCall]:
        """Calls that show something to a user (messages, photos, documents, edits)."""
        return [
            c
            for c in self.calls
            if c.method in SEND_METHODS and (chat_id is None or c.chat_id == chat_id)
        ]


class UpdateFactory:
    """Builds the Bot API update objects a private-chat user would send."""

    def __init__(self) -> None:
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(100000)

    def _user(self, user_id: int, language: str | None) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if language:
            user["language_code"] = language
        return user

    def _message(self, user_id: int, language: str | None, **fields: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": f"User{user_id}"},
            "from": self._user(user_id, language),
            **fields,
        }

    def text(self, user_id: int, text: str, *, language: str | None = "en") -> dict[str, Any]:
        """A text message (a command when it starts with '/')."""
        fields: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            length = len(text.split()[0])
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return {
            "update_id": next(self._update_ids),
            "message": self._message(user_id, language, **fields),
        }

    def document(
        self,
        user_id: int,
        file_id: str,
        *,
        filename: str,
        size: int,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
        language: str | None = "en",
    ) -> dict[str, Any]:
        """A document sent as a file."""
        document = {
            "file_id": file_id,
            "file_unique_id": "u-" + file_id,
            "file_name": filename,
            "mime_type": mime_type,
            "file_size": size,
        }
        fields: dict[str, Any] = {"document": document}
        if caption:
            fields["caption"] = caption
        return {
            "update_id": next(self._update_ids),
            "message": self._message(user_id, language, **fields),
        }

    def photo(
        self, user_id: int, file_id: str, *, size: int, language: str | None = "en"
    ) -> dict[str, Any]:
        """A photo with a file behind it (Telegram sends several sizes; the file is the largest)."""
        sizes = [
            {
                "file_id": f"{file_id}-small",
                "file_unique_id": "u-s-" + file_id,
                "width": 90,
                "height": 120,
                "file_size": 2_000,
            },
            {
                "file_id": file_id,
                "file_unique_id": "u-" + file_id,
                "width": 1240,
                "height": 1754,
                "file_size": size,
            },
        ]
        return {
            "update_id": next(self._update_ids),
            "message": self._message(user_id, language, photo=sizes),
        }

    def media(self, user_id: int, kind: str, *, language: str | None = "en") -> dict[str, Any]:
        """A sticker, voice note or photo (things gutbot cannot read)."""
        meta = {"file_id": f"{kind}-1", "file_unique_id": f"{kind}-u1"}
        payloads: dict[str, Any] = {
            "sticker": {
                **meta,
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
            },
            "voice": {**meta, "duration": 3},
            "photo": [{**meta, "width": 800, "height": 600}],
        }
        return {
            "update_id": next(self._update_ids),
            "message": self._message(user_id, language, **{kind: payloads[kind]}),
        }

    def callback(
        self,
        user_id: int,
        data: str,
        *,
        message_id: int,
        message_text: str = "",
        language: str | None = "en",
    ) -> dict[str, Any]:
        """A press on an inline button of the bot's message ``message_id``."""
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private"},
            "from": BOT_USER,
            "text": message_text or "…",
        }
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": str(next(self._update_ids)),
                "from": self._user(user_id, language),
                "chat_instance": f"ci-{user_id}",
                "data": data,
                "message": message,
            },
        }

    def group_text(self, user_id: int, chat_id: int, text: str) -> dict[str, Any]:
        """A command in a group chat."""
        message = self._message(user_id, "en", text=text)
        message["chat"] = {"id": chat_id, "type": "group", "title": "A group"}
        if text.startswith("/"):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
        return {"update_id": next(self._update_ids), "message": message}
