"""``gutbot chat``: talk to the real bot in the terminal, no Telegram token needed.

Type messages as you would in Telegram. ``/upload PATH`` sends a file as a document, a number
presses that button of the last keyboard, ``/quit`` leaves. Photos and documents the bot sends are
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
        self.buttons: list[tuple[str, str]] = []
        self.button_message: ApiCall | None = None
        self._saved = 0
        from content.messages import text

        self.saved_notice = text("checkin.saved_step")

    def __call__(self, call: ApiCall) -> None:
        if call.method == "sendChatAction":
            action = str(call.params.get("action", "typing")).replace("_", " ")
            self._line(f"  … gutbot is {action}")
        elif call.method in {"sendMessage", "editMessageText"}:
            label = "gutbot" if call.method == "sendMessage" else "gutbot (updated)"
            self._block(label, call.text)
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
            self.buttons = call.buttons
            self.button_message = call
            for number, (label, _) in enumerate(call.buttons, start=1):
                self._line(f"   [{number}] {label}")
        elif self._edits_keyboard_message(call):
            self.buttons = []
        self.out.flush()

    def _edits_keyboard_message(self, call: ApiCall) -> bool:
        if call.method not in {"editMessageText", "editMessageReplyMarkup"}:
            return False
        return self.button_message is not None and call.message_id == self.button_message.message_id

    def _save(self, filename: str, content: bytes, *, photo: bool) -> Path:
        self.output_dir.mkdir(parents=True, exist_ok=True)
        self._saved += 1
        name = Path(filename).name or "file"
        if photo and not Path(name).suffix:
            name += ".png"
        path = self.output_dir / f"{self._saved:03d}-{name}"
        path.write_bytes(content)
        return path.resolve()

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
        "gutbot local chat. Type a message; /upload PATH sends a file; a number presses a "
        "button; /quit leaves.",
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
    finally:
        await bot.stop()
    print("Bye.", file=stdout)
    return 0


async def _handle(bot: LocalBot, printer: ChatPrinter, line: str, stdout: TextIO) -> None:
    if line.isdigit():
        number = int(line)
        if not printer.buttons or not 1 <= number <= len(printer.buttons):
            print("  (no button with that number)", file=stdout)
            return
        _, callback_data = printer.buttons[number - 1]
        message = printer.button_message
        message_id = message.message_id if message and message.message_id else 1
        update = bot.updates.callback(
            LOCAL_USER_ID,
            callback_data,
            message_id=message_id,
            message_text=message.text if message else "",
        )
        await bot.process(update)
        return
    if line.startswith("/upload"):
        raw = line.removeprefix("/upload").strip().strip("'\"")
        if not raw:
            print("  usage: /upload PATH", file=stdout)
            return
        path = Path(raw)
        content = await asyncio.to_thread(_read_file, path)
        if content is None:
            print(f"  (no file at {path})", file=stdout)
            return
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        print(f"  (sending {path.name}, {len(content):,} bytes)", file=stdout)
        await bot.upload(LOCAL_USER_ID, content, path.name, mime_type=mime)
        return
    await bot.say(LOCAL_USER_ID, line)
