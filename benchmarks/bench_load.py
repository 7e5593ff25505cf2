"""Load and fault test on loopback: 2 webhook workers on PostgreSQL, a local fake Bot API.

Simulated users (every other one has consented, so answers also read their own data) post
updates at a fixed offered rate (open loop: latency is measured from the moment an update was due,
so a slow server cannot hide its queue). Reports sustained updates per
second, p50/p99 latency, errors and the CPU each process spent; then kills a worker in the middle of
the load while reminders are being sent (no acknowledged update lost, no reminder lost or doubled)
and restarts PostgreSQL under load. Only 127.0.0.1 is contacted; every loop is bounded.
Run: python -m benchmarks.bench_load
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import httpx

from storage.crypto import generate_key
from tests.postgres import PostgresCluster

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456789:LOADTESTabcdefghijklmnopqrstuvwxyz"
SECRET = "load-test-secret"
COMMANDS = ["/help", "/start", "/privacy", "/topics"]
RATE = 200  # offered updates a second (the target)
STEADY_SECONDS = 20
LEASE_SECONDS = 10
REMINDER_CHATS = 900_000
# Telegram opens at most this many simultaneous webhook connections (set_webhook's
# max_connections, 40 here); further updates wait at Telegram, which the latency includes.
TELEGRAM_CONNECTIONS = 40


def _messages() -> list[str]:
    """Real-looking questions (the content evaluation set) with a command now and then."""
    path = ROOT / "tests" / "data" / "eval_messages.jsonl"
    texts = [json.loads(line)["text"] for line in path.read_text().splitlines() if line.strip()]
    return texts + COMMANDS * (len(texts) // 20)


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


def _worker(
    port: int,
    api_port: int,
    db_url: str,
    keys: str,
    command: tuple[str, ...] = ("bot.cli", "run", "--webhook"),
) -> subprocess.Popen[bytes]:
    """A webhook worker (``gutbot run --webhook``, or another module's ``command``) on ``port``."""
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
        "REMINDER_LEASE_SECONDS": str(LEASE_SECONDS),
        # The fake Bot API has no flood limits; measure the bot, not PTB's outgoing throttle.
        "OUTGOING_RATE_LIMIT": "0",
    }
    log = Path(f"/tmp/gutbot-load-worker-{port}.log").open("wb")  # noqa: SIM115 - kept open for the worker
    return subprocess.Popen(
        [sys.executable, "-m", *command],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=log,
    )


class _StaleConnection(Exception):
    """A kept-alive connection the server had closed: nothing was processed."""


