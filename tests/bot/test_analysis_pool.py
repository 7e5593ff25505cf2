"""The analysis pool's bounds: time, memory, native crashes, queued work and a clean environment.

Jobs here run in real worker processes, so they are module-level functions the worker imports.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot import analysis_jobs
from bot.analysis_pool import (
    AnalysisPool,
    JobCrashed,
    JobOutOfMemory,
    JobTimedOut,
    PoolBusy,
    WorkerLimits,
    worker_environment,
)
from tests.conftest import shared_path

if TYPE_CHECKING:
    from bot.settings import Settings

MEMORY_MB = 600
BIG_BIOM = "biom1_json_AG_debug_100nt.biom.gz"
MPA3 = "metaphlan3_SRR1761667_stool.txt"


def sleep_for(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def echo(value: object) -> object:
    return value


def pid() -> int:
    return os.getpid()


def segfault() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)
    time.sleep(10)


def read_null_pointer() -> None:
    import ctypes

    ctypes.string_at(0)


def allocate_until_refused() -> int:
    chunks = []
    while True:
        chunks.append(b"\x01" * (16 * 1024 * 1024))  # touched, so resident, not just reserved


def analyze_with_little_memory(data: bytes, filename: str) -> dict[str, object]:
    import resource

    import analysis  # noqa: F401 - the engine's own imports fit; reading the file must not

    with open("/proc/self/status") as status:
        size_kb = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
    room = (size_kb + 16 * 1024) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (room, resource.getrlimit(resource.RLIMIT_AS)[1]))
    return analysis_jobs.analyze_job(data, filename)


def peak_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def environment() -> dict[str, str]:
    return dict(os.environ)


def raise_value_error() -> None:
    raise ValueError("bad input")


@pytest.fixture
async def pool() -> AsyncIterator[AnalysisPool]:
    pool = AnalysisPool(2, 8, WorkerLimits(seconds=20, megabytes=MEMORY_MB))
    try:
        yield pool
    finally:
        await asyncio.to_thread(pool.shutdown)


async def test_a_job_past_the_time_limit_is_stopped_and_the_pool_goes_on() -> None:
    pool = AnalysisPool(1, 4, WorkerLimits(seconds=1.5, megabytes=MEMORY_MB))
    try:
        first = await pool.run(pid)
        started = time.monotonic()
        with pytest.raises(JobTimedOut) as stopped:
            await pool.run(sleep_for, 30)
        assert time.monotonic() - started < 5
        assert stopped.value.outcome()["error"]["key"] == "took_too_long"
        assert stopped.value.details == {"seconds": 2}
        with pytest.raises(ProcessLookupError):
            os.kill(first, 0)  # the worker that ran it is gone
        assert await pool.run(echo, "next") == "next"
    finally:
        await asyncio.to_thread(pool.shutdown)


async def test_a_job_past_the_memory_limit_is_refused_within_it(pool: AnalysisPool) -> None:
    with pytest.raises(JobOutOfMemory) as refused:
        await pool.run(allocate_until_refused)
    assert refused.value.outcome()["error"] == {
        "key": "too_much_memory",
        "message": f"more than {MEMORY_MB} MB",
        "details": {"megabytes": MEMORY_MB},
    }
    peak = refused.value.peak_megabytes
    assert peak is not None
    assert 100 < peak < MEMORY_MB  # it did allocate, and the worker stayed under its limit
    assert await pool.run(echo, 42) == 42
    assert await pool.run(peak_kb) < peak * 1024 / 2  # a fresh worker, not the one that ran out


async def test_an_analysis_that_runs_out_of_memory_is_refused_with_the_limit(
    pool: AnalysisPool,
) -> None:
    data = shared_path("corpus", BIG_BIOM).read_bytes()
    with pytest.raises(JobOutOfMemory) as refused:
        await pool.run(analyze_with_little_memory, data, BIG_BIOM)
    assert refused.value.outcome()["error"]["key"] == "too_much_memory"
    assert refused.value.details == {"megabytes": MEMORY_MB}
    # With the pool's own limit the same file is read (a normal file fits well under 1 GB).
    roomy = AnalysisPool(1, 1, WorkerLimits(seconds=30, megabytes=1024))
    try:
        outcome = await roomy.run(analysis_jobs.analyze_job, data, BIG_BIOM)
    finally:
        await asyncio.to_thread(roomy.shutdown)
    assert "report" in outcome


@pytest.mark.parametrize("crash", [segfault, read_null_pointer])
async def test_a_crashing_job_is_an_unsafe_file_and_the_pool_recovers(
    pool: AnalysisPool, crash: object
) -> None:
    with pytest.raises(JobCrashed) as crashed:
        await pool.run(crash)  # type: ignore[arg-type]
    assert crashed.value.returncode == -signal.SIGSEGV
    assert crashed.value.outcome()["error"]["key"] == "unsafe_file"
    assert await pool.run(echo, "after") == "after"


async def test_jobs_queued_or_running_beside_a_crash_are_not_lost() -> None:
    pool = AnalysisPool(2, 10, WorkerLimits(seconds=20, megabytes=MEMORY_MB))
    try:
        await asyncio.gather(pool.run(pid), pool.run(pid))  # both workers started
        running = asyncio.ensure_future(pool.run(sleep_for, 1.0))
        await asyncio.sleep(0.1)
        results = await asyncio.gather(
            pool.run(segfault),
            *(pool.run(echo, n) for n in range(6)),
            pool.run(segfault),
            return_exceptions=True,
        )
        assert isinstance(results[0], JobCrashed)
        assert isinstance(results[-1], JobCrashed)
        assert results[1:-1] == list(range(6))
        assert await running == 1.0
    finally:
        await asyncio.to_thread(pool.shutdown)


async def test_an_ordinary_exception_comes_back_with_its_traceback(pool: AnalysisPool) -> None:
    with pytest.raises(ValueError, match="bad input") as raised:
        await pool.run(raise_value_error)
    assert "raise_value_error" in str(raised.value.__cause__)
    assert await pool.run(echo, 1) == 1


async def test_a_full_queue_is_refused(pool: AnalysisPool) -> None:
    small = AnalysisPool(1, 1, WorkerLimits(seconds=20, megabytes=MEMORY_MB))
    try:
        running = [asyncio.ensure_future(small.run(sleep_for, 0.5)) for _ in range(2)]
        await asyncio.sleep(0.05)
        with pytest.raises(PoolBusy):
            await small.run(echo, 1)
        assert await asyncio.gather(*running) == [0.5, 0.5]
    finally:
        await asyncio.to_thread(small.shutdown)


async def test_workers_hold_no_secrets(pool: AnalysisPool, monkeypatch: pytest.MonkeyPatch) -> None:
    secrets = {
        "TELEGRAM_BOT_TOKEN": "123456789:ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "DATA_ENCRYPTION_KEYS": "key-one,key-two",
        "WEBHOOK_SECRET": "hook-secret",
        "DATABASE_URL": "postgresql+asyncpg://gutbot:hunter2@db/gutbot",
        "AWS_SECRET_ACCESS_KEY": "cloud-secret",
    }
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LANG", "C.UTF-8")
    seen = await pool.run(environment)
    assert not set(secrets) & set(seen)
    assert not any(value in " ".join(seen.values()) for value in secrets.values())
    assert seen["LANG"] == "C.UTF-8"
    assert seen["OPENBLAS_NUM_THREADS"] == "1"
    # The process's own initial environment block too, not only os.environ.
    worker_pid = await pool.run(pid)
    raw = Path(f"/proc/{worker_pid}/environ").read_bytes()
    assert not any(value.encode() in raw for value in secrets.values())


def test_the_environment_filter_knows_the_settings_secrets() -> None:
    env = worker_environment(
        {"WEBHOOK_SECRET": "x", "telegram_bot_token": "y", "DATA_KEY_FILE": "k", "PATH": "/bin"}
    )
    assert env["PATH"] == "/bin"
    assert not {"WEBHOOK_SECRET", "telegram_bot_token", "DATA_KEY_FILE"} & set(env)


async def test_the_user_is_told_the_memory_limit(bot_settings: Settings) -> None:
    # The worker imports this module: the bot's own modules are imported here only.
    from bot.local_bot import LocalBot
    from content.messages import text
    from tests.bot.conftest import consent

    # 256 MB is less than the engine itself needs: every file ends at the bound.
    bot = LocalBot(bot_settings.model_copy(update={"analysis_memory_mb": 256}))
    await bot.start()
    try:
        await consent(bot, 7)
        calls = await bot.upload(7, shared_path("corpus", MPA3).read_bytes(), MPA3)
    finally:
        await bot.stop()
    said = [c.text for c in calls if c.method == "sendMessage"]
    assert said[-1].startswith(text("upload.error.too_much_memory", megabytes=256))
    assert "went wrong" not in " ".join(said)
