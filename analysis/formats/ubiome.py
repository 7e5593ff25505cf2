"""uBiome exports (JSON and CSV): counts at every rank, linked by taxon and parent ids."""

from __future__ import annotations

import csv
import io
from typing import Any

import pandas as pd

from analysis.formats.table import make_table
from analysis.model import AnalysisError, Caveat, ParsedTable
from analysis.taxonomy import lineage_from_ranks

CSV_HEADER = ["tax_name", "tax_rank", "count", "count_norm", "taxon", "parent"]
_RANKS = {
    "superkingdom": "kingdom",
    "kingdom": "kingdom",
    "phylum": "phylum",
    "class": "class",
    "order": "order",
    "family": "family",
    "genus": "genus",
    "species": "species",
}


def sniff_csv(text: str) -> bool:
    """The uBiome CSV header (columns in any order)."""
    header = text.split("\n", 1)[0].strip().lower().replace('"', "").split(",")
    return set(CSV_HEADER) <= set(header)


def sniff_json(obj: Any) -> bool:
    """A JSON object with ``ubiome_bacteriacounts``."""
    return isinstance(obj, dict) and isinstance(obj.get("ubiome_bacteriacounts"), list)


def _build(
    records: list[dict[str, Any]], fmt: str, sample: str, metadata: dict[str, str]
) -> ParsedTable:
    by_id: dict[int, dict[str, Any]] = {}
    for rec in records:
        try:
            by_id[int(rec["taxon"])] = rec
        except (KeyError, TypeError, ValueError) as exc:
            raise AnalysisError("unknown_format", "a uBiome row has no taxon id") from exc
    if not by_id:
        raise AnalysisError("no_taxonomy", "the uBiome export has no taxa")

    def lineage(taxon: int) -> dict[str, str]:
        ranks: dict[str, str] = {}
        seen = set()
        while taxon in by_id and taxon not in seen:
            seen.add(taxon)
            rec = by_id[taxon]
            rank = _RANKS.get(str(rec.get("tax_rank", "")).lower())
            if rank and rank not in ranks:
                ranks[rank] = str(rec["tax_name"])
            taxon = int(rec.get("parent") or 0)
        return ranks

    # Leaves at genus (species kept where reported, subtracted from their genus).
    counts: dict[int, float] = {}
    for tid, rec in by_id.items():
        if str(rec.get("tax_rank", "")).lower() in {"genus", "species"}:
            counts[tid] = float(rec.get("count_norm") or 0)
    for tid, rec in by_id.items():
        if str(rec.get("tax_rank", "")).lower() == "species":
            # The nearest genus above (a species group may sit between them).
            parent = int(rec.get("parent") or 0)
            seen = {tid}
            while parent in by_id and parent not in seen:
                seen.add(parent)
                if str(by_id[parent].get("tax_rank", "")).lower() == "genus":
                    break
                parent = int(by_id[parent].get("parent") or 0)
            if parent in counts:
                counts[parent] -= counts[tid]
    counts = {k: v for k, v in counts.items() if v > 0}
    if not counts:
        raise AnalysisError("no_taxonomy", "the uBiome export has no genus or species counts")
    values = pd.DataFrame({sample: list(counts.values())}, index=[str(k) for k in counts])
    lineages = [lineage_from_ranks(lineage(k)) for k in counts]
    bacteria = next(
        (float(r.get("count_norm") or 0) for r in records if str(r.get("tax_name")) == "Bacteria"),
        0.0,
    )
    caveats = [Caveat("ubiome_legacy")]
    raw_counts = [
        float(r.get("count") or 0) for r in records if str(r.get("tax_name")) == "Bacteria"
    ]
    return make_table(
        fmt=fmt,
        method="16s",
        profiler_version="uBiome",
        values=values,
        lineages=lineages,
        value_kind="per_million",
        caveats=caveats,
        unclassified={sample: float(max(0.0, 1 - values[sample].sum() / bacteria))}
        if bacteria
        else {},
        read_depth={sample: raw_counts[0]} if raw_counts else {},
        sample_metadata={sample: metadata},
    )


def parse_json(obj: dict[str, Any], filename: str | None = None) -> ParsedTable:
    """Parse the JSON export."""
    sample = str(obj.get("sequencing_revision") or (filename or "sample").split(".")[0])
    metadata = {k: str(obj[k]) for k in ("site", "sampling_time") if obj.get(k)}
    return _build(list(obj["ubiome_bacteriacounts"]), "ubiome_json", sample, metadata)


def parse_csv(text: str, filename: str | None = None) -> ParsedTable:
    """Parse the CSV export."""
    reader = csv.DictReader(io.StringIO(text))
    records = [dict(r) for r in reader]
    sample = (filename or "sample").rsplit("/", 1)[-1].split(".")[0]
    return _build(records, "ubiome_csv", sample, {})
