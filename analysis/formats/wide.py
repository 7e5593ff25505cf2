"""Tables with samples as rows: QIIME 2 taxa-barplot CSVs and MaAsLin-style inputs.

Which way round a table is comes from the data: the header's cells are taxon names or lineages
and the first column's cells are not.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from analysis.formats.limits import check_samples, check_text_shape
from analysis.formats.table import make_table
from analysis.model import AnalysisError, ParsedTable, ValueKind
from analysis.taxonomy import Lineage, lineage_from_ranks, parse_lineage

_LINEAGE = re.compile(r"(^|;)\s*[kdpcofgs]__|^Unassigned(;|$)")
_BINOMIAL = re.compile(r"^\[?[A-Z][a-z]+\]?(_[A-Za-z0-9.-]+)+$|^[A-Z][a-z]+ [a-z]")
_GENUS = re.compile(r"^[A-Z][a-z]{3,}$")


def _header(text: str) -> tuple[list[str], str]:
    first = text.split("\n", 1)[0]
    sep = "\t" if first.count("\t") >= first.count(",") else ","
    return [c.strip().strip('"') for c in next(csv.reader([first], delimiter=sep))], sep


def _taxon_like(cell: str) -> bool:
    return bool(_LINEAGE.search(cell) or _BINOMIAL.match(cell) or _GENUS.match(cell))


def sniff(text: str) -> bool:
    """Most header cells name taxa, and the first column holds sample ids, not taxa."""
    header, sep = _header(text)
    if len(header) < 4:
        return False
    taxa = sum(1 for c in header[1:] if _taxon_like(c))
    if taxa < max(3, 0.5 * (len(header) - 1)):
        return False
    rows = [ln.split(sep, 1)[0].strip().strip('"') for ln in text.split("\n")[1:30] if ln.strip()]
    return bool(rows) and sum(1 for r in rows if _taxon_like(r) and not r.isupper()) < 0.2 * len(
        rows
    )


def name_lineage(name: str) -> Lineage:
    """A taxon's lineage from a lineage string, ``Genus_species``, ``Genus species`` or a genus."""
    if _LINEAGE.search(name) or "|" in name:
        return parse_lineage(name)
    words = re.split(r"[_ ]", name.strip())
    genus = words[0]
    if len(words) == 1:
        return lineage_from_ranks({"genus": genus})
    if words[-1] == "unclassified" or (words[1] in {"sp", "spp"} and len(words) == 2):
        return lineage_from_ranks({"genus": genus})
    return lineage_from_ranks({"genus": genus, "species": " ".join(words)})


def parse(text: str, filename: str | None = None) -> ParsedTable:
    """Taxon columns become features, other columns sample metadata, rows the samples."""
    check_text_shape(text)
    header, sep = _header(text)
    check_samples(text.count("\n") - 1)
    table = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    table.columns = header
    ids = table.iloc[:, 0].astype(str).str.strip()
    taxa = [c for c in header[1:] if _taxon_like(c)]
    numbers = table[taxa].apply(pd.to_numeric, errors="coerce")
    taxa = [c for c in taxa if numbers[c].notna().mean() >= 0.9]
    numbers = numbers[taxa]
    meta = [c for c in header[1:] if c not in taxa]
    if numbers.isna().to_numpy().all():
        raise AnalysisError("unknown_format", "the taxon columns hold no numbers")
    values = numbers.fillna(0.0).T
    values.columns = list(ids)
    lineages = [name_lineage(c) for c in taxa]
    totals = values.sum(axis=0)
    integers = bool(((values % 1) == 0).all().all())
    kind: ValueKind
    if integers and float(totals.max()) > 105:
        kind = "counts"
    elif float(totals.max()) <= 1.05:
        kind = "fraction"
    else:
        kind = "percent"
    barplot = all(_LINEAGE.search(c) for c in taxa)
    metadata = {
        str(sid): {m: str(row[m]) for m in meta if str(row[m])}
        for sid, (_, row) in zip(ids, table.iterrows(), strict=True)
    }
    return make_table(
        fmt="qiime2_barplot" if barplot else "samples_as_rows",
        method="16s" if barplot else "unknown",
        profiler_version=None,
        values=values,
        lineages=lineages,
        value_kind=kind,
        read_depth={str(s): float(t) for s, t in totals.items()} if kind == "counts" else {},
        sample_metadata=metadata,
    )
