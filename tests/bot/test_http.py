"""AiohttpRequest: what the bot sends to the Bot API and how failures surface, on a real socket."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from pydantic import SecretStr
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.cli import application_builder
from bot.http import AiohttpRequest
from bot.settings import Settings

TOKEN = "123456:TESTtokenTESTtokenTESTtoken"
BOT = {"id": 123456, "is_bot": True, "first_name": "gutbot", "username": "gutbot_test_bot"}


@dataclass
class FakeApi:
    """A Bot API on loopback that records what it was sent and answers like Telegram."""

    port: int = 0
    calls: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    answer: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    delay: float = 0.0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def method(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        fields: dict[str, Any] = {}
        content_type = request.headers.get("Content-Type", "")
        if content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                assert isinstance(part, aiohttp.BodyPartReader)
                data = await part.read()
                fields[str(part.name)] = (
                    {
                        "filename": part.filename,
                        "type": part.headers.get("Content-Type"),
                        "data": data,
                    }
                    if part.filename
                    else data.decode()
                )
        elif await request.read():
            fields = dict(await request.post())  # type: ignore[arg-type]
        self.calls.append((name, content_type.split(";")[0], fields))
        if self.delay:
            await asyncio.sleep(self.delay)
        if name in self.answer:
            status, body = self.answer[name]
            return web.json_response(body, status=status)
        if name == "getMe":
            return web.json_response({"ok": True, "result": BOT})
        if name == "getFile":
            result = {"file_id": "f1", "file_unique_id": "u1", "file_path": "documents/r.tsv"}
            return web.json_response({"ok": True, "result": result})
        message = {
            "message_id": len(self.calls),
            "date": 1_700_000_000,
            "chat": {"id": int(fields.get("chat_id", 0)), "type": "private"},
            "from": BOT,
            "text": fields.get("text", ""),
        }
        return web.json_response({"ok": True, "result": message})

    async def file(self, request: web.Request) -> web.Response:
        return web.Response(body=b"#SampleID\tsample\nBacteroides\t12\n")


@pytest.fixture
async def api() -> AsyncIterator[FakeApi]:
    fake = FakeApi()
    app = web.Application()
    app.router.add_route("*", "/bot{token}/{method}", fake.method)
    app.router.add_get("/file/bot{token}/{path:.+}", fake.file)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server = site._server
    assert server is not None
    fake.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield fake
    finally:
        await runner.cleanup()


def _bot(api: FakeApi, request: AiohttpRequest | None = None) -> Bot:
    return Bot(
        TOKEN,
        base_url=f"{api.base}/bot",
        base_file_url=f"{api.base}/file/bot",
        request=request or AiohttpRequest(),
    )


async def test_a_reply_with_buttons_goes_out_as_a_form_and_comes_back_as_a_message(
    api: FakeApi,
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Sources ✓", callback_data="src:x")]])
    async with _bot(api) as bot:
        sent = await bot.send_message(chat_id=42, text="Blähungen & Bauch", reply_markup=keyboard)
    assert sent.text == "Blähungen & Bauch"
    assert sent.chat.id == 42
    name, content_type, fields = api.calls[-1]
    assert (name, content_type) == ("sendMessage", "application/x-www-form-urlencoded")
    assert fields["chat_id"] == "42"
    assert fields["text"] == "Blähungen & Bauch"
    markup = json.loads(fields["reply_markup"])
    assert markup["inline_keyboard"][0][0] == {"text": "Sources ✓", "callback_data": "src:x"}


async def test_a_file_goes_out_as_multipart_with_its_name_and_type(api: FakeApi) -> None:
    async with _bot(api) as bot:
        await bot.send_document(
            chat_id=7, document=b"taxon,abundance\nA,1\n", filename="findings.csv", caption="Über"
        )
    name, content_type, fields = api.calls[-1]
    assert (name, content_type) == ("sendDocument", "multipart/form-data")
    assert fields["chat_id"] == "7"
    assert fields["caption"] == "Über"
    assert fields["document"]["filename"] == "findings.csv"
    assert fields["document"]["data"] == b"taxon,abundance\nA,1\n"


async def test_a_file_is_downloaded_into_memory(api: FakeApi) -> None:
    async with _bot(api) as bot:
        file = await bot.get_file("f1")
        data = await file.download_as_bytearray()
    assert bytes(data).startswith(b"#SampleID")


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (
            400,
            {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
            BadRequest,
        ),
        (
            403,
            {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot was blocked by the user",
            },
            Forbidden,
        ),
        (
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests",
                "parameters": {"retry_after": 3},
            },
            RetryAfter,
        ),
    ],
)
async def test_telegram_errors_become_the_usual_exceptions(
    api: FakeApi, status: int, body: dict[str, Any], error: type[Exception]
) -> None:
    api.answer["sendMessage"] = (status, body)
    async with _bot(api) as bot:
        with pytest.raises(error) as raised:
            await bot.send_message(chat_id=1, text="hi")
    if isinstance(raised.value, RetryAfter):
        wait = raised.value.retry_after
        assert (wait if isinstance(wait, int) else wait.total_seconds()) == 3


async def test_a_slow_answer_times_out(api: FakeApi) -> None:
    async with _bot(api, AiohttpRequest(read_timeout=0.2)) as bot:
        api.delay = 1.0
        with pytest.raises(TimedOut):
            await bot.send_message(chat_id=1, text="hi")
        # A caller's own read timeout wins over the default.
        api.delay = 0.3
        sent = await bot.send_message(chat_id=1, text="hi", read_timeout=2)
    assert sent.text == "hi"


async def test_an_unreachable_server_is_a_network_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens on the port any more: the connection is refused.
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
        assert "aiohttp." in str(raised.value)
        assert not isinstance(raised.value, TimedOut)
    finally:
        await request.shutdown()


async def test_it_must_be_initialized_and_can_be_again_after_a_shutdown(api: FakeApi) -> None:
    request = AiohttpRequest()
    # As with python-telegram-bot's own request class, this surfaces as a NetworkError.
    with pytest.raises(NetworkError, match="not initialized"):
        await request.post(f"{api.base}/bot{TOKEN}/getMe")
    for _ in range(2):
        await request.initialize()
        result = await request.post(f"{api.base}/bot{TOKEN}/getMe")
        assert result["username"] == "gutbot_test_bot"  # type: ignore[index]
        await request.shutdown()
    await request.shutdown()  # twice is harmless
    with pytest.raises(ValueError, match="at least 1"):
        AiohttpRequest(connection_pool_size=0)


async def test_many_replies_at_once_share_a_small_pool(api: FakeApi) -> None:
    api.delay = 0.01
    async with _bot(api, AiohttpRequest(connection_pool_size=2, pool_timeout=5)) as bot:
        sent = await asyncio.gather(*(bot.send_message(chat_id=i, text=str(i)) for i in range(20)))
    assert [m.chat.id for m in sent] == list(range(20))


async def test_long_polling_waits_longer_than_the_read_timeout(api: FakeApi) -> None:
    # getUpdates holds the request open for up to `timeout` seconds: python-telegram-bot adds
    # that to the read timeout, and the request must honour it.
    api.answer["getUpdates"] = (200, {"ok": True, "result": []})
    polling = AiohttpRequest(connection_pool_size=1, read_timeout=0.3)
    bot = Bot(
        TOKEN, base_url=f"{api.base}/bot", request=AiohttpRequest(), get_updates_request=polling
    )
    async with bot:
        api.delay = 0.8
        assert await bot.get_updates(timeout=1) == ()
        with pytest.raises(TimedOut):
            await bot.get_updates(timeout=0)


def test_the_bot_is_built_with_aiohttp_requests_and_the_configured_server(
    bot_settings: Settings,
) -> None:
    settings = bot_settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(TOKEN),
            "telegram_api_url": "http://127.0.0.1:8081",
            "outgoing_rate_limit": 0,
        }
    )
    application = application_builder(settings).updater(None).build()
    bot = application.bot
    assert all(isinstance(r, AiohttpRequest) for r in bot._request)
    assert bot.base_url == f"http://127.0.0.1:8081/bot{TOKEN}"
    assert bot.local_mode


async def test_a_proxy_in_the_environment_is_used_unless_the_host_is_excluded(
    api: FakeApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fake API plays the proxy: requests for a host that does not exist reach it only
    # through HTTP_PROXY.
    for name in ("HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", api.base)
    elsewhere = "http://bot-api.invalid"
    async with Bot(TOKEN, base_url=f"{elsewhere}/bot", request=AiohttpRequest()) as bot:
        sent = await bot.send_message(chat_id=9, text="via the proxy")
    assert sent.text == "via the proxy"
    assert api.calls[-1][0] == "sendMessage"
    monkeypatch.setenv("NO_PROXY", "bot-api.invalid")
    direct = AiohttpRequest()
    await direct.initialize()
    try:
        with pytest.raises(NetworkError):  # straight to a host that does not exist
            await direct.post(f"{elsewhere}/bot{TOKEN}/getMe")
    finally:
        await direct.shutdown()
