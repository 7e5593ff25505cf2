"""Bracken ``-o`` abundance tables (one rank per file)."""

from __future__ import annotations

import io

import pandas as pd

from analysis.formats.table import make_table
from analysis.model import AnalysisError, ParsedTable
from analysis.taxonomy import lineage_from_ranks

HEADER = (
    "name",
    "taxonomy_id",
    "taxonomy_lvl",
    "kraken_assigned_reads",
    "added_reads",
    "new_est_reads",
    "fraction_total_reads",
)


def sniff(text: str) -> bool:
    """The Bracken header."""
    first = text.split("\n", 1)[0].strip().split("\t")
    return tuple(first[:7]) == HEADER


def parse(text: str, filename: str | None = None) -> ParsedTable:
    """Counts from ``new_est_reads``; the lineage comes from the name (genus from species)."""
    table = pd.read_csv(io.StringIO(text), sep="\t", dtype={"name": str})
    if table.empty:
        raise AnalysisError("no_taxonomy", "the Bracken table has no rows")
    levels = set(table["taxonomy_lvl"].astype(str).tolist())
    rank = "species" if levels <= {"S"} else "genus" if levels <= {"G"} else None
    if rank is None:
        raise AnalysisError("unknown_format", "a Bracken table must hold one rank (S or G)")
    sample = filename.rsplit("/", 1)[-1].split(".")[0] if filename else "sample"
    names = table["name"].astype(str).str.strip().tolist()
    if rank == "species":
        lineages = [lineage_from_ranks({"genus": n.split(" ")[0], "species": n}) for n in names]
    else:
        lineages = [lineage_from_ranks({"genus": n}) for n in names]
    values = pd.DataFrame(
        {sample: pd.to_numeric(table["new_est_reads"], errors="coerce").to_numpy()},
        index=table["taxonomy_id"].astype(str),
    )
    return make_table(
        fmt="bracken",
        method="shotgun",
        profiler_version=f"bracken {rank} level",
        values=values,
        lineages=lineages,
        value_kind="counts",
        read_depth={sample: float(values[sample].sum())},
    )
