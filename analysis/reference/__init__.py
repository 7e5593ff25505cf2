"""Healthy reference panels, one per method (never mixed), built by scripts/build_reference.py."""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np

REFERENCE_DIR = Path(__file__).resolve().parent
#: The percentile each point of a taxon's grid stands for (0, 1, ..., 100).
_POSITIONS = np.arange(101)


class ReferencePanel:
    """Per-taxon percentiles, the Shannon distribution and what distance-to-healthy needs."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.name: str = data["name"]
        self.method: str = data["method"]
        self.rank: str = data["rank"]
        self.n_samples: int = data["n_samples"]
        self._shannon: list[float] = data["shannon"]
        self._taxa: dict[str, dict[str, Any]] = data["taxa"]
        self._grids: dict[tuple[str, str], tuple[np.ndarray, float]] = {}

    def known(self, taxon: str, rank: str) -> bool:
        """Whether the panel has a distribution for this taxon."""
        return taxon in self._taxa.get(rank, {})

    def prevalence(self, taxon: str, rank: str) -> float | None:
        """Share of panel samples where the taxon is present (None: unknown to the panel)."""
        entry = self._taxa.get(rank, {}).get(taxon)
        return None if entry is None else float(entry["prevalence"])

    def quantiles(self, taxon: str, rank: str) -> dict[int, float] | None:
        """Selected percentiles (5 ... 95) of relative abundance (0-1)."""
        entry = self._taxa.get(rank, {}).get(taxon)
        if entry is None:
            return None
        grid = entry["grid"]
        return {q: float(grid[q]) for q in (5, 10, 20, 25, 50, 75, 80, 90, 95)}

    def percentile(self, taxon: str, value: float, rank: str) -> float | None:
        """Where ``value`` (0-1) falls among the panel (0-100, mid-rank for ties); None if unknown.

        A taxon the panel never saw is treated as absent in every panel sample.
        """
        found = self._grid(taxon, rank)
        if found is None:
            return None
        grid, absent = found
        if value <= 0:
            return round(100 * absent / 2, 1)
        below = float(np.interp(value, grid, _POSITIONS, left=0.0, right=100.0))
        return round(max(below, 100 * absent), 1)

    def percentiles_of(self, taxa: list[tuple[str, str]], values: np.ndarray) -> np.ndarray:
        """``percentile`` for several taxa and samples at once: ``values`` is samples x taxa
        (relative abundance), the result taxa x samples (NaN for a taxon the panel does not know).

        Only the interpolation is done taxon by taxon; the steps after it, for all taxa together
        (on a single sample, numpy's cost per call was most of the time).
        """
        below = np.full((len(taxa), values.shape[0]), np.nan)
        absent = np.full((len(taxa), 1), np.nan)
        for k, (taxon, rank) in enumerate(taxa):
            found = self._grid(taxon, rank)
            if found is not None:
                grid, absent[k, 0] = found
                below[k] = np.interp(values[:, k], grid, _POSITIONS, left=0.0, right=100.0)
        out = np.maximum(below, 100 * absent)
        out = np.where(values.T <= 0, 100 * absent / 2, out)
        return np.round(out, 1)

    def _grid(self, taxon: str, rank: str) -> tuple[np.ndarray, float] | None:
        """A taxon's percentile grid as an array and its share of absent panel samples.

        Cached for the taxa the panel knows (a bounded set); None for the others.
        """
        found = self._grids.get((taxon, rank))
        if found is None:
            entry = self._taxa.get(rank, {}).get(taxon)
            if entry is None:
                return None
            grid = np.asarray(entry["grid"], dtype=float)
            found = self._grids[(taxon, rank)] = (grid, 1.0 - float(entry["prevalence"]))
        return found

    def shannon_percentile(self, value: float) -> float:
        """Where a Shannon value (nats) falls among the panel (0-100)."""
        values = self._shannon
        lo, hi = bisect_left(values, value), bisect_right(values, value)
        return round(100 * (lo + hi) / 2 / len(values), 1)

    def shannon_quantiles(self) -> dict[int, float]:
        """Shannon percentiles 5, 25, 50, 75, 95 of the panel."""
        arr = np.asarray(self._shannon)
        return {q: float(np.percentile(arr, q)) for q in (5, 25, 50, 75, 95)}

    @property
    def distance(self) -> dict[str, Any]:
        """The genus matrix and self-distances used by distance-to-healthy."""
        return dict(self.data["distance"])


@cache
def panel(method: Literal["shotgun", "16s"]) -> ReferencePanel:
    """The reference panel of one method (loaded once)."""
    if method not in ("shotgun", "16s"):
        raise ValueError(f"no reference panel for method {method!r}")
    return ReferencePanel(json.loads((REFERENCE_DIR / f"panel_{method}.json").read_text()))


@cache
def genus_lineage(genus: str) -> tuple[str | None, ...] | None:
    """Kingdom ... family of a genus, from the MetaPhlAn lineages harvested at build time."""
    return _genus_map().get(genus)


@cache
def _genus_map() -> dict[str, tuple[str | None, ...]]:
    data = json.loads((REFERENCE_DIR / "genus_lineages.json").read_text())
    return {g: tuple(v) for g, v in data["genera"].items()}


@cache
def known_names() -> frozenset[str]:
    """Genus and phylum names gutbot knows (case-folded): the MetaPhlAn lineages harvested at
    build time and every genus and phylum of the reference panels."""
    names = set(_genus_map())
    for method in ("shotgun", "16s"):
        taxa = panel(method).data["taxa"]
        names.update(taxa.get("genus", {}))
        names.update(taxa.get("phylum", {}))
    return frozenset(n.casefold() for n in names)
