"""/export csv: every check-in, safety answer, note, questionnaire score and test, for a doctor.

One read gives the figures of the short text, the rows of the one-page PDF and the CSV table,
so the three always say the same. Check-ins left unfinished are kept when they hold an answer:
a "yes" to a safety question matters even if the rest of the check-in was never given.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.reports import load_report
from content.analysis_words import format_name
from storage import Database
from storage.models import EntryStatus, Sample, SymptomEntry
from storage.questionnaires import completed
from storage.samples import list_samples
from storage.symptoms import entries_since

#: The safety questions of a check-in, by their key in ``SymptomEntry.alarms``, in asking order.
ALARMS = ("blood", "black", "weight", "fever")
#: The questionnaires, in the order the summary lists them.
INSTRUMENTS = ("ibs_sss", "phq4")
INSTRUMENT_MAXIMUM = {"ibs_sss": 500, "phq4": 12}
#: Indices shown beside Shannon for a test (when they apply to its file).
TEST_INDICES = ("gmhi", "gmwi2")


@dataclass(frozen=True)
class Day:
    """One check-in as the doctor sees it (``finished``: False when it was left part-way)."""

    day: date
    finished: bool
    stool_form: int | None
    bowel_movements: int | None
    bloating: int | None
    pain: int | None
    mood: int | None
    #: The safety questions answered "yes" (keys of :data:`ALARMS`, in asking order).
    alarms: tuple[str, ...]
    note: str | None
    #: The safety questions answered at all, "yes" or "no" (a check-in left part-way may not
    #: have reached them).
    answered: tuple[str, ...] = ()


@dataclass(frozen=True)
class Test:
    """One microbiome test: its date, file kind, sample, Shannon and the indices that apply."""

    day: date
    format: str
    sample: str
    shannon: float
    indices: dict[str, float]


@dataclass(frozen=True)
class DoctorExport:
    """The figures of the table, its short summary and the one-page PDF (worded in render/)."""

    start: date
    end: date
    bristol_counts: dict[int, int]
    mean_bloating: float | None
    mean_pain: float | None
    days_logged: int
    #: Per instrument: (total, completed date), oldest first.
    scores: dict[str, list[tuple[int | None, date]]]
    #: Oldest first.
    tests: list[Test]
    #: Every check-in with an answer, oldest first.
    days: list[Day]
    #: Every completed questionnaire as (instrument, total, day), oldest first.
    score_rows: list[tuple[str, int | None, date]]

    @property
    def alarm_days(self) -> list[Day]:
        """The check-ins with a "yes" to a safety question."""
        return [d for d in self.days if d.alarms]

    @property
    def notes(self) -> list[tuple[date, str]]:
        """Every note the user typed, with its day."""
        return [(d.day, d.note) for d in self.days if d.note]


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _answered(entry: SymptomEntry) -> bool:
    values = (entry.stool_form, entry.bowel_movements, entry.bloating, entry.pain, entry.mood)
    return any(v is not None for v in values) or bool(entry.alarms) or bool(entry.note)


def _day(entry: SymptomEntry) -> Day:
    alarms = entry.alarms or {}
    return Day(
        day=entry.day,
        finished=entry.status == EntryStatus.COMPLETE,
        stool_form=entry.stool_form or None,  # 0 is "no bowel movement", not a Bristol type
        bowel_movements=entry.bowel_movements,
        bloating=entry.bloating,
        pain=entry.pain,
        mood=entry.mood,
        alarms=tuple(k for k in ALARMS if alarms.get(k) is True),
        note=entry.note or None,
        answered=tuple(k for k in ALARMS if k in alarms),
    )


def _test(sample: Sample) -> Test:
    report = load_report(sample.report)
    try:
        result = report.sample(sample.sample_label)
    except KeyError:
        result = report.samples[0]
    indices = {
        key: index.value
        for key in TEST_INDICES
        if (index := result.index(key)).applicable and index.value is not None
    }
    return Test(
        day=sample.created_at.date(),
        format=format_name(report.format),
        sample=sample.sample_label,
        shannon=result.alpha.shannon,
        indices=indices,
    )


async def doctor_export(db: Database, user: Any) -> DoctorExport | None:
    """The export (None when nothing has been logged)."""
    async with db.transaction() as session:
        every = await entries_since(session=session, user=user, since=None, completed_only=False)
        scores = await completed(session=session, user=user)
        samples = await list_samples(session=session, user=user)
    entries = [e for e in every if _answered(e)]
    if not entries and not scores and not samples:
        return None
    tests = [_test(s) for s in sorted(samples, key=lambda s: s.created_at)]
    days = [_day(e) for e in entries]
    dates = (
        [e.day for e in entries]
        + [r.completed_at.date() for r in scores if r.completed_at]
        + [t.day for t in tests]
    )
    by_instrument: dict[str, list[tuple[int | None, date]]] = {}
    for r in scores:
        if r.completed_at is not None:
            by_instrument.setdefault(r.instrument, []).append((r.total, r.completed_at.date()))
    return DoctorExport(
        start=min(dates),
        end=max(dates),
        bristol_counts=dict(sorted(Counter(d.stool_form for d in days if d.stool_form).items())),
        mean_bloating=_mean([d.bloating for d in days if d.bloating is not None]),
        mean_pain=_mean([d.pain for d in days if d.pain is not None]),
        days_logged=len({d.day for d in days}),
        scores=by_instrument,
        tests=tests,
        days=days,
        score_rows=[
            (r.instrument, r.total, r.completed_at.date()) for r in scores if r.completed_at
        ],
    )
