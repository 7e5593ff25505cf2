"""Load and fault test on loopback: 2 webhook workers on PostgreSQL, a local fake Bot API.

Reports sustained updates per second, p50/p99 latency and errors; then kills a worker in the
middle of the load and restarts PostgreSQL under load, and checks that no acknowledged update was
lost. Only 127.0.0.1 is contacted; every loop is bounded. Run: python -m benchmarks.bench_load
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

from storage.crypto import generate_key
from tests.postgres import PostgresCluster

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456789:LOADTESTabcdefghijklmnopqrstuvwxyz"
SECRET = "load-test-secret"
QUESTIONS = [
    "/help",
    "what is dysbiosis",
    "why am i so bloated",
    "/privacy",
    "does fibre help",
    "/start",
]


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _update(update_id: int, chat: int, text: str) -> dict[str, object]:
    message: dict[str, object] = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": {"id": chat, "type": "private"},
        "from": {"id": chat, "is_bot": False, "first_name": "Load"},
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    return {"update_id": update_id, "message": message}


async def _wait_ready(url: str, seconds: float = 60) -> None:
    async with httpx.AsyncClient() as client:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(url, timeout=1)).status_code == 200:
                    return
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} did not become ready")


def _worker(port: int, api_port: int, db_url: str, keys: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": f"http://127.0.0.1:{api_port}",
        "WEBHOOK_URL": "https://bot.example.org/telegram",
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "DATABASE_URL": db_url,
        "DATA_ENCRYPTION_KEYS": keys,
        "LOG_LEVEL": "WARNING",
        "MESSAGES_PER_MINUTE": "10000",
        "ANALYSIS_WORKERS": "1",
        # The fake Bot API has no flood limits; measure the bot, not PTB's outgoing throttle.
        "OUTGOING_RATE_LIMIT": "0",
    }
    log = Path(f"/tmp/gutbot-load-worker-{port}.log").open("wb")  # noqa: SIM115 - kept open for the worker
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--webhook"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=log,
    )


class Load:
    """Simulated users posting updates; a failed post is re-delivered to the other worker."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.alive = set(ports)
        self.latencies: list[float] = []
        self.errors = 0
        self.redelivered = 0
        self.acked: Counter[int] = Counter()
        self._ids = iter(range(1, 10**9))

    async def user(self, client: httpx.AsyncClient, chat: int, count: int) -> None:
        for i in range(count):
            update = _update(next(self._ids), chat, QUESTIONS[(chat + i) % len(QUESTIONS)])
            for attempt in range(6):
                port = sorted(self.alive)[(chat + attempt) % len(self.alive)]
                start = time.perf_counter()
                try:
                    response = await client.post(
                        f"http://127.0.0.1:{port}/telegram",
                        json=update,
                        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                        timeout=10,
                    )
                except httpx.HTTPError:
                    response = None
                if response is not None and response.status_code == 200:
                    self.latencies.append(time.perf_counter() - start)
                    self.acked[chat] += 1
                    break
                self.errors += 1 if attempt == 0 else 0
                self.redelivered += 1
                await asyncio.sleep(0.2 * (attempt + 1))

    async def run(self, users: int, per_user: int, concurrency: int) -> float:
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx.AsyncClient(limits=limits) as client:
            start = time.perf_counter()
            await asyncio.gather(*(self.user(client, 100_000 + u, per_user) for u in range(users)))
            return time.perf_counter() - start


def _report(name: str, load: Load, elapsed: float) -> None:
    lat = sorted(load.latencies)
    p99 = lat[int(len(lat) * 0.99) - 1] if lat else float("nan")
    print(
        f"{name}: {len(lat) / elapsed:,.0f} updates/s over {elapsed:.1f} s, p50 {statistics.median(lat) * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms, failed first deliveries {load.errors}, re-deliveries {load.redelivered}"
    )


async def _lost(api_port: int, load: Load) -> int:
    async with httpx.AsyncClient() as client:
        replies = {
            int(k): v
            for k, v in (await client.get(f"http://127.0.0.1:{api_port}/stats")).json().items()
        }
    return sum(max(0, acked - replies.get(chat, 0)) for chat, acked in load.acked.items())


async def main_async() -> int:
    cluster = PostgresCluster()
    cluster.start()
    api_port = _port()
    api = subprocess.Popen(  # noqa: ASYNC220 - started once, before any load
        [sys.executable, "-m", "benchmarks.fake_bot_api", str(api_port)], cwd=ROOT
    )
    workers: list[subprocess.Popen[bytes]] = []
    try:
        db_url = await cluster.create_database()
        keys = generate_key()
        ports = [_port(), _port()]
        await _wait_ready(f"http://127.0.0.1:{api_port}/stats")
        workers = [_worker(p, api_port, db_url, keys) for p in ports]
        for port in ports:
            await _wait_ready(f"http://127.0.0.1:{port}/healthz")
        warm = Load(ports)
        await warm.run(
            users=20, per_user=5, concurrency=20
        )  # loads the content index in both workers

        steady = Load(ports)
        elapsed = await steady.run(users=200, per_user=15, concurrency=100)
        _report("steady load, 2 workers", steady, elapsed)
        print(f"  acknowledged updates without a reply: {await _lost(api_port, steady)}")

        killed = Load(ports)
        task = asyncio.create_task(killed.run(users=60, per_user=20, concurrency=50))
        await asyncio.sleep(2)
        workers[0].send_signal(signal.SIGKILL)
        killed.alive.discard(ports[0])
        elapsed = await task
        _report("worker killed mid-load", killed, elapsed)
        print(f"  acknowledged updates without a reply: {await _lost(api_port, killed)}")

        restart = Load([ports[1]])
        task = asyncio.create_task(restart.run(users=30, per_user=10, concurrency=30))
        await asyncio.sleep(2)
        await asyncio.to_thread(
            subprocess.run,
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(cluster.bin / "pg_ctl"),
                "-D",
                str(cluster.data),
                "-l",
                str(cluster.root / "log"),
                "-m",
                "fast",
                "-w",
                "restart",
            ],
            check=False,
            # The restarted server inherits pg_ctl's output: never wait on a pipe it keeps open.
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )
        elapsed = await asyncio.wait_for(task, timeout=180)
        _report("PostgreSQL restarted mid-load", restart, elapsed)
        print(f"  acknowledged updates without a reply: {await _lost(api_port, restart)}")
        async with httpx.AsyncClient() as client:
            ready = await client.get(f"http://127.0.0.1:{ports[1]}/readyz")
        print(f"  worker ready again after the restart: {ready.status_code == 200}")
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.kill()
        api.terminate()
        cluster.stop()
    return 0


def main() -> int:
    return asyncio.run(main_async())


if __name__ == "__main__":
    raise SystemExit(main())
