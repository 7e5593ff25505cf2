"""Single-sample profilers with their own table layouts: ganon, Kaiju, KMCP, sourmash, mOTUs.

Each pair of ``sniff_*`` / ``parse_*`` reads one tool's output; the registry decides the order.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from analysis.formats.table import make_table
from analysis.model import AnalysisError, ParsedTable
from analysis.taxonomy import Lineage, lineage_from_ranks, parse_lineage

_CANONICAL_RANKS = ("superkingdom", "kingdom", "phylum", "class", "order", "family", "genus")


def _sample(filename: str | None) -> str:
    return (filename or "sample").rsplit("/", 1)[-1].split(".")[0] or "sample"


def _rows(text: str) -> list[list[str]]:
    return [ln.split("\t") for ln in text.split("\n") if ln.strip() and not ln.startswith("#")]


def _refuse_unnamed(tool: str) -> AnalysisError:
    return AnalysisError(
        "no_taxon_names",
        f"this {tool} profile names its taxa by id only (made without a taxonomy dump)",
        tool=tool,
    )


# -- ganon report (.tre) -----------------------------------------------------------------------

_GANON_RANKS = {"root", "superkingdom", "domain", "phylum", "class", "order", "family", "genus"}


def sniff_ganon(text: str) -> bool:
    """``rank, taxid, lineage, name, unique, shared, children, cumulative, percent`` rows."""
    rows = _rows(text[:20000])[:30]
    if not rows:
        return False
    good = sum(
        1
        for r in rows
        if len(r) == 9 and (r[0] in {"unclassified", "root"} or "|" in r[2] or r[2].isdigit())
    )
    return good >= 0.9 * len(rows) and any(r[0] in {"root", "unclassified"} for r in rows)


def parse_ganon(text: str, filename: str | None = None) -> ParsedTable:
    """Species by cumulative reads; reads assigned directly above species kept as such."""
    rows = _rows(text)
    names = {r[1]: (r[0], r[3]) for r in rows if len(r) == 9}
    features: dict[str, float] = {}
    lineages: dict[str, Lineage] = {}
    unclassified = classified = 0.0
    for r in rows:
        if len(r) != 9:
            raise AnalysisError("malformed_file", "a ganon report row does not have 9 columns")
        rank, taxid, path = r[0], r[1], r[2]
        cumulative = float(r[7])
        if rank == "unclassified":
            unclassified += cumulative
            continue
        if rank == "root":
            classified += cumulative
            continue
        ranks = {}
        for node in path.split("|"):
            node_rank, node_name = names.get(node, ("", ""))
            if node_rank in _CANONICAL_RANKS or node_rank == "species":
                ranks[node_rank] = node_name
        direct = float(r[4]) + float(r[5])
        if rank == "species":
            features[taxid], lineages[taxid] = cumulative, lineage_from_ranks(ranks)
        elif direct > 0 and rank in _GANON_RANKS:
            key = f"{taxid}:direct"
            features[key], lineages[key] = direct, lineage_from_ranks(ranks)
    if not features:
        raise AnalysisError("no_taxonomy", "the ganon report has no classified taxa")
    sample = _sample(filename)
    total = unclassified + classified
    return make_table(
        fmt="ganon",
        method="shotgun",
        profiler_version=None,
        values=pd.DataFrame({sample: list(features.values())}, index=list(features)),
        lineages=[lineages[k] for k in features],
        value_kind="counts",
        unclassified={sample: unclassified / total} if total else {},
        read_depth={sample: total} if total else {},
    )


# -- Kaiju (kaiju2table) -----------------------------------------------------------------------

KAIJU_HEADER = ["file", "percent", "reads", "taxon_id", "taxon_name"]


def sniff_kaiju(text: str) -> bool:
    """The kaiju2table header."""
    return text.split("\n", 1)[0].strip().split("\t")[:5] == KAIJU_HEADER


def parse_kaiju(text: str, filename: str | None = None) -> ParsedTable:
    """Reads per taxon; names are the lineage (``-l``) or a plain name; ``taxonid:N`` is no name."""
    table = pd.read_csv(io.StringIO(text), sep="\t", dtype=str, keep_default_na=False)
    reads = pd.to_numeric(table["reads"], errors="coerce").fillna(0.0)
    names = table["taxon_name"].astype(str).str.strip()
    unassigned = names.str.startswith(("unclassified", "cannot be"))
    unnamed = names.str.startswith("taxonid:")
    assigned = float(reads[~unassigned].sum())
    if assigned <= 0 or float(reads[unnamed].sum()) > 0.5 * assigned:
        raise _refuse_unnamed("Kaiju")
    keep = ~unassigned & ~unnamed
    lineages = [
        parse_lineage(n) if ";" in n else lineage_from_ranks({"species": n}) for n in names[keep]
    ]
    sample = table["file"].iloc[0].rsplit(".", 1)[0] if len(table) else _sample(filename)
    total = float(reads.sum())
    return make_table(
        fmt="kaiju",
        method="shotgun",
        profiler_version=None,
        values=pd.DataFrame({sample: reads[keep].to_numpy()}, index=list(table["taxon_id"][keep])),
        lineages=lineages,
        value_kind="counts",
        unclassified={sample: float(reads[unassigned].sum()) / total} if total else {},
        read_depth={sample: total},
    )


# -- KMCP --------------------------------------------------------------------------------------


def parse_kmcp(text: str, filename: str | None = None) -> ParsedTable:
    """Percentages by reference genome, named by ``taxpathsn``; refused when names are empty."""
    table = pd.read_csv(io.StringIO(text.lstrip("#")), sep="\t", dtype=str, keep_default_na=False)
    paths = table.get("taxpathsn", pd.Series([""] * len(table))).astype(str).str.strip()
    names = table.get("taxname", pd.Series([""] * len(table))).astype(str).str.strip()
    if not (paths.str.len() > 0).any() and not (names.str.len() > 0).any():
        raise _refuse_unnamed("KMCP")
    ranks = ("superkingdom", "phylum", "class", "order", "family", "genus", "species")
    lineages = []
    for path, name in zip(paths, names, strict=True):
        cells = path.split(";") if path else [""] * 6 + [name]
        lineages.append(lineage_from_ranks(dict(zip(ranks, cells, strict=False))))
    sample = _sample(filename)
    values = pd.DataFrame(
        {sample: pd.to_numeric(table["percentage"], errors="coerce").to_numpy()},
        index=list(table["ref"]),
    )
    return make_table(
        fmt="kmcp",
        method="shotgun",
        profiler_version=None,
        values=values,
        lineages=lineages,
        value_kind="percent",
    )


# -- sourmash gather ---------------------------------------------------------------------------

_GATHER_COLUMNS = {"intersect_bp", "f_unique_weighted", "name"}
_ACCESSION = re.compile(r"^(GC[AF]_\d+(\.\d+)?|[A-Z]{1,2}_?\d+(\.\d+)?)\s+")


def sniff_sourmash(text: str) -> bool:
    """A sourmash gather CSV header."""
    header = set(text.split("\n", 1)[0].strip().split(","))
    return header >= _GATHER_COLUMNS


def parse_sourmash(text: str, filename: str | None = None) -> ParsedTable:
    """One sample (the query); each match a genome, named by its species from ``name``."""
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows:
        raise AnalysisError("no_taxonomy", "the sourmash gather table has no matches")
    sample = rows[0].get("query_name") or _sample(filename)
    shares, lineages, ids = [], [], []
    for row in rows:
        name = _ACCESSION.sub("", str(row["name"])).split(",")[0].strip()
        name = re.sub(r"\s+(strain|str\.|substr\.)[= ].*$", "", name)
        words = name.split(" ")
        species = " ".join(words[:2]) if len(words) >= 2 else None
        lineages.append(lineage_from_ranks({"genus": words[0], "species": species}))
        shares.append(float(row["f_unique_weighted"]))
        ids.append(str(row.get("md5") or row["name"]))
    values = pd.DataFrame({sample: shares}, index=ids)
    return make_table(
        fmt="sourmash_gather",
        method="shotgun",
        profiler_version=None,
        values=values,
        lineages=lineages,
        value_kind="fraction",
        unclassified={sample: max(0.0, 1.0 - sum(shares))},
    )


# -- mOTUs default (non-CAMI) output -----------------------------------------------------------


def sniff_motus(text: str) -> bool:
    """mOTUs 3 ``#consensus_taxonomy`` or mOTUs 4 ``mOTU<TAB>Taxonomy`` headers."""
    head = text[:5000]
    return (
        "#consensus_taxonomy" in head
        or bool(re.search(r"^mOTU\tTaxonomy\t", head, re.MULTILINE))
        or (head.startswith("# git tag") and "motus" in head)
    )


