"""A bounded pool of analysis worker processes, so one file can never stop other users.

Each worker is a fresh interpreter (not a fork: the bot process has threads and an event loop)
that runs one job at a time under two bounds: a wall-clock limit, enforced from outside by
killing the process, and an address-space limit (``RLIMIT_AS``) set in the worker before it
imports anything. A job that hits a bound, or kills its worker (a native reader's SIGSEGV),
fails alone with a keyed :class:`JobFailed`; the worker is replaced and the jobs queued behind
it, or running in the other workers, are not touched. The workers' environment holds no
secrets: they need neither the bot token nor the database nor the encryption keys.
"""

from __future__ import annotations

import asyncio
import atexit
import errno
import logging
import os
import pickle
import re
import resource
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger("gutbot.analysis_pool")
T = TypeVar("T")

#: Environment variables a worker never gets, besides the settings typed ``SecretStr``.
_SECRET_SETTINGS = {"DATABASE_URL", "DATA_ENCRYPTION_KEYS", "DATA_KEY_FILE"}
_SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSW|CREDENTIAL|PRIVATE|API_?KEY|_KEYS?$|DSN$", re.I)
#: One job per process: BLAS and OpenMP thread pools would only reserve address space.
_WORKER_ENV = {
    name: "1"
    for name in (
        "OPENBLAS_NUM_THREADS",
        "OMP_NUM_THREADS",
        "MKL_NUM_THREADS",
        "NUMEXPR_NUM_THREADS",
    )
} | {"MALLOC_ARENA_MAX": "2"}  # each malloc arena reserves 64 MB of address space
_BOOT = (
    "import sys; sys.path[:] = {path!r}; "
    "from bot.analysis_pool import worker_main; worker_main({megabytes}, {parent})"
)


class PoolBusy(Exception):
    """Too many analyses are already waiting; the user should try again shortly."""


class JobFailed(Exception):
    """A job was stopped by a bound or took its worker down; ``key`` and ``details`` say why."""

    key = "analysis_failed"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.details = details or {}

    def outcome(self) -> dict[str, Any]:
        """The ``{"error": {...}}`` outcome an analysis job returns for a refused file."""
        return {"error": {"key": self.key, "message": str(self), "details": self.details}}


class JobTimedOut(JobFailed):
    """The job ran past the wall-clock limit and its worker was killed."""

    key = "took_too_long"


class JobOutOfMemory(JobFailed):
    """The job needed more memory than the worker's address-space limit."""

    key = "too_much_memory"

    def __init__(self, message: str, details: dict[str, Any], peak_megabytes: int | None) -> None:
        super().__init__(message, details)
        self.peak_megabytes = peak_megabytes


class JobCrashed(JobFailed):
    """A signal killed the worker during the job (usually SIGSEGV in a native reader)."""

    key = "unsafe_file"

    def __init__(self, message: str, returncode: int | None) -> None:
        super().__init__(message, {})
        self.returncode = returncode


class RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker, attached as its ``__cause__``."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class WorkerLimits:
    """Bounds on every job: wall-clock seconds, and the worker's address space in MB (0: none)."""

    seconds: float = 60.0
    megabytes: int = 1024


def worker_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The parent's environment without secrets, and with one BLAS/OpenMP thread."""
    secret = _secret_settings()
    env = {
        name: value
        for name, value in (os.environ if environ is None else environ).items()
        if name.upper() not in secret and not _SECRET_NAME.search(name)
    }
    env.update(_WORKER_ENV)
    return env


def _secret_settings() -> set[str]:
    from pydantic import SecretStr

    from bot.settings import Settings

    names = set(_SECRET_SETTINGS)
    for name, field in Settings.model_fields.items():
        if SecretStr in (field.annotation, *getattr(field.annotation, "__args__", ())):
            names.add(name.upper())
    return names


