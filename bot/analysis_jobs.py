"""Work that runs in the analysis process pool: plain data in, plain data out (picklable)."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from typing import Any

from bot.analysis_pool import out_of_memory


def analyze_job(data: bytes, filename: str | None, method: str | None = None) -> dict[str, Any]:
    """Analyse one file; returns ``{"report": json}`` or ``{"error": {key, message, details}}``.

    ``method`` is what the user said the sequencing method is (``16s`` or ``shotgun``), for a
    file that does not say so itself.
    """
    from analysis import AnalysisError, analyze
    from analysis.model import Method

    told: Method | None = "16s" if method == "16s" else "shotgun" if method == "shotgun" else None
    try:
        report = analyze(data, filename, told)
    except AnalysisError as exc:
        return _keyed(exc)
    return {"report": report.model_dump(mode="json")}


def _keyed(exc: Any) -> dict[str, Any]:
    """An AnalysisError as the job's keyed answer; the worker's memory limit is re-raised so
    that the pool answers with the limit and recycles the worker."""
    if out_of_memory(exc.__cause__):
        raise MemoryError(exc.message) from None
    return {"error": {"key": exc.key, "message": exc.message, "details": _plain(exc.details)}}


#: Image formats a photo of a report arrives in (by their first bytes).
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF", b"GIF8", b"II*\x00", b"MM\x00*")


def is_image(data: bytes) -> bool:
    """Whether the bytes are a JPEG, PNG, WebP, GIF or TIFF image."""
    return data.startswith(IMAGE_MAGIC)


def lab_job(data: bytes, filename: str | None) -> dict[str, Any]:
    """Read a lab report (PDF, text or photo): ``{"panel": json}`` or ``{"error": {key...}}``.

    A PDF without a text layer is read page by page as images (OCR), like a photo.
    """
    from analysis import AnalysisError
    from analysis.labs.read import read_lab

    try:
        if is_image(data):
            from analysis.labs.images import read_lab_image

            panel = read_lab_image(data)
        else:
            panel = read_lab(data, filename)
            if panel is None and data.startswith(b"%PDF"):
                from analysis.labs.scanned import read_scanned_pdf

                panel = read_scanned_pdf(data)
    except AnalysisError as exc:
        return _keyed(exc)
    except Exception as exc:  # a reader's or the OCR engine's own failure, not the document's
        if out_of_memory(exc):
            raise MemoryError(str(exc)) from None
        raise
    if panel is None:
        return {"error": {"key": "not_a_report", "message": "no lab results found", "details": {}}}
    return {"panel": panel.model_dump(mode="json")}


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
