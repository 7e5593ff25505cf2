"""A bounded process pool for CPU-bound analysis, so one big file never blocks other users."""

from __future__ import annotations

import asyncio
import atexit
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

log = logging.getLogger("gutbot.analysis_pool")
T = TypeVar("T")


class PoolBusy(Exception):
    """Too many analyses are already waiting; the user should try again shortly."""


class AnalysisPool:
    """``workers`` processes and at most ``queue_limit`` jobs waiting for one."""

    def __init__(self, workers: int, queue_limit: int) -> None:
        self.workers = workers
        self.queue_limit = queue_limit
        # spawn, not fork: the bot process has threads and an event loop that must not be copied.
        self._context = multiprocessing.get_context("spawn")
        self._executor = ProcessPoolExecutor(max_workers=workers, mp_context=self._context)
        self._in_flight = 0

    @property
    def waiting(self) -> int:
        """Jobs submitted but not yet running (an estimate: in flight beyond the workers)."""
        return max(0, self._in_flight - self.workers)

    def would_wait(self) -> bool:
        """Whether a new job would have to queue behind others."""
        return self._in_flight >= self.workers

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(*args)`` in a worker process; raises PoolBusy when the queue is full."""
        if self._in_flight >= self.workers + self.queue_limit:
            raise PoolBusy(f"{self._in_flight} analyses in flight")
        self._in_flight += 1
        try:
            loop = asyncio.get_running_loop()
            try:
                return await loop.run_in_executor(self._executor, fn, *args)
            except BrokenProcessPool:
                # A worker died (out of memory, killed): start fresh processes and try once more.
                log.warning("analysis pool broken; restarting it")
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=self._context
                )
                return await loop.run_in_executor(self._executor, fn, *args)
        finally:
            self._in_flight -= 1

    def shutdown(self) -> None:
        """Stop the worker processes (waits for running jobs)."""
        self._executor.shutdown(wait=True, cancel_futures=True)


_POOLS: dict[tuple[int, int], AnalysisPool] = {}


def shared_pool(workers: int, queue_limit: int) -> AnalysisPool:
    """One pool per process and size, created on first use and stopped at exit."""
    key = (workers, queue_limit)
    pool = _POOLS.get(key)
    if pool is None:
        pool = _POOLS[key] = AnalysisPool(workers, queue_limit)
        atexit.register(pool.shutdown)
    return pool
