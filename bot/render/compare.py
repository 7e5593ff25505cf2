"""The words for a comparison of two samples; the numbers come from ``analysis.compare``."""

from __future__ import annotations

from datetime import datetime

from analysis.compare import compare_samples
from analysis.model import IndexResult, Report
from bot.render.formatting import INDEX_ORDER, percent, shown_name
from content.analysis_words import method_name
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
    fmt = "%d %B %Y"
    lines = [
        text(
            "results.compare_title",
            old_date=old_date.strftime(fmt),
            new_date=new_date.strftime(fmt),
        )
    ]
    if old_report.method != new_report.method:
        lines.append(
            text(
                "results.compare_method_differs",
                old_method=method_name(old_report.method),
                new_method=method_name(new_report.method),
            )
        )
    lines.append(
        text(
            "results.compare_diversity",
            old=comparison.shannon_old,
            new=comparison.shannon_new,
            change=text(_CHANGE_KEYS[comparison.diversity_change]),
        )
    )
    for name in INDEX_ORDER:
        lines.append(
            text(
                "results.compare_index",
                name=text(f"results.index.{name}"),
                old=_fmt_index(a.index(name)),
                new=_fmt_index(b.index(name)),
            )
        )
    lines.append(text("results.compare_distance", value=comparison.bray_curtis))
    lines += ["", text("results.compare_taxa_title")]
    for change in comparison.changes:
        lines.append(
            text(
                "results.compare_taxon",
                name=shown_name(change.genus, 40),
                old=percent(change.old),
                new=percent(change.new),
            )
        )
    return "\n".join(lines)
