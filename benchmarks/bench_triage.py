"""Triage figures on messages nobody on the project wrote, beside a plain keyword baseline.

Prints, for the development part of ``chat_dev.jsonl``, its held-out part and the blind set:
emergency, urgent-or-higher and see-a-doctor-or-higher recall, routine messages raised to urgent
or emergency, emergencies in other languages, the confusion matrix, and the misses (the
development part's in full; the held-out sets' by tier and clinical flags only, so nobody tunes
on their words). Then the latency of triage plus answer in-process, and a question's round trip
through the whole bot against a bare echo bot in the same in-process Bot API.
Run: python -m benchmarks.bench_triage
"""

from __future__ import annotations

import asyncio
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.eval_content import answer_latency
from benchmarks.triage_eval import (
    BLIND_2,
    BLIND_3,
    BLIND_4,
    BLIND_5,
    BLIND_6,
    BLIND_7,
    BLIND_8,
    BLIND_9,
    BLIND_10,
    BLIND_11,
    CHAT_DEV,
    Figures,
    blind_rows,
    confusion_lines,
    score,
    split_chat_dev,
    summary_lines,
)

# A plain keyword baseline: any of these words or phrases sets the tier, no context at all.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "emergency": (
        "vomiting blood",
        "coffee grounds",
        "black stool",
        "tarry",
        "chest pain",
        "can't breathe",
        "fainted",
        "passed out",
        "collapsed",
        "severe pain",
        "suicide",
        "kill myself",
    ),
    "urgent": ("fever", "dehydrated", "can't keep", "bloody diarrhoea", "for 3 days", "39"),
    "see_doctor": ("blood", "weight loss", "lost weight", "anaemia", "lump", "at night"),
}


def keyword_tier(message: str) -> str:
    """The tier of the first keyword list that matches, else routine."""
    lowered = message.lower().replace("’", "'")
    for tier, words in KEYWORDS.items():
        if any(re.search(r"\b" + re.escape(w) + r"\b", lowered) for w in words):
            return tier
    return "routine"


def _engine_tier(message: str) -> str:
    from content.triage import triage

    return triage(message).level


def _without_net(message: str) -> str:
    from content.triage.engine import assess
    from content.triage.languages import detect_language

    return assess(message, language=detect_language(message)).level


def _print(name: str, figures: Figures, baseline: Figures, misses: str) -> None:
    print("\n".join(summary_lines(name, figures)))
    print("\n".join(confusion_lines(figures)))
    print("  keyword baseline, same messages:")
    print("  " + "\n  ".join(summary_lines("baseline", baseline)[1:]))
    if misses == "full":
        for row, got in figures.misses:
            print(f"  miss: {row.tier} -> {got} [{', '.join(row.flags)}] {row.text[:160]}")
    else:
        for row, got in figures.misses:
            print(
                f"  miss: {row.tier} -> {got} [{', '.join(row.flags) or 'no flags'}] ({row.lang})"
            )


async def _round_trips(questions: list[str]) -> tuple[float, float]:
    """Median milliseconds per question: the whole bot, then a bare echo bot, same emulator."""
    from telegram import Update
    from telegram.ext import Application, MessageHandler, filters

    from bot.local_api import LOCAL_TOKEN, LocalBotApi, UpdateFactory
    from bot.local_bot import LocalBot
    from bot.settings import Settings
    from storage.crypto import generate_key

    async def echo(update: Update, context: Any) -> None:
        if update.effective_message is not None and update.effective_message.text:
            await update.effective_message.reply_text(update.effective_message.text)

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_encryption_keys=(generate_key(),),
            telegram_bot_token=None,
            database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}",
            chat_output_dir=str(Path(tmp) / "out"),
            _env_file=None,  # type: ignore[call-arg]
        )
        async with LocalBot(settings) as bot:
            for text in questions[:10]:
                await bot.say(1, text)
            gutbot = []
            for index, text in enumerate(questions):
                start = time.perf_counter()
                await bot.say(100 + index % 50, text)
                gutbot.append((time.perf_counter() - start) * 1000)
        api = LocalBotApi()
        app = Application.builder().token(LOCAL_TOKEN).request(api).updater(None).build()
        app.add_handler(MessageHandler(filters.TEXT, echo))
        await app.initialize()
        factory = UpdateFactory()
        try:
            for text in questions[:10]:
                await app.process_update(Update.de_json(factory.text(1, text), app.bot))
            bare = []
            for index, text in enumerate(questions):
                update = Update.de_json(factory.text(100 + index % 50, text), app.bot)
                start = time.perf_counter()
                await app.process_update(update)
                bare.append((time.perf_counter() - start) * 1000)
        finally:
            await app.shutdown()
    return statistics.median(gutbot), statistics.median(bare)


