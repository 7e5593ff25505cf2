"""Diversity metrics: small pure functions with explicit parameters (scikit-bio underneath)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.model import AlphaDiversity


def alpha(values: np.ndarray, *, rank: str, integer_counts: bool) -> AlphaDiversity:
    """Alpha diversity of one sample.

    Parameters
    ----------
    values
        Abundances of the sample's taxa at one rank (counts or relative; zeros allowed).
    rank
        The rank the taxa are at (stored with the result).
    integer_counts
        Whether ``values`` are read counts; only then is Chao1 computed.

    Returns
    -------
    AlphaDiversity
        Shannon in nats (``base=e``, passed explicitly: scikit-bio changed its default in 0.6.1),
        Simpson as 1 - sum p^2, observed taxa, Pielou's evenness (None below 2 taxa), Chao1.
    """
    from skbio.diversity.alpha import chao1, pielou_e, shannon, simpson

    present = np.asarray(values, dtype=float)
    present = present[present > 0]
    if present.size == 0:
        return AlphaDiversity(rank=rank, shannon=0.0, simpson=0.0, observed=0, pielou_e=None)
    observed = int(present.size)
    h = float(shannon(present, base=math.e))
    result = AlphaDiversity(
        rank=rank,
        shannon=h,
        simpson=float(simpson(present)),
        observed=observed,
        pielou_e=float(pielou_e(present, base=math.e)) if observed > 1 else None,
    )
    if integer_counts:
        counts = np.round(present).astype(np.int64)
        result.chao1 = float(chao1(counts[counts > 0], bias_corrected=True))
    return result


def bray_curtis(a: pd.Series, b: pd.Series) -> float:
    """Bray-Curtis dissimilarity of two abundance vectors aligned on their union of taxa."""
    index = a.index.union(b.index)
    x = a.reindex(index, fill_value=0.0).to_numpy(dtype=float)
    y = b.reindex(index, fill_value=0.0).to_numpy(dtype=float)
    total = x.sum() + y.sum()
    if total == 0:
        return 0.0
    return float(np.abs(x - y).sum() / total)
