"""Reminder queue figures on a throwaway PostgreSQL (durable: commits reach the disk): dispatch
throughput with 4 dispatchers (claim, mark sending, mark the pass sent; rate limiter off, no Bot
API call) and claim latency at 100,000 pending. Run: python -m benchmarks.bench_reminders"""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from storage import open_database
from storage.crypto import configure_keys, generate_key
from storage.models import Reminder
from storage.reminders import ReminderQueue
from storage.users import ensure_user, give_consent
from tests.postgres import PostgresCluster

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


async def _fill(url: str, n: int, due_offset: timedelta) -> None:
    db = open_database(url)
    await db.upgrade()
    async with db.transaction() as session:
        user = await ensure_user(session=session, telegram_id=1)
        await give_consent(session=session, user=user)
        uid = user.id
    rows = [
        {
            "user_id": uid,
            "kind": "retest",
            "due_at": NOW + due_offset - timedelta(seconds=i % 3600),
            "status": "pending",
            "attempts": 0,
            "idempotency_key": f"k{due_offset}{i}",
            "created_at": NOW,
        }
        for i in range(n)
    ]
    async with db.transaction() as session:
        for start in range(0, n, 10_000):
            await session.execute(insert(Reminder), rows[start : start + 10_000])
    await db.close()


async def throughput(url: str, total: int = 10_000) -> float:
    await _fill(url, total, timedelta(0))

    async def dispatcher(name: str, sent: list[int]) -> None:
        db = open_database(url, pool_size=2)
        queue = ReminderQueue(db.sessions)
        # What bot.dispatch.Dispatcher does (its default pass of 50), the Bot API call left out:
        # claim a pass, mark each 'sending' right before its send, mark the pass sent at the end.
        while batch := await queue.claim_due(now=NOW, limit=50, worker=name):
            done = [r.id for r in batch if await queue.mark_sending(r.id, worker=name)]
            if await queue.mark_many_sent(done, worker=name) == len(done):
                sent.extend(done)
        await db.close()

    sent: list[int] = []
    start = time.perf_counter()
    await asyncio.gather(*(dispatcher(f"w{i}", sent) for i in range(4)))
    elapsed = time.perf_counter() - start
    assert len(sent) == len(set(sent)) == total, "duplicates or missing reminders"
    return total / elapsed


async def claim_latency(url: str) -> tuple[float, float]:
    await _fill(url, 100_000, timedelta(days=1))  # pending, not yet due
    await _fill(url, 2_000, timedelta(0))  # a few due ones to claim
    db = open_database(url)
    queue = ReminderQueue(db.sessions)
    times = []
    for i in range(20):
        start = time.perf_counter()
        await queue.claim_due(now=NOW, limit=100, worker=f"w{i}")
        times.append((time.perf_counter() - start) * 1000)
    await db.close()
    times.sort()
    return statistics.median(times), times[-1]


async def main_async() -> None:
    configure_keys([generate_key()])
    cluster = PostgresCluster(durable=True)
    cluster.start()
    try:
        rate = await throughput(await cluster.create_database())
        print(
            "dispatch throughput, 4 dispatchers, durable PostgreSQL, limiter off: "
            f"{rate:,.0f} reminders/s (target >= 1,000)"
        )
        p50, worst = await claim_latency(await cluster.create_database())
        print(
            f"claim_due(limit=100) with 100,000 pending: p50 {p50:.1f} ms, max of 20 {worst:.1f} ms"
        )
    finally:
        cluster.stop()
    # The same without waiting for the disk: how much of the figure above is this disk's flushes
    # (each reminder costs two durable commits: 'sending' before the send, 'sent' after it).
    fast = PostgresCluster(durable=False)
    fast.start()
    try:
        rate = await throughput(await fast.create_database())
        print(f"  the same with fsync off (disk flushes taken out): {rate:,.0f} reminders/s")
    finally:
        fast.stop()


def main() -> int:
    asyncio.run(main_async())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
