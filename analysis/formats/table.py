"""Building and validating a ParsedTable: one place for the checks every parser needs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.formats.limits import MAX_SAMPLES, check_samples
from analysis.model import (
    RANKS,
    AnalysisError,
    Caveat,
    Method,
    Params,
    ParsedTable,
    ValueKind,
)
from analysis.taxonomy import MICROBIAL_GROUPS, Lineage, kingdom_group

__all__ = ["MAX_SAMPLES", "check_values", "lineage_frame", "make_table", "unique_ids"]


def unique_ids(ids: Sequence[str]) -> list[str]:
    """Make sample ids unique by suffixing repeats (S1, S1 -> S1, S1.2)."""
    seen: dict[str, int] = {}
    out = []
    for raw in ids:
        name = str(raw).strip() or "sample"
        count = seen.get(name, 0) + 1
        seen[name] = count
        out.append(name if count == 1 else f"{name}.{count}")
    return out


def lineage_frame(index: Sequence[str], lineages: Sequence[Lineage]) -> pd.DataFrame:
    """A lineage table with exactly the RANKS columns."""
    rows = list(lineages)
    frame = pd.DataFrame(rows, index=list(index), columns=list(RANKS), dtype=object)
    # Most lineages hold only names and None; only the others need their blanks made None.
    if all(
        len(row) == len(RANKS) and all(v is None or v.__class__ is str for v in row) for row in rows
    ):
        return frame
    return frame.astype(object).where(frame.notna(), None)


def check_values(values: pd.DataFrame, kind: ValueKind) -> pd.DataFrame:
    """Refuse negative, missing, infinite or all-zero abundances (naming the sample)."""
    if values.shape[1] == 0 or values.shape[0] == 0:
        raise AnalysisError("no_taxonomy", "the table has no taxa or no samples")
    check_samples(values.shape[1])
    if all(t == np.float64 for t in values.dtypes):
        numeric = values
    elif all(pd.api.types.is_numeric_dtype(t) for t in values.dtypes):
        numeric = values.astype(float)
    else:
        numeric = values.apply(pd.to_numeric, errors="coerce").astype(float)
    array = numeric.to_numpy()
    bad = ~np.isfinite(array)
    if bad.any():
        column = numeric.columns[int(np.argwhere(bad)[0][1])]
        raise AnalysisError(
            "bad_values", f"sample {column!r} has missing or non-numeric abundances", sample=column
        )
    if (array < 0).any():
        column = numeric.columns[int(np.argwhere(array < 0)[0][1])]
        raise AnalysisError(
            "bad_values", f"sample {column!r} has negative abundances", sample=column
        )
    if (array > 1e15).any():
        column = numeric.columns[int(np.argwhere(array > 1e15)[0][1])]
        raise AnalysisError(
            "bad_values", f"sample {column!r} has impossibly large abundances", sample=column
        )
    totals = array.sum(axis=0)
    if (totals <= 0).all():
        column = numeric.columns[int(np.argmin(totals))]
        raise AnalysisError(
            "bad_values", f"sample {column!r} has only zero abundances", sample=column
        )
    if kind == "percent" and (totals > 105).any():
        column = numeric.columns[int(np.argmax(totals))]
        raise AnalysisError(
            "abundance_over_100",
            f"sample {column!r} adds up to {totals.max():.1f}%, far above 100%",
            sample=column,
        )
    if kind == "fraction" and (totals > 1.05).any():
        raise AnalysisError(
            "abundance_over_100", "fractions add up to more than 1 in at least one sample"
        )
    return numeric


def make_table(
    *,
    fmt: str,
    method: Method,
    profiler_version: str | None,
    values: pd.DataFrame,
    lineages: Sequence[Lineage],
    value_kind: ValueKind,
    caveats: list[Caveat] | None = None,
    **extra: object,
) -> ParsedTable:
    """Validate and assemble a ParsedTable (duplicated features summed, with a caveat)."""
    caveats = list(caveats or [])
    values.columns = unique_ids([str(c) for c in values.columns])
    values.index = [str(i) for i in values.index.tolist()]
    numeric = check_values(values, value_kind)
    groups = [kingdom_group(tuple(lin)) for lin in lineages]
    extra.setdefault("other_kingdoms", {})
    if any(g not in MICROBIAL_GROUPS for g in groups):
        numeric, lineages = _set_apart(numeric, list(lineages), groups, value_kind, caveats, extra)
    numeric = _skip_empty(numeric, caveats, set_apart=bool(extra["other_kingdoms"]))
    lineage_df = lineage_frame([str(i) for i in numeric.index.tolist()], lineages)
    if numeric.index.has_duplicates:
        duplicated = int(numeric.index.duplicated().sum())
        caveats.append(Caveat("duplicated_taxa", {"count": duplicated}))
        numeric = numeric.groupby(level=0, sort=False).sum()
        lineage_df = lineage_df[~lineage_df.index.duplicated()].loc[numeric.index]
    return ParsedTable(
        format=fmt,
        method=method,
        profiler_version=profiler_version,
        values=numeric,
        lineages=lineage_df,
        value_kind=value_kind,
        caveats=caveats,
        **extra,  # type: ignore[arg-type]
    )


def _set_apart(
    numeric: pd.DataFrame,
    lineages: list[Lineage],
    groups: list[str],
    value_kind: ValueKind,
    caveats: list[Caveat],
    extra: dict[str, object],
) -> tuple[pd.DataFrame, list[Lineage]]:
    """Take viruses, eukaryotes and the host out of the bacterial profile, keeping their shares.

    Diversity, percentiles and indices describe bacteria and archaea; the shares set apart are
    reported per sample (``other_kingdoms``) and in a caveat.
    """
    mask = np.array([g in MICROBIAL_GROUPS for g in groups])
    totals = numeric.sum(axis=0)
    shares: dict[str, dict[str, float]] = {}
    for group in ("virus", "eukaryote", "host"):
        rows = np.array([g == group for g in groups])
        if not rows.any():
            continue
        summed = numeric[rows].sum(axis=0)
        for sample, value, total in zip(numeric.columns, summed, totals, strict=True):
            if value > 0 and total > 0:
                shares.setdefault(str(sample), {})[group] = float(value / total)
                if group == "host" and value_kind == "counts":
                    caveats.append(
                        Caveat("host_reads_removed", {"reads": int(value)}, sample_id=str(sample))
                    )
    for sample, found in shares.items():
        params: Params = {
            k: round(v, 6) for k, v in found.items() if k != "host" or value_kind != "counts"
        }
        if params:
            caveats.append(Caveat("other_kingdoms_set_apart", params, sample_id=sample))
    other = extra.get("other_kingdoms")
    if isinstance(other, dict):
        other.update(shares)
    if not mask.any():
        raise AnalysisError(
            "no_bacteria",
            "the file holds no bacteria or archaea, only "
            + ", ".join(sorted({g for g in groups if g not in MICROBIAL_GROUPS})),
            found=", ".join(sorted({g for g in groups if g not in MICROBIAL_GROUPS})),
        )
    return numeric[mask], [lin for lin, keep in zip(lineages, mask, strict=True) if keep]


def _skip_empty(numeric: pd.DataFrame, caveats: list[Caveat], *, set_apart: bool) -> pd.DataFrame:
    """Leave out samples with nothing in them (negative controls), naming them in a caveat."""
    totals = numeric.to_numpy().sum(axis=0)
    empty = [str(c) for c, t in zip(numeric.columns, totals.tolist(), strict=True) if not t > 0]
    if not empty:
        return numeric
    if len(empty) == numeric.shape[1]:
        raise AnalysisError(
            "no_bacteria" if set_apart else "bad_values",
            f"sample {empty[0]!r} has only zero abundances",
            sample=empty[0],
        )
    caveats.append(
        Caveat("empty_samples_skipped", {"count": len(empty), "samples": ", ".join(empty[:20])})
    )
    return numeric.loc[:, totals > 0]