def parse_motus(text: str, filename: str | None = None) -> ParsedTable:
    """Samples are the columns after the name (and ``NCBI_tax_id``) columns."""
    lines = text.split("\n")
    header_at = next(
        i
        for i, ln in enumerate(lines)
        if ln.startswith(("#consensus_taxonomy", "mOTU\tTaxonomy", "#mOTU"))
    )
    version_line = next((ln for ln in lines[:header_at] if "version" in ln), "")
    version = re.search(r"(?:motus version|tool_version=)\s*([\d.]+)", version_line)
    body = "\n".join([lines[header_at].lstrip("#"), *lines[header_at + 1 :]])
    table = pd.read_csv(io.StringIO(body), sep="\t", dtype=str, keep_default_na=False)
    name_cols = [
        c for c in table.columns if c.lower() in {"consensus_taxonomy", "motu", "taxonomy"}
    ]
    skip = {*name_cols, *(c for c in table.columns if "tax_id" in c.lower())}
    samples = [c for c in table.columns if c not in skip]
    lineage_col = "Taxonomy" if "Taxonomy" in table.columns else name_cols[0]
    names = table[lineage_col].astype(str)
    unassigned = names.str.strip().isin(["-1", "unassigned", "unknown"])
    values = table.loc[~unassigned, samples].apply(pd.to_numeric, errors="coerce")
    values.index = list(table.loc[~unassigned, name_cols[0]])
    lineages = []
    for name in names[~unassigned]:
        if ";" in name or "__" in name:
            lineages.append(parse_lineage(name))
        else:
            species = re.sub(r"\s*\[.*\]\s*$", "", name).strip()
            genus = species.split(" ")[0]
            lineages.append(lineage_from_ranks({"genus": genus, "species": species}))
    kind = "fraction" if float(values.sum().max()) <= 1.05 else "counts"
    rest = table.loc[unassigned, samples].apply(pd.to_numeric, errors="coerce").astype(float).sum()
    totals = values.sum() + rest
    return make_table(
        fmt="motus",
        method="shotgun",
        profiler_version=f"mOTUs {version.group(1)}" if version else None,
        values=values,
        lineages=lineages,
        value_kind=kind,  # type: ignore[arg-type]
        unclassified={str(s): float(rest[s] / totals[s]) for s in samples if totals[s] > 0},
        read_depth={str(s): float(totals[s]) for s in samples} if kind == "counts" else {},
    )
