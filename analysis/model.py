"""Data types shared by every part of the analysis engine.

Two layers:

* :class:`ParsedTable` is what a format parser returns: an abundance matrix (features x samples)
  with one canonical lineage per feature, plus what the file said about itself.
* :class:`Report` is the pydantic result of :func:`analysis.analyze`;
  ``report.model_dump(mode="json")`` is the stable JSON form that ``storage`` keeps and the bot
  renders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

#: Canonical ranks, coarsest first. Lineage tables always have exactly these columns.
RANKS: tuple[str, ...] = ("kingdom", "phylum", "class", "order", "family", "genus", "species")

Method = Literal["shotgun", "16s", "unknown"]
ValueKind = Literal["counts", "percent", "fraction", "per_million"]

#: Version of the analysis engine stored with every report (bump when scores change).
#: 2: caveats, index results and findings carry keys and numbers, never sentences.
ENGINE_VERSION = "2"

#: The numbers (and names) a caveat's or an index's words are filled with: ``content`` words
#: every key (``content/messages/analysis.toml``); analysis never writes a sentence.
Params = dict[str, str | float | int]


class AnalysisError(Exception):
    """The one error :func:`analysis.analyze` raises for bad input.

    Parameters
    ----------
    key
        Stable machine-readable reason, e.g. ``"unknown_format"`` or ``"needs_companion_file"``.
        The bot maps keys to friendly messages kept in ``content``.
    message
        One plain English sentence naming what was wrong (for logs, the CLI and tests).
    details
        Extra facts for the message template, e.g. ``{"supported": [...]}`` or
        ``{"have": "qiime2_feature_table", "need": "taxonomy"}``. Never health data.
    """

    def __init__(self, key: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.key = key
        self.message = message
        self.details: dict[str, Any] = details

    def __repr__(self) -> str:
        return f"AnalysisError(key={self.key!r}, message={self.message!r})"


@dataclass
class Caveat:
    """Something the reader must know to interpret the numbers: a stable key and its numbers."""

    key: str
    params: Params = field(default_factory=dict)
    sample_id: str | None = None


@dataclass
class ParsedTable:
    """What a parser read from one file, before any scoring.

    Attributes
    ----------
    format
        Format id from the JSON contract (``metaphlan3``, ``kraken2_report``, ``qiime2_tsv`` ...).
    method
        ``shotgun``, ``16s`` or ``unknown``.
    profiler_version
        Version/database string from the file header (``mpa_v30_CHOCOPhlAn_201901``), or None.
    values
        Float DataFrame, index = unique feature ids (str), columns = unique sample ids (str).
        Features do not overlap (no nested ranks): OTUs/ASVs, or the leaf rows of a
        hierarchical profile. Values are as reported, see ``value_kind``.
    lineages
        DataFrame with the same index as ``values`` and exactly the columns :data:`RANKS`;
        cells are canonical names (``analysis.taxonomy``) or None when unassigned.
    value_kind
        What the numbers in ``values`` are.
    unclassified
        Per sample, the share (0-1) of the sample the profiler could not assign
        (MetaPhlAn ``UNKNOWN``/``UNCLASSIFIED``, Kraken ``U``); missing means 0.
    clades
        MetaPhlAn only: the raw profile, index = clade strings exactly as in the file
        (``k__Bacteria|p__Firmicutes|...``, every rank), columns = samples, values in percent
        as in the file (``UNKNOWN`` row excluded). GMHI and GMWI2 read this.
    read_depth
        Per sample, the number of reads when the file says it (counts total,
        ``#N reads processed``).
    sample_metadata
        Per sample, free-form strings the file carries (``site``, ``body-site`` ...).
    caveats
        Caveats the parser already knows (duplicated taxa summed, Latin-1 decoded ...).
    """

    format: str
    method: Method
    profiler_version: str | None
    values: pd.DataFrame
    lineages: pd.DataFrame
    value_kind: ValueKind
    unclassified: dict[str, float] = field(default_factory=dict)
    clades: pd.DataFrame | None = None
    read_depth: dict[str, float] = field(default_factory=dict)
    sample_metadata: dict[str, dict[str, str]] = field(default_factory=dict)
    caveats: list[Caveat] = field(default_factory=list)
    #: Per sample, the shares (0-1 of what the file listed) set apart from the bacterial
    #: profile: ``virus``, ``eukaryote`` and ``host``.
    other_kingdoms: dict[str, dict[str, float]] = field(default_factory=dict)


# ----------------------------------------------------------------------------------------------
# Report: the JSON contract. Field names below are fixed; more fields are welcome.
# ----------------------------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class AlphaDiversity(_Model):
    """Alpha diversity of one sample at one rank (Shannon in nats)."""

    rank: str
    shannon: float
    simpson: float
    observed: int
    pielou_e: float | None
    chao1: float | None = None


IndexStatus = Literal["healthy", "non_healthy", "indeterminate", "not_applicable"]


class IndexResult(_Model):
    """One published index for one sample.

    ``reason`` says why it is not applicable, or how to read it when it is (a key ``content``
    words, filled with ``params``); ``approximate`` marks a value computed on a profile the
    index was not built on. ``note`` is only in reports stored by engine version 1: the
    sentence that version wrote.
    """

    value: float | None
    applicable: bool
    status: IndexStatus
    reason: str = ""
    params: Params = Field(default_factory=dict)
    approximate: bool = False
    note: str = ""
    version: str = ""
    healthy_band: tuple[float, float] | None = None
    drivers: list[dict[str, Any]] = Field(default_factory=list)


#: What an index missing from a stored report (added after it was made) reads as.
NOT_COMPUTED = IndexResult(value=None, applicable=False, status="not_applicable")


class Percentiles(_Model):
    """Percentiles (0-100) against the reference panel of the same method."""

    reference: str | None
    shannon: float | None
    taxa: dict[str, float] = Field(default_factory=dict)


class Composition(_Model):
    """Relative abundances (0-1) at phylum and genus level, largest first."""

    phylum: dict[str, float]
    genus: dict[str, float]


Direction = Literal["low", "high", "present"]
Severity = Literal["info", "notable"]


class Finding(_Model):
    key: str
    taxon: str
    value: float
    percentile: float | None
    direction: Direction
    topics: list[str]
    severity: Severity
    #: Only in reports stored by engine version 1 (the sentence it wrote); unused since.
    detail: str = ""


class CaveatModel(_Model):
    """A caveat in the report: its key and numbers (``detail``: engine version 1's sentence)."""

    key: str
    params: Params = Field(default_factory=dict)
    detail: str = ""


class TaxonRow(_Model):
    """One taxon of the full table (finest rank after merging identical lineages)."""

    name: str
    rank: str
    lineage: list[str | None]
    abundance: float
    count: float | None = None
    percentile: float | None = None


class SampleReport(_Model):
    sample_id: str
    rank: str
    n_taxa: int
    alpha: AlphaDiversity
    alpha_genus: AlphaDiversity | None = None
    #: Each index of ``analysis.indices.INDEX_SPECS`` under its key.
    indices: dict[str, IndexResult]
    percentiles: Percentiles
    composition: Composition
    findings: list[Finding]
    caveats: list[CaveatModel]
    firmicutes_bacteroidetes: float | None = None
    unclassified: float = 0.0
    read_depth: float | None = None
    taxa: list[TaxonRow] = Field(default_factory=list)
    #: Shares (0-1) of the file's listing set apart from the bacteria and archaea the numbers
    #: describe: ``virus``, ``eukaryote``, ``host``. Empty in reports stored before it existed.
    other_kingdoms: dict[str, float] = Field(default_factory=dict)

    def index(self, key: str) -> IndexResult:
        """The result of index ``key`` (not applicable when this report predates the index)."""
        return self.indices.get(key, NOT_COMPUTED)


class Report(_Model):
    format: str
    method: Method
    profiler_version: str | None
    samples: list[SampleReport]
    filename: str | None = None
    engine_version: str = ENGINE_VERSION
    reference_panel: str | None = None
    caveats: list[CaveatModel] = Field(default_factory=list)

    def sample(self, sample_id: str) -> SampleReport:
        """Return the sample with this id (KeyError when absent)."""
        for s in self.samples:
            if s.sample_id == sample_id:
                return s
        raise KeyError(sample_id)
