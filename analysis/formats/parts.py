"""The halves of two-part results as part specs: count tables, taxonomies, sample metadata.

An amplicon result comes as a count table whose features are ids (QIIME 2, mothur, DADA2,
BIOM without taxonomy) and a taxonomy naming them, perhaps with a metadata sheet;
:func:`analysis.formats.archive.combine` is the one function that puts them together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from analysis.formats import dada2, mothur, qiime2
from analysis.formats.pieces import CountTable, Metadata, Taxonomy
from analysis.model import Caveat

Part = Literal["count_table", "taxonomy", "metadata"]


@dataclass(frozen=True)
class PartSpec:
    """One half of a two-part format.

    Attributes
    ----------
    id
        The part's id (``qiime2_taxonomy``, ``mothur_shared`` ...).
    part
        Which half it is.
    sniff
        Whether a text is this part.
    parse
        The text -> the part (count tables also return caveats).
    """

    id: str
    part: Part
    sniff: Callable[[str], bool]
    parse: Callable[[str], object]


def _qiime2_table(text: str) -> tuple[CountTable, list[Caveat]]:
    return qiime2.parse_feature_table(text), []


def _dada2_counts(text: str) -> tuple[CountTable, list[Caveat]]:
    return dada2.parse_counts(text), []


#: In this order: taxonomies first (their headers are the most specific), then count tables,
#: then metadata sheets.
PART_SPECS: tuple[PartSpec, ...] = (
    PartSpec("qiime2_taxonomy", "taxonomy", qiime2.is_taxonomy, qiime2.parse_taxonomy),
    PartSpec("mothur_taxonomy", "taxonomy", mothur.is_taxonomy, mothur.parse_taxonomy),
    PartSpec("dada2_taxonomy", "taxonomy", dada2.is_taxonomy, dada2.parse_taxonomy),
    PartSpec("qiime2_feature_table", "count_table", qiime2.is_feature_table, _qiime2_table),
    PartSpec("mothur_shared", "count_table", mothur.is_shared, mothur.parse_shared),
    PartSpec("dada2_counts", "count_table", dada2.is_counts, _dada2_counts),
    PartSpec("qiime2_metadata", "metadata", qiime2.is_metadata, qiime2.parse_metadata),
)


def part_spec(text: str) -> PartSpec | None:
    """The first part spec whose sniff accepts ``text``."""
    return next((spec for spec in PART_SPECS if spec.sniff(text)), None)


def read_count_table(text: str) -> tuple[CountTable, list[Caveat]]:
    """Parse whichever count table this is."""
    spec = next(s for s in PART_SPECS if s.part == "count_table" and s.sniff(text))
    result = spec.parse(text)
    assert isinstance(result, tuple)
    return result


def read_taxonomy(text: str) -> Taxonomy:
    """Parse whichever taxonomy this is."""
    spec = next(s for s in PART_SPECS if s.part == "taxonomy" and s.sniff(text))
    result = spec.parse(text)
    assert isinstance(result, Taxonomy)
    return result


def read_metadata(text: str) -> Metadata:
    """Parse a metadata sheet."""
    result = qiime2.parse_metadata(text)
    return result
