"""Names for format and method ids, percentages, and picking one sample out of a stored report."""

from __future__ import annotations

FORMAT_NAMES = {
    "metaphlan2": "MetaPhlAn 2 profile",
    "metaphlan3": "MetaPhlAn 3 profile",
    "metaphlan4": "MetaPhlAn 4 profile",
    "kraken2_report": "Kraken2 report",
    "bracken": "Bracken table",
    "qiime2_tsv": "QIIME 2 table",
    "biom_json": "BIOM 1.0 table",
    "biom_hdf5": "BIOM 2.1 table",
    "mothur": "mothur table",
    "dada2": "DADA2 table",
    "motus_cami": "mOTUs profile",
    "ubiome_json": "uBiome export",
    "ubiome_csv": "uBiome export",
    "generic_table": "table",
}
METHOD_NAMES = {
    "shotgun": "shotgun metagenomics",
    "16s": "16S sequencing",
    "unknown": "method unknown",
}
INDEX_ORDER = ("gmhi", "gmwi2", "distance_to_healthy")


def format_name(fmt: str) -> str:
    """A readable name for a format id."""
    return FORMAT_NAMES.get(fmt, fmt)


def method_name(method: str) -> str:
    """A readable name for a method id."""
    return METHOD_NAMES.get(method, method)


def percent(value: float) -> str:
    """A relative abundance (0-1) as a short percentage."""
    pct = value * 100
    if pct == 0:
        return "0%"
    if pct < 0.01:
        return "<0.01%"
    if pct < 1:
        return f"{pct:.2f}%"
    return f"{pct:.1f}%"
