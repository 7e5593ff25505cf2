"""Resident memory of what runs, each beside a floor measured the same way (#21).

- The serving process (``gutbot run --webhook`` on SQLite, a fake Bot API on loopback): idle
  after start-up, then after one question and one uploaded results file; the floor is a bare
  echo bot behind the same webhook app and request class (``benchmarks.echo_webhook``).
- An analysis worker: after its boot, then after analysing a real MetaPhlAn 2 profile.
- What the serving process's memory is made of: the same imports and warm-ups, one at a time, in
  a fresh interpreter, each step's growth of the resident set (what could be loaded lazily).

Target: the serving process under 350 MB. Only 127.0.0.1 is contacted.
Run: python -m benchmarks.bench_memory
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.bench_load import SECRET, _port, _update, _wait_ready, _worker
from storage.crypto import generate_key

ROOT = Path(__file__).resolve().parents[1]
TARGET_MB = 350
PROFILE = (
    ROOT.parent / "shared" / "data" / "wild" / "metaphlan2_v2.0_pavian_hmp_SRS011061_stool.profile"
)
QUESTION = "I've been bloated most evenings for a couple of weeks, could it be something I eat?"

#: (label, statement) run in turn in one fresh interpreter; each step's RSS growth is reported.
#: The first four are what the serving process loads; the last three only analysis workers import.
STEPS = (
    ("Python itself", "pass"),
    (
        "python-telegram-bot, httpx, Starlette, uvicorn",
        "import telegram.ext, httpx, starlette, uvicorn",
    ),
    ("SQLAlchemy, storage and the bot's handlers", "import bot.app"),
    (
        "triage and answers (rules, speller, spaCy NegEx, lingua, MiniLM, topic index)",
        "from content.triage import warm_up; warm_up()",
    ),
    ("pandas (analysis workers only)", "import pandas"),
    ("matplotlib (analysis workers only)", "import matplotlib.pyplot"),
    ("scikit-bio (analysis workers only)", "import skbio"),
)


def _rss_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(p) for p in text]
    return found


def own_memory() -> tuple[float, float]:
    """Run in an analysis worker: its own (VmRSS, VmHWM) in MB."""
    import os

    return _rss_mb(os.getpid())


async def _post(port: int, update_id: int, chat: int, text: str) -> None:
    body = json.dumps(_update(update_id, chat, text)).encode()
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"http://127.0.0.1:{port}/telegram",
            content=body,
            headers={
                "X-Telegram-Bot-Api-Secret-Token": SECRET,
                "content-type": "application/json",
            },
            timeout=120,
        )
        response.raise_for_status()


def _serving(command: tuple[str, ...], api_port: int, db_url: str, keys: str) -> list[float]:
    """RSS of a webhook worker: idle after start, after a question (and its analysis workers)."""
    port = _port()
    worker = _worker(port, api_port, db_url, keys, command)
    try:
        asyncio.run(_wait_ready(f"http://127.0.0.1:{port}/healthz", seconds=180))
        time.sleep(2)  # start-up warm-ups finish after /healthz answers
        idle = _rss_mb(worker.pid)[0]
        asyncio.run(_post(port, 1, 7001, "/start"))
        asyncio.run(_post(port, 2, 7001, QUESTION))
        asked = _rss_mb(worker.pid)
        helpers = sum(_rss_mb(p)[0] for p in _children(worker.pid))
        return [idle, asked[0], asked[1], helpers]
    finally:
        worker.terminate()
        worker.wait(30)


def _analysis_worker() -> tuple[tuple[float, float], tuple[float, float]]:
    from benchmarks.bench_memory import own_memory as probe  # by module name, not __main__
    from bot.analysis_jobs import analyze_job
    from bot.analysis_pool import AnalysisPool

    pool = AnalysisPool(workers=1, queue_limit=2)
    try:
        booted = asyncio.run(pool.run(probe))
        if PROFILE.exists():
            asyncio.run(pool.run(analyze_job, PROFILE.read_bytes(), PROFILE.name))
        analysed = asyncio.run(pool.run(probe))
    finally:
        pool.shutdown()
    return booted, analysed


def _breakdown() -> list[tuple[str, float]]:
    script = (
        "import json, re\n"
        "def rss():\n"
        "    status = open('/proc/self/status').read()\n"
        "    return int(re.search(r'VmRSS:\\s+(\\d+)', status).group(1)) / 1024\n"
        f"steps = {json.dumps(STEPS)}\n"
        "out = []\n"
        "for label, statement in steps:\n"
        "    exec(statement)\n"
        "    out.append((label, rss()))\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    steps = json.loads(done.stdout.strip().splitlines()[-1])
    grown, before = [], 0.0
    for label, rss in steps:
        grown.append((label, rss - before))
        before = rss
    return grown


def main() -> int:
    api_port = _port()
    api = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.fake_bot_api", str(api_port)], cwd=ROOT
    )
    try:
        asyncio.run(_wait_ready(f"http://127.0.0.1:{api_port}/stats"))
        with tempfile.TemporaryDirectory() as tmp:
            keys = generate_key()
            db_url = f"sqlite+aiosqlite:///{Path(tmp) / 'memory.db'}"
            gutbot = _serving(("bot.cli", "run", "--webhook"), api_port, db_url, keys)
            echo = _serving(("benchmarks.echo_webhook",), api_port, db_url, keys)
    finally:
        api.terminate()
        api.wait(30)
    print("serving process, resident set (MB)")
    print(
        f"  idle after start-up:   gutbot {gutbot[0]:6.0f}   echo bot {echo[0]:5.0f}   ratio {gutbot[0] / echo[0]:.1f}x"
    )
    print(
        f"  after a question:      gutbot {gutbot[1]:6.0f}   echo bot {echo[1]:5.0f}   ratio {gutbot[1] / echo[1]:.1f}x"
    )
    print(f"  peak so far (VmHWM):   gutbot {gutbot[2]:6.0f}   echo bot {echo[2]:5.0f}")
    verdict = "met" if gutbot[1] < TARGET_MB else "NOT met"
    print(f"  target: under {TARGET_MB} MB after a question: {verdict}")
    booted, analysed = _analysis_worker()
    print("analysis worker, resident set (MB)")
    print(
        f"  after boot {booted[0]:.0f}; after analysing {PROFILE.name}: {analysed[0]:.0f} (peak {analysed[1]:.0f}); ratio {analysed[0] / booted[0]:.1f}x"
    )
    print("what the serving process's memory is made of (growth of the resident set, MB)")
    for label, mb in _breakdown():
        print(f"  {mb:6.0f}  {label}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