class _Worker:
    """One worker process and the two pipes that carry its jobs and their outcomes."""

    def __init__(self, limits: WorkerLimits) -> None:
        job_read, job_write = os.pipe()
        result_read, result_write = os.pipe()
        path = [os.path.abspath(p) for p in sys.path]
        boot = _BOOT.format(path=path, megabytes=limits.megabytes, parent=os.getpid())
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", boot],
                stdin=job_read,
                stdout=result_write,
                env=worker_environment(),
                close_fds=True,
            )
        finally:
            os.close(job_read)
            os.close(result_write)
        self._jobs = Connection(job_write, readable=False)
        self._results = Connection(result_read, writable=False)
        self.alive = True

    def call(self, fn: Callable[..., Any], args: tuple[Any, ...], limits: WorkerLimits) -> Any:
        """Run ``fn(*args)`` here; raises what it raised, or a JobFailed."""
        payload = pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL)
        name = getattr(fn, "__qualname__", repr(fn))
        started = time.monotonic()
        try:
            self._jobs.send_bytes(payload)
            left = max(0.0, limits.seconds - (time.monotonic() - started))
            if not self._results.poll(left):
                self.close(kill=True)
                log.warning("%s ran past %ss; its worker was killed", name, limits.seconds)
                raise JobTimedOut(
                    f"stopped after {limits.seconds:g} s", {"seconds": round(limits.seconds)}
                )
            kind, value, extra = pickle.loads(self._results.recv_bytes())
        except (EOFError, OSError):
            returncode = self.close(kill=False)
            if returncode == -signal.SIGKILL:  # not ours: the kernel's out-of-memory killer
                raise self._out_of_memory(name, limits, None) from None
            log.warning("%s took its worker down (exit code %s)", name, returncode)
            if returncode is not None and returncode < 0:
                raise JobCrashed(f"killed by signal {-returncode}", returncode) from None
            raise JobFailed(f"the worker exited with code {returncode}") from None
        if kind == "ok":
            return value
        if kind == "memory":
            self.close(kill=False)
            raise self._out_of_memory(name, limits, value)
        value.__cause__ = RemoteTraceback(extra)
        raise value

    @staticmethod
    def _out_of_memory(name: str, limits: WorkerLimits, peak_kb: int | None) -> JobOutOfMemory:
        peak = None if peak_kb is None else peak_kb // 1024
        log.warning("%s ran out of memory (limit %s MB, peak %s MB)", name, limits.megabytes, peak)
        return JobOutOfMemory(
            f"more than {limits.megabytes} MB", {"megabytes": limits.megabytes}, peak
        )

    def close(self, *, kill: bool) -> int | None:
        """Stop the process (at once with ``kill``) and reap it; returns its exit code."""
        self.alive = False
        for end in (self._jobs, self._results):
            end.close()
        if kill:
            self.process.kill()
        try:
            return self.process.wait(timeout=None if kill else 10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


class AnalysisPool:
    """``workers`` processes and at most ``queue_limit`` jobs waiting for one."""

    def __init__(self, workers: int, queue_limit: int, limits: WorkerLimits | None = None) -> None:
        self.workers = workers
        self.queue_limit = queue_limit
        self.limits = limits or WorkerLimits()
        # One thread per worker talks to it, so the event loop never waits on a pipe; the
        # executor's queue is the pool's queue (first come, first served).
        self._threads = ThreadPoolExecutor(workers, thread_name_prefix="gutbot-analysis")
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._in_flight = 0

    @property
    def waiting(self) -> int:
        """Jobs submitted but not yet running (an estimate: in flight beyond the workers)."""
        return max(0, self._in_flight - self.workers)

    def would_wait(self) -> bool:
        """Whether a new job would have to queue behind others."""
        return self._in_flight >= self.workers

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(*args)`` in a worker; raises PoolBusy when the queue is full, JobFailed."""
        with self._lock:
            if self._in_flight >= self.workers + self.queue_limit:
                raise PoolBusy(f"{self._in_flight} analyses in flight")
            self._in_flight += 1
        try:
            future = self._threads.submit(self._call, fn, args)
        except RuntimeError:
            self._finished(None)
            raise
        future.add_done_callback(self._finished)
        # A cancelled caller abandons a queued job; a running one still ends within its bound.
        result: T = await asyncio.wrap_future(future)
        return result

    def _finished(self, _: Future[Any] | None) -> None:
        with self._lock:
            self._in_flight -= 1

    def _call(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        with self._lock:
            worker = self._idle.pop() if self._idle else None
        if worker is None:
            worker = _Worker(self.limits)
        try:
            result: T = worker.call(fn, args, self.limits)
            return result
        finally:
            if worker.alive:
                with self._lock:
                    self._idle.append(worker)

    def shutdown(self) -> None:
        """Stop the worker processes (waits for running jobs)."""
        self._threads.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.close(kill=False)


_POOLS: dict[tuple[int, int, WorkerLimits], AnalysisPool] = {}


def shared_pool(workers: int, queue_limit: int, limits: WorkerLimits | None = None) -> AnalysisPool:
    """One pool per process, size and limits, created on first use and stopped at exit."""
    key = (workers, queue_limit, limits or WorkerLimits())
    pool = _POOLS.get(key)
    if pool is None:
        pool = _POOLS[key] = AnalysisPool(workers, queue_limit, key[2])
        atexit.register(pool.shutdown)
    return pool


def pool_of(settings: Settings) -> AnalysisPool:
    """The shared pool sized and bounded by the bot's settings."""
    limits = WorkerLimits(settings.analysis_job_seconds, settings.analysis_memory_mb)
    return shared_pool(settings.analysis_workers, settings.analysis_queue_limit, limits)


# --- in the worker process -------------------------------------------------------------------


def worker_main(megabytes: int, parent: int) -> None:
    """A worker's loop: bound itself, then run jobs from stdin until the pipe closes."""
    jobs = Connection(os.dup(0), writable=False)
    results = Connection(os.dup(1), readable=False)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(2, 1)  # a job that prints must not write into the result pipe
    if megabytes:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = megabytes * 1024 * 1024
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    threading.stack_size(256 * 1024)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    while True:
        try:
            payload = jobs.recv_bytes()
        except (EOFError, OSError):
            return
        outcome = _run_job(payload)
        try:
            message = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            message = pickle.dumps(("memory", _peak_kb(), None))
        except Exception as exc:  # an unpicklable result or exception: say what it was
            failure = RuntimeError(f"{type(outcome[1]).__name__} could not be sent back: {exc}")
            message = pickle.dumps(("raised", failure, ""))
        results.send_bytes(message)
        if outcome[0] == "memory":
            return  # a fresh process is cheaper than a heap that ran out


def out_of_memory(exc: BaseException | None) -> bool:
    """Whether an exception means the address-space limit was reached."""
    if isinstance(exc, MemoryError):
        return True
    if isinstance(exc, OSError) and exc.errno == errno.ENOMEM:
        return True
    # A lazily imported extension that cannot be mapped fails with ImportError instead, and a
    # native library (onnxruntime in OCR) reports C++'s std::bad_alloc in its own exception.
    if isinstance(exc, ImportError) and "failed to map segment" in str(exc):
        return True
    return exc is not None and "bad_alloc" in str(exc)


def _run_job(payload: bytes) -> tuple[str, Any, Any]:
    failed = False
    try:
        fn, args = pickle.loads(payload)
        return ("ok", fn(*args), None)
    except Exception as exc:
        if not out_of_memory(exc):
            return ("raised", exc, traceback.format_exc())
        failed = True  # left below the except block: the job's frames and memory are freed
    except BaseException as exc:  # SystemExit and the like must not stop the caller's thread
        return ("raised", RuntimeError(f"the job raised {exc!r}"), traceback.format_exc())
    assert failed
    return ("memory", _peak_kb(), None)


def _peak_kb() -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _exit_with_parent(parent: int) -> None:
    # A job must not outlive the bot process that asked for it.
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(70)
