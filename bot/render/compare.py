"""The words for a comparison of two samples; the numbers come from ``analysis.compare``."""

from __future__ import annotations

from datetime import datetime

from analysis.compare import (
    REPLICATE_BRAY_CURTIS,
    REPLICATE_GENUS_SHARE,
    compare_samples,
    within_kit_variation,
)
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
