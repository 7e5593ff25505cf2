"""Every hostile file of the corpus through a real analysis worker: a keyed answer that says what
the file is, in under 10 s, with the worker's peak resident memory (VmHWM) under 500 MB."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot import analysis_jobs
from bot.analysis_pool import AnalysisPool, WorkerLimits
from bot.arrivals import error_words
from content.messages import text
from tests.bot.test_analysis_pool import peak_kb
from tests.hostile_corpus import CORPUS, Hostile

PEAK_MB = 500
SECONDS = 10.0


async def _in_fresh_worker(hostile: Hostile) -> tuple[dict[str, object], float, float]:
    data = hostile.build()
    # Limits above the targets, so a file that misses them is measured, not cut short.
    pool = AnalysisPool(1, 2, WorkerLimits(seconds=60, megabytes=2048))
    try:
        await pool.run(peak_kb)  # the worker is up before the clock starts
        start = time.perf_counter()
        answer = await pool.run(analysis_jobs.analyze_job, data, hostile.name)
        if "report" in answer:
            report = answer["report"]
            sample = report["samples"][0]["sample_id"]  # type: ignore[index]
            await pool.run(analysis_jobs.summary_chart_job, report, sample)
        elapsed = time.perf_counter() - start
        peak = await pool.run(peak_kb) / 1024
    finally:
        await asyncio.to_thread(pool.shutdown)
    return answer, elapsed, peak


@pytest.mark.parametrize("hostile", CORPUS, ids=[h.name for h in CORPUS])
async def test_a_hostile_file_is_answered_within_the_bounds(hostile: Hostile) -> None:
    answer, elapsed, peak = await _in_fresh_worker(hostile)
    if hostile.refusals:
        error = answer.get("error")
        assert isinstance(error, dict), answer
        assert error["key"] in hostile.refusals, error
        # Worded for people, with its own reason, never the catch-all.
        assert error_words(error, ("upload",), "upload.error.generic") != text(
            "upload.error.generic"
        )
    else:
        assert "report" in answer, answer
    assert elapsed < SECONDS, elapsed
    assert peak < PEAK_MB, peak