async def _post_all(port: int, questions: list[str]) -> float:
    """Median ms from posting each update to its 200 (processed and answered)."""
    import json

    from benchmarks.bench_load import RawClient, _update, _wait_ready

    await _wait_ready(f"http://127.0.0.1:{port}/healthz", seconds=120)
    client = RawClient(port)
    times = []
    try:
        for index, text in enumerate([*questions[:10], *questions]):
            body = json.dumps(_update(index + 1, 5000 + index, text)).encode()
            start = time.perf_counter()
            status = await client.post("/telegram", body)
            if status != 200:
                raise RuntimeError(f"update answered {status}")
            if index >= 10:
                times.append((time.perf_counter() - start) * 1000)
    finally:
        client.close()
    return statistics.median(times)


def _webhook_round_trips(questions: list[str]) -> tuple[float, float]:
    """Round trips over loopback HTTP: gutbot's webhook worker, then a bare echo bot behind the
    same webhook app and request class, both sending to the same fake Bot API."""
    import subprocess
    import sys

    from benchmarks.bench_load import _port, _worker
    from storage.crypto import generate_key

    root = Path(__file__).resolve().parents[1]
    api_port = _port()
    api = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.fake_bot_api", str(api_port)], cwd=root
    )
    results: list[float] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            keys = generate_key()
            db_url = f"sqlite+aiosqlite:///{Path(tmp) / 'roundtrip.db'}"
            for kind in ("gutbot", "echo"):
                port = _port()
                command = (
                    ("benchmarks.echo_webhook",)
                    if kind == "echo"
                    else ("bot.cli", "run", "--webhook")
                )
                worker = _worker(port, api_port, db_url, keys, command)
                try:
                    results.append(asyncio.run(_post_all(port, questions)))
                finally:
                    worker.terminate()
                    worker.wait(30)
    finally:
        api.terminate()
        api.wait(30)
    return results[0], results[1]


def main() -> int:
    if not CHAT_DEV.exists():
        print(f"no evaluation set at {CHAT_DEV}: nothing to measure")
        return 1
    dev, held = split_chat_dev()
    blind = blind_rows()
    blind_2 = blind_rows(BLIND_2)
    blind_3 = blind_rows(BLIND_3)
    blind_4 = blind_rows(BLIND_4)
    blind_5 = blind_rows(BLIND_5)
    blind_6 = blind_rows(BLIND_6)
    blind_7 = blind_rows(BLIND_7)
    blind_8 = blind_rows(BLIND_8)
    blind_9 = blind_rows(BLIND_9)
    blind_10 = blind_rows(BLIND_10)
    blind_11 = blind_rows(BLIND_11)
    for name, rows, misses in (
        ("development part of chat_dev (tuned on)", dev, "full"),
        ("held-out part of chat_dev (never tuned on)", held, "flags"),
        ("blind set, written from the sources (never tuned on)", blind, "flags"),
        ("second blind set, written from the sources (never tuned on)", blind_2, "flags"),
        ("third blind set, written from the sources (never tuned on)", blind_3, "flags"),
        ("fourth blind set, written from the sources (never tuned on)", blind_4, "flags"),
        ("fifth blind set, written from the sources (never tuned on)", blind_5, "flags"),
        ("sixth blind set, written from the sources (never tuned on)", blind_6, "flags"),
        ("seventh blind set, written from the sources (never tuned on)", blind_7, "flags"),
        ("eighth blind set, written from the sources (never tuned on)", blind_8, "flags"),
        ("ninth blind set, written from the sources (never tuned on)", blind_9, "flags"),
        ("tenth blind set, written from the sources (never tuned on)", blind_10, "flags"),
        ("eleventh blind set, written from the sources (never tuned on)", blind_11, "flags"),
    ):
        if not rows:
            continue
        _print(name, score(rows, _engine_tier), score(rows, keyword_tier), misses)
        print()
    for name, rows in (
        ("held-out", held),
        ("blind", blind),
        ("second blind", blind_2),
        ("third blind", blind_3),
        ("fourth blind", blind_4),
        ("fifth blind", blind_5),
        ("sixth blind", blind_6),
        ("seventh blind", blind_7),
        ("eighth blind", blind_8),
        ("ninth blind", blind_9),
        ("tenth blind", blind_10),
        ("eleventh blind", blind_11),
    ):
        plain = score(rows, _without_net)
        print(f"without the semantic safety net, {name}:")
        print("  " + "\n  ".join(summary_lines(name, plain)[1:]))
    p50, p99 = answer_latency([r.text for r in dev], rounds=3)
    print(f"\ntriage + answer in-process: p50 {p50:.1f} ms, p99 {p99:.1f} ms (target p99 < 30 ms)")
    questions = [r.text for r in dev if r.tier == "routine"][:120]
    full, bare = asyncio.run(_round_trips(questions))
    print(
        f"a question through the whole bot in-process: {full:.1f} ms median, a bare echo bot"
        f" {bare:.2f} ms on the same in-process Bot API: {full / bare:.0f}x"
    )
    full, bare = _webhook_round_trips(questions)
    print(
        f"a question's round trip through the webhook worker over loopback: {full:.1f} ms median,"
        f" a bare echo bot behind the same webhook app and fake Bot API {bare:.1f} ms:"
        f" {full / bare:.1f}x (target at most 3x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
