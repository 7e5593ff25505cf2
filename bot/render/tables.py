"""A sample's taxa as a CSV file."""

from __future__ import annotations

import csv
import io

from analysis.model import Report
from bot.render.formatting import spreadsheet_safe


def taxa_csv(report: Report, sample_id: str) -> bytes:
    """Every taxon with abundance (%) and reference percentile, as CSV."""
    sample = report.sample(sample_id)
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
    for row in sorted(sample.taxa, key=lambda r: -r.abundance):
        lineage = "; ".join(name for name in row.lineage if name)
        writer.writerow(
            [
                spreadsheet_safe(row.name),
                row.rank,
                spreadsheet_safe(lineage),
                f"{row.abundance * 100:.6g}",
                "" if row.count is None else f"{row.count:.10g}",
                "" if row.percentile is None else f"{row.percentile:.1f}",
            ]
        )
    return buffer.getvalue().encode("utf-8")
