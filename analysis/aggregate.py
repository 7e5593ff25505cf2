"""The sums behind a report: lineages completed, features grouped by rank, summed in chunks.

Pure helpers for :mod:`analysis.pipeline`: grouping the features of a table by lineage at every
rank, summing many groupings at once (bit for bit as pandas would one by one), the composition
shown in a report and the taxa rows of its full table.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from itertools import pairwise

import numpy as np
import pandas as pd

from analysis.model import RANKS, TaxonRow
from analysis.reference import ReferencePanel, genus_lineage
from analysis.taxonomy import Lineage, display_name

TOP = 15
UNASSIGNED = "(unassigned)"
#: Cells (features x samples x groupings) summed in one go; bounds memory for wide tables.
CHUNK_CELLS = 2_000_000


def fill_lineages(lineages: pd.DataFrame) -> list[Lineage]:
    """Place genus-only lineages (species-only tables) under their family ... kingdom."""
    frame = lineages if list(lineages.columns) == list(RANKS) else lineages[list(RANKS)]
    rows: list[Lineage] = [tuple(row) for row in frame.to_numpy(dtype=object).tolist()]
    for i, row in enumerate(rows):
        if row[5] is not None and row[4] is None:
            higher = genus_lineage(str(row[5]))
            if higher is not None:
                filled = tuple(name if row[k] is None else row[k] for k, name in enumerate(higher))
                rows[i] = (*filled, *row[5:])
    return rows


class Grouping:
    """Features grouped by a key: each feature's group number, and the keys in order of appearance
    (the order of ``DataFrame.groupby(keys, sort=False)``)."""

    def __init__(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        lookup = {k: i for i, k in enumerate(dict.fromkeys(keys))}
        self.codes = np.fromiter(map(lookup.__getitem__, keys), dtype=np.intp, count=len(keys))
        self.keys = list(lookup)

    @cached_property
    def index(self) -> pd.Index:
        """The keys as a pandas Index (built only for the groupings that need one)."""
        return pd.Index(self.keys, dtype=object)

    @property
    def runs(self) -> bool:
        """Whether each group is a run of adjacent features (the group numbers never decrease)."""
        return bool(np.all(self.codes[1:] >= self.codes[:-1]))

    @property
    def unique(self) -> bool:
        """Whether every feature is a group of its own."""
        return len(self.keys) == len(self.codes)


def lineage_key(lineage: Lineage, depth: int = len(RANKS)) -> str:
    """One string naming a lineage down to ``depth`` ranks (unassigned ranks empty)."""
    return ";".join([name or "" for name in lineage[:depth]])


class Stack:
    """Several groupings of the same features, summed in as few ``groupby().sum()`` as can be.

    pandas sums a grouping whose groups are runs of adjacent rows with ``np.add.reduceat`` and
    any other with Kahan summation in row order. Groupings of each kind are stacked one under
    another and summed together: a stack takes the path each of its groupings would take alone,
    and both paths sum every group on its own, so the sums are bit for bit those of a groupby
    per grouping.
    """

    def __init__(self, groupings: dict[str, Grouping]) -> None:
        self.parts = [
            part
            for part in (
                {name: g for name, g in groupings.items() if g.runs},
                {name: g for name, g in groupings.items() if not g.runs},
            )
            if part
        ]
        n_features = len(next(iter(groupings.values())).codes)
        self.layouts = []
        for part in self.parts:
            offsets = np.cumsum([0, *(len(g.keys) for g in part.values())])
            codes = np.concatenate(
                [g.codes + offset for g, offset in zip(part.values(), offsets, strict=False)]
            )
            rows = np.tile(np.arange(n_features), len(part))
            self.layouts.append((offsets, codes, rows))

    def sums(self, matrix: np.ndarray) -> dict[str, np.ndarray]:
        """Per grouping, the sums of the rows of ``matrix`` (features x columns) by group."""
        out: dict[str, np.ndarray] = {}
        for part, (offsets, codes, rows) in zip(self.parts, self.layouts, strict=True):
            stacked = pd.DataFrame(matrix[rows], copy=False)
            summed = stacked.groupby(codes, sort=True).sum().to_numpy()
            for name, (start, stop) in zip(part, pairwise(offsets), strict=True):
                out[name] = summed[start:stop]
        return out


def chunk_width(n_rows: int, n_groupings: int, n_columns: int) -> int:
    """Samples per chunk: the stacked matrix of one chunk stays near ``CHUNK_CELLS`` cells."""
    return max(1, min(n_columns, CHUNK_CELLS // max(1, n_rows * max(1, n_groupings))))


def all_integers(values: pd.DataFrame) -> bool:
    """Whether every value is a whole number (column by column: no table-sized temporaries)."""
    for column in values.columns:
        array = values[column].to_numpy()
        if not np.array_equal(array, np.round(array)):
            return False
    return True


def _descending(values: np.ndarray) -> np.ndarray:
    """Positions of ``values`` largest first, ties ordered as ``Series.sort_values`` orders them."""
    order = np.arange(len(values))[::-1]
    return order[values[::-1].argsort(kind="quicksort")][::-1]


def composition(values: np.ndarray, names: list[str]) -> dict[str, float]:
    named = [i for i, name in enumerate(names) if name != UNASSIGNED]
    kept = values[named]
    top = [named[i] for i in _descending(kept)[:TOP]]
    out = {names[i]: round(float(values[i]), 6) for i in top if values[i] > 0}
    rest = float(values.sum() - values[top].sum())
    if rest > 1e-9:
        out["Other"] = round(rest, 6)
    return out


def taxa_meta(
    lineages: list[Lineage], ref: ReferencePanel | None
) -> tuple[list[tuple[str, str, list[str | None]]], dict[int, tuple[str, str]]]:
    """Name, rank and lineage per merged taxon, and which taxa the reference panel knows."""
    meta: list[tuple[str, str, list[str | None]]] = []
    for row in lineages:
        # Most lineages hold only names and None already; only the others are cleaned.
        clean = all(v is None or (v.__class__ is str and v) for v in row)
        lin = tuple(row) if clean else tuple(_none(v) for v in row)
        name, rank = display_name(lin)
        meta.append((name, rank, list(lin)))
    known: dict[int, tuple[str, str]] = {}
    if ref is not None:
        for i, (name, rank, _) in enumerate(meta):
            if rank in ("genus", "species", "phylum") and ref.known(name, rank):
                known[i] = (name, rank)
    return meta, known


def _none(value: object) -> str | None:
    if value is None or value == "" or (isinstance(value, float) and np.isnan(value)):
        return None
    return str(value)


#: Every TaxonRow sets every field; one shared set saves a set per row (120,000 rows in a wide
#: table). Pydantic only ever adds field names to it, which are all in it already.
_TAXON_FIELDS = set(TaxonRow.model_fields)
_set = object.__setattr__


def taxon_row(fields: dict[str, object]) -> TaxonRow:
    """A TaxonRow from all its fields, unvalidated: what ``model_construct`` builds when every
    field is given, without its per-call work on defaults and aliases (a quarter of the time;
    a table has a row per taxon). The rows share their lineage lists and field set; validation
    would copy both for each row. tests/analysis/test_pipeline.py checks it against
    ``model_construct``."""
    row = TaxonRow.__new__(TaxonRow)
    _set(row, "__dict__", fields)
    _set(row, "__pydantic_fields_set__", _TAXON_FIELDS)
    _set(row, "__pydantic_extra__", None)
    _set(row, "__pydantic_private__", None)
    return row


def taxa_rows(
    meta: list[tuple[str, str, list[str | None]]],
    values: np.ndarray,
    counts: np.ndarray | None,
    pct: dict[int, float],
) -> list[TaxonRow]:
    order = np.argsort(-values)
    # The taxa present (a prefix of the order), as plain Python numbers: indexing numpy
    # arrays item by item is slow.
    order = order[: int(np.count_nonzero(values > 0))]
    abundances = values[order].tolist()
    reads = None if counts is None else counts[order].tolist()
    rows: list[TaxonRow] = []
    for k, i in enumerate(order.tolist()):
        value = abundances[k]
        name, rank, lin = meta[i]
        p = pct.get(i)
        rows.append(
            taxon_row(
                {
                    "name": name,
                    "rank": rank,
                    "lineage": lin,
                    "abundance": value,
                    "count": None if reads is None else reads[k],
                    "percentile": None if p is None or p != p else float(p),
                }
            )
        )
    return rows
