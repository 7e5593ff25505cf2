"""Distance to healthy: median Bray-Curtis to a healthy panel of the same method (Lloyd-Price 2019).

Lloyd-Price et al., Nature 2019 (doi:10.1038/s41586-019-1237-9): a sample is unusually far from
healthy when its median Bray-Curtis dissimilarity to the reference samples is above the 90th
percentile of the reference samples' own scores.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis.indices.spec import IndexInputs, IndexSpec
from analysis.model import IndexResult
from analysis.reference import panel

VERSION = "median Bray-Curtis to healthy panel (Lloyd-Price 2019 style)"
MIN_SHARED = 0.2  # below this share of abundance in genera the panel knows, the comparison is void


class _Panel(NamedTuple):
    """What every comparison with one method's panel needs, computed once."""

    genera: list[str]
    columns: dict[str, int]  # genus -> column of the matrix
    matrix: np.ndarray  # samples x genera
    totals: np.ndarray  # per panel sample
    scores: np.ndarray  # the panel samples' own median distances
    p90: float


@cache
def _panel(method: str) -> _Panel:
    """The healthy panel's genus matrix (samples x genera) and its distances, once per method."""
    distance = panel(method).distance
    matrix = distance["matrix"]
    genera: list[str] = matrix["genera"]
    columns = {g: i for i, g in enumerate(genera)}
    out = np.zeros((len(matrix["samples"]), len(columns)))
    for row, sample in enumerate(matrix["samples"]):
        for genus, value in sample.items():
            out[row, columns[genus]] = value
    scores = np.asarray(distance["self_scores"])
    return _Panel(genera, columns, out, out.sum(axis=1), scores, float(np.percentile(scores, 90)))


def distance_to_healthy(genus_rel: pd.Series, *, method: str) -> IndexResult:
    """Median Bray-Curtis of a genus profile (relative, canonical names) to the healthy panel.

    Parameters
    ----------
    genus_rel
        Relative abundance by genus (unassigned pooled under ``(unassigned)``), summing to 1.
    method
        ``shotgun`` or ``16s``: the panel of the same method is used; anything else is not
        applicable.
    """
    if method not in ("shotgun", "16s"):
        return IndexResult(
            value=None,
            applicable=False,
            status="not_applicable",
            version=VERSION,
            reason="method_unknown",
        )
    ref = panel(method)
    reference = _panel(method)
    genera = reference.genera
    # On arrays: reindexing the Series to the panel's genera was most of the time.
    values = genus_rel.to_numpy(dtype=float)
    at = np.array([reference.columns.get(g, -1) for g in genus_rel.index.tolist()], dtype=np.intp)
    in_panel = at >= 0
    known = float(values[in_panel].sum())
    if known < MIN_SHARED:
        return IndexResult(
            value=None,
            applicable=False,
            status="not_applicable",
            version=VERSION,
            reason="few_known_genera",
            params={"share": known},
        )
    extra = float(values[~in_panel].sum())
    x = np.zeros(len(genera))
    x[at[in_panel]] = values[in_panel]
    diff = np.abs(reference.matrix - x).sum(axis=1) + extra
    bc = diff / (reference.totals + x.sum() + extra)
    value = float(np.median(bc))
    scores, p90 = reference.scores, reference.p90
    percentile = float(100 * (scores < value).mean())
    status = "non_healthy" if value > p90 else "healthy"
    return IndexResult(
        value=value,
        applicable=True,
        status=status,
        reason="reading",
        params={"percentile": percentile, "p90": p90, "reference": ref.name},
        version=VERSION,
        healthy_band=(float(scores.min()), p90),
        drivers=[{"percentile_among_healthy": round(percentile, 1), "p90": round(p90, 4)}],
    )


def _compute(inputs: IndexInputs) -> IndexResult:
    return distance_to_healthy(inputs.genus, method=inputs.method)


SPEC = IndexSpec("distance_to_healthy", _compute, axis=(0.0, 1.0))
