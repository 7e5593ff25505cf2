"""QIIME 2 exports: feature tables (biom convert --to-tsv), collapsed tables, taxonomy, metadata."""

from __future__ import annotations

import io
import re
from typing import Any

import numpy as np
import pandas as pd

from analysis.formats.pieces import CountTable, Metadata, Taxonomy
from analysis.taxonomy import parse_lineage

#: Columns of a feature table that hold each feature's lineage (QIIME 1 calls it so).
_TAXONOMY_COLUMNS = {"taxonomy", "taxon", "consensus lineage", "consensuslineage"}
_LINEAGE_ID = re.compile(r"^(k__|d__)|;\s*[pcofgs]__")


def is_feature_table(text: str) -> bool:
    """``# Constructed from biom file`` or a ``#OTU ID`` header."""
    head = text.lstrip()[:2000]
    return head.startswith(("# Constructed from biom file", "#OTU ID")) or (
        head.startswith("# QIIME") and "\n#OTU ID" in head
    )


def parse_feature_table(text: str) -> CountTable:
    """Counts by feature; collapsed tables (lineage ids) or a taxonomy column name themselves."""
    skip = 1 if text.lstrip().startswith(("# Constructed", "# QIIME")) else 0
    table = _read_counts(text, skip)
    table.index = table.index.astype(str).str.strip()
    inline = None
    taxonomy_col = next((c for c in table.columns if str(c).lower() in _TAXONOMY_COLUMNS), None)
    if taxonomy_col is not None:
        inline = [parse_lineage(t) for t in table[taxonomy_col].astype(str)]
        table = table.drop(columns=[taxonomy_col])
    elif all(_LINEAGE_ID.search(i) for i in table.index[:50]):
        inline = [parse_lineage(i) for i in table.index]
    values = (
        table
        if all(pd.api.types.is_numeric_dtype(t) for t in table.dtypes)
        else table.apply(pd.to_numeric, errors="coerce")
    )
    qiime1 = text.lstrip().startswith("# QIIME")
    return CountTable(
        kind="qiime2_feature_table",
        fmt="qiime1_otu_table" if qiime1 else "qiime2_tsv",
        values=values,
        inline_lineages=inline,
        profiler_version=text.lstrip()[2:].split("\n", 1)[0].strip() if qiime1 else None,
    )


def _read_counts(text: str, skip: int) -> pd.DataFrame:
    """The feature table as pandas reads it, its sample columns as float64 when they all are.

    Numbers are parsed as numbers straight away: a 20 MB table as Python strings would need
    several hundred MB. Bytes rather than a str, and float64 rather than int64 converted later,
    each spare pandas a copy of the table (about 80 MB each for a 20 MB table).
    """
    data = text.encode("utf-8")
    options: dict[str, Any] = {
        "sep": "\t",
        "skiprows": skip,
        "index_col": 0,
        "skip_blank_lines": True,
        "encoding": "utf-8",
    }
    names = _header(text, skip).split("\t")
    numeric = {
        name: np.float64
        for name in names[1:]
        if name != names[0] and name.strip().lower() not in _TAXONOMY_COLUMNS
    }
    try:
        table = pd.read_csv(io.BytesIO(data), dtype=numeric, **options)
    except ValueError:
        table = None  # a cell that is not a number: read as before, coerced to NaN below
    if table is None or table.index.name in numeric:
        table = pd.read_csv(io.BytesIO(data), **options)
    return table


def _header(text: str, skip: int) -> str:
    """The first non-blank line after ``skip`` lines (without splitting the whole text)."""
    start = 0
    for _ in range(skip):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    while True:
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        if line.strip() or end < 0:
            return line
        start = end + 1


def is_taxonomy(text: str) -> bool:
    """``Feature ID<TAB>Taxon`` header."""
    header = text.split("\n", 1)[0].lower()
    return header.startswith("feature id\ttaxon") or header.startswith("#otuid\ttaxonomy")


def parse_taxonomy(text: str) -> Taxonomy:
    """Feature id -> lineage."""
    table = pd.read_csv(io.StringIO(text), sep="\t", dtype=str, comment=None)
    ids = table.iloc[:, 0].astype(str).str.strip()
    taxa = table.iloc[:, 1].astype(str)
    return Taxonomy("qiime2", {i: parse_lineage(t) for i, t in zip(ids, taxa, strict=True)})


_ID_HEADERS = {
    "sample-id",
    "sampleid",
    "#sampleid",
    "#sample-id",
    "sample_id",
    "sample",
    "id",
    "sample-name",
    "#q2:types",
    "feature-id",
    "samplename",
    "group",
}


def is_metadata(text: str) -> bool:
    """A sample sheet: an id column header and a QIIME 2 ``#q2:types`` row or mostly text."""
    lines = text.split("\n")
    header = lines[0].strip().replace(",", "\t").split("\t")
    if not header or header[0].strip().strip('"').lower() not in _ID_HEADERS:
        return False
    if any(ln.startswith("#q2:types") for ln in lines[:3]):
        return True
    known = {
        "body-site",
        "body_site",
        "subject",
        "dx",
        "type",
        "sex",
        "age",
        "stage",
        "fit_result",
        "dx_bin",
        "description",
        "reported-antibiotic-usage",
    }
    return len(known & {h.strip().lower() for h in header}) >= 2


def parse_metadata(text: str) -> Metadata:
    """Sample id -> {column: value} (QIIME 2 TSV or a CSV mapping file)."""
    separator = "\t" if "\t" in text.split("\n", 1)[0] else ","
    lines = [ln for ln in text.split("\n") if ln.strip() and not ln.startswith("#q2:")]
    table = pd.read_csv(
        io.StringIO("\n".join(lines)), sep=separator, dtype=str, keep_default_na=False
    )
    ids = table.iloc[:, 0].astype(str).str.strip()
    rows = {}
    for sample_id, (_, row) in zip(ids, table.iterrows(), strict=True):
        rows[sample_id] = {
            str(k): str(v) for k, v in row.items() if k != table.columns[0] and str(v)
        }
    return Metadata(rows)
