"""``gutbot chat``: talk to the real bot in the terminal, no Telegram token needed.

Type messages as you would in Telegram. ``/upload PATH`` sends a file as a document, ``/photo
PATH`` a picture as a photo, a number presses that button of the last keyboard, ``/quit`` leaves. Photos and documents the bot sends are
saved to a folder and their paths printed.
"""

from __future__ import annotations

import asyncio
import mimetypes
import sys
import textwrap
from pathlib import Path
from typing import TextIO

from bot.local_api import ApiCall
from bot.local_bot import LocalBot
from bot.settings import Settings

LOCAL_USER_ID = 1
WIDTH = 78


class ChatPrinter:
    """Shows the bot's calls in the terminal and remembers the last keyboard."""

    def __init__(self, out: TextIO, output_dir: Path) -> None:
        self.out = out
        self.output_dir = output_dir
        #: The buttons a number presses: every keyboard of the bot's last turn, numbered on.
        self.keys: dict[int, tuple[ApiCall, str]] = {}
        self._turn_started = True
        self._saved = 0
        self.saved: list[Path] = []
        self.deleted = False
        from content.messages import text

        self.saved_notice = text("checkin.saved_step")
        self.deleted_notice = text("account.delete.done")

    def new_turn(self) -> None:
        """The user is about to act: the next keyboard starts the numbering at 1 again."""
        self._turn_started = True

    def press(self, number: int) -> tuple[ApiCall, str] | None:
        """The message and callback data of the button with this number."""
        return self.keys.get(number)

    def __call__(self, call: ApiCall) -> None:
        if call.method == "sendChatAction":
            action = str(call.params.get("action", "typing")).replace("_", " ")
            self._line(f"  … gutbot is {action}")
        elif call.method in {"sendMessage", "editMessageText"}:
            label = "gutbot" if call.method == "sendMessage" else "gutbot (updated)"
            self._block(label, call.text)
            self.deleted = self.deleted or call.text == self.deleted_notice
        elif call.method in {"sendPhoto", "sendDocument"}:
            for filename, content, _ in call.files.values():
                path = self._save(filename, content, photo=call.method == "sendPhoto")
                kind = "photo" if call.method == "sendPhoto" else "document"
                self._line(f"gutbot sent a {kind}: {path}")
            if call.text:
                self._block("caption", call.text)
        elif call.method == "answerCallbackQuery":
            # Telegram shows a tap's answer as a passing notice; "saved" needs no line here.
            notice = call.params.get("text")
            if notice and notice != self.saved_notice:
                self._line(f"  ({notice})")
            self.out.flush()
            return
        elif call.method != "editMessageReplyMarkup":
            return
        if call.buttons:
            if self._turn_started:
                self.keys, self._turn_started = {}, False
            else:  # a keyboard replaced by an edit takes its old numbers' place
                self._drop(call)
            start = max(self.keys, default=0) + 1
            for number, (label, data) in enumerate(call.buttons, start=start):
                self.keys[number] = (call, data)
                self._line(f"   [{number}] {label}")
        elif call.method in {"editMessageText", "editMessageReplyMarkup"}:
            self._drop(call)
        self.out.flush()

    def _drop(self, call: ApiCall) -> None:
        if call.message_id is None:
            return
        self.keys = {n: k for n, k in self.keys.items() if k[0].message_id != call.message_id}

    def _save(self, filename: str, content: bytes, *, photo: bool) -> Path:
        self.output_dir.mkdir(parents=True, exist_ok=True)
        self._saved += 1
        name = Path(filename).name or "file"
        if photo:
            kind = "png" if content.startswith(b"\x89PNG") else "jpg"
            if Path(name).suffix.lower() not in {".png", ".jpg", ".jpeg"}:
                name = f"photo.{kind}"
        path = self.output_dir / f"{self._saved:03d}-{name}"
        path.write_bytes(content)
        self.saved.append(path)
        return path.resolve()

    def forget_saved(self) -> int:
        """Remove every file this chat saved (after /delete: exports hold the user's data)."""
        removed = 0
        for path in self.saved:
            if path.exists():
                path.unlink()
                removed += 1
        self.saved = []
        return removed

    def _line(self, text: str) -> None:
        print(text, file=self.out)

    def _block(self, label: str, text: str) -> None:
        print(f"{label}:", file=self.out)
        for paragraph in text.splitlines() or [""]:
            wrapped = textwrap.wrap(paragraph, WIDTH - 2) or [""]
            for line in wrapped:
                print(f"  {line}", file=self.out)


def _read_file(path: Path) -> bytes | None:
    path = path.expanduser()
    return path.read_bytes() if path.is_file() else None


async def _read_line(stream: TextIO) -> str | None:
    line = await asyncio.get_running_loop().run_in_executor(None, stream.readline)
    return None if line == "" else line.rstrip("\n")


async def run_chat(
    settings: Settings, *, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
) -> int:
    """Run the local chat until /quit or end of input; returns an exit code."""
    printer = ChatPrinter(stdout, Path(settings.chat_output_dir))
    bot = LocalBot(settings, listener=printer)
    print(
        "gutbot local chat. Type a message; /upload PATH sends a file, /photo PATH a photo; "
        "a number presses a button; /quit leaves.",
        file=stdout,
    )
    from content.embedding_model import needs_building

    if needs_building():
        print(
            "Preparing the model that matches questions to topics (first start only, "
            "a few seconds)...",
            file=stdout,
            flush=True,
        )
    await bot.start()
    try:
        await bot.say(LOCAL_USER_ID, "/start")
        while True:
            print("you> ", end="", file=stdout, flush=True)
            line = await _read_line(stdin)
            if line is None:
                print("", file=stdout)
                break
            line = line.strip()
            if not line:
                continue
            if line in {"/quit", "/exit"}:
                break
            await _handle(bot, printer, line, stdout)
            if printer.deleted:
                printer.deleted = False
                removed = printer.forget_saved()
                if removed:
                    print(f"  (removed {removed} file(s) this chat had saved)", file=stdout)
    finally:
        await bot.stop()
    print("Bye.", file=stdout)
    return 0


async def _handle(bot: LocalBot, printer: ChatPrinter, line: str, stdout: TextIO) -> None:
    printer.new_turn()
    if line.isdigit():
        pressed = printer.press(int(line))
        if pressed is None:
            print("  (no button with that number)", file=stdout)
            return
        message, callback_data = pressed
        update = bot.updates.callback(
            LOCAL_USER_ID,
            callback_data,
            message_id=message.message_id or 1,
            message_text=message.text,
        )
        await bot.process(update)
        return
    if line.startswith(("/upload", "/photo")):
        command, _, raw = line.partition(" ")
        raw = raw.strip().strip("'\"")
        if not raw:
            print(f"  usage: {command} PATH", file=stdout)
            return
        path = Path(raw)
        content = await asyncio.to_thread(_read_file, path)
        if content is None:
            print(f"  (no file at {path})", file=stdout)
            return
        print(f"  (sending {path.name}, {len(content):,} bytes)", file=stdout)
        if command == "/photo":
            await bot.photo(LOCAL_USER_ID, content)
            return
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        await bot.upload(LOCAL_USER_ID, content, path.name, mime_type=mime)
        return
    await bot.say(LOCAL_USER_ID, line)
