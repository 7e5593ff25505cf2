"""mOTUs / CAMI profiling format (``@@TAXID RANK TAXPATH TAXPATHSN PERCENTAGE``)."""

from __future__ import annotations

import pandas as pd

from analysis.formats.table import make_table
from analysis.model import AnalysisError, ParsedTable
from analysis.taxonomy import lineage_from_ranks


def sniff(text: str) -> bool:
    """The CAMI column header line."""
    return "@@TAXID" in text[:20000]


def parse(text: str, filename: str | None = None) -> ParsedTable:
    """Species rows with their lineage from TAXPATHSN; the unassigned share is unclassified."""
    sample = "sample"
    version = None
    ranks_order: list[str] = []
    rows: list[tuple[str, str, str, float]] = []
    in_table = False
    for line in text.split("\n"):
        if line.startswith("@SampleID:"):
            sample = line.split(":", 1)[1].strip() or sample
        elif line.startswith("@Version:"):
            version = "CAMI " + line.split(":", 1)[1].strip()
        elif line.startswith("@Ranks:"):
            ranks_order = line.split(":", 1)[1].strip().split("|")
        elif line.startswith("@@TAXID"):
            in_table = True
        elif in_table and line.strip() and not line.startswith(("#", "@")):
            parts = line.split("\t")
            if len(parts) < 5:
                raise AnalysisError("unknown_format", "a CAMI profile row has fewer than 5 columns")
            rows.append((parts[0], parts[1], parts[3], float(parts[4])))
    if sample == "unnamed sample" and filename:
        sample = filename.rsplit("/", 1)[-1].split(".")[0]
    species = [r for r in rows if r[1] == "species"]
    if not species:
        raise AnalysisError("no_taxonomy", "the CAMI profile has no species rows")
    lineages = []
    for _, _, path, _ in species:
        names = path.split("|")
        lineages.append(lineage_from_ranks(dict(zip(ranks_order, names, strict=False))))
    values = pd.DataFrame({sample: [r[3] for r in species]}, index=[r[0] for r in species])
    assigned = sum(r[3] for r in rows if r[1] == "superkingdom")
    unclassified = max(0.0, 1 - values[sample].sum() / assigned) if assigned else 0.0
    return make_table(
        fmt="motus_cami",
        method="shotgun",
        profiler_version=version,
        values=values,
        lineages=lineages,
        value_kind="percent",
        unclassified={sample: unclassified},
    )
