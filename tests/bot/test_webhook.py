"""The webhook app: secret header, health and readiness, updates processed before the 200."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette

from bot.app import FLOWS
from bot.flows.registry import Registry
from bot.local_bot import LocalBot
from bot.settings import Settings
from bot.webhook import SECRET_HEADER, create_app, webhook_path
from content.messages import text
from storage import open_database

HELP_TEXT = Registry(FLOWS).help_text()

SECRET = "s3cret-token_for-tests"
Client = tuple[httpx.AsyncClient, LocalBot, Starlette]


@pytest.fixture
def webhook_settings(bot_settings: Settings) -> Settings:
    return bot_settings.model_copy(
        update={
            "webhook_url": "https://bot.example.org/tg/updates",
            "webhook_secret": SecretStr(SECRET),
        }
    )


@pytest.fixture
async def client(
    webhook_settings: Settings,
) -> AsyncIterator[tuple[httpx.AsyncClient, LocalBot, Starlette]]:
    bot = LocalBot(webhook_settings)
    app = create_app(bot.app, webhook_settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://worker") as http:
            yield http, bot, app


def test_path_comes_from_the_public_url(webhook_settings: Settings) -> None:
    assert webhook_path(webhook_settings) == "/tg/updates"
    assert webhook_path(webhook_settings.model_copy(update={"webhook_url": None})) == "/telegram"


async def test_registers_the_webhook_with_its_secret(client) -> None:  # type: ignore[no-untyped-def]
    _, bot, _ = client
    calls = [c for c in bot.api.calls if c.method == "setWebhook"]
    assert len(calls) == 1
    assert calls[0].params["url"] == "https://bot.example.org/tg/updates"
    assert calls[0].params["secret_token"] == SECRET


async def test_secret_header_is_required(client) -> None:  # type: ignore[no-untyped-def]
    http, bot, _ = client
    update = bot.updates.text(5, "/help")
    missing = await http.post("/tg/updates", json=update)
    wrong = await http.post("/tg/updates", json=update, headers={SECRET_HEADER: "nope"})
    assert (missing.status_code, wrong.status_code) == (401, 403)
    assert not bot.api.sent(5)


async def test_update_is_processed_before_the_acknowledgement(client) -> None:  # type: ignore[no-untyped-def]
    http, bot, _ = client
    response = await http.post(
        "/tg/updates", json=bot.updates.text(6, "/help"), headers={SECRET_HEADER: SECRET}
    )
    assert response.status_code == 200
    assert bot.api.sent(6)[-1].text == HELP_TEXT


async def test_garbage_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    http, _, _ = client
    response = await http.post("/tg/updates", content=b"{not json", headers={SECRET_HEADER: SECRET})
    assert response.status_code == 400


async def test_health_and_readiness(client) -> None:  # type: ignore[no-untyped-def]
    http, bot, _ = client
    assert (await http.get("/healthz")).status_code == 200
    ready = await http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"database": "ok"}
    working = bot.db
    unreachable = open_database("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    bot.app.bot_data["gutbot.db"] = unreachable
    try:
        not_ready = await http.get("/readyz")
    finally:
        bot.app.bot_data["gutbot.db"] = working
        await unreachable.close()
    assert not_ready.status_code == 503
    assert not_ready.json() == {"database": "unreachable"}


async def test_a_serving_worker_exempts_its_start_up_heap_from_collection(
    webhook_settings: Settings,
) -> None:
    bot = LocalBot(webhook_settings)
    app = create_app(bot.app, webhook_settings, freeze_heap=True)
    gc.unfreeze()
    try:
        async with app.router.lifespan_context(app):
            # The content index built at start-up is among the frozen objects.
            frozen = gc.get_freeze_count()
            assert frozen > 10_000
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://worker") as http:
                answered = await http.post(
                    "/tg/updates",
                    json=bot.updates.text(6, "/help"),
                    headers={SECRET_HEADER: SECRET},
                )
            assert answered.status_code == 200
            # Only at start-up: what updates allocate later is collected as usual.
            assert gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()  # the test process goes on collecting as before
    plain = create_app(LocalBot(webhook_settings).app, webhook_settings)
    async with plain.router.lifespan_context(plain):
        assert gc.get_freeze_count() == 0


async def test_a_body_past_the_limit_is_refused_without_reading_it_all(
    webhook_settings: Settings,
) -> None:
    limited = webhook_settings.model_copy(update={"webhook_max_body_bytes": 4096})
    bot = LocalBot(limited)
    app = create_app(bot.app, limited)
    sent = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal sent
        while sent < 10_000_000:
            sent += 1024
            yield b" " * 1024

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://worker") as http:
            declared = await http.post(
                "/tg/updates",
                content=b" " * 5000,
                headers={SECRET_HEADER: SECRET},
            )
            streamed = await http.post(
                "/tg/updates", content=endless(), headers={SECRET_HEADER: SECRET}
            )
            normal = await http.post(
                "/tg/updates", json=bot.updates.text(7, "/help"), headers={SECRET_HEADER: SECRET}
            )
    assert (declared.status_code, streamed.status_code, normal.status_code) == (413, 413, 200)


async def test_a_body_sent_too_slowly_is_refused(webhook_settings: Settings) -> None:
    import asyncio

    slow = webhook_settings.model_copy(update={"webhook_read_timeout_seconds": 0.2})
    bot = LocalBot(slow)
    app = create_app(bot.app, slow)

    async def trickle() -> AsyncIterator[bytes]:
        for _ in range(20):
            await asyncio.sleep(0.1)
            yield b" "

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://worker") as http:
            response = await http.post(
                "/tg/updates", content=trickle(), headers={SECRET_HEADER: SECRET}
            )
    assert response.status_code == 408


async def test_an_update_past_its_time_is_abandoned_and_the_chat_goes_on(
    webhook_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    quick = webhook_settings.model_copy(update={"update_timeout_seconds": 0.3})
    bot = LocalBot(quick)
    app = create_app(bot.app, quick)
    original = type(bot.app).process_update

    async def process(self, update):  # type: ignore[no-untyped-def]
        if update.effective_message and update.effective_message.text == "/hang":
            await asyncio.sleep(30)
        await original(self, update)

    monkeypatch.setattr(type(bot.app), "process_update", process)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://worker") as http:
            hung = await http.post(
                "/tg/updates", json=bot.updates.text(8, "/hang"), headers={SECRET_HEADER: SECRET}
            )
            after = await http.post(
                "/tg/updates", json=bot.updates.text(8, "/help"), headers={SECRET_HEADER: SECRET}
            )
    assert (hung.status_code, after.status_code) == (200, 200)
    sent = [m.text for m in bot.api.sent(8)]
    assert sent[-2:] == [text("common.too_slow"), HELP_TEXT]  # told, then served


async def test_healthz_answers_within_100_ms_while_the_largest_update_is_processed(
    client,  # type: ignore[no-untyped-def]
    webhook_settings: Settings,
) -> None:
    # A signed body at the size limit holding one text of red-flag words: the rules read its
    # first 4,096 characters (Telegram's longest message) for up to a second of CPU, off the loop.
    import asyncio
    import json
    import random
    import time

    http, bot, _ = client
    words = "blood black poo pain stomach since days not no never if my mum baby vomit fever 39"
    rng = random.Random(3)
    long_text = " ".join(rng.choice(words.split()) for _ in range(300_000))
    limit = webhook_settings.webhook_max_body_bytes
    update = bot.updates.text(12, long_text)
    overshoot = len(json.dumps(update).encode()) - limit + 64
    update["message"]["text"] = long_text[: len(long_text) - overshoot]
    body = json.dumps(update).encode()
    assert limit - 100 < len(body) <= limit
    headers = {SECRET_HEADER: SECRET, "content-type": "application/json"}
    await http.post("/tg/updates", json=bot.updates.text(12, "warm up"), headers=headers)

    posting = asyncio.create_task(http.post("/tg/updates", content=body, headers=headers))
    # Each wait is from one answer of /healthz to the next, less the pause between them: a loop
    # held by the update shows as one long wait, even for a request sent after the hold began.
    waits, last = [], time.perf_counter()
    while not posting.done():
        await asyncio.sleep(0.02)
        assert (await http.get("/healthz")).status_code == 200
        now = time.perf_counter()
        waits.append(now - last - 0.02)
        last = now
    assert (await posting).status_code == 200
    assert bot.api.sent(12)[-1].text  # the long message was answered
    assert max(waits) < 0.1, max(waits)
    assert len(waits) >= 5, "the update was processed too fast for the check to mean anything"


@pytest.mark.parametrize(
    "body",
    [
        b"null",
        b"[]",
        b"[1, 2]",
        b'"an update"',
        b"42",
        b"{}",
        b'{"update_id": "x", "message": 5}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a": ' * 50_000 + b"1" + b"}" * 50_000,
    ],
    ids=[
        "null",
        "empty list",
        "list",
        "string",
        "number",
        "empty object",
        "wrong types",
        "deep list",
        "deep object",
    ],
)
async def test_json_that_is_not_an_update_is_refused_with_400(client, body: bytes) -> None:  # type: ignore[no-untyped-def]
    http, _, _ = client
    response = await http.post(
        "/tg/updates",
        content=body,
        headers={SECRET_HEADER: SECRET, "content-type": "application/json"},
    )
    assert response.status_code == 400
    assert (await http.get("/healthz")).status_code == 200
