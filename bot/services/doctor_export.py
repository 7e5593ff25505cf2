"""/export csv: every check-in, questionnaire score and test as one table a clinician can read."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.reports import load_report
from content.analysis_words import format_name
from storage import Database
from storage.questionnaires import completed
from storage.samples import list_samples
from storage.symptoms import entries_since

COLUMNS = (
    "date",
    "record",
    "bristol_type",
    "bowel_movements",
    "bloating_0_10",
    "pain_0_10",
    "mood_1_5",
    "blood",
    "black_stool",
    "weight_loss",
    "fever",
    "score",
    "details",
)
INSTRUMENT_NAMES = {"ibs_sss": "IBS-SSS-style", "phq4": "PHQ-4"}


@dataclass(frozen=True)
class DoctorExport:
    """The table, and the figures of its short summary."""

    csv: bytes
    start: date
    end: date
    bristol_counts: dict[int, int]
    mean_bloating: float | None
    mean_pain: float | None
    days_logged: int
    #: Per instrument: (total, completed date), oldest first.
    scores: dict[str, list[tuple[int | None, date]]]
    #: Per test: (date, Shannon), oldest first.
    tests: list[tuple[date, float]]


def _yn(value: object) -> str:
    return "yes" if value is True else ("no" if value is False else "")


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


async def doctor_export(db: Database, user: Any) -> DoctorExport | None:
    """The export (None when nothing has been logged)."""
    async with db.transaction() as session:
        entries = await entries_since(session=session, user=user, since=None)
        scores = await completed(session=session, user=user)
        samples = await list_samples(session=session, user=user)
    if not entries and not scores and not samples:
        return None
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    blank = [""] * (len(COLUMNS) - 3)
    for e in entries:
        alarms = e.alarms or {}
        writer.writerow(
            [
                e.day.isoformat(),
                "check-in",
                e.stool_form or "",
                "" if e.bowel_movements is None else e.bowel_movements,
                "" if e.bloating is None else e.bloating,
                "" if e.pain is None else e.pain,
                e.mood or "",
                *(_yn(alarms.get(k)) for k in ("blood", "black", "weight", "fever")),
                "",
                e.note or "",
            ]
        )
    for r in scores:
        when = r.completed_at.date().isoformat() if r.completed_at else ""
        writer.writerow(
            [when, INSTRUMENT_NAMES.get(r.instrument, r.instrument), *blank, r.total, ""]
        )
    tests = []
    for s in reversed(samples):
        report = load_report(s.report)
        shannon = report.samples[0].alpha.shannon
        tests.append((s.created_at.date(), shannon))
        writer.writerow(
            [
                s.created_at.date().isoformat(),
                "microbiome test",
                *blank,
                f"Shannon {shannon:.2f}",
                format_name(report.format),
            ]
        )
    dates = (
        [e.day for e in entries]
        + [r.completed_at.date() for r in scores if r.completed_at]
        + [s.created_at.date() for s in samples]
    )
    by_instrument: dict[str, list[tuple[int | None, date]]] = {}
    for r in scores:
        if r.completed_at is not None:
            by_instrument.setdefault(r.instrument, []).append((r.total, r.completed_at.date()))
    return DoctorExport(
        csv=buffer.getvalue().encode("utf-8"),
        start=min(dates),
        end=max(dates),
        bristol_counts=dict(sorted(Counter(e.stool_form for e in entries if e.stool_form).items())),
        mean_bloating=_mean([e.bloating for e in entries if e.bloating is not None]),
        mean_pain=_mean([e.pain for e in entries if e.pain is not None]),
        days_logged=len({e.day for e in entries}),
        scores=by_instrument,
        tests=tests,
    )
