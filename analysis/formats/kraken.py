"""Kraken2 reports (6 or 8 columns) and Bracken ``-w`` reports: a taxonomy tree by indentation."""

from __future__ import annotations

import re

import pandas as pd

from analysis.formats.table import make_table
from analysis.model import RANKS, AnalysisError, Caveat, ParsedTable
from analysis.taxonomy import lineage_from_ranks

_RANK_CODES = {
    "D": "kingdom",
    "K": "kingdom",
    "P": "phylum",
    "C": "class",
    "O": "order",
    "F": "family",
    "G": "genus",
    "S": "species",
}
_LINE = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\t(\d+)\t(\d+)\t(?:(\d+)\t(\d+)\t)?([A-Z]\d*|-)\t(\d+)\t(.*)$"
)
_HOST = ("Chordata", "Homo sapiens", "Metazoa")


def sniff(text: str) -> bool:
    """Tab-separated rows of %, clade reads, direct reads, rank code, taxid, indented name."""
    lines = [ln for ln in text[:20000].split("\n") if ln.strip()][:30]
    if not lines:
        return False
    return sum(1 for ln in lines if _LINE.match(ln)) >= max(1, int(0.9 * len(lines)))


def parse(text: str, filename: str | None = None) -> ParsedTable:
    """Leaf features at species rank; reads stuck at a higher rank become 'unclassified X'."""
    rows = []
    for raw in text.split("\n"):
        if not raw.strip():
            continue
        match = _LINE.match(raw)
        if match is None:
            raise AnalysisError("unknown_format", "a line of the Kraken report is malformed")
        pct, clade, direct, _, _, code, taxid, name = match.groups()
        depth = (len(name) - len(name.lstrip(" "))) // 2
        rows.append((float(pct), int(clade), int(direct), code, int(taxid), name.strip(), depth))
    bracken_style = any(code.startswith("R") for _, _, _, code, _, _, _ in rows)
    path: list[tuple[int, str, str]] = []  # (depth, rank, name)
    features: dict[str, float] = {}
    lineages: dict[str, tuple[str | None, ...]] = {}
    unclassified = 0.0
    total = 0
    host = 0
    for _pct, clade, direct, code, taxid, name, depth in rows:
        if code == "U":
            unclassified += clade
            total += clade
            continue
        if taxid == 1:  # root: everything classified
            total += clade
        while path and path[-1][0] >= depth:
            path.pop()
        rank = _RANK_CODES.get(code[0]) if code != "-" and len(code) == 1 else None
        path.append((depth, rank or "", name))
        ranks = {r: n for _, r, n in path if r}
        if any(n in _HOST for _, _, n in path):
            host += direct if code != "S" else clade
            continue
        if rank == "species":
            key = f"{taxid}"
            features[key] = features.get(key, 0.0) + clade
            lineages[key] = lineage_from_ranks(ranks)
        elif direct > 0 and rank in RANKS and rank != "species" and code not in {"R", "R1"}:
            key = f"{taxid}:direct"
            features[key] = features.get(key, 0.0) + direct
            lineages[key] = lineage_from_ranks(ranks)
    if not features:
        raise AnalysisError("no_taxonomy", "the Kraken report has no classified taxa")
    sample = filename.rsplit("/", 1)[-1].split(".")[0] if filename else "sample"
    values = pd.DataFrame({sample: list(features.values())}, index=list(features))
    caveats: list[Caveat] = []
    if host:
        caveats.append(Caveat("host_reads_removed", {"reads": host}))
    return make_table(
        fmt="bracken" if bracken_style else "kraken2_report",
        method="shotgun",
        profiler_version="bracken report" if bracken_style else None,
        values=values,
        lineages=[lineages[k] for k in features],
        value_kind="counts",
        caveats=caveats,
        unclassified={sample: unclassified / total} if total else {},
        read_depth={sample: float(total)} if total else {},
    )
