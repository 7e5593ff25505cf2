"""Findings: taxa over- or under-represented against healthy people of the same method.

Keys are stable (content topics are written against them). Low/high use the consumer convention
of the 20th/80th percentile (Microbiome Prescription), notable beyond the 10th/90th, and a "low"
is never reported for a taxon that a large share of healthy people lack.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.model import Finding
from analysis.reference import ReferencePanel

#: key -> topic ids (the first is the topic that explains it).
TOPICS: dict[str, list[str]] = {
    "low_diversity": ["dysbiosis.basics", "taxa.beneficial"],
    "low_butyrate_producers": ["scfa.butyrate", "interventions.fiber_prebiotics"],
    "low_faecalibacterium": ["scfa.butyrate", "immune.inflammation"],
    "low_bifidobacterium": ["taxa.beneficial", "interventions.fiber_prebiotics"],
    "low_lactobacillus": ["taxa.beneficial", "interventions.fermented_foods"],
    "high_lactobacillus": ["causes.medications"],
    "low_akkermansia": ["metabolic.energy_weight", "gut.permeability"],
    "high_akkermansia": ["metabolic.energy_weight"],
    "proteobacteria_bloom": ["immune.inflammation", "recovery.after_antibiotics"],
    "enterobacteriaceae_bloom": ["pathogens.e_coli", "immune.inflammation"],
    "oral_taxa_in_stool": ["causes.medications", "pathogens.colonization_resistance"],
    "c_difficile_detected": ["pathogens.c_difficile"],
    "klebsiella_high": ["pathogens.colonization_resistance"],
    "enterococcus_high": ["pathogens.colonization_resistance", "recovery.after_antibiotics"],
    "fusobacterium_detected": ["pathogens.colonization_resistance"],
    "bilophila_high": ["causes.diet"],
    "methanogens_present": ["symptoms.bowel_habits"],
    "candida_detected": ["pathogens.candida"],
    "high_prevotella": ["causes.diet"],
}


@dataclass
class SampleView:
    """One sample's relative abundances at the levels findings look at (0-1 each)."""

    genus: pd.Series
    phylum: pd.Series
    group: pd.Series
    species: pd.Series
    shannon_percentile: float | None


def _finding(
    key: str,
    taxon: str,
    value: float,
    percentile: float | None,
    direction: str,
    severity: str,
) -> Finding:
    return Finding(
        key=key,
        taxon=taxon,
        value=float(value),
        percentile=None if percentile is None else round(float(percentile), 1),
        direction=direction,
        topics=TOPICS[key],
        severity=severity,
    )


def compute_findings(view: SampleView, panel: ReferencePanel | None, method: str) -> list[Finding]:
    """Every finding for one sample, notable first, then by distance from the reference."""
    found: list[Finding] = []
    if panel is None:
        return _presence_only(view)

    def level(rank: str, name: str, series: pd.Series) -> tuple[float, float | None, float | None]:
        value = float(series.get(name, 0.0))
        return value, panel.percentile(name, value, rank), panel.prevalence(name, rank)

    def low(
        key: str,
        rank: str,
        name: str,
        series: pd.Series,
        *,
        min_prev: float = 0.7,
        notable_ok: bool = True,
    ) -> None:
        value, pct, prev = level(rank, name, series)
        if pct is None or prev is None or prev < min_prev or pct >= 20:
            return
        severity = "notable" if pct < 10 and notable_ok else "info"
        found.append(
            _finding(
                key,
                name,
                value,
                pct,
                "low",
                severity,
            )
        )

    def high(
        key: str,
        rank: str,
        name: str,
        series: pd.Series,
        *,
        threshold: float = 90,
        notable_at: float = 95,
        min_value: float = 0.0,
    ) -> None:
        value, pct, _ = level(rank, name, series)
        if pct is None or pct <= threshold or value <= min_value:
            return
        severity = "notable" if pct > notable_at else "info"
        found.append(
            _finding(
                key,
                name,
                value,
                pct,
                "high",
                severity,
            )
        )

    if view.shannon_percentile is not None and view.shannon_percentile < 20:
        severity = "notable" if view.shannon_percentile < 10 else "info"
        found.append(
            _finding(
                "low_diversity",
                "diversity",
                0.0,
                view.shannon_percentile,
                "low",
                severity,
            )
        )
    low("low_butyrate_producers", "group", "Butyrate producers", view.group)
    low("low_faecalibacterium", "genus", "Faecalibacterium", view.genus)
    low("low_bifidobacterium", "genus", "Bifidobacterium", view.genus)
    low(
        "low_lactobacillus",
        "group",
        "Lactobacillus (sensu lato)",
        view.group,
        min_prev=0.5,
        notable_ok=False,
    )
    high("high_lactobacillus", "group", "Lactobacillus (sensu lato)", view.group)
    low("low_akkermansia", "genus", "Akkermansia", view.genus, min_prev=0.8)
    high("high_akkermansia", "genus", "Akkermansia", view.genus, threshold=95, notable_at=101)
    high("proteobacteria_bloom", "phylum", "Proteobacteria", view.phylum)
    high("enterobacteriaceae_bloom", "group", "Enterobacteriaceae", view.group)
    high("oral_taxa_in_stool", "group", "Oral taxa", view.group)
    high("klebsiella_high", "genus", "Klebsiella", view.genus, min_value=0.001)
    high("enterococcus_high", "genus", "Enterococcus", view.genus, min_value=0.0001)
    high("bilophila_high", "genus", "Bilophila", view.genus)
    high("high_prevotella", "genus", "Prevotella", view.genus, notable_at=101)
    found.extend(_presence_only(view))
    order = {"notable": 0, "info": 1}
    found.sort(
        key=lambda f: (
            order[f.severity],
            -abs((f.percentile if f.percentile is not None else 50) - 50),
        )
    )
    return found


#: Presence findings: key, taxon, where to look, threshold, severity.
PRESENCE = (
    ("fusobacterium_detected", "Fusobacterium", "genus", 0.0001, "info"),
    ("methanogens_present", "Methanogens", "group", 0.0, "info"),
    ("candida_detected", "Candida", "genus", 0.0, "info"),
)


#: Below this share (0.01%) a single taxon is within what mapping errors and carry-over between
#: samples produce, so its "presence" is not reported as a finding.
TRACE = 1e-4


def _presence_only(view: SampleView) -> list[Finding]:
    """Findings that are about presence, whatever the reference says."""
    found: list[Finding] = []
    cdiff = float(view.species.get("Clostridioides difficile", 0.0)) or float(
        view.genus.get("Clostridioides", 0.0)
    )
    if cdiff >= TRACE:
        found.append(
            _finding(
                "c_difficile_detected",
                "Clostridioides difficile",
                cdiff,
                None,
                "present",
                "notable",
            )
        )
    levels = {"genus": view.genus, "group": view.group}
    for key, taxon, level, threshold, severity in PRESENCE:
        value = float(levels[level].get(taxon, 0.0))
        if value > threshold:
            found.append(_finding(key, taxon, value, None, "present", severity))
    return found
