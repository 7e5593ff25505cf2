"""MetaPhlAn 2, 3 and 4 profiles: single-sample outputs and merged tables (TSV or CSV)."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from analysis.formats.table import make_table, unique_ids
from analysis.model import AnalysisError, Caveat, ParsedTable, ValueKind
from analysis.taxonomy import Lineage, parse_lineage

_VERSION = re.compile(r"^#\s*((?:mpa|toy)_v\w+)", re.MULTILINE)
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
    if version is not None and version.startswith("toy_"):
        version = "mpa_" + version[4:]
    if version is None or version.startswith(("mpa_v20", "mpa_v2")):
        return "metaphlan2"
    if version.startswith(("mpa_v30", "mpa_v31", "mpa_v3")):
        return "metaphlan3"
    return "metaphlan4"


def _comment_header(text: str, first: str, separator: str) -> str | None:
    """A merged table's header written as a comment (``# taxonomy<TAB>S1<TAB>S2 ...``)."""
    previous = None
    for line in text.split("\n"):
        if line == first:
            break
        if line.strip():
            previous = line
    if previous is None or not previous.startswith("#"):
        return None
    cells = previous.lstrip("#").split(separator)
    if len(cells) != len(first.split(separator)) or len(cells) < 2:
        return None
    label = cells[0].strip().lower()
    if label in {"clade_name", "sampleid"} and (
        "relative_abundance" in previous or "Metaphlan" in previous
    ):
        return None  # a single profile's own header
    return previous.lstrip("#").strip(" ")


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
    comment_header = _comment_header(text, first, separator)
    if not merged_header and comment_header is not None:
        data_lines = [comment_header, *data_lines]
        merged_header = True
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
    values, lineages, kind = hierarchy_leaves(clades)
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
        value_kind=kind,
        caveats=caveats,
        unclassified=unclassified,
        read_depth=read_depth,
    )
    if kind == "percent":
        clades.columns = unique_ids([str(c) for c in clades.columns])
        parsed.clades = clades[list(parsed.values.columns)].fillna(0.0).astype(float)
    else:
        parsed.method = "shotgun"
        parsed.format = "kraken_mpa" if any(i.startswith("d__") for i in clades.index) else fmt
        parsed.profiler_version = version
    return parsed


def hierarchy_leaves(
    clades: pd.DataFrame,
) -> tuple[pd.DataFrame, list[Lineage], ValueKind]:
    """The features of a ``|``-joined clade table: leaves, and for counts what stays above.

    A clade is a leaf when no other clade starts with its name and a ``|`` (ranks may be
    skipped, as MetaPhlAn's viruses skip the order). Values are clade totals: what a clade
    has beyond its children's (reads of kreport2mpa counts; in a merged table, a sample whose
    genus row has no species below it) is kept as a feature of its own.
    """
    numeric = (
        clades.apply(pd.to_numeric, errors="coerce")
        if not all(pd.api.types.is_numeric_dtype(t) for t in clades.dtypes)
        else clades
    )
    # .tolist(): iterating a pandas string index item by item is slow.
    index = [str(n) for n in numeric.index.tolist()]
    names = sorted(index)
    parent: dict[str, str | None] = {}
    present = set(names)
    for name in names:
        up = name
        parent[name] = None
        while "|" in up:
            up = up.rsplit("|", 1)[0]
            if up in present:
                parent[name] = up
                break
    has_child = {p for p in parent.values() if p is not None}
    leaves = [i for i, n in enumerate(index) if n not in has_child]
    # On a numpy array (rows x samples): pandas' overhead per operation is most of the time
    # on a single profile.
    filled = numeric.to_numpy(dtype=float)
    filled = np.where(np.isnan(filled), 0.0, filled)
    with np.errstate(invalid="ignore"):
        integers = bool((np.mod(filled, 1) == 0).all())
    totals = filled[leaves].sum(axis=0)
    top = filled[[i for i, n in enumerate(index) if "|" not in n]].sum(axis=0)
    # Percentages add up to 100 at the top of the tree; read counts to anything.
    off_100 = bool(((top < 99) | (top > 101)).any()) if len(top) else False
    kind: ValueKind = "counts" if integers and (float(totals.max()) > 105 or off_100) else "percent"
    rows = [filled[leaves]]
    features = [index[i] for i in leaves]
    inner = [i for i, n in enumerate(index) if n in has_child]
    if inner:
        children = _child_sums(filled, [parent[n] for n in index], [index[i] for i in inner])
        rest = filled[inner] - children
        rest = np.where(rest < 0, 0.0, rest)
        if kind == "percent":
            # Only what is really there: not the rounding of a profile's printed sums.
            kept = (rest > 0.01) & (rest > 0.01 * filled[inner])
            rest = np.where(kept, rest, 0.0)
        nonzero = np.asarray((rest > 0).any(axis=1), dtype=bool)
        rows.append(rest[nonzero])
        features += [
            f"{index[i]}|direct" for i, keep in zip(inner, nonzero.tolist(), strict=True) if keep
        ]
    # Row-major, as pd.concat of leaves and remainders lays it out, so that sums over it come
    # out as they did (a merged table that had no remainders may differ in the last digit).
    values = pd.DataFrame(np.vstack(rows), index=features, columns=numeric.columns, copy=False)
    lineages = [parse_lineage(n.removesuffix("|direct")) for n in features]
    return values, lineages, kind


def _child_sums(values: np.ndarray, parents: list[str | None], inner: list[str]) -> np.ndarray:
    """Per clade of ``inner``, the sum of its children's rows of ``values`` (rows x samples);
    ``parents`` names each row's parent clade (None at the top).

    Bit for bit what ``groupby(parent).sum()`` gives: pandas adds runs of adjacent children
    (the parents in sorted order down the rows) with ``np.add.reduceat``, and any other
    grouping child by child with Kahan compensation; so does this. A Kahan pass adds the
    next child of every clade at once.
    """
    rows = [r for r, up in enumerate(parents) if up is not None]
    keys = sorted({parents[r] for r in rows})  # type: ignore[type-var]
    code = {key: k for k, key in enumerate(keys)}
    ids = np.array([code[parents[r]] for r in rows], dtype=np.intp)
    if bool(np.all(ids[1:] >= ids[:-1])):
        starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
        # Samples x rows, as pandas holds the block.
        block = np.ascontiguousarray(values[rows].T)
        sums = np.ascontiguousarray(np.add.reduceat(block, starts, axis=1).T)
    else:
        members: list[list[int]] = [[] for _ in keys]
        for r, k in zip(rows, ids.tolist(), strict=True):
            members[k].append(r)
        sums = np.zeros((len(keys), values.shape[1]))
        compensation = np.zeros_like(sums)
        for depth in range(max(len(m) for m in members)):
            at = [k for k, m in enumerate(members) if len(m) > depth]
            y = values[[members[k][depth] for k in at]] - compensation[at]
            t = sums[at] + y
            c = t - sums[at] - y
            compensation[at] = np.where(np.isnan(c), 0.0, c)
            sums[at] = t
    return sums[[code[n] for n in inner]]
