"""Tracking drawings (matplotlib, no pyplot state): plain data in, a Figure, then PNG or PDF bytes.

The symptom progress chart and the one-page summary for a doctor. Both run in the analysis
pool, so their input is plain, picklable data; every word on them comes from the caller
(``bot.render.tracking`` takes them from ``content``).
"""

from __future__ import annotations

import io
import math
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Okabe-Ito colours: distinguishable with the common forms of colour blindness.
BLUE, ORANGE, GREEN, VERMILION, PURPLE, GREY = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#7F7F7F",
)
#: Sizes in points for a 1080 px wide image that is looked at about 400 px wide on a phone.
TICK, LABEL, TITLE = 17, 18, 24
#: Horizontal room of one "test N" label, as a share of the axes' width (checked in the tests).
_MARKER_ROOM = 0.11


def _figure(width: float, height: float) -> Figure:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100)


def figure_bytes(fig: Figure, fmt: str = "png") -> bytes:
    """The figure as PNG (or PDF) bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt)
    return buffer.getvalue()


def date_range(dates: list[date]) -> tuple[date, date]:
    """The x-axis limits for these dates: their own span with a margin, a day either side of one."""
    first, last = min(dates), max(dates)
    margin = max(1, round((last - first).days * 0.04))
    return first - timedelta(days=margin), last + timedelta(days=margin)


def _date_axis(ax: Axes, dates: list[date]) -> None:
    from matplotlib import dates as mdates
    from matplotlib.ticker import FixedLocator

    low, high = date_range(dates)
    ax.set_xlim(low, high)  # type: ignore[arg-type]
    if min(dates) == max(dates):
        ax.xaxis.set_major_locator(FixedLocator([mdates.date2num(min(dates))]))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %Y"))
        return
    # At most five ticks so that they stay apart at phone width, from the first day to the last:
    # day and month while the period fits in a few months (the title has the years), else the
    # first of a month with its year.
    span = (max(dates) - min(dates)).days
    if span > 150:
        months = max(1, math.ceil(span / 30.4 / 4))
        ax.xaxis.set_major_locator(mdates.MonthLocator(interval=months))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        return
    parts = min(4, span)
    ticks = [min(dates) + timedelta(days=round(span * k / parts)) for k in range(parts + 1)]
    ax.xaxis.set_major_locator(FixedLocator(mdates.date2num(ticks)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))


def marker_groups(tests: list[date], low: date, high: date) -> list[tuple[date, int, int]]:
    """Tests close enough that their labels would overprint, as (where, first, last) numbers."""
    span = max((high - low).days, 1)
    groups: list[tuple[date, int, int]] = []
    for number, when in enumerate(sorted(tests), start=1):
        if groups and (when - groups[-1][0]).days / span < _MARKER_ROOM * 1.6:
            where, first, _ = groups[-1]
            groups[-1] = (where, first, number)
        else:
            groups.append((when, number, number))
    return groups


def _test_strip(
    ax: Axes, tests: list[date], span: tuple[date, date], label: dict[str, str]
) -> None:
    low, high = span
    ax.set_ylim(0, 1)
    ax.set_yticks([])
    ax.set_title(label["tests_title"], fontsize=LABEL, loc="left")
    for level, (where, first, last) in enumerate(marker_groups(tests, low, high)):
        words = (
            label["test"].format(number=first)
            if first == last
            else label["tests_range"].format(first=first, last=last)
        )
        share = (where - low).days / max((high - low).days, 1)
        ax.text(
            where,  # type: ignore[arg-type]
            0.72 if level % 2 == 0 else 0.28,
            words,
            fontsize=TICK,
            va="center",
            ha="right" if share > 0.8 else "left",
            gid="test-marker",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
        )


def progress_figure(data: dict[str, Any]) -> Figure:
    """Stool form, bloating and pain by day; each questionnaire on its own scale; tests marked.

    ``data``: ``{"days": [(iso date, bristol|None, bloating|None, pain|None)], "scores":
    [(iso date, instrument, total)], "tests": [iso date], "title": str, "labels": {axis,
    panel and legend texts from content}}``.
    """
    label: dict[str, str] = data["labels"]
    days = [(date.fromisoformat(d), b, bl, p) for d, b, bl, p in data["days"]]
    scores = [(date.fromisoformat(d), name, total) for d, name, total in data["scores"]]
    tests = [date.fromisoformat(d) for d in data["tests"]]
    by_instrument: dict[str, list[tuple[date, int]]] = {}
    for when, instrument, total in scores:
        by_instrument.setdefault(instrument, []).append((when, total))
    instruments = [i for i in ("ibs_sss", "phq4") if i in by_instrument]
    panels = ["tests"] * bool(tests) + ["stool", "symptoms"] + instruments
    ratios = {"tests": 0.45, "stool": 1.0, "symptoms": 1.0, "ibs_sss": 0.8, "phq4": 0.8}
    fig = _figure(10.8, 13.5 if len(panels) > 3 else 10.8)
    axes = fig.subplots(
        len(panels), 1, sharex=True, gridspec_kw={"height_ratios": [ratios[p] for p in panels]}
    )
    fig.set_layout_engine("constrained")
    fig.suptitle(data.get("title", ""), fontsize=TITLE)
    panel = dict(zip(panels, axes, strict=True))
    # Big dots for a few weeks of days, small ones where a year of days would merge into a band.
    dot = {"markersize": 9 if len(days) <= 60 else 3, "linewidth": 2.5 if len(days) <= 60 else 1}
    dates = [d for d, *_ in days] + [d for d, *_ in scores] + tests or [date.today()]
    _date_axis(panel["stool"], dates)

    stool = panel["stool"]
    forms = [(d, b) for d, b, _, _ in days if b is not None]
    stool.axhspan(2.5, 4.5, color=GREEN, alpha=0.15, label=label["typical"])
    if forms:
        stool.plot(*zip(*forms, strict=True), "o-", color=BLUE, **dot)
    stool.set_ylim(0.5, 7.5)
    stool.set_yticks([1, 4, 7])
    stool.set_title(label["stool_form"], fontsize=LABEL, loc="left")
    stool.set_ylabel(label["bristol_axis"], fontsize=LABEL)

    symptoms = panel["symptoms"]
    for index, colour, name in ((2, ORANGE, "bloating"), (3, VERMILION, "pain")):
        series = [(day[0], day[index]) for day in days if day[index] is not None]
        if series:
            symptoms.plot(
                *zip(*series, strict=True),
                "o-",
                color=colour,
                label=label[name],
                **dot,
            )
    symptoms.set_ylim(-0.5, 10.5)
    symptoms.set_yticks([0, 5, 10])
    symptoms.set_title(label["symptoms_title"], fontsize=LABEL, loc="left")
    symptoms.set_ylabel(label["scale_axis"], fontsize=LABEL)

    limits = {"ibs_sss": (0, 500), "phq4": (0, 12)}
    colours = {"ibs_sss": PURPLE, "phq4": GREEN}
    for instrument in instruments:
        ax, points = panel[instrument], by_instrument[instrument]
        ax.plot(
            [w for w, _ in points],
            [t for _, t in points],
            "s-",
            color=colours[instrument],
            markersize=9,
            linewidth=2.5,
        )
        lo, hi = limits[instrument]
        ax.set_ylim(lo - hi * 0.04, hi * 1.04)
        ax.set_yticks([lo, hi // 2, hi])
        ax.set_title(label[instrument], fontsize=LABEL, loc="left")
        ax.set_ylabel(label[f"{instrument}_axis"], fontsize=LABEL)

    for name, ax in panel.items():
        for when in tests:
            ax.axvline(when, color=GREY, linestyle="--", linewidth=1.5)
        ax.tick_params(labelsize=TICK)
        if name != "tests":
            ax.grid(alpha=0.3)
    for ax in (stool, symptoms):
        if ax.get_legend_handles_labels()[0]:
            ax.legend(
                fontsize=TICK - 2,
                loc="lower right",
                bbox_to_anchor=(1, 1),
                ncol=2,
                frameon=False,
                borderaxespad=0.1,
            )
    if tests:
        _test_strip(panel["tests"], tests, date_range(dates), label)
    if not (days or scores):
        symptoms.text(
            0.5, 0.5, label["empty"], transform=symptoms.transAxes, ha="center", fontsize=LABEL
        )
    axes[-1].set_xlabel(label["date_axis"], fontsize=LABEL)
    return fig


def progress_png(data: dict[str, Any]) -> bytes:
    """The progress chart as a PNG 1080 px wide (the job the analysis pool runs)."""
    return figure_bytes(progress_figure(data))


# --- the one-page summary for a doctor ------------------------------------------------------

A4 = (8.27, 11.69)  #: inches
_MARGIN = 0.6
_PALE_VERMILION = "#FBE3D6"
#: Table columns: left edge (inches from the margin) and width; the note takes what is left.
_COLUMNS = (
    (0.0, 0.95),
    (0.95, 0.55),
    (1.5, 0.45),
    (1.95, 0.65),
    (2.6, 0.45),
    (3.05, 0.5),
    (3.55, 1.5),
    (5.1, A4[0] - 2 * _MARGIN - 5.1),
)
_NOTE_LINES = 3


def _wrap(words: str, width: float, size: float) -> list[str]:
    """Lines of at most ``width`` inches at ``size`` points (DejaVu Sans: ~0.55 em a character)."""
    import textwrap

    chars = max(4, int(width / (size * 0.56 / 72)))
    return textwrap.wrap(words, chars, break_long_words=True) or [""]


class _Page:
    """Text written top-down on an A4 figure, in inches (``y`` is the baseline of the last line)."""

    def __init__(self, fig: Figure) -> None:
        self.fig = fig
        self.y = A4[1] - _MARGIN

    def room(self) -> float:
        return self.y - _MARGIN - 0.45  # the footer's two lines

    def text(self, x: float, y: float, words: str, size: float, **style: Any) -> None:
        self.fig.text(
            (_MARGIN + x) / A4[0], y / A4[1], words, fontsize=size, parse_math=False, **style
        )

    def write(self, words: str, size: float = 9.0, gap: float = 0.0, **style: Any) -> None:
        self.y -= gap
        for line in _wrap(words, A4[0] - 2 * _MARGIN, size):
            self.y -= size * 1.4 / 72
            self.text(0, self.y, line, size, **style)

    def section(self, title: str, lines: list[str], empty: str, colour: str = "black") -> None:
        self.write(title, 11, gap=0.12, weight="bold", color=colour)
        for line in lines or [empty]:
            self.write(line, 9, color=colour if lines else "black")


def _row_lines(cells: list[str]) -> list[list[str]]:
    lines = [_wrap(c, w, 8) for c, (_, w) in zip(cells, _COLUMNS, strict=True)]
    note = lines[-1]
    if len(note) > _NOTE_LINES:
        lines[-1] = [*note[: _NOTE_LINES - 1], note[_NOTE_LINES - 1][:-1] + "…"]
    return lines


def _pick_rows(rows: list[dict[str, Any]], room: float) -> list[dict[str, Any]]:
    """The rows that fit: every one with a safety answer or a note first, then the latest."""
    order = sorted(range(len(rows)), key=lambda i: (not rows[i]["priority"], -i))
    chosen: list[int] = []
    for i in order:
        height = max(map(len, _row_lines(rows[i]["cells"]))) * 8 * 1.3 / 72 + 0.04
        if height > room:
            break
        chosen.append(i)
        room -= height
    return [rows[i] for i in sorted(chosen)]


def _table(page: _Page, columns: list[str], rows: list[dict[str, Any]]) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    page.y -= 0.22
    for (x, _), name in zip(_COLUMNS, columns, strict=True):
        page.text(x, page.y, name, 8, weight="bold")
    page.y -= 0.06
    for row in rows:
        lines = _row_lines(row["cells"])
        height = max(map(len, lines)) * 8 * 1.3 / 72 + 0.04
        top = page.y
        page.y -= height
        if row["alarm"]:
            page.fig.add_artist(
                Rectangle(
                    (_MARGIN / A4[0], page.y / A4[1]),
                    (A4[0] - 2 * _MARGIN) / A4[0],
                    height / A4[1],
                    transform=page.fig.transFigure,
                    facecolor=_PALE_VERMILION,
                    edgecolor="none",
                    gid="alarm-row",
                )
            )
        for column, ((x, _), cell) in enumerate(zip(_COLUMNS, lines, strict=True)):
            alarm = column == 6 and row["alarm"]
            style = {"weight": "bold", "color": VERMILION} if alarm else {}
            for n, line in enumerate(cell):
                page.text(x, top - 0.02 - (n + 0.8) * 8 * 1.3 / 72, line, 8, **style)
        left, right = _MARGIN / A4[0], 1 - _MARGIN / A4[0]
        page.fig.add_artist(
            Line2D([left, right], [page.y / A4[1]] * 2, color="#DDDDDD", linewidth=0.5)
        )


def doctor_figure(data: dict[str, Any]) -> Figure:
    """The one-page A4 summary for a GP: period, safety answers, scores, tests, the days.

    ``data`` comes from ``bot.render.tracking.doctor_pdf_data``: every word already worded.
    """
    words: dict[str, str] = data["words"]
    fig = _figure(*A4)
    page = _Page(fig)
    page.write(words["title"], 16, weight="bold")
    page.write(data["period"], 10, gap=0.05)
    page.write(words["self_report"], 9, gap=0.03, style="italic", color=GREY)
    alarms: list[str] = data["alarms"]
    shown = alarms[:10] + [words["more"].format(count=len(alarms) - 10)] * (len(alarms) > 10)
    page.section(words["alarms_title"], shown, words["no_alarms"], VERMILION if alarms else "black")
    page.section(words["scores_title"], data["scores"], words["no_scores"])
    page.section(words["tests_title"], data["tests"], words["no_tests"])
    page.write(words["days_title"], 11, gap=0.12, weight="bold")
    rows: list[dict[str, Any]] = data["days"]
    if not rows:
        page.write(words["no_days"], 9)
    else:
        fitting = _pick_rows(rows, page.room() - 0.5)
        if len(fitting) < len(rows):
            page.write(words["shown"].format(shown=len(fitting), total=len(rows)), 8, color=GREY)
        _table(page, data["columns"], fitting)
    footer = _Page(fig)
    footer.y = _MARGIN + 0.45
    footer.write(data["footer"], 7, color=GREY)
    return fig


def doctor_pdf(data: dict[str, Any]) -> bytes:
    """The one-page summary as PDF bytes (the job the analysis pool runs)."""
    import matplotlib

    fig = doctor_figure(data)
    buffer = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42}):  # TrueType: the text stays searchable
        fig.savefig(buffer, format="pdf", metadata={"Title": data["title"], "Creator": "gutbot"})
    return buffer.getvalue()
