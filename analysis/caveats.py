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
    approximate_indices: list[str],
    fb_ratio: float | None,
) -> list[CaveatModel]:
    """Every caveat that applies to one sample: keys and numbers (``content`` words them)."""
    out: list[CaveatModel] = []

    def add(key: str, **params: str | float | int) -> None:
        out.append(CaveatModel(key=key, params=params))

    if read_depth is not None:
        minimum = 10_000 if method == "16s" else 1_000_000 if method == "shotgun" else 0
        if 0 < read_depth < minimum:
            add("low_read_depth", reads=round(read_depth))
    if unclassified > 0.3:
        add("high_unclassified", share=unclassified)
    site = " ".join(
        v
        for k, v in metadata.items()
        if k.lower()
        in {"site", "body-site", "body_site", "bodysite", "sample_type", "type", "env_material"}
    ).lower()
    archaea = float(kingdom.get("Archaea", 0.0))
    core = float(phylum.get("Firmicutes", 0.0) + phylum.get("Bacteroidetes", 0.0))
    if site and not any(w in site for w in STOOL_WORDS):
        add("not_stool", site=site, variant="site")
    elif archaea > 0.1 or (core < 0.3 and float(phylum.sum()) > 0.5):
        add("not_stool", variant="mix")
    mouse = float(sum(family.get(f, 0.0) for f in MOUSE_FAMILIES))
    host = " ".join(
        v for k, v in metadata.items() if "host" in k.lower() or "organism" in k.lower()
    ).lower()
    if mouse > 0.05 or "mouse" in host or "mus musculus" in host:
        add("not_human")
    bifido = float(genus.get("Bifidobacterium", 0.0))
    entero = float(family.get("Enterobacteriaceae", 0.0))
    # Infant guts: few genera, dominated by Bifidobacterium, Enterobacteriaceae, Enterococcus,
    # Staphylococcus or Clostridium (Backhed et al. 2015, doi:10.1016/j.chom.2015.04.004).
    infant_genera = sum(
        float(genus.get(g, 0.0))
        for g in ("Enterococcus", "Staphylococcus", "Clostridium", "Veillonella")
    )
    if (bifido > 0.2 and shannon < 2.0) or ((entero + infant_genera) > 0.5 and shannon < 1.6):
        add("infant_profile")
    if method == "16s":
        add("limits_16s")
    if method == "unknown":
        add("method_unknown")
    for index in approximate_indices:
        add("profiler_mismatch", variant=index)
    if fb_ratio is not None:
        add("fb_ratio_context")
    add("single_test")
    return out
