"""The words for a comparison of two samples; the numbers come from ``analysis.compare``."""

from __future__ import annotations

from datetime import datetime

from analysis.compare import (
    REPLICATE_BRAY_CURTIS,
    REPLICATE_GENUS_SHARE,
    compare_samples,
    comparison_gap,
    within_kit_variation,
)
from analysis.model import IndexResult, Report, SampleReport
from bot.render.formatting import INDEX_ORDER, percent, shown_name
from content.analysis_words import format_name, method_name
from content.messages import text

_CHANGE_KEYS = {"up": "results.up", "down": "results.down", "unchanged": "results.unchanged"}


def _fmt_index(index: IndexResult) -> str:
    if not index.applicable or index.value is None:
        return text("results.status.not_applicable")
    return f"{index.value:.2f}"


def compare_text(
    old: tuple[Report, str, datetime],
    new: tuple[Report, str, datetime],
) -> str:
    """Side by side: diversity, indices, Bray-Curtis between the samples, taxa that changed most."""
    (old_report, old_id, old_date), (new_report, new_id, new_date) = old, new
    a, b = old_report.sample(old_id), new_report.sample(new_id)
    comparison = compare_samples(a.model_dump(mode="json"), b.model_dump(mode="json"))
    dates = {"old_date": old_date.strftime("%d %B %Y"), "new_date": new_date.strftime("%d %B %Y")}
    same_day = "_same_day" if dates["old_date"] == dates["new_date"] else ""
    gap = comparable_gap(old_report, new_report)
    if gap is not None:
        title = text(f"results.compare_title_each{same_day}", **dates)
        return "\n".join([title, *_not_comparable(gap, old_report, new_report, a, b)])
    lines = [text(f"results.compare_title{same_day}", **dates)]
    lines.append(
        text(
            "results.compare_diversity",
            old=comparison.shannon_old,
            new=comparison.shannon_new,
            change=text(_CHANGE_KEYS[comparison.diversity_change]),
        )
    )
    lines += _index_lines("results.compare_index", a, b)
    lines.append(text("results.compare_distance", value=comparison.bray_curtis))
    if comparison.bray_curtis <= REPLICATE_BRAY_CURTIS:
        lines.append(text("results.compare_like_replicates", limit=REPLICATE_BRAY_CURTIS))
    lines += ["", text("results.compare_taxa_title")]
    small = False
    for change in comparison.changes:
        line = text(
            "results.compare_taxon",
            name=shown_name(change.genus, 40),
            old=percent(change.old),
            new=percent(change.new),
        )
        if within_kit_variation(change.old, change.new):
            line += text("results.compare_within_kit")
            small = True
        lines.append(line)
    if small:
        lines.append(text("results.compare_kit_note", points=REPLICATE_GENUS_SHARE * 100))
    return "\n".join(lines)


def comparable_gap(old: Report, new: Report) -> str | None:
    """What keeps two reports from being compared (``analysis.compare.comparison_gap``)."""
    return comparison_gap(
        (old.method, old.format, old.profiler_version),
        (new.method, new.format, new.profiler_version),
    )


def _not_comparable(
    gap: str, old_report: Report, new_report: Report, a: SampleReport, b: SampleReport
) -> list[str]:
    """Why two tests are not compared, then each test's own figures, with no verdict."""
    if gap == "method":
        old, new = method_name(old_report.method), method_name(new_report.method)
        why = text("results.compare_gap_method", old=old, new=new)
    elif gap == "profiler":
        old, new = format_name(old_report.format), format_name(new_report.format)
        why = text("results.compare_gap_profiler", old=old, new=new)
    else:
        tool = format_name(new_report.format)
        old, new = str(old_report.profiler_version), str(new_report.profiler_version)
        why = text("results.compare_gap_version", tool=tool, old=old, new=new)
    lines = [why, ""]
    lines.append(text("results.compare_diversity_each", old=a.alpha.shannon, new=b.alpha.shannon))
    lines += _index_lines("results.compare_index_each", a, b)
    return [*lines, "", text("results.compare_gap_advice")]


def _index_lines(key: str, a: SampleReport, b: SampleReport) -> list[str]:
    """One line per index with the older and the newer test's value (or "not applicable")."""
    return [
        text(
            key,
            name=text(f"results.index.{name}"),
            old=_fmt_index(a.index(name)),
            new=_fmt_index(b.index(name)),
        )
        for name in INDEX_ORDER
    ]
