"""Charts readable on a phone: composition, diversity among healthy people, indices, trends.

Matplotlib with the Agg backend and an explicit Figure per call (no pyplot global state), the
Okabe-Ito colour-blind-safe palette, every axis labelled. The words on a chart come from the
caller (``content`` words them, see :data:`WORDS`): this module writes no sentence of its own.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import datetime

from analysis.indices import INDEX_KEYS, INDEX_SPECS
from analysis.model import Report, SampleReport
from analysis.reference import panel

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
GREY = "#9E9E9E"
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
        "index_value_axis",
        "test_date",
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
    fig.suptitle(words["summary_title"].format(sample=sample.sample_id), fontsize=22, y=0.985)
    _composition(fig.add_subplot(grid[0]), sample, words)
    _diversity(fig.add_subplot(grid[1]), report, sample, words)
    _indices(fig.add_subplot(grid[2]), sample, words)
    fig.subplots_adjust(left=0.3, right=0.95, top=0.93, bottom=0.05)
    return _png(fig)


def _composition(ax, sample: SampleReport, words: Mapping[str, str]) -> None:  # type: ignore[no-untyped-def]
    genera = [(k, v) for k, v in sample.composition.genus.items() if k != "Other"][:12]
    names = [k for k, _ in genera][::-1]
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


def progress_chart(reports: list[tuple[datetime, Report, str]], words: Mapping[str, str]) -> bytes:
    """Trends across tests: Shannon and each applicable index, and the top genera's shares.

    Parameters
    ----------
    reports
        (test date, report, sample id) in any order.
    words
        The chart's words by key (every key of :data:`WORDS`).
    """
    _check(words)
    points = sorted(reports, key=lambda r: r[0])
    fig = _figure(10.8, 10.8)
    top, bottom = fig.subplots(2, 1)
    fig.suptitle(words["progress_title"], fontsize=22)
    dates = [d for d, _, _ in points]
    samples = [r.sample(s) for _, r, s in points]
    top.plot(
        dates,
        [s.alpha.shannon for s in samples],
        "o-",
        color=OKABE_ITO[0],
        linewidth=3,
        markersize=10,
        label=words["shannon"],
    )
    for colour, key in ((OKABE_ITO[1], "gmhi"), (OKABE_ITO[4], "gmwi2")):
        series = [
            (d, s.index(key).value)
            for d, s in zip(dates, samples, strict=True)
            if s.index(key).applicable and s.index(key).value is not None
        ]
        if series:
            top.plot(
                [d for d, _ in series],
                [v for _, v in series],
                "s--",
                color=colour,
                linewidth=2,
                markersize=9,
                label=words[f"index.{key}"],
            )
    top.axhline(0, color=GREY, linewidth=1)
    top.set_ylabel(words["index_value_axis"], fontsize=14)
    top.legend(fontsize=12)
    top.tick_params(labelsize=12)
    genera: dict[str, float] = {}
    for s in samples:
        for name, value in s.composition.genus.items():
            if name != "Other":
                genera[name] = max(genera.get(name, 0.0), value)
    for colour, name in zip(OKABE_ITO, sorted(genera, key=lambda g: -genera[g])[:6], strict=False):
        bottom.plot(
            dates,
            [100 * s.composition.genus.get(name, 0.0) for s in samples],
            "o-",
            color=colour,
            linewidth=2,
            label=name,
        )
    bottom.set_ylabel(words["share_axis"], fontsize=14)
    bottom.set_xlabel(words["test_date"], fontsize=14)
    bottom.legend(fontsize=11, ncol=2)
    bottom.tick_params(labelsize=12)
    fig.autofmt_xdate()
    fig.tight_layout()
    return _png(fig)
