"""The words for a comparison of two samples; the numbers come from ``analysis.compare``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from analysis.compare import compare_samples
from bot.render.formatting import INDEX_ORDER, method_name, percent
from bot.services.results import sample_of
from content.messages import text

_CHANGE_KEYS = {"up": "results.up", "down": "results.down", "unchanged": "results.unchanged"}


def _fmt_index(index: dict[str, Any]) -> str:
    if not index["applicable"] or index["value"] is None:
        return text("results.status.not_applicable")
    return f"{index['value']:.2f}"


def compare_text(
    old: tuple[dict[str, Any], str, datetime],
    new: tuple[dict[str, Any], str, datetime],
) -> str:
    """Side by side: diversity, indices, Bray-Curtis between the samples, taxa that changed most."""
    (old_report, old_id, old_date), (new_report, new_id, new_date) = old, new
    a, b = sample_of(old_report, old_id), sample_of(new_report, new_id)
    comparison = compare_samples(a, b)
    fmt = "%d %B %Y"
    lines = [
        text(
            "results.compare_title",
            old_date=old_date.strftime(fmt),
            new_date=new_date.strftime(fmt),
        )
    ]
    if old_report["method"] != new_report["method"]:
        lines.append(
            text(
                "results.compare_method_differs",
                old_method=method_name(old_report["method"]),
                new_method=method_name(new_report["method"]),
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
                old=_fmt_index(a["indices"][name]),
                new=_fmt_index(b["indices"][name]),
            )
        )
    lines.append(text("results.compare_distance", value=comparison.bray_curtis))
    lines += ["", text("results.compare_taxa_title")]
    for change in comparison.changes:
        lines.append(
            text(
                "results.compare_taxon",
                name=change.genus,
                old=percent(change.old),
                new=percent(change.new),
            )
        )
    return "\n".join(lines)
