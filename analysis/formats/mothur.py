"""mothur ``.shared`` tables and ``.cons.taxonomy`` files."""

from __future__ import annotations

import io

import pandas as pd

from analysis.formats.pieces import CountTable, Taxonomy
from analysis.model import Caveat
from analysis.taxonomy import parse_lineage


def is_shared(text: str) -> bool:
    """``label Group numOtus Otu...`` header."""
    return text.split("\n", 1)[0].lower().startswith("label\tgroup\tnumotus")


def parse_shared(text: str) -> tuple[CountTable, list[Caveat]]:
    """Counts by OTU (first label only, with a caveat when there are several)."""
    table = pd.read_csv(io.StringIO(text), sep="\t", dtype={"label": str, "Group": str})
    caveats = []
    labels = table["label"].astype(str).unique()
    if len(labels) > 1:
        caveats.append(Caveat("mothur_label", {"count": len(labels), "label": str(labels[0])}))
        table = table[table["label"].astype(str) == labels[0]]
    counts = table.drop(columns=["label", "numOtus"]).set_index("Group")
    counts = counts.dropna(axis=1, how="all")
    values = counts.T.apply(pd.to_numeric, errors="coerce")
    values.columns = [str(c) for c in values.columns]
    return CountTable(
        kind="mothur_shared", fmt="mothur", values=values, profiler_version="mothur"
    ), caveats


def is_taxonomy(text: str) -> bool:
    """``OTU Size Taxonomy`` header."""
    return text.split("\n", 1)[0].lower().startswith("otu\tsize\ttaxonomy")


def parse_taxonomy(text: str) -> Taxonomy:
    """OTU -> lineage (confidences stripped)."""
    table = pd.read_csv(io.StringIO(text), sep="\t", dtype=str)
    return Taxonomy(
        "mothur",
        {
            str(o).strip(): parse_lineage(t)
            for o, t in zip(table["OTU"], table["Taxonomy"], strict=True)
        },
    )
