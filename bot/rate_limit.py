"""A send rate limiter for reminders: about 25 messages a second in total, 1 a second per chat."""

from __future__ import annotations

import asyncio
import time


class SendRateLimiter:
    """Waits before a send so neither the global nor the per-chat rate is exceeded."""

    def __init__(
        self, per_second: float = 25.0, per_chat_seconds: float = 1.0, *, enabled: bool = True
    ) -> None:
        self.interval = 1.0 / per_second
        self.per_chat = per_chat_seconds
        self.enabled = enabled
        self._next_global = 0.0
        self._next_chat: dict[int, float] = {}
        self._lock = asyncio.Lock()
        self._paused_until = 0.0

    def pause(self, seconds: float) -> None:
        """Honour a RetryAfter: no sends for ``seconds``."""
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)

    async def wait(self, chat_id: int) -> None:
        """Sleep until this chat may receive the next message."""
        if not self.enabled:
            return
        async with self._lock:
            now = time.monotonic()
            start = max(
                now, self._next_global, self._next_chat.get(chat_id, 0.0), self._paused_until
            )
            self._next_global = start + self.interval
            self._next_chat[chat_id] = start + self.per_chat
            if len(self._next_chat) > 10_000:
                self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
        delay = start - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
