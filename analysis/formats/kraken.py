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
#: The same row pattern, for all the lines of a report in one pass.
_LINES = re.compile(_LINE.pattern, re.MULTILINE)
_HOST = ("Chordata", "Homo sapiens", "Metazoa")
#: Branches of the NCBI tree that hold no organisms (vectors, synthetic constructs).
_NOT_ORGANISMS = ("other sequences", "artificial sequences", "unclassified sequences")


_WORD_RANKS = {
    "superkingdom": "D",
    "domain": "D",
    "kingdom": "K",
    "phylum": "P",
    "class": "C",
    "order": "O",
    "family": "F",
    "genus": "G",
    "species": "S",
    "unclassified": "U",
}
#: Header rows of reports that carry one (pavian exports, KrakenUniq).
_HEADERS = {
    ("perc", "n-clade", "n-stay", "rank", "taxonid", "depth", "name"): (1, 2, 3, 4, 6),
    ("%", "reads", "taxreads", "kmers", "dup", "cov", "taxid", "rank", "taxname"): (1, 2, 7, 6, 8),
}


def _header(text: str) -> tuple[int, tuple[int, ...]] | None:
    """The line number of a known header row and its column positions, or None."""
    for number, line in enumerate(text[:20000].split("\n")[:10]):
        if line.startswith("#") or not line.strip():
            continue
        cells = tuple(c.strip().lower() for c in line.split("\t"))
        return (number, _HEADERS[cells]) if cells in _HEADERS else None
    return None


def sniff(text: str) -> bool:
    """Kraken-style report: bare rows of %, clade reads, direct reads, rank, taxid, name;
    or the same under a pavian or KrakenUniq header."""
    if _header(text) is not None:
        return True
    lines = [ln for ln in text[:20000].split("\n") if ln.strip()][:30]
    if not lines:
        return False
    return sum(1 for ln in lines if _LINE.match(ln)) >= max(1, int(0.9 * len(lines)))


def _records(text: str) -> list[tuple[float, int, int, str, int, str, int]]:
    """(percent, clade reads, direct reads, rank code, taxid, name, depth) per row."""
    found = _header(text)
    rows = []
    if found is not None:
        start, (clade_at, direct_at, rank_at, taxid_at, name_at) = found
        for raw in text.split("\n")[start + 1 :]:
            if not raw.strip() or raw.startswith("#"):
                continue
            cells = raw.split("\t")
            if len(cells) <= name_at:
                raise AnalysisError("unknown_format", "a line of the Kraken report is malformed")
            rank = cells[rank_at].strip()
            code = _WORD_RANKS.get(rank.lower(), rank if re.fullmatch(r"[A-Z]\d*", rank) else "-")
            if rank.lower() in {"strain", "subspecies", "no rank"} and code == "-":
                code = "S1" if rank.lower() != "no rank" else "-"
            name = cells[name_at]
            depth = (len(name) - len(name.lstrip(" "))) // 2
            taxid = int(cells[taxid_at]) if cells[taxid_at].strip().isdigit() else 0
            pct = float(cells[0])
            rows.append(
                (pct, int(cells[clade_at]), int(cells[direct_at]), code, taxid, name.strip(), depth)
            )
        return rows
    # One regex pass over the text; every line that is not blank must be one of its rows.
    # (A row's leading blanks may take in the blank lines before it, which are skipped anyway.)
    matched = _LINES.findall(text)
    if len(matched) != sum(1 for raw in text.split("\n") if raw.strip()):
        raise AnalysisError("unknown_format", "a line of the Kraken report is malformed")
    return [
        (
            float(pct_s),
            int(clade_s),
            int(direct_s),
            code_s,
            int(taxid_s),
            name_s.strip(),
            (len(name_s) - len(name_s.lstrip(" "))) // 2,
        )
        for pct_s, clade_s, direct_s, _, _, code_s, taxid_s, name_s in matched
    ]


def parse(text: str, filename: str | None = None) -> ParsedTable:
    """Leaf features at species rank; reads stuck at a higher rank become 'unclassified X'."""
    rows = _records(text)
    bracken_style = any(code.startswith("R") for code in {row[3] for row in rows})
    # (depth, rank, name, under a branch of no organisms, under the host); the two flags
    # are carried down the path so that each row looks only at its parent.
    path: list[tuple[int, str, str, bool, bool]] = []
    features: dict[str, float] = {}
    lineages: dict[str, tuple[str | None, ...]] = {}
    unclassified = 0.0
    total = 0
    host = 0
    for _pct, clade, direct, code, taxid, name, depth in rows:
        if code == "U" or (taxid == 0 and name == "unclassified"):
            unclassified += clade
            total += clade
            continue
        if taxid == 1:  # root: everything classified
            total += clade
        while path and path[-1][0] >= depth:
            path.pop()
        rank = _RANK_CODES.get(code[0]) if code != "-" and len(code) == 1 else None
        not_organism = name in _NOT_ORGANISMS or (bool(path) and path[-1][3])
        in_host = name in _HOST or (bool(path) and path[-1][4])
        path.append((depth, rank or "", name, not_organism, in_host))
        if not_organism:
            if rank == "species" or (direct > 0 and rank is None and len(path) <= 3):
                unclassified += clade if rank == "species" else direct
            continue
        if in_host:
            host += direct if code != "S" else clade
            continue
        if rank == "species":
            key = f"{taxid}"
        elif direct > 0 and rank in RANKS and code not in {"R", "R1"}:
            key = f"{taxid}:direct"
        else:
            continue
        features[key] = features.get(key, 0.0) + (clade if rank == "species" else direct)
        lineages[key] = lineage_from_ranks({r: n for _, r, n, _, _ in path if r})
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
