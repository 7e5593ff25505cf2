"""Building and validating a ParsedTable: one place for the checks every parser needs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.model import RANKS, AnalysisError, Caveat, Method, ParsedTable, ValueKind
from analysis.taxonomy import Lineage

MAX_SAMPLES = 500


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
    frame = pd.DataFrame(list(lineages), index=list(index), columns=list(RANKS), dtype=object)
    return frame.astype(object).where(frame.notna(), None)


def check_values(values: pd.DataFrame, kind: ValueKind) -> pd.DataFrame:
    """Refuse negative, missing, infinite or all-zero abundances (naming the sample)."""
    if values.shape[1] == 0 or values.shape[0] == 0:
        raise AnalysisError("no_taxonomy", "the table has no taxa or no samples")
    if values.shape[1] > MAX_SAMPLES:
        raise AnalysisError(
            "too_many_samples",
            f"the file holds {values.shape[1]} samples; at most {MAX_SAMPLES} are analysed",
            samples=values.shape[1],
            limit=MAX_SAMPLES,
        )
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
    if (totals <= 0).any():
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
    values.index = [str(i) for i in values.index]
    numeric = check_values(values, value_kind)
    lineage_df = lineage_frame([str(i) for i in numeric.index], lineages)
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