class RawClient:
    """A minimal HTTP/1.1 keep-alive client for posting updates.

    The load generator shares the 2 cores with the workers, PostgreSQL and the fake Bot API;
    httpx's per-request cost would take CPU the bot needs, so updates go out as raw requests.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def post(self, path: str, body: bytes) -> int:
        """POST ``body`` as JSON with the secret header; returns the status code.

        Like any HTTP client, a request that fails on a reused keep-alive connection before any
        answer arrived (the server closed it while idle) is sent again on a fresh connection.
        """
        while self._idle:
            reader, writer = self._idle.pop()
            try:
                return await self._exchange(reader, writer, path, body)
            except _StaleConnection:
                continue
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            return await self._exchange(reader, writer, path, body)
        except _StaleConnection as exc:
            raise ConnectionResetError("the server closed a new connection") from exc

    async def _exchange(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str, body: bytes
    ) -> int:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        try:
            try:
                writer.write(head.encode() + body)
                first = await reader.readline()
            except OSError as exc:
                raise _StaleConnection from exc
            if not first:
                raise _StaleConnection
            status = int(first.split()[1])
            length = 0
            keep = True
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "connection" and value.strip().lower() == "close":
                    keep = False
            await reader.readexactly(length)
        except BaseException:
            writer.close()
            raise
        if keep:
            self._idle.append((reader, writer))
        else:
            writer.close()
        return status

    def close(self) -> None:
        for _, writer in self._idle:
            writer.close()
        self._idle.clear()


class Load:
    """Simulated users posting updates; a failed post is re-delivered to another worker."""

    def __init__(self, ports: list[int]) -> None:
        self.clients = {port: RawClient(port) for port in ports}
        self.alive = set(ports)
        self.latencies: list[float] = []
        self.errors = 0
        self.redelivered = 0
        self.failed = 0
        self.acked: Counter[int] = Counter()
        self.texts = _messages()
        self.rng = random.Random(7)
        self._ids = iter(range(1, 10**9))
        self._connections = asyncio.Semaphore(TELEGRAM_CONNECTIONS)

    async def send(self, chat: int, due: float) -> None:
        body = json.dumps(_update(next(self._ids), chat, self.rng.choice(self.texts))).encode()
        for attempt in range(8):
            ports = sorted(self.alive)
            port = ports[(chat + attempt) % len(ports)]
            try:
                async with self._connections:
                    status = await asyncio.wait_for(
                        self.clients[port].post("/telegram", body), timeout=10
                    )
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError, IndexError):
                status = 0
            if status == 200:
                self.latencies.append(time.perf_counter() - due)
                self.acked[chat] += 1
                return
            # What Telegram does: keep the update and deliver it again a little later.
            self.errors += 1 if attempt == 0 else 0
            self.redelivered += 1
            await asyncio.sleep(0.2 * (attempt + 1))
        self.failed += 1

    async def paced(self, *, rate: float, seconds: float, users: int, first_chat: int) -> float:
        """Offer ``rate`` updates a second for ``seconds``, spread over ``users`` chats."""
        total = int(rate * seconds)
        start = time.perf_counter()
        tasks = []
        for i in range(total):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self.send(first_chat + i % users, due)))
        await asyncio.gather(*tasks)
        for client in self.clients.values():
            client.close()
        return time.perf_counter() - start


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _postgres_cpu(cluster: PostgresCluster) -> float:
    """CPU time of every PostgreSQL process of the throwaway cluster."""
    total = 0.0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            cmdline = (proc / "cmdline").read_bytes()
            if b"postgres" in cmdline or (proc / "comm").read_text().startswith("postgres"):
                total += _cpu_seconds(int(proc.name))
    return total


def _report(name: str, load: Load, elapsed: float, offered: float | None = None) -> None:
    lat = sorted(load.latencies)
    p99 = lat[max(0, int(len(lat) * 0.99) - 1)] if lat else float("nan")
    offer = f" (offered {offered:.0f}/s)" if offered else ""
    print(
        f"{name}: {len(lat) / elapsed:,.0f} updates/s{offer} over {elapsed:.1f} s, "
        f"p50 {statistics.median(lat) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
        f"failed first deliveries {load.errors}, re-deliveries {load.redelivered}, "
        f"never delivered {load.failed}"
    )


async def _replies(api_port: int) -> dict[int, int]:
    async with httpx.AsyncClient() as client:
        stats = (await client.get(f"http://127.0.0.1:{api_port}/stats")).json()
    return {int(k): v for k, v in stats.items()}


async def _lost(api_port: int, load: Load, before: dict[int, int]) -> int:
    """Acknowledged updates that got no reply (the fake API counts messages per chat)."""
    replies = await _replies(api_port)
    return sum(
        max(0, acked - (replies.get(chat, 0) - before.get(chat, 0)))
        for chat, acked in load.acked.items()
    )


async def _interrupted_sends(db_url: str, keys: str) -> int:
    """Reminders whose sender was killed after marking them 'sending' but before marking them sent
    (during the Bot API call, or after it but before the end of its pass)."""
    from sqlalchemy import func, select

    from storage import open_database
    from storage.models import Reminder

    db = open_database(db_url, encryption_keys=[keys])
    try:
        async with db.transaction() as session:
            return int(
                await session.scalar(
                    select(func.count())
                    .select_from(Reminder)
                    .where(Reminder.last_error.like("sender stopped during or after the send%"))
                )
                or 0
            )
    finally:
        await db.engine.dispose()


async def _consent(db_url: str, keys: str, chats: range) -> None:
    """Users who gave consent: their questions also read their latest results and check-ins."""
    from storage import open_database
    from storage.users import ensure_user, give_consent

    db = open_database(db_url, encryption_keys=[keys])
    try:
        async with db.transaction() as session:
            for chat in chats:
                user = await ensure_user(session=session, telegram_id=chat)
                await give_consent(session=session, user=user)
    finally:
        await db.engine.dispose()


async def _add_reminders(db_url: str, keys: str, count: int, window: float) -> None:
    """``count`` consented users, each with one check-in reminder due within ``window`` seconds."""
    from storage import open_database
    from storage.models import utcnow
    from storage.reminders import add_in
    from storage.users import ensure_user, give_consent

    db = open_database(db_url, encryption_keys=[keys])
    try:
        now = utcnow()
        async with db.transaction() as session:
            for i in range(count):
                user = await ensure_user(session=session, telegram_id=REMINDER_CHATS + i)
                await give_consent(session=session, user=user)
                await session.flush()
                await add_in(
                    session,
                    user_id=user.id,
                    kind="checkin",
                    due_at=now + timedelta(seconds=window * i / count),
                    idempotency_key=f"load-{i}",
                )
    finally:
        await db.engine.dispose()


async def main_async() -> int:
    cluster = PostgresCluster(durable=True)
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
        # Every other simulated user has consented (answers then read their own data too).
        await _consent(db_url, keys, range(100_000, 101_000, 2))
        # Warm-up: loads the content index in both workers and creates the other users.
        await Load(ports).paced(rate=100, seconds=10, users=1000, first_chat=100_000)

        pids = {"bot workers": [w.pid for w in workers], "fake Bot API": [api.pid]}
        cpu_before = {k: sum(_cpu_seconds(p) for p in v) for k, v in pids.items()}
        cpu_before["PostgreSQL"] = _postgres_cpu(cluster)
        cpu_before["load generator"] = _cpu_seconds(os.getpid())
        before = await _replies(api_port)
        steady = Load(ports)
        elapsed = await steady.paced(
            rate=RATE, seconds=STEADY_SECONDS, users=1000, first_chat=100_000
        )
        cpu = {k: sum(_cpu_seconds(p) for p in v) for k, v in pids.items()}
        cpu["PostgreSQL"] = _postgres_cpu(cluster)
        cpu["load generator"] = _cpu_seconds(os.getpid())
        _report("steady load, 2 workers", steady, elapsed, RATE)
        print(f"  acknowledged updates without a reply: {await _lost(api_port, steady, before)}")
        done = max(1, len(steady.latencies))
        print(
            "  CPU per update: "
            + ", ".join(f"{k} {(cpu[k] - cpu_before[k]) / done * 1000:.1f} ms" for k in cpu)
            + " (2 cores: at most 10 ms in all for 200/s)"
        )

        # Kill a worker while updates arrive and reminders fall due on both workers.
        reminders = 600
        await _add_reminders(db_url, keys, reminders, window=8.0)
        before = await _replies(api_port)
        killed = Load(ports)
        task = asyncio.create_task(
            killed.paced(rate=RATE / 2, seconds=10, users=500, first_chat=200_000)
        )
        await asyncio.sleep(3)
        workers[0].send_signal(signal.SIGKILL)
        killed.alive.discard(ports[0])
        elapsed = await task
        _report("worker killed mid-load", killed, elapsed, RATE / 2)
        print(f"  acknowledged updates without a reply: {await _lost(api_port, killed, before)}")
        # The dead worker's claims lapse after the lease; the survivor sends them.
        deadline = time.monotonic() + LEASE_SECONDS + 60
        while time.monotonic() < deadline:
            replies = await _replies(api_port)
            got = [replies.get(REMINDER_CHATS + i, 0) for i in range(reminders)]
            if all(got):
                break
            await asyncio.sleep(1)
        await asyncio.sleep(2)  # anything sent twice would show up now
        replies = await _replies(api_port)
        got = [replies.get(REMINDER_CHATS + i, 0) for i in range(reminders)]
        missing = sum(1 for g in got if not g)
        in_flight = await _interrupted_sends(db_url, keys)
        print(
            f"  reminders due during the kill: {reminders}, arrived {reminders - missing}, "
            f"arrived twice {sum(1 for g in got if g > 1)}, did not arrive {missing}"
        )
        print(
            f"  'sending' but not yet marked sent when the worker was killed: {in_flight} (a "
            "reminder is sent at most once: these count as sent and are never repeated, arrived "
            f"or not); lost otherwise: {max(0, missing - in_flight)}"
        )

        before = await _replies(api_port)
        restart = Load([ports[1]])
        task = asyncio.create_task(
            restart.paced(rate=RATE / 2, seconds=8, users=500, first_chat=300_000)
        )
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
        _report("PostgreSQL restarted mid-load", restart, elapsed, RATE / 2)
        print(f"  acknowledged updates without a reply: {await _lost(api_port, restart, before)}")
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
