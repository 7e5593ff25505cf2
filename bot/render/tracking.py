"""Words for tracking: a finished check-in, questionnaire scores, progress and the doctor's export."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from bot.render.formatting import spreadsheet_safe
from bot.services.checkins import Week
from bot.services.doctor_export import (
    ALARMS,
    INSTRUMENT_MAXIMUM,
    INSTRUMENTS,
    Day,
    DoctorExport,
    Test,
)
from bot.services.progress import Progress
from bot.services.questionnaires import Score
from content.messages import text

CHART_LABELS = (
    "typical",
    "stool_form",
    "bristol_axis",
    "symptoms_title",
    "bloating",
    "pain",
    "scale_axis",
    "ibs_sss",
    "ibs_sss_axis",
    "phq4",
    "phq4_axis",
    "tests_title",
    "test",
    "tests_range",
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
    elif progress.stool_types:  # a tie: no type is the usual one
        types = ", ".join(str(t) for t in progress.stool_types)
        lines.append(text("checkin.progress.stool_mixed", types=types))
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
        attention.append(
            text("checkin.progress.attention_alarm", which=alarm_names(progress.alarms))
        )
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
        "tests": sorted(s.created_at.date().isoformat() for s in samples),
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


#: Room for the text sent with the doctor's files (a Telegram message holds 4096 characters).
SUMMARY_LIMIT = 3800


def alarm_names(keys: tuple[str, ...] | list[str]) -> str:
    """Safety questions answered yes, in words."""
    return ", ".join(text(f"checkin.alarm_name.{k}") for k in keys)


def days_logged(days: int) -> str:
    """'1 day logged.' or 'N days logged.'"""
    if days == 1:
        return text("checkin.export.days_logged_one")
    return text("checkin.export.days_logged", days=days)


def _day(value: date) -> str:
    return value.strftime("%d %b %Y")


def _alarm_line(day: Day) -> str:
    which = alarm_names(day.alarms)
    if not day.finished:
        which = f"{which} {text('checkin.export.unfinished')}"
    return text("checkin.export.alarm_line", date=_day(day.day), which=which)


def _score_lines(export: DoctorExport) -> list[str]:
    lines = []
    for instrument in INSTRUMENTS:
        values = [
            text(
                "checkin.export.score_value",
                total="-" if total is None else total,
                maximum=INSTRUMENT_MAXIMUM[instrument],
                date=_day(when),
            )
            for total, when in export.scores.get(instrument, [])
        ]
        if values:
            name = text(f"checkin.export.instrument.{instrument}")
            lines.append(text("checkin.export.scores", name=name, values=", ".join(values)))
    return lines


def _test_figures(test: Test) -> str:
    figures = [
        text("checkin.export.figure", name=text("analysis.chart.shannon"), value=test.shannon)
    ]
    figures += [
        text("checkin.export.figure", name=text(f"results.index.{key}"), value=value)
        for key, value in test.indices.items()
    ]
    return ", ".join(figures)


def _test_line(test: Test) -> str:
    return text(
        "checkin.export.test_line",
        date=_day(test.day),
        format=test.format,
        sample=test.sample,
        figures=_test_figures(test),
    )


def export_summary(export: DoctorExport) -> str:
    """The text sent with the doctor's table: every safety answer, note, score and test."""
    distribution = (
        ", ".join(
            text("checkin.export.bristol_type", type=k, count=v)
            for k, v in export.bristol_counts.items()
        )
        or "-"
    )
    lines = [
        text("checkin.export.summary_title", start=_day(export.start), end=_day(export.end)),
        days_logged(export.days_logged),
        text("checkin.export.bristol", distribution=distribution),
        text(
            "checkin.export.averages",
            bloating=_mean(export.mean_bloating),
            pain=_mean(export.mean_pain),
        ),
    ]
    if export.alarm_days:
        lines += [text("checkin.export.alarms"), *map(_alarm_line, export.alarm_days)]
    else:
        lines.append(text("checkin.export.no_alarms"))
    lines += _score_lines(export)
    if export.tests:
        lines += [text("checkin.export.tests"), *map(_test_line, export.tests)]
    notes = [
        text("checkin.export.note_line", date=_day(when), note=note) for when, note in export.notes
    ]
    if notes:
        # The notes go last and the newest are kept when they do not all fit in one message.
        room = SUMMARY_LIMIT - len("\n".join(lines)) - 200
        kept: list[str] = []
        for line in reversed(notes):
            if len(line) + 1 > room:
                break
            kept.insert(0, line)
            room -= len(line) + 1
        lines.append(text("checkin.export.notes"))
        if len(kept) < len(notes):
            lines.append(text("checkin.export.more_notes", count=len(notes) - len(kept)))
        lines += kept
    return "\n".join(lines)[: SUMMARY_LIMIT + 200]


