"""Charts readable on a phone: composition, diversity among healthy people, indices, trends.

Matplotlib with the Agg backend and an explicit Figure per call (no pyplot global state), the
Okabe-Ito colour-blind-safe palette, every axis labelled. The words on a chart come from the
caller (``content`` words them, see :data:`WORDS`): this module writes no sentence of its own.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import datetime, timedelta

from analysis.indices import INDEX_KEYS, INDEX_SPECS
from analysis.model import Report, SampleReport
from analysis.reference import panel

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
GREY = "#9E9E9E"
#: Longest taxon name drawn: a longer one (only a crafted file has one) is cut with an ellipsis,
#: so drawing time does not grow with it (a 100,000-character name once took 9 s to draw).
MAX_NAME = 28


def _short(name: str) -> str:
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1] + "…"


#: Every word a chart needs, by key (placeholders in braces); the caller supplies them all.
WORDS = frozenset(
    {
        "summary_title",
        "genera_title",
        "share_axis",
        "diversity_title",
        "diversity_axis",
        "no_reference",
        "healthy_90",
        "middle_half",
        "typical",
        "you",
        "indices_title",
        "not_applicable",
        "band_note",
        "progress_title",
        "shannon",
        "test_date",
        "test_number",
        "same_day",
        *(f"index.{key}" for key in INDEX_KEYS),
        *(f"status.{s}" for s in ("healthy", "non_healthy", "indeterminate", "not_applicable")),
    }
)


def _check(words: Mapping[str, str]) -> None:
    missing = WORDS - set(words)
    if missing:
        raise ValueError(f"chart words missing: {sorted(missing)}")


def _figure(width: float, height: float):  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100)


def _png(fig) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def summary_chart(report: Report, sample_id: str, words: Mapping[str, str]) -> bytes:
    """One sample: top genera, Shannon among healthy people, and the indices with their bands.

    Parameters
    ----------
    report
        The analysis report.
    sample_id
        Which sample to draw.
    words
        The chart's words by key (every key of :data:`WORDS`).

    Returns
    -------
    bytes
        A PNG about 1080 px wide.
    """
    _check(words)
    sample = report.sample(sample_id)
    fig = _figure(10.8, 13.5)
    grid = fig.add_gridspec(3, 1, height_ratios=[2.2, 1, 1.3], hspace=0.55)
    title = words["summary_title"].format(sample=_short(sample.sample_id))
    fig.suptitle(title, fontsize=22, y=0.985)
    _composition(fig.add_subplot(grid[0]), sample, words)
    _diversity(fig.add_subplot(grid[1]), report, sample, words)
    _indices(fig.add_subplot(grid[2]), sample, words)
    fig.subplots_adjust(left=0.3, right=0.95, top=0.93, bottom=0.05)
    return _png(fig)


def _composition(ax, sample: SampleReport, words: Mapping[str, str]) -> None:  # type: ignore[no-untyped-def]
    genera = [(k, v) for k, v in sample.composition.genus.items() if k != "Other"][:12]
    names = [_short(k) for k, _ in genera][::-1]
    values = [100 * v for _, v in genera][::-1]
    ax.barh(names, values, color=OKABE_ITO[0])
    for y, v in enumerate(values):
        ax.text(v, y, f" {v:.1f}%", va="center", fontsize=13)
    ax.set_title(words["genera_title"], fontsize=18, loc="left")
    ax.set_xlabel(words["share_axis"], fontsize=14)
    ax.tick_params(labelsize=14)
    if values:
        ax.set_xlim(0, max(values) * 1.25)


def _diversity(ax, report: Report, sample: SampleReport, words: Mapping[str, str]) -> None:  # type: ignore[no-untyped-def]
    ax.set_title(words["diversity_title"], fontsize=18, loc="left")
    ax.set_yticks([])
    ax.set_xlabel(words["diversity_axis"], fontsize=14)
    ax.tick_params(labelsize=13)
    if report.method not in ("shotgun", "16s"):
        ax.text(
            0.5,
            0.5,
            words["no_reference"],
            ha="center",
            va="center",
            transform=ax.transAxes,
            fontsize=14,
        )
        ax.set_xlim(0, 5)
        value = sample.alpha.shannon
    else:
        ref = panel(report.method)
        q = ref.shannon_quantiles()
        ax.axvspan(q[5], q[95], color=OKABE_ITO[2], alpha=0.15, label=words["healthy_90"])
        ax.axvspan(q[25], q[75], color=OKABE_ITO[2], alpha=0.35, label=words["middle_half"])
        ax.axvline(q[50], color=OKABE_ITO[2], linewidth=2, label=words["typical"])
        value = (
            sample.alpha.shannon
            if ref.rank == sample.rank
            else (sample.alpha_genus or sample.alpha).shannon
        )
        ax.set_xlim(min(q[5], value) - 0.5, max(q[95], value) + 0.5)
        ax.legend(loc="upper left", fontsize=11, ncol=3, bbox_to_anchor=(0, -0.45))
    ax.axvline(value, color=OKABE_ITO[3], linewidth=4)
    ax.text(
        value,
        0.85,
        " " + words["you"].format(value=value),
        color=OKABE_ITO[3],
        fontsize=15,
        transform=ax.get_xaxis_transform(),
    )


def _indices(ax, sample: SampleReport, words: Mapping[str, str]) -> None:  # type: ignore[no-untyped-def]
    ax.set_title(words["indices_title"], fontsize=18, loc="left")
    rows = [(spec, sample.index(spec.key)) for spec in INDEX_SPECS]
    ax.set_ylim(-0.5, len(rows) - 0.5)
    ax.set_xlim(0, 1)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([words[f"index.{spec.key}"] for spec, _ in rows][::-1], fontsize=14)
    ax.set_xticks([])
    for y, (spec, result) in enumerate(rows[::-1]):
        if not result.applicable or result.value is None:
            ax.text(0.02, y, words["not_applicable"], va="center", fontsize=14, color=GREY)
            continue
        lo, hi = spec.axis

        def x(v: float, lo: float = lo, hi: float = hi) -> float:
            return min(1.0, max(0.0, (v - lo) / (hi - lo)))

        if result.healthy_band is not None:
            a, b = result.healthy_band
            ax.barh(y, x(b) - x(a), left=x(a), height=0.5, color=OKABE_ITO[2], alpha=0.3)
        ax.barh(y, 1, height=0.5, color="none", edgecolor=GREY)
        ax.plot([x(result.value)], [y], marker="D", markersize=14, color=OKABE_ITO[3])
        status = words[f"status.{result.status}"]
        ax.text(
            x(result.value), y + 0.33, f"{result.value:.2f} ({status})", ha="center", fontsize=13
        )
    ax.text(
        0,
        -0.9,
        words["band_note"],
        fontsize=12,
        color=GREY,
        transform=ax.transData,
    )


def _test_dates(ax, dates: list[datetime], same_day: bool, words: Mapping[str, str]) -> list[float]:  # type: ignore[no-untyped-def]
    """The x positions of the tests: their dates, or test numbers when all are from one day."""
    from matplotlib import dates as mdates
    from matplotlib.ticker import FixedLocator

    if same_day:
        positions = [float(n) for n in range(1, len(dates) + 1)]
        ax.set_xlim(0.5, len(dates) + 0.5)
        ax.xaxis.set_major_locator(FixedLocator(positions))
        ax.xaxis.set_major_formatter(lambda x, _: words["test_number"].format(number=round(x)))
        return positions
    days = [d.date() for d in dates]
    first, last = min(days), max(days)
    span = (last - first).days
    margin = timedelta(days=max(1, round(span * 0.1)))
    ax.set_xlim(mdates.date2num(first - margin), mdates.date2num(last + margin))
    # Three ticks at most: a panel is half the width of a phone screen.
    parts = min(2, span) or 1
    ticks = sorted({first + timedelta(days=round(span * k / parts)) for k in range(parts + 1)})
    ax.xaxis.set_major_locator(FixedLocator(mdates.date2num(ticks)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b\n%Y" if span < 730 else "%b %Y"))
    return [float(mdates.date2num(d)) for d in dates]


def _metric_panel(  # type: ignore[no-untyped-def]
    ax,
    x: list[float],
    values: list[float | None],
    title: str,
    words: Mapping[str, str],
    colour: str,
) -> None:
    ax.set_title(title, fontsize=19, loc="left")
    ax.tick_params(labelsize=15)
    ax.grid(alpha=0.3)
    points = [(p, v) for p, v in zip(x, values, strict=True) if v is not None]
    if not points:
        ax.set_yticks([])
        ax.text(
            0.5,
            0.5,
            words["not_applicable"],
            ha="center",
            va="center",
            fontsize=14,
            color=GREY,
            transform=ax.transAxes,
            wrap=True,
        )
        return
    ax.plot(
        [p for p, _ in points],
        [v for _, v in points],
        "o-",
        color=colour,
        linewidth=3,
        markersize=10,
    )
    if len(points) <= 6:  # a few tests: the numbers themselves, readable without the grid
        middle = sum(v for _, v in points) / len(points)
        for p, v in points:
            above = v >= middle  # away from the line: above the high points, below the low
            ax.annotate(
                f"{v:.2f}",
                (p, v),
                textcoords="offset points",
                xytext=(0, 10 if above else -10),
                ha="center",
                va="bottom" if above else "top",
                fontsize=15,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.8},
            )
    low, high = min(v for _, v in points), max(v for _, v in points)
    pad = max((high - low) * 0.3, abs(high) * 0.1, 0.1)
    ax.set_ylim(low - pad, high + pad)


def progress_figure(reports: list[tuple[datetime, Report, str]], words: Mapping[str, str]):  # type: ignore[no-untyped-def]
    """Trends across tests: one small panel per measure (Shannon, each index), then top genera.

    Parameters
    ----------
    reports
        (test date, report, sample id) in any order.
    words
        The chart's words by key (every key of :data:`WORDS`).

    Returns
    -------
    matplotlib.figure.Figure
        Each measure on its own y scale, named in its panel's title; dates on the x axis, or
        test numbers with the day in the title when every test is from the same day.
    """
    _check(words)
    points = sorted(reports, key=lambda r: r[0])
    dates = [d for d, _, _ in points]
    samples = [r.sample(s) for _, r, s in points]
    same_day = len(points) > 1 and len({d.date() for d in dates}) == 1
    fig = _figure(10.8, 13.5)
    fig.set_layout_engine("constrained")
    title = words["progress_title"]
    if same_day:
        title += "\n" + words["same_day"].format(date=dates[0].strftime("%d %b %Y"))
    fig.suptitle(title, fontsize=22)
    grid = fig.add_gridspec(3, 2, height_ratios=[1, 1, 1.3])
    measures: list[tuple[str, list[float | None]]] = [
        (words["shannon"], [s.alpha.shannon for s in samples])
    ]
    for spec in INDEX_SPECS:
        results = [s.index(spec.key) for s in samples]
        measures.append(
            (words[f"index.{spec.key}"], [r.value if r.applicable else None for r in results])
        )
    first = None
    for n, ((name, values), colour) in enumerate(zip(measures[:4], OKABE_ITO, strict=False)):
        ax = fig.add_subplot(grid[n // 2, n % 2], sharex=first)
        first = first or ax
        x = _test_dates(ax, dates, same_day, words)
        _metric_panel(ax, x, values, name, words, colour)
    bottom = fig.add_subplot(grid[2, :])
    x = _test_dates(bottom, dates, same_day, words)
    genera: dict[str, float] = {}
    for s in samples:
        for name, value in s.composition.genus.items():
            if name != "Other":
                genera[name] = max(genera.get(name, 0.0), value)
    for colour, name in zip(OKABE_ITO, sorted(genera, key=lambda g: -genera[g])[:6], strict=False):
        bottom.plot(
            x,
            [100 * s.composition.genus.get(name, 0.0) for s in samples],
            "o-",
            color=colour,
            linewidth=2.5,
            markersize=8,
            label=_short(name),
        )
    bottom.set_title(words["genera_title"], fontsize=19, loc="left")
    bottom.set_ylabel(words["share_axis"], fontsize=15)
    if not same_day:
        bottom.set_xlabel(words["test_date"], fontsize=15)
    handles, names = bottom.get_legend_handles_labels()
    if handles:
        fig.legend(handles, names, fontsize=14, ncol=3, loc="outside lower center", frameon=False)
    bottom.tick_params(labelsize=15)
    bottom.grid(alpha=0.3)
    return fig


def progress_chart(reports: list[tuple[datetime, Report, str]], words: Mapping[str, str]) -> bytes:
    """The trends across tests (:func:`progress_figure`) as a PNG 1080 px wide."""
    return _png(progress_figure(reports, words))
