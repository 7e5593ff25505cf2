"""Caveats: what a reader must know before trusting the numbers of one sample."""

from __future__ import annotations

import pandas as pd

from analysis.model import CaveatModel

STOOL_WORDS = ("gut", "stool", "feces", "faeces", "fecal", "faecal", "intestin")
MOUSE_FAMILIES = ("Muribaculaceae", "S24-7", "Muribaculum")


def compute_caveats(
    *,
    method: str,
    fmt: str,
    genus: pd.Series,
    phylum: pd.Series,
    family: pd.Series,
    kingdom: pd.Series,
    unclassified: float,
    read_depth: float | None,
    metadata: dict[str, str],
    shannon: float,
    index_notes: list[str],
    fb_ratio: float | None,
) -> list[CaveatModel]:
    """Every caveat that applies to one sample."""
    out: list[CaveatModel] = []

    def add(key: str, detail: str) -> None:
        out.append(CaveatModel(key=key, detail=detail))

    if read_depth is not None:
        minimum = 10_000 if method == "16s" else 1_000_000 if method == "shotgun" else 0
        if 0 < read_depth < minimum:
            add(
                "low_read_depth",
                f"only {read_depth:,.0f} reads: rare bacteria may be missed and numbers are less certain",
            )
    if unclassified > 0.3:
        add(
            "high_unclassified",
            f"{unclassified:.0%} of the sample could not be named; percentages describe the rest",
        )
    site = " ".join(
        v
        for k, v in metadata.items()
        if k.lower()
        in {"site", "body-site", "body_site", "bodysite", "sample_type", "type", "env_material"}
    ).lower()
    archaea = float(kingdom.get("Archaea", 0.0))
    core = float(phylum.get("Firmicutes", 0.0) + phylum.get("Bacteroidetes", 0.0))
    if site and not any(w in site for w in STOOL_WORDS):
        add(
            "not_stool",
            f"the file says this sample is from '{site}', not stool; healthy-gut comparisons do not apply",
        )
    elif archaea > 0.1 or (core < 0.3 and float(phylum.sum()) > 0.5):
        add(
            "not_stool",
            "the mix of bacteria is unlike human stool (few Firmicutes and Bacteroidetes, or many archaea); if this is not a stool sample, the comparisons do not apply",
        )
    mouse = float(sum(family.get(f, 0.0) for f in MOUSE_FAMILIES))
    host = " ".join(
        v for k, v in metadata.items() if "host" in k.lower() or "organism" in k.lower()
    ).lower()
    if mouse > 0.05 or "mouse" in host or "mus musculus" in host:
        add(
            "not_human",
            "the sample looks like it comes from a mouse (Muribaculaceae are common); human reference ranges do not apply",
        )
    bifido = float(genus.get("Bifidobacterium", 0.0))
    entero = float(family.get("Enterobacteriaceae", 0.0))
    # Infant guts: few genera, dominated by Bifidobacterium, Enterobacteriaceae, Enterococcus,
    # Staphylococcus or Clostridium (Backhed et al. 2015, doi:10.1016/j.chom.2015.04.004).
    infant_genera = sum(
        float(genus.get(g, 0.0))
        for g in ("Enterococcus", "Staphylococcus", "Clostridium", "Veillonella")
    )
    if (bifido > 0.2 and shannon < 2.0) or ((entero + infant_genera) > 0.5 and shannon < 1.6):
        add(
            "infant_profile",
            "this looks like an infant's gut (dominated by Bifidobacterium or Enterobacteriaceae, low diversity); our reference panels are adults",
        )
    if method == "16s":
        add(
            "limits_16s",
            "16S sequencing names most bacteria only to genus, cannot tell Escherichia from Shigella, and sees no fungi or viruses",
        )
    if method == "unknown":
        add(
            "method_unknown",
            "the file does not say whether it is 16S or shotgun data, so it is not compared with a healthy panel",
        )
    for note in index_notes:
        add("profiler_mismatch", note)
    if fb_ratio is not None:
        add(
            "fb_ratio_context",
            "the Firmicutes/Bacteroidetes ratio varies about 40-fold between healthy people; it is shown for context only and says nothing about health on its own",
        )
    add(
        "single_test",
        "one stool test is a snapshot: your gut bacteria change from day to day with food, medicines and sleep",
    )
    return out