def _cell(value: int | None) -> str:
    return "" if value is None else str(value)


def doctor_pdf_data(export: DoctorExport, made: date) -> dict[str, Any]:
    """What the one-page PDF draws (plain data and words: it crosses into a worker process)."""
    days = [
        {
            "cells": [
                _day(d.day),
                _cell(d.stool_form),
                _cell(d.bowel_movements),
                _cell(d.bloating),
                _cell(d.pain),
                _cell(d.mood),
                alarm_names(d.alarms),
                d.note or "",
            ],
            "alarm": bool(d.alarms),
            "priority": bool(d.alarms or d.note),
        }
        for d in export.days
    ]
    words = {
        key: text(f"checkin.pdf.{key}")
        for key in (
            "title",
            "self_report",
            "alarms_title",
            "no_alarms",
            "scores_title",
            "no_scores",
            "tests_title",
            "no_tests",
            "days_title",
            "no_days",
            "shown",
            "more",
        )
    }
    return {
        "words": words,
        "period": text(
            "checkin.pdf.period",
            start=_day(export.start),
            end=_day(export.end),
            days=days_logged(export.days_logged),
        ),
        "footer": text("checkin.pdf.footer", date=_day(made)),
        "alarms": [_alarm_line(d) for d in export.alarm_days],
        "scores": _score_lines(export),
        "tests": [_test_line(t) for t in export.tests],
        "columns": [
            text(f"checkin.pdf.col_{key}")
            for key in (
                "date",
                "bristol",
                "movements",
                "bloating",
                "pain",
                "mood",
                "alarms",
                "note",
            )
        ],
        "days": days,
        "title": words["title"],
    }


def doctor_csv(export: DoctorExport) -> bytes:
    """The full table for a doctor: every check-in, then the questionnaires, then the tests."""
    columns = text("checkin.export.csv.columns").split(",")
    blank = [""] * (len(columns) - 4)  # between the record and the score
    yes, no = text("checkin.export.csv.yes"), text("checkin.export.csv.no")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for d in export.days:
        record = "checkin" if d.finished else "checkin_unfinished"
        writer.writerow(
            [
                d.day.isoformat(),
                text(f"checkin.export.csv.{record}"),
                d.stool_form or "",
                *("" if v is None else v for v in (d.bowel_movements, d.bloating, d.pain)),
                d.mood or "",
                *(_answer(d, key, yes, no) for key in ALARMS),
                "",
                spreadsheet_safe(d.note or ""),
            ]
        )
    for instrument, total, day in export.score_rows:
        name = text(f"checkin.export.instrument.{instrument}")
        writer.writerow([day.isoformat(), name, *blank, total, ""])
    for t in export.tests:
        details = text("checkin.export.csv.test_details", format=t.format, sample=t.sample)
        writer.writerow(
            [
                t.day.isoformat(),
                text("checkin.export.csv.test"),
                *blank,
                _test_figures(t),
                spreadsheet_safe(details),
            ]
        )
    return buffer.getvalue().encode("utf-8")


def _answer(day: Day, key: str, yes: str, no: str) -> str:
    """A safety question's answer in the table: yes, no, or blank when it was not reached."""
    if key in day.alarms:
        return yes
    return no if key in day.answered else ""
