"""A sample's taxa as a CSV file."""

from __future__ import annotations

import csv
import io
from typing import Any

from bot.services.results import sample_of


def taxa_csv(report: dict[str, Any], sample_id: str) -> bytes:
    """Every taxon with abundance (%) and reference percentile, as CSV."""
    sample = sample_of(report, sample_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "taxon",
            "rank",
            "lineage",
            "relative_abundance_percent",
            "count",
            "healthy_reference_percentile",
        ]
    )
    for row in sorted(sample.get("taxa", []), key=lambda r: -r["abundance"]):
        lineage = "; ".join(name for name in row.get("lineage", []) if name)
        writer.writerow(
            [
                row["name"],
                row["rank"],
                lineage,
                f"{row['abundance'] * 100:.6g}",
                "" if row.get("count") is None else f"{row['count']:.10g}",
                "" if row.get("percentile") is None else f"{row['percentile']:.1f}",
            ]
        )
    return buffer.getvalue().encode("utf-8")
