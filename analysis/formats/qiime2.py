"""QIIME 2 exports: feature tables (biom convert --to-tsv), collapsed tables, taxonomy, metadata."""

from __future__ import annotations

import io
import re

import pandas as pd

from analysis.formats.pieces import CountTable, Metadata, Taxonomy
from analysis.taxonomy import parse_lineage

_LINEAGE_ID = re.compile(r"^(k__|d__)|;\s*[pcofgs]__")


def is_feature_table(text: str) -> bool:
    """``# Constructed from biom file`` or a ``#OTU ID`` header."""
    head = text.lstrip()[:2000]
    return head.startswith("# Constructed from biom file") or head.startswith("#OTU ID")


def parse_feature_table(text: str) -> CountTable:
    """Counts by feature; collapsed tables (lineage ids) or a taxonomy column name themselves."""
    skip = 1 if text.lstrip().startswith("# Constructed") else 0
    # Numbers are parsed as numbers straight away: a 20 MB table as Python strings would need
    # several hundred MB.
    table = pd.read_csv(
        io.StringIO(text), sep="\t", skiprows=skip, index_col=0, skip_blank_lines=True
    )
    table.index = table.index.astype(str).str.strip()
    inline = None
    taxonomy_col = next((c for c in table.columns if str(c).lower() in {"taxonomy", "taxon"}), None)
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
    return CountTable(
        kind="qiime2_feature_table", fmt="qiime2_tsv", values=values, inline_lineages=inline
    )


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
