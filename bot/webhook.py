"""``gutbot run --webhook``: an ASGI app (Starlette + uvicorn) in front of the Application.

Several identical workers can serve one bot on one PostgreSQL. Each update is processed before
Telegram gets its 200, so an update a worker acknowledged is never lost when that worker dies
(Telegram re-sends unacknowledged ones). Updates of one chat are handled in order.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlparse

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot.concurrency import chat_key, run_watched
from bot.errors import describe_update
from bot.runtime import database_of, freeze_startup_heap
from bot.settings import Settings

log = logging.getLogger("gutbot.webhook")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_path(settings: Settings) -> str:
    """The path updates are posted to: the path of WEBHOOK_URL, or /telegram."""
    if settings.webhook_url:
        path = urlparse(settings.webhook_url).path
        if path and path != "/":
            return path
    return "/telegram"


class ChatLanes:
    """One lock per chat so updates of one chat are processed in the order they arrive."""

    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    @asynccontextmanager
    async def lane(self, key: int | None) -> Any:
        if key is None:
            yield
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key]
                self._locks.pop(key, None)


class BodyTooLarge(Exception):
    """The request body is longer than WEBHOOK_MAX_BODY_BYTES."""


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body, read in chunks and stopped as soon as it passes ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"more than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _update_from(body: bytes, bot: Any) -> Update | None:
    """The update in a request body; None for anything that is not a Telegram update object.

    Only a JSON object with an integer ``update_id`` is read; whatever else is wrong inside it
    (a list where an object belongs, nesting deep enough to exhaust the recursion limit) is the
    sender's error, answered 400 rather than 500.
    """
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(payload, dict) or type(payload.get("update_id")) is not int:
        return None
    try:
        return Update.de_json(payload, bot)
    except Exception:  # a malformed update of any shape is refused the same way
        return None


def create_app(
    application: Application[Any, Any, Any, Any, Any, Any],
    settings: Settings,
    *,
    register_webhook: bool = True,
    freeze_heap: bool = False,
) -> Starlette:
    """The ASGI app: POST updates on the webhook path, GET /healthz and /readyz.

    ``freeze_heap`` (set when serving) exempts the start-up heap from garbage collection
    (``bot.runtime.freeze_startup_heap``) once the application is initialised.
    """
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    lanes = ChatLanes()
    in_flight: set[asyncio.Task[Any]] = set()

    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER)
        if secret is not None:
            if given is None:
                return PlainTextResponse("missing secret token", status_code=401)
            if not hmac.compare_digest(given.encode(), secret.encode()):
                return PlainTextResponse("wrong secret token", status_code=403)
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > settings.webhook_max_body_bytes:
            return PlainTextResponse("request body too large", status_code=413)
        try:
            body = await asyncio.wait_for(
                _read_body(request, settings.webhook_max_body_bytes),
                settings.webhook_read_timeout_seconds,
            )
        except BodyTooLarge:
            return PlainTextResponse("request body too large", status_code=413)
        except TimeoutError:
            return PlainTextResponse("request body too slow", status_code=408)
        update = _update_from(body, application.bot)
        if update is None:
            return PlainTextResponse("not a Telegram update", status_code=400)
        task = asyncio.current_task()
        if task is not None:
            in_flight.add(task)
        try:
            async with lanes.lane(chat_key(update)):
                # One slow update must not hold its chat's lane (and a connection) for ever.
                await run_watched(
                    update, application.process_update(update), settings.update_timeout_seconds
                )
        except Exception:
            # The error handler already told the user; Telegram must not re-send forever.
            log.exception("update failed: %s", describe_update(update))
        finally:
            if task is not None:
                in_flight.discard(task)
        return Response(status_code=200)

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(request: Request) -> Response:
        try:
            ready = await database_of(application).ping()
        except RuntimeError:
            ready = False
        status = 200 if ready else 503
        return JSONResponse({"database": "ok" if ready else "unreachable"}, status_code=status)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        await application.initialize()
        if application.post_init is not None:
            await application.post_init(application)
        if register_webhook and settings.webhook_url:
            await application.bot.set_webhook(
                url=settings.webhook_url,
                secret_token=secret,
                allowed_updates=Update.ALL_TYPES,
                max_connections=40,
            )
        if freeze_heap:
            freeze_startup_heap()
        log.info("webhook worker ready on %s", webhook_path(settings))
        try:
            yield
        finally:
            # uvicorn has stopped accepting; let updates being processed finish.
            if in_flight:
                await asyncio.wait(set(in_flight), timeout=30)
            await application.shutdown()
            if application.post_shutdown is not None:
                await application.post_shutdown(application)

    routes = [
        Route(webhook_path(settings), receive, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def serve(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """Run the ASGI app with uvicorn until SIGTERM/SIGINT, then shut down gracefully."""
    import uvicorn

    app = create_app(application, settings, freeze_heap=True)
    config = uvicorn.Config(
        app,
        host=settings.webhook_listen,
        port=settings.webhook_port,
        log_level="warning",
        access_log=False,  # access lines would carry nothing useful and cost time
        timeout_graceful_shutdown=30,
        # More open connections than this get a 503 at once instead of queuing in memory.
        limit_concurrency=settings.webhook_max_connections,
        timeout_keep_alive=int(max(1, settings.webhook_read_timeout_seconds)),
        h11_max_incomplete_event_size=64 * 1024,  # request line and headers
    )
    uvicorn.Server(config).run()
