"""Calls to the Bot API over aiohttp instead of python-telegram-bot's default httpx.

Every reply a worker sends is one HTTP request. Measured against the local fake Bot API on this
machine, a ``send_message`` through httpx cost 0.9-1.8 ms of the worker's CPU (more with many
requests in flight: httpcore's pool is the slow part); through aiohttp 0.3-0.4 ms. Under load that
difference is a tenth of everything a worker spends on an update, so the bot talks to Telegram
through this class. python-telegram-bot keeps doing everything else: building the request
parameters, turning Telegram's answers and error statuses into objects and exceptions.

Timeouts follow python-telegram-bot's own defaults and meaning where aiohttp has an equivalent:
``connect_timeout`` (opening a connection), ``read_timeout`` (waiting for data), ``pool_timeout``
(waiting for a free pooled connection, together with the connect). aiohttp has no write timeout;
the write allowance (longer for uploads) is part of an overall bound on the whole request.
"""

from __future__ import annotations

import urllib.request
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

FORM = "application/x-www-form-urlencoded"


def _seconds(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


class AiohttpRequest(BaseRequest):
    """A :class:`telegram.request.BaseRequest` on one ``aiohttp.ClientSession`` per instance."""

    __slots__ = (
        "_connect_timeout",
        "_media_write_timeout",
        "_pool_size",
        "_pool_timeout",
        "_proxies",
        "_read_timeout",
        "_session",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        *,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        if connection_pool_size < 1:
            raise ValueError("connection_pool_size must be at least 1")
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        # Made in initialize(): an aiohttp session belongs to the event loop it was made in.
        self._session: aiohttp.ClientSession | None = None
        # The proxy for each scheme and host, read from the environment once (see _proxy_for).
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        """See :attr:`BaseRequest.read_timeout`."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (again, after a shutdown)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                # Only Telegram (or the configured Bot API server) is called: no cookies. Proxy
                # settings in the environment are honoured (_proxy_for), but read once: aiohttp's
                # own trust_env reads them, and .netrc, on every request (0.5 ms each, measured).
                cookie_jar=aiohttp.DummyCookieJar(),
                trust_env=False,
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """See :meth:`BaseRequest.do_request`: the status code and body of Telegram's answer."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = bool(request_data and request_data.contains_files)
        read = _seconds(read_timeout, self._read_timeout)
        write = _seconds(write_timeout, self._media_write_timeout if files else self._write_timeout)
        connect = _seconds(connect_timeout, self._connect_timeout)
        pool = _seconds(pool_timeout, self._pool_timeout)
        parts = (read, write, connect, pool)
        timeout = aiohttp.ClientTimeout(
            total=None if None in parts else sum(p for p in parts if p is not None),
            connect=None if pool is None or connect is None else pool + connect,
            sock_connect=connect,
            sock_read=read,
        )
        body: Any = None
        headers: dict[str, str] = {}
        if request_data is not None:
            if files:
                body = _multipart(request_data)
            elif request_data.json_parameters:
                body = request_data.url_encoded_parameters().encode()
                headers["Content-Type"] = FORM
        try:
            async with session.request(
                method,
                url,
                data=body,
                headers=headers,
                timeout=timeout,
                proxy=self._proxy_for(url),
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:  # aiohttp's timeouts are TimeoutErrors
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            # The class name says what failed even when the message is empty.
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc

    def _proxy_for(self, url: str) -> str | None:
        """HTTPS_PROXY / HTTP_PROXY (and NO_PROXY) from the environment, as httpx would use them."""
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._proxies:
            proxy = urllib.request.getproxies().get(parts.scheme)
            if proxy and urllib.request.proxy_bypass(parts.hostname or ""):
                proxy = None
            self._proxies[key] = proxy or None
        return self._proxies[key]


def _multipart(request_data: RequestData) -> aiohttp.FormData:
    """Parameters and files as multipart/form-data (what Telegram takes for uploads)."""
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
