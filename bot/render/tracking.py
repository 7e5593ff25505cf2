"""Words for tracking: a finished check-in, questionnaire scores, progress and the doctor's export."""

from __future__ import annotations

from typing import Any

from bot.services.checkins import Week
from bot.services.doctor_export import INSTRUMENT_NAMES, DoctorExport
from bot.services.progress import Progress
from bot.services.questionnaires import Score
from content.messages import text

CHART_LABELS = (
    "typical",
    "stool_form",
    "bristol_axis",
    "bloating",
    "pain",
    "scale_axis",
    "ibs_sss",
    "phq4",
    "score_axis",
    "date_axis",
    "empty",
)


def completion_text(week: Week) -> str:
    """The reply when a check-in is complete: today against the week before."""
    if week.first:
        return f"{text('checkin.done')}\n{text('checkin.compare_first')}"

    def compare(value: tuple[int, float] | None) -> str:
        if value is None:
            return "-"
        today, average = value
        return text("checkin.today_vs", today=today, avg=text("checkin.avg", value=average))

    return f"{text('checkin.done')}\n" + text(
        "checkin.compare_week", bloating=compare(week.bloating), pain=compare(week.pain)
    )


def score_text(score: Score) -> str:
    """A finished questionnaire's score, what changed since the last, and when the next is due."""
    key = "checkin.q.ibs_sss_result" if score.instrument == "ibs_sss" else "checkin.q.phq4_result"
    lines = [text(key, total=score.total, band=text(f"checkin.band.{score.band}"))]
    if score.change is not None and score.previous_at is not None:
        lines.append(
            text(
                "checkin.q.ibs_sss_change",
                change=score.change,
                date=score.previous_at.strftime("%d %B %Y"),
            )
        )
        if score.meaningful_rise:
            lines.append(text("checkin.q.ibs_sss_rise"))
    if score.positive:
        lines.append(text("checkin.q.phq4_positive"))
    lines.append(text("checkin.q.next_due"))
    return "\n\n".join(lines)


def _delta(change: float | None) -> str:
    if change is None or abs(change) < 0.5:
        return text("checkin.progress.same")
    key = "checkin.progress.worse" if change > 0 else "checkin.progress.better"
    return text(key, delta=abs(change))


def progress_text(progress: Progress) -> str:
    """The text summary of a period."""
    lines = [
        text(
            "checkin.progress.title",
            start=progress.start.strftime("%d %b %Y"),
            end=progress.end.strftime("%d %b %Y"),
        ),
        text("checkin.progress.days_logged", days=progress.days_logged),
    ]
    if progress.bloating_change is not None:
        lines.append(
            text(
                "checkin.progress.change",
                bloating=_delta(progress.bloating_change),
                pain=_delta(progress.pain_change),
            )
        )
    if progress.usual_stool is not None:
        bristol, share = progress.usual_stool
        lines.append(text("checkin.progress.stool", bristol=bristol, share=share))
    if progress.latest_scores:
        parts = [
            f"{text(f'checkin.buttons.{name}')}: {total}"
            for name, total in progress.latest_scores.items()
        ]
        lines.append(text("checkin.progress.questionnaires", scores="; ".join(parts)))
    if progress.tests:
        lines.append(text("checkin.progress.tests", count=progress.tests))
    attention: list[str] = []
    if progress.alarms:
        attention.append(text("checkin.progress.attention_alarm", which=", ".join(progress.alarms)))
    if progress.ibs_sss_rise is not None:
        attention.append(text("checkin.progress.attention_rise", points=progress.ibs_sss_rise))
    if attention:
        lines.append(text("checkin.progress.attention", items="; ".join(attention)))
    return "\n".join(lines)


def progress_chart_data(progress: Progress) -> dict[str, Any]:
    """What the progress chart job draws (plain data: it crosses into a worker process)."""
    samples = progress.samples
    return {
        "days": [(e.day.isoformat(), e.stool_form, e.bloating, e.pain) for e in progress.entries],
        "scores": [
            (r.completed_at.date().isoformat(), r.instrument, r.total)
            for r in progress.scores
            if r.completed_at and r.total is not None
        ],
        "tests": [
            (s.created_at.date().isoformat(), f"test {i + 1}")
            for i, s in enumerate(reversed(samples))
        ],
        "title": progress_text(progress).split("\n", 1)[0],
        "labels": {key: text(f"checkin.chart.{key}") for key in CHART_LABELS},
    }


def weekly_summary_text(progress: Progress | None) -> str:
    """The weekly summary message."""
    title = text("checkin.progress.weekly_title")
    if progress is None:
        return f"{title}\n\n{text('checkin.progress.empty')}"
    return f"{title}\n\n{progress_text(progress)}"


def _mean(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def export_summary(export: DoctorExport) -> str:
    """The short text sent with the doctor's table."""
    distribution = ", ".join(f"type {k}: {v}" for k, v in export.bristol_counts.items()) or "-"
    lines = [
        text(
            "checkin.export.summary_title",
            start=export.start.strftime("%d %b %Y"),
            end=export.end.strftime("%d %b %Y"),
        ),
        text("checkin.export.bristol", distribution=distribution),
        text(
            "checkin.export.averages",
            bloating=_mean(export.mean_bloating),
            pain=_mean(export.mean_pain),
            days=export.days_logged,
        ),
    ]
    for instrument in ("ibs_sss", "phq4"):
        values = [f"{total} ({when:%d %b})" for total, when in export.scores.get(instrument, [])]
        if values:
            lines.append(
                text(
                    "checkin.export.scores",
                    name=INSTRUMENT_NAMES[instrument],
                    values=", ".join(values),
                )
            )
    if export.tests:
        tests = ", ".join(
            f"{when:%d %b %Y} (Shannon {shannon:.2f})" for when, shannon in export.tests
        )
        lines.append(text("checkin.export.tests", tests=tests))
    return "\n".join(lines)
