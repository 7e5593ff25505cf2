"""The halves of amplicon results: count tables that need a taxonomy, taxonomies, metadata."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.taxonomy import Lineage


@dataclass
class CountTable:
    """Feature x sample counts whose feature ids need a taxonomy file to be named."""

    kind: str  # qiime2_feature_table | mothur_shared | dada2_counts
    fmt: str  # the format id the combined result gets
    values: pd.DataFrame
    profiler_version: str | None = None
    inline_lineages: list[Lineage] | None = None


@dataclass
class Taxonomy:
    """Feature id (or sequence) -> lineage."""

    kind: str
    lineages: dict[str, Lineage] = field(default_factory=dict)


@dataclass
class Metadata:
    """Sample id -> column -> value."""

    rows: dict[str, dict[str, str]] = field(default_factory=dict)
