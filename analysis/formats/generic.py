"""A generic CSV/TSV: a taxon column and abundance or count columns, however it was exported."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from analysis.formats.table import make_table
from analysis.model import AnalysisError, Caveat, ParsedTable, ValueKind
from analysis.taxonomy import lineage_from_ranks, parse_lineage

TAXON_ALIASES = (
    "taxon",
    "taxa",
    "taxonomy",
    "name",
    "organism",
    "species",
    "genus",
    "bacteria",
    "lineage",
    "clade",
    "clade_name",
    "tax_name",
    "scientific name",
    "scientific_name",
    "feature",
    "otu",
    "asv",
    "microbe",
    "bacterium",
)
VALUE_ALIASES = (
    "abundance",
    "relative_abundance",
    "relative abundance",
    "percent",
    "percentage",
    "%",
    "fraction",
    "count",
    "counts",
    "reads",
    "value",
    "rel_abundance",
    "proportion",
)
RANK_COLUMNS = ("kingdom", "domain", "phylum", "class", "order", "family", "genus", "species")


def _delimiter(text: str) -> str:
    sample = "\n".join(text.split("\n")[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return "\t" if "\t" in sample else ","


def _numeric(series: pd.Series, decimal_comma: bool) -> pd.Series:
    cleaned = series.astype(str).str.strip().str.rstrip("%").str.replace("\u00a0", "", regex=False)
    if decimal_comma:
        cleaned = cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    return pd.to_numeric(cleaned, errors="coerce")


def parse(text: str, filename: str | None = None) -> ParsedTable:
    """Find the taxon column and the value columns; detect percent, fraction or counts."""
    delimiter = _delimiter(text)
    lines = [ln for ln in text.split("\n") if ln.strip() and not ln.startswith("#")]
    if len(lines) < 2:
        raise AnalysisError("unknown_format", "the table has no data rows")
    table = pd.read_csv(
        io.StringIO("\n".join(lines)), sep=delimiter, dtype=str, keep_default_na=False
    )
    table.columns = [str(c).strip().strip('"') for c in table.columns]
    lower = {c.lower(): c for c in table.columns}
    rank_cols = [lower[r] for r in RANK_COLUMNS if r in lower]
    taxon_col = next((lower[a] for a in TAXON_ALIASES if a in lower), None)
    if taxon_col is None and len(rank_cols) < 2:
        first = table.columns[0]
        sample_values = table[first].astype(str).head(20)
        if sample_values.str.contains(r"[A-Za-z]{3,}", regex=True).mean() > 0.8:
            taxon_col = first
    if taxon_col is None and len(rank_cols) < 2:
        raise AnalysisError("no_taxonomy", "the table has no column with taxon names or lineages")
    decimal_comma = delimiter == ";" and bool(re.search(r"\d,\d", text[:5000]))
    skip = {taxon_col, *rank_cols} - {None}
    value_cols = [
        c
        for c in table.columns
        if c not in skip
        and c.lower()
        not in {
            "rank",
            "tax_rank",
            "taxid",
            "taxon_id",
            "ncbi_tax_id",
            "taxonomy_id",
            "parent",
            "id",
        }
    ]
    numeric = {c: _numeric(table[c], decimal_comma) for c in value_cols}
    missing = {"nan", "na", "", "null", "none", "-", "n/a"}
    value_cols = [
        c
        for c in value_cols
        if numeric[c].notna().any()
        and (numeric[c].notna() | table[c].astype(str).str.strip().str.lower().isin(missing)).mean()
        > 0.9
    ]
    named = [c for c in value_cols if c.lower() in VALUE_ALIASES]
    if named:
        value_cols = (
            named[:1]
            if len(named) == 1 or not all(c.lower() in VALUE_ALIASES for c in value_cols)
            else named
        )
    if not value_cols:
        raise AnalysisError("unknown_format", "the table has no column of numeric abundances")
    values = pd.DataFrame({c: numeric[c].to_numpy() for c in value_cols})
    if rank_cols and (taxon_col is None or taxon_col.lower() in RANK_COLUMNS):
        lineages = [
            lineage_from_ranks({c.lower(): (row[c] or None) for c in rank_cols})
            for _, row in table.iterrows()
        ]
        ids = [";".join(str(row[c]) for c in rank_cols) for _, row in table.iterrows()]
    else:
        assert taxon_col is not None
        names = table[taxon_col].astype(str).str.strip()
        lineages = []
        for name in names:
            if re.search(r"[|;]|[kdpcofgs]__", name):
                lineages.append(parse_lineage(name))
            elif taxon_col.lower() == "genus" or (" " not in name and name[:1].isupper()):
                lineages.append(lineage_from_ranks({"genus": name}))
            else:
                lineages.append(lineage_from_ranks({"genus": name.split(" ")[0], "species": name}))
        if not any(re.search(r"[|;]|[kdpcofgs]__", name) for name in names):
            _check_recognised(list(names), taxon_col, list(table.columns))
        ids = list(names)
    values.index = ids
    if len(value_cols) == 1:
        sample = (filename or "sample").rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if value_cols[0].lower() not in VALUE_ALIASES:
            sample = value_cols[0]
        values.columns = [sample]
    if bool((values.abs() > 1e15).to_numpy().any()):
        raise AnalysisError("bad_values", "the table has impossibly large abundances")
    kind = _kind(values, value_cols)
    caveats: list[Caveat] = []
    if decimal_comma:
        caveats.append(Caveat("decimal_comma"))
    return make_table(
        fmt="generic_table",
        method="unknown",
        profiler_version=None,
        values=values,
        lineages=lineages,
        value_kind=kind,
        caveats=caveats,
    )


#: Row names that are no taxon (left out when judging whether the names are bacteria).
_NOT_TAXA = frozenset({"other", "others", "unclassified", "unknown", "unassigned", "rest", "total"})


def _check_recognised(names: list[str], column: str, columns: list[str]) -> None:
    """Refuse a table none of whose names is a microbe gutbot knows (a table of something else).

    A name counts when its first word is a known genus or phylum (``Bacteroides fragilis``,
    ``[Eubacterium] rectale``, ``Firmicutes``). A table with at least 3 known names, or a fifth
    of them known, is read.
    """
    from analysis.reference import known_names
    from analysis.taxonomy import EUKARYOTE_GENERA, LACTOBACILLUS_GENERA, PHYLA

    vocabulary = known_names() | {
        n.casefold() for n in (*PHYLA, *LACTOBACILLUS_GENERA, *EUKARYOTE_GENERA)
    }
    words = [w for w in (_first_word(n) for n in names) if w and w not in _NOT_TAXA]
    known = sum(w in vocabulary for w in words)
    if words and known < 3 and known < 0.2 * len(words):
        raise AnalysisError(
            "no_taxa_recognised",
            f"none of the {len(words)} names in column {column!r} is a bacterium gutbot knows",
            column=column[:40],
            columns=", ".join(c[:30] for c in columns[:6]) + (", …" if len(columns) > 6 else ""),
            names=", ".join(n[:30] for n in names[:4]) + (", …" if len(names) > 4 else ""),
        )


def _first_word(name: str) -> str:
    """The first word of a name, without brackets, quotes or other marks around it."""
    words = re.sub(r"[^\w\s]|_", " ", name).split()
    return words[0].casefold() if words else ""


def _kind(values: pd.DataFrame, columns: list[str]) -> ValueKind:
    totals = values.sum(axis=0)
    names = " ".join(columns).lower()
    integers = bool(((values.fillna(0) % 1) == 0).all().all())
    if "fraction" in names or "proportion" in names or (totals.max() <= 1.05 and not integers):
        return "fraction"
    if (
        "%" in names
        or "percent" in names
        or (totals.max() <= 105 and totals.min() >= 1 and not (integers and totals.min() > 100))
    ):
        return "percent"
    return "counts"
