"""DADA2 sequence tables (either orientation) and their assignTaxonomy tables."""

from __future__ import annotations

import io
import re

import pandas as pd

from analysis.formats.pieces import CountTable, Taxonomy
from analysis.taxonomy import clean_name, lineage_from_ranks

_SEQ = re.compile(r"^[ACGTN]{40,}$")
_RANKS = ("kingdom", "phylum", "class", "order", "family", "genus", "species")


def _read(text: str) -> pd.DataFrame:
    first = text.split("\n", 1)[0]
    separator = "\t" if first.count("\t") >= first.count(",") else ","
    if first.count(";") > max(first.count("\t"), first.count(",")):
        separator = ";"
    return pd.read_csv(io.StringIO(text), sep=separator, dtype=str, keep_default_na=False)


def is_taxonomy(text: str) -> bool:
    """Kingdom ... Genus column headers."""
    header = text.split("\n", 1)[0].lower()
    return "kingdom" in header and "genus" in header and "phylum" in header


def parse_taxonomy(text: str) -> Taxonomy:
    """Feature id or sequence -> lineage; species columns holding only the epithet are joined."""
    table = _read(text)
    columns = {c.strip().strip('"').lower(): c for c in table.columns}
    id_column = table.columns[0] if table.columns[0].strip('"').lower() not in _RANKS else None
    if "otu" in columns:
        id_column = columns["otu"]
    lineages: dict[str, object] = {}
    for _, row in table.iterrows():
        ranks = {rank: clean_name(row[columns[rank]]) for rank in _RANKS if rank in columns}
        if ranks.get("species") and ranks.get("genus") and " " not in str(ranks["species"]):
            ranks["species"] = f"{ranks['genus']} {ranks['species']}"
        key = str(row[id_column]).strip() if id_column is not None else str(len(lineages))
        lineages[key] = lineage_from_ranks(ranks)
    return Taxonomy("dada2", lineages)  # type: ignore[arg-type]


def is_counts(text: str) -> bool:
    """A seqtab (sample rows x sequence columns) or an ASV count table (ASV_n rows)."""
    lines = text.split("\n", 3)
    header = lines[0]
    cells = [c.strip('"') for c in re.split(r"[\t,]", header)]
    if len(cells) > 2 and cells[0] == "" and sum(1 for c in cells[1:6] if _SEQ.match(c)) >= 3:
        return True
    if len(lines) > 1 and cells and cells[0] == "":
        row = re.split(r"[\t,]", lines[1])
        if row and (re.match(r'^"?ASV_?\d+', row[0]) or _SEQ.match(row[0].strip('"'))):
            return True
    return False


def parse_counts(text: str) -> CountTable:
    """Counts with features as rows, whatever the file's orientation."""
    table = _read(text)
    table = table.set_index(table.columns[0])
    table.index = table.index.astype(str).str.strip('"')
    table.columns = [str(c).strip('"') for c in table.columns]
    if sum(1 for c in table.columns[:10] if _SEQ.match(c)) >= 3:
        table = table.T
    values = table.apply(pd.to_numeric, errors="coerce")
    return CountTable(kind="dada2_counts", fmt="dada2", values=values, profiler_version="DADA2")
