"""MetaPhlAn 2, 3 and 4 profiles: single-sample outputs and merged tables (TSV or CSV)."""

from __future__ import annotations

import io
import re

import pandas as pd

from analysis.formats.table import make_table
from analysis.model import AnalysisError, Caveat, ParsedTable
from analysis.taxonomy import parse_lineage

_VERSION = re.compile(r"^#\s*(mpa_v\w+)", re.MULTILINE)
_READS = re.compile(r"^#\s*(\d+)\s+reads processed", re.MULTILINE)
_UNKNOWN = {"UNKNOWN", "UNCLASSIFIED", "unclassified"}


def sniff(text: str) -> bool:
    """MetaPhlAn header, or clade names with rank prefixes joined by '|'."""
    head = text[:20000]
    if head.lstrip().startswith(("# Constructed from biom file", "#OTU ID")):
        return False  # a QIIME 2 table, even when its ids are k__ lineages
    if _VERSION.search(head) or "Metaphlan" in head.split("\n", 5)[0:5].__str__():
        return True
    lines = [ln for ln in head.split("\n") if ln.strip() and not ln.startswith("#")]
    if not lines:
        return False
    body = lines[1:] if not lines[0].lstrip('"').startswith(("k__", "s__", "UNKNOWN")) else lines
    first_cells = [re.split(r"[\t,]", ln, maxsplit=1)[0].strip('"') for ln in body[:50]]
    prefixed = [c for c in first_cells if re.match(r"^(k__|d__|s__)", c) or c in _UNKNOWN]
    return len(prefixed) >= max(1, int(0.8 * len(first_cells)))


def _format_id(version: str | None) -> str:
    if version is None or version.startswith(("mpa_v20", "mpa_v2")):
        return "metaphlan2"
    if version.startswith(("mpa_v30", "mpa_v31", "mpa_v3")):
        return "metaphlan3"
    return "metaphlan4"


def _sample_name(text: str) -> str | None:
    for line in text.split("\n")[:10]:
        if line.startswith("#") and "\t" in line and "Metaphlan" in line:
            first = line[1:].split("\t")[0].strip()
            return None if first in {"SampleID", ""} else first
    return None


def parse(text: str, filename: str | None = None) -> ParsedTable:
    """Parse a MetaPhlAn profile or merged table."""
    version_match = _VERSION.search(text[:5000])
    version = version_match.group(1) if version_match else None
    reads_match = _READS.search(text[:5000])
    data_lines = [ln for ln in text.split("\n") if ln.strip() and not ln.startswith("#")]
    if not data_lines:
        raise AnalysisError("empty_file", "the MetaPhlAn file has no rows")
    first = data_lines[0]
    separator = "\t" if "\t" in first else ","
    first_cell = first.split(separator)[0].strip().strip('"')
    merged_header = not (first_cell.startswith(("k__", "d__", "s__")) or first_cell in _UNKNOWN)
    if merged_header:
        table = pd.read_csv(io.StringIO("\n".join(data_lines)), sep=separator, dtype=str)
        table = table.set_index(table.columns[0])
        table.index = table.index.astype(str).str.strip()
        # MetaPhlAn 3/4 merged tables may carry an NCBI_tax_id column.
        table = table.drop(columns=[c for c in table.columns if "tax_id" in str(c).lower()])
        clades_all = table.apply(pd.to_numeric, errors="coerce")
    else:
        rows = [ln.split("\t") if "\t" in ln else ln.split(",") for ln in data_lines]
        header = next((ln for ln in text.split("\n")[:10] if ln.startswith("#clade_name")), None)
        if header is not None:
            columns = header.lstrip("#").split("\t")
            value_col = (
                columns.index("relative_abundance") if "relative_abundance" in columns else 2
            )
        else:
            value_col = 1 if len(rows[0]) <= 2 else 2
        names = [r[0].strip() for r in rows]
        try:
            numbers = [float(r[value_col]) for r in rows]
        except (IndexError, ValueError) as exc:
            raise AnalysisError(
                "bad_values", f"a MetaPhlAn row has no numeric abundance in column {value_col + 1}"
            ) from exc
        sample = _sample_name(text) or (
            filename.rsplit("/", 1)[-1].split(".")[0] if filename else "sample"
        )
        clades_all = pd.DataFrame({sample: numbers}, index=names)
    clades_all = clades_all[~clades_all.index.duplicated(keep="first")]
    unknown_rows = clades_all.index.isin(list(_UNKNOWN))
    unknown = clades_all[unknown_rows].sum(axis=0) if unknown_rows.any() else None
    clades = clades_all[~unknown_rows]
    clades = clades[[not c.split("|")[-1].startswith("t__") for c in clades.index]]
    names = list(clades.index)
    has_child = {n.rsplit("|", 1)[0] for n in names if "|" in n}
    leaves = [n for n in names if n not in has_child]
    values = clades.loc[leaves]
    # Clades that only appear at one rank (merged species tables) are leaves already.
    lineages = [parse_lineage(n) for n in leaves]
    fmt = _format_id(version)
    caveats: list[Caveat] = []
    if version is None:
        caveats.append(Caveat("profiler_version_unknown"))
    unclassified = {}
    if unknown is not None:
        unclassified = {str(s): float(unknown[s]) / 100.0 for s in clades.columns}
    read_depth = {}
    if reads_match:
        read_depth = {str(s): float(reads_match.group(1)) for s in clades.columns}
    parsed = make_table(
        fmt=fmt,
        method="shotgun",
        profiler_version=version,
        values=values,
        lineages=lineages,
        value_kind="percent",
        caveats=caveats,
        unclassified=unclassified,
        read_depth=read_depth,
    )
    clades.columns = list(parsed.values.columns)
    parsed.clades = clades.fillna(0.0).astype(float)
    return parsed
