"""Work that runs in the analysis process pool: plain data in, plain data out (picklable)."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from typing import Any

from bot.analysis_pool import out_of_memory


def analyze_job(data: bytes, filename: str | None) -> dict[str, Any]:
    """Analyse one file; returns ``{"report": json}`` or ``{"error": {key, message, details}}``."""
    from analysis import AnalysisError, analyze

    try:
        report = analyze(data, filename)
    except AnalysisError as exc:
        if out_of_memory(exc.__cause__):
            # The worker's memory limit was hit: the pool answers with the limit and recycles it.
            raise MemoryError(exc.message) from None
        return {"error": {"key": exc.key, "message": exc.message, "details": _plain(exc.details)}}
    return {"report": report.model_dump(mode="json")}


def zip_files(files: dict[str, bytes]) -> bytes:
    """Two uploads that belong together (a table and its taxonomy) as one in-memory ZIP."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name.replace("/", "_"), content)
    return buffer.getvalue()


def summary_chart_job(report: dict[str, Any], sample_id: str) -> bytes:
    """The summary chart PNG of one sample (a report of any stored engine version)."""
    from analysis import plots
    from bot.reports import load_report
    from content.analysis_words import chart_words

    return plots.summary_chart(load_report(report), sample_id, chart_words())


def progress_chart_job(points: list[tuple[str, dict[str, Any], str]]) -> bytes:
    """The progress chart PNG for (ISO date, report JSON, sample id) points."""
    from analysis import plots
    from bot.reports import load_report
    from content.analysis_words import chart_words

    series = [
        (datetime.fromisoformat(when), load_report(report), sample_id)
        for when, report, sample_id in points
    ]
    return plots.progress_chart(series, chart_words())


def warm_up() -> bool:
    """Import the analysis engine once so the first user does not wait for it."""
    import analysis  # noqa: F401

    return True


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
