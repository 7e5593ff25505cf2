"""The format registry: every layout gutbot reads (or recognises to refuse), in one order.

Detection runs in this order, and the first spec whose ``sniff`` accepts the file parses it:

1. **Containers**, by their magic bytes (in :func:`analysis.formats.read_table`): gzip (unpacked
   and detected again), ZIP (a results file, a table with its taxonomy, QIIME 2 ``.qza``
   artifacts; combined by :func:`analysis.formats.archive.combine`), HDF5 (BIOM 2.x); an Excel
   workbook (a ZIP with ``xl/workbook.xml``) has its table sheet read as CSV text, detected
   by step 3 (:mod:`analysis.formats.spreadsheet`).
2. **JSON**: :data:`JSON_FORMATS` (uBiome, then BIOM 1.0).
3. **Text**: :data:`TEXT_FORMATS`, top to bottom. Files that look like profiles but are not
   (functional tables, QC tables, per-read output) come first, so that no profile reader takes
   them; then the formats with an unmistakable header; then the tables recognised by their
   rows (MetaPhlAn clades, amplicon halves, samples as rows); the generic taxon table last.

A new format is one module exporting ``sniff`` and ``parse``, one :class:`FormatSpec` line here,
its test and its data. ``SUPPORTED_FORMATS`` (error details, the CLI, /help) comes from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from analysis.formats import (
    archive,
    bracken,
    cami,
    consumer,
    generic,
    kraken,
    metaphlan,
    profilers,
    refusals,
    spreadsheet,
    ubiome,
    wide,
)
from analysis.formats.parts import PART_SPECS, PartSpec
from analysis.model import Method, ParsedTable

__all__ = [
    "EXTENSIONS",
    "JSON_FORMATS",
    "PART_SPECS",
    "SUPPORTED_FORMATS",
    "TEXT_FORMATS",
    "WORKBOOK_LABEL",
    "FormatSpec",
    "JsonSpec",
    "PartSpec",
    "detect_text",
]


@dataclass(frozen=True)
class FormatSpec:
    """One text layout.

    Attributes
    ----------
    id
        The format id a parsed table carries (``metaphlan3`` and ``metaphlan4`` are both read
        by the ``metaphlan`` spec, which decides from the file's header).
    label
        The layout's product name, for the list of supported formats (a name, not a sentence).
    method
        ``shotgun``, ``16s`` or ``unknown`` (what the file's tool implies).
    extensions
        File endings the tool writes (hints for the bot; detection never relies on them).
    sniff
        Whether a decoded text is in this layout.
    parse
        ``(text, filename) -> ParsedTable``; refusing specs raise a keyed AnalysisError.
    readable
        False for layouts recognised only to refuse them (not taxonomic profiles).
    """

    id: str
    label: str
    method: Method
    extensions: tuple[str, ...]
    sniff: Callable[[str], bool]
    parse: Callable[[str, str | None], ParsedTable]
    readable: bool = True


@dataclass(frozen=True)
class JsonSpec:
    """One JSON layout: ``sniff(obj)`` and ``parse(obj, filename)``."""

    id: str
    label: str
    method: Method
    extensions: tuple[str, ...]
    sniff: Callable[[Any], bool]
    parse: Callable[[Any, str | None], ParsedTable]


def _biom_json(obj: Any, filename: str | None) -> ParsedTable:
    from analysis.formats import biom

    return archive.join(biom.parse_biom_json(obj), None, None, [])


def _is_biom_json(obj: Any) -> bool:
    from analysis.formats import biom

    return biom.is_biom_json(obj)


def _amplicon_part(text: str) -> bool:
    return archive.classify(text) is not None


def _amplicon_single(text: str, filename: str | None) -> ParsedTable:
    table = archive.parse_single_text(text, filename)
    assert table is not None
    return table


_TSV = (".tsv", ".txt")

#: Text layouts in detection order (see the module docstring).
TEXT_FORMATS: tuple[FormatSpec, ...] = (
    FormatSpec(
        "functional_profile",
        "HUMAnN/PICRUSt",
        "unknown",
        _TSV,
        refusals.sniff_functional,
        refusals.refuse_functional,
        readable=False,
    ),
    FormatSpec(
        "qc_table",
        "KneadData",
        "unknown",
        _TSV,
        refusals.sniff_qc,
        refusals.refuse_qc,
        readable=False,
    ),
    FormatSpec(
        "per_read_assignments",
        "DIAMOND",
        "unknown",
        (".tsv", ".daa.tsv"),
        refusals.sniff_per_read,
        refusals.refuse_per_read,
        readable=False,
    ),
    FormatSpec("motus_cami", "CAMI profile", "shotgun", (".profile",), cami.sniff, cami.parse),
    FormatSpec(
        "bracken",
        "Bracken table",
        "shotgun",
        (".bracken", ".tsv", ".txt"),
        bracken.sniff,
        bracken.parse,
    ),
    FormatSpec(
        "kraken2_report",
        "Kraken2/KrakenUniq/Centrifuge report",
        "shotgun",
        (".kreport", ".kreport2", ".report", ".txt"),
        kraken.sniff,
        kraken.parse,
    ),
    FormatSpec(
        "ganon", "ganon report", "shotgun", (".tre",), profilers.sniff_ganon, profilers.parse_ganon
    ),
    FormatSpec(
        "kaiju",
        "Kaiju table",
        "shotgun",
        (".tsv", ".txt"),
        profilers.sniff_kaiju,
        profilers.parse_kaiju,
    ),
    FormatSpec(
        "kmcp", "KMCP profile", "shotgun", (".profile",), refusals.sniff_kmcp, profilers.parse_kmcp
    ),
    FormatSpec(
        "sourmash_gather",
        "sourmash gather",
        "shotgun",
        (".csv",),
        profilers.sniff_sourmash,
        profilers.parse_sourmash,
    ),
    FormatSpec(
        "motus",
        "mOTUs profile",
        "shotgun",
        (".motus", ".out", ".relab", ".tsv"),
        profilers.sniff_motus,
        profilers.parse_motus,
    ),
    FormatSpec("ubiome_csv", "uBiome export", "16s", (".csv",), ubiome.sniff_csv, ubiome.parse_csv),
    FormatSpec(
        "abundance_profile",
        "Thryve/Ombre/Psomagen abundance-profile CSV",
        "16s",
        (".csv",),
        consumer.sniff_profile,
        consumer.parse_profile,
    ),
    FormatSpec(
        "microbiome_prescription",
        "Microbiome Prescription 5-column CSV",
        "16s",
        (".csv",),
        consumer.sniff_prescription,
        consumer.parse_prescription,
    ),
    FormatSpec(
        "biohm_counts",
        "BIOHM raw-data spreadsheet",
        "16s",
        (".xlsx", ".csv"),
        spreadsheet.sniff_biohm,
        spreadsheet.parse_biohm,
    ),
    FormatSpec(
        "metaphlan",
        "MetaPhlAn 2/3/4 profile",
        "shotgun",
        (".txt", ".tsv", ".profile"),
        metaphlan.sniff,
        metaphlan.parse,
    ),
    FormatSpec(
        "amplicon",
        "QIIME 1/2 OTU table",
        "16s",
        (".tsv", ".txt", ".shared", ".csv"),
        _amplicon_part,
        _amplicon_single,
    ),
    FormatSpec(
        "samples_as_rows",
        "QIIME 2 taxa-barplot CSV",
        "unknown",
        (".csv", ".tsv"),
        wide.sniff,
        wide.parse,
    ),
    FormatSpec(
        "generic_table",
        "CSV/TSV taxon-abundance table",
        "unknown",
        (".csv", ".tsv"),
        lambda text: True,
        generic.parse,
    ),
)

#: JSON layouts in detection order.
JSON_FORMATS: tuple[JsonSpec, ...] = (
    JsonSpec(
        "ubiome_json", "uBiome export", "16s", (".json",), ubiome.sniff_json, ubiome.parse_json
    ),
    JsonSpec(
        "biom_json", "BIOM 1.0/2.1 table", "unknown", (".biom", ".json"), _is_biom_json, _biom_json
    ),
)

#: Two-part layouts (the halves are in :data:`PART_SPECS`), named for the supported list.
PAIRED_LABELS: tuple[str, ...] = (
    "QIIME 2 table + taxonomy (.tsv or .qza, or a ZIP)",
    "mothur .shared + .cons.taxonomy",
    "DADA2 seqtab + taxonomy",
)

#: An Excel workbook: its table sheet is read as CSV through :data:`TEXT_FORMATS` (containers,
#: by magic bytes; :mod:`analysis.formats.spreadsheet`). Old binary .xls is refused.
WORKBOOK_LABEL = "Excel .xlsx sheet"

#: The order the supported list is shown in (the most common results files first).
_SHOWN_FIRST = ("metaphlan", "kraken2_report", "bracken")

#: What gutbot reads, as product names: error details, the CLI and /help list these.
SUPPORTED_FORMATS: list[str] = list(
    dict.fromkeys(
        [
            *(s.label for i in _SHOWN_FIRST for s in TEXT_FORMATS if s.id == i),
            *(
                s.label
                for s in TEXT_FORMATS
                if s.readable and s.id not in {"amplicon", "generic_table"}
            ),
            *(s.label for s in JSON_FORMATS),
            "QIIME 1 OTU table",
            *PAIRED_LABELS,
            "samples-as-rows table",
            WORKBOOK_LABEL,
            *(s.label for s in TEXT_FORMATS if s.id == "generic_table"),
        ]
    )
)

#: Every file ending some reader's tool writes (the bot may hint with these).
EXTENSIONS: frozenset[str] = frozenset(
    [ext for spec in TEXT_FORMATS for ext in spec.extensions]
    + [ext for json_spec in JSON_FORMATS for ext in json_spec.extensions]
) | {".gz", ".zip", ".qza", ".biom", ".h5", ".hdf5", ".shared", ".taxonomy", ".xlsx"}


def detect_text(text: str) -> FormatSpec:
    """The first text spec whose sniff accepts ``text`` (the generic table at worst)."""
    for spec in TEXT_FORMATS:
        if spec.sniff(text):
            return spec
    return TEXT_FORMATS[-1]


def detect_json(obj: Any) -> JsonSpec | None:
    """The first JSON spec whose sniff accepts ``obj``."""
    return next((spec for spec in JSON_FORMATS if spec.sniff(obj)), None)
