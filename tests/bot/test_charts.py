"""The progress chart's axes are true: its dates span the data, each questionnaire has its own
scale, test labels never overprint. Expected values come from the data given to the chart."""

from __future__ import annotations

from datetime import date, timedelta

from matplotlib import dates as mdates
from matplotlib.backends.backend_agg import FigureCanvasAgg

from bot.charts import date_range, doctor_figure, doctor_pdf, marker_groups, progress_figure
from bot.render.tracking import CHART_LABELS, doctor_pdf_data
from bot.services.doctor_export import Day, DoctorExport
from content.messages import text

LABELS = {key: text(f"checkin.chart.{key}") for key in CHART_LABELS}
START = date(2026, 11, 18)


def _data(days: int, scores: list[tuple[str, str, int]], tests: list[str]) -> dict[str, object]:
    rows = [((START + timedelta(days=i)).isoformat(), 4, i % 10, (i * 3) % 10) for i in range(days)]
    return {"days": rows, "scores": scores, "tests": tests, "title": "t", "labels": LABELS}


def _panel(fig, title: str):  # type: ignore[no-untyped-def]
    return next(ax for ax in fig.axes if ax.get_title(loc="left") == title)


def test_two_weeks_of_data_span_two_weeks_not_years() -> None:
    fig = progress_figure(_data(14, [], ["2026-11-20"]))
    low, high = (mdates.num2date(x).date() for x in _panel(fig, LABELS["stool_form"]).get_xlim())
    assert START - timedelta(days=2) <= low <= START
    last = START + timedelta(days=13)
    assert last <= high <= last + timedelta(days=2)


def test_each_questionnaire_is_drawn_on_its_own_scale_with_its_own_values() -> None:
    scores = [("2026-11-18", "ibs_sss", 260), ("2026-11-25", "ibs_sss", 190)]
    scores += [("2026-11-19", "phq4", 12), ("2026-11-30", "phq4", 4)]
    fig = progress_figure(_data(14, scores, []))
    phq4 = _panel(fig, LABELS["phq4"])
    assert list(phq4.lines[0].get_ydata()) == [12, 4]  # 12 of 12 stays 12, not 480
    assert 12 <= phq4.get_ylim()[1] < 13
    ibs = _panel(fig, LABELS["ibs_sss"])
    assert list(ibs.lines[0].get_ydata()) == [260, 190]
    assert 500 <= ibs.get_ylim()[1] < 530


def test_tests_close_together_share_one_label_and_labels_never_overlap() -> None:
    tests = ["2026-11-20", "2026-11-20", "2026-11-21", "2026-11-29", "2026-12-01"]
    low, high = date_range(
        [START, START + timedelta(days=13)] + [date.fromisoformat(t) for t in tests]
    )
    groups = marker_groups([date.fromisoformat(t) for t in tests], low, high)
    assert [(first, last) for _, first, last in groups] == [(1, 3), (4, 5)]
    fig = progress_figure(_data(14, [], tests))
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    labels = [t for ax in fig.axes for t in ax.texts if t.get_gid() == "test-marker"]
    assert [t.get_text() for t in labels] == ["tests 1-3", "tests 4-5"]
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_one_day_of_data_gets_a_readable_axis() -> None:
    fig = progress_figure(_data(1, [], []))
    stool = _panel(fig, LABELS["stool_form"])
    low, high = (mdates.num2date(x).date() for x in stool.get_xlim())
    assert low < START < high and (high - low).days <= 4


def test_the_doctor_page_is_one_pdf_page_and_keeps_the_safety_answers() -> None:
    days = [
        Day(START + timedelta(days=i), True, 4, 1, 2, 3, None, ("blood",) * (i == 70), None)
        for i in range(90)
    ]
    export = DoctorExport(
        start=START,
        end=START + timedelta(days=89),
        bristol_counts={4: 90},
        mean_bloating=2.0,
        mean_pain=3.0,
        days_logged=90,
        scores={},
        tests=[],
        days=days,
        score_rows=[],
    )
    data = doctor_pdf_data(export, START + timedelta(days=90))
    pdf = doctor_pdf(data)
    assert pdf.startswith(b"%PDF") and b"/Count 1" in pdf
    # 90 days do not fit on one page: the day with a safety answer is among the rows shown.
    cells = [t.get_text() for t in doctor_figure(data).texts]
    alarm_day = (START + timedelta(days=70)).strftime("%d %b %Y")
    assert cells.count(text("checkin.alarm_name.blood")) == 1 and alarm_day in cells
    assert any(c.startswith(text("checkin.pdf.shown").split("{")[0]) for c in cells)
