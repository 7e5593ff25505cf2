"""What an index is to the rest of the engine: a key, how to compute it, and its chart range.

Each index module ends in ``SPEC = IndexSpec(...)``; ``analysis.indices.INDEX_SPECS`` lists them
in the order they are shown. A new index is one module and one line there (and its words in
``content/messages``: its name and how to read it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analysis.model import IndexResult


@dataclass(frozen=True)
class IndexInputs:
    """Everything an index may read of one sample."""

    #: The raw MetaPhlAn profile (clade -> percent), or None for other formats.
    clades: pd.Series | None
    #: The format id (``metaphlan3``, ``kraken2_report`` ...).
    profiler: str
    #: The database string from the file header, or None.
    profiler_version: str | None
    #: The share the profiler could not assign, in percent.
    unknown_pct: float
    #: Relative abundance by genus (canonical names), summing to 1.
    genus: pd.Series
    #: ``shotgun``, ``16s`` or ``unknown``.
    method: str


@dataclass(frozen=True)
class IndexSpec:
    """One published index."""

    key: str
    compute: Callable[[IndexInputs], IndexResult]
    #: The value range its chart row spans (values outside are drawn at the edge).
    axis: tuple[float, float]
