"""A local fake of the Telegram Bot API for load tests: answers every method, counts replies.

python -m benchmarks.fake_bot_api PORT
"""

from __future__ import annotations

import itertools
import re
import sys
import time
from collections import Counter
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

BOT = {"id": 7000000002, "is_bot": True, "first_name": "gutbot", "username": "gutbot_load_bot"}
replies: Counter[int] = Counter()
message_ids = itertools.count(1)


async def _params(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith("application/json"):
        return dict(await request.json())
    body = (await request.body()).decode("utf-8", "replace")
    if "multipart/form-data" in request.headers.get("content-type", ""):
        match = re.search(r'name="chat_id"\r\n\r\n(-?\d+)', body)
        return {"chat_id": match.group(1)} if match else {}
    return {k: v[0] for k, v in parse_qs(body).items()}


async def method(request: Request) -> Response:
    name = request.path_params["method"]
    try:
        params = await _params(request)
    except ClientDisconnect:
        # A worker killed while sending (the fault test does this): nothing was sent.
        return Response(status_code=499)
    if name == "getMe":
        return JSONResponse({"ok": True, "result": BOT})
    if name in {"sendMessage", "sendPhoto", "sendDocument", "editMessageText"}:
        chat = int(params.get("chat_id", 0))
        if name == "sendMessage":
            replies[chat] += 1
        message = {
            "message_id": next(message_ids),
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private"},
            "from": BOT,
            "text": str(params.get("text", ""))[:50],
        }
        return JSONResponse({"ok": True, "result": message})
    return JSONResponse({"ok": True, "result": True})


async def stats(request: Request) -> JSONResponse:
    return JSONResponse({str(k): v for k, v in replies.items()})


app = Starlette(
    routes=[
        Route("/stats", stats, methods=["GET"]),
        Route("/bot{token}/{method}", method, methods=["POST", "GET"]),
    ]
)

if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
