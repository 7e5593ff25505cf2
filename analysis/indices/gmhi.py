"""GMHI, the Gut Microbiome Health Index (Gupta et al., Nat Commun 2020), exactly as GMHI.R.

Source: jaeyunsung/GMHI_2020 @87fe9f6 : GMHI.R; species lists MH_species.txt / MN_species.txt.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.indices.spec import IndexInputs, IndexSpec
from analysis.model import IndexResult
from analysis.taxonomy import synonym_forms

VERSION = "GMHI (Gupta 2020), GMHI.R @87fe9f6"
PRESENCE = 1e-5
MH_MEDIAN_R = 7  # median richness of MH species in the top 1% of training samples
MN_MEDIAN_R = 31  # median richness of MN species in the bottom 1%
PSEUDO = 1e-5

# Health-prevalent (7) and health-scarce (43) species, MetaPhlAn 2 names (MH_species.txt, MN_species.txt).
MH_SPECIES = (
    "s__Alistipes_senegalensis",
    "s__Bacteroidales_bacterium_ph8",
    "s__Bifidobacterium_adolescentis",
    "s__Bifidobacterium_angulatum",
    "s__Bifidobacterium_catenulatum",
    "s__Lachnospiraceae_bacterium_8_1_57FAA",
    "s__Sutterella_wadsworthensis",
)
MN_SPECIES = (
    "s__Anaerotruncus_colihominis",
    "s__Atopobium_parvulum",
    "s__Bifidobacterium_dentium",
    "s__Blautia_producta",
    "s__candidate_division_TM7_single_cell_isolate_TM7c",
    "s__Clostridiales_bacterium_1_7_47FAA",
    "s__Clostridium_asparagiforme",
    "s__Clostridium_bolteae",
    "s__Clostridium_citroniae",
    "s__Clostridium_clostridioforme",
    "s__Clostridium_hathewayi",
    "s__Clostridium_nexile",
    "s__Clostridium_ramosum",
    "s__Clostridium_symbiosum",
    "s__Eggerthella_lenta",
    "s__Erysipelotrichaceae_bacterium_2_2_44A",
    "s__Flavonifractor_plautii",
    "s__Fusobacterium_nucleatum",
    "s__Gemella_morbillorum",
    "s__Gemella_sanguinis",
    "s__Granulicatella_adiacens",
    "s__Holdemania_filiformis",
    "s__Klebsiella_pneumoniae",
    "s__Lachnospiraceae_bacterium_1_4_56FAA",
    "s__Lachnospiraceae_bacterium_2_1_58FAA",
    "s__Lachnospiraceae_bacterium_3_1_57FAA_CT1",
    "s__Lachnospiraceae_bacterium_5_1_57FAA",
    "s__Lachnospiraceae_bacterium_9_1_43BFAA",
    "s__Lactobacillus_salivarius",
    "s__Peptostreptococcus_stomatis",
    "s__Ruminococcaceae_bacterium_D16",
    "s__Ruminococcus_gnavus",
    "s__Solobacterium_moorei",
    "s__Streptococcus_anginosus",
    "s__Streptococcus_australis",
    "s__Streptococcus_gordonii",
    "s__Streptococcus_infantis",
    "s__Streptococcus_mitis_oralis_pneumoniae",
    "s__Streptococcus_sanguinis",
    "s__Streptococcus_vestibularis",
    "s__Subdoligranulum_sp_4_3_54A2FAA",
    "s__Subdoligranulum_variabile",
    "s__Veillonella_atypica",
)


def species_profile(clades: pd.Series) -> pd.Series:
    """Species rows of a MetaPhlAn profile, keyed by their ``s__`` name."""
    rows: dict[str, float] = {}
    for clade, value in clades.items():
        last = str(clade).split("|")[-1]
        if last.startswith("s__"):
            rows[last] = rows.get(last, 0.0) + float(value)
    return pd.Series(rows, dtype=float)


def _match(
    species: pd.Series, names: tuple[str, ...], exact: bool
) -> tuple[dict[str, float], list[str]]:
    """Abundance of each listed species; renamed matches reported when not exact."""
    found: dict[str, float] = {}
    renamed: list[str] = []
    for name in names:
        if name in species.index:
            found[name] = float(species[name])
        elif not exact:
            for form in synonym_forms(name.removeprefix("s__")):
                key = "s__" + form.replace(" ", "_")
                if key in species.index:
                    found[name] = float(species[key])
                    renamed.append(f"{name.removeprefix('s__')} as {form}")
                    break
    return found, renamed


def gmhi_value(
    species: pd.Series, *, exact: bool = True
) -> tuple[float, dict[str, float], dict[str, float], list[str]]:
    """GMHI of one sample's species profile (any scale); returns value, MH and MN drivers, renames."""
    kept = species[[("unclassified" not in name and "virus" not in name) for name in species.index]]
    total = float(kept.sum())
    if total <= 0:
        return 0.0, {}, {}, []
    rel = kept / total
    rel = rel.where(rel >= PRESENCE, 0.0)
    mh, renamed_h = _match(rel, MH_SPECIES, exact)
    mn, renamed_n = _match(rel, MN_SPECIES, exact)

    def psi(found: dict[str, float], median_r: int) -> float:
        present = np.array([v for v in found.values() if v > 0])
        if present.size == 0:
            return 0.0
        h = float(-(present * np.log(present)).sum())
        return present.size / median_r * h

    value = math.log10((psi(mh, MH_MEDIAN_R) + PSEUDO) / (psi(mn, MN_MEDIAN_R) + PSEUDO))
    drivers_h = {k: v for k, v in mh.items() if v > 0}
    drivers_n = {k: v for k, v in mn.items() if v > 0}
    return value, drivers_h, drivers_n, renamed_h + renamed_n


def gmhi(clades: pd.Series | None, *, profiler: str) -> IndexResult:
    """GMHI for a MetaPhlAn species profile; ``not_applicable`` for anything else.

    Parameters
    ----------
    clades
        The raw MetaPhlAn profile of one sample (clade name -> percent), or None.
    profiler
        The format id (``metaphlan2``/``metaphlan3``/``metaphlan4``/...).
    """
    if clades is None or not profiler.startswith("metaphlan"):
        return IndexResult(
            value=None,
            applicable=False,
            status="not_applicable",
            reason="needs_metaphlan",
            version=VERSION,
        )
    species = species_profile(clades)
    if species.empty:
        return IndexResult(
            value=None,
            applicable=False,
            status="not_applicable",
            reason="no_species",
            version=VERSION,
        )
    exact = profiler == "metaphlan2"
    value, mh, mn, renamed = gmhi_value(species, exact=exact)
    if not mh and not mn:
        status = "indeterminate"
    else:
        status = "healthy" if value > 0 else "non_healthy" if value < 0 else "indeterminate"
    drivers = [
        {
            "taxon": k.removeprefix("s__").replace("_", " "),
            "set": "health-prevalent",
            "abundance": v,
        }
        for k, v in mh.items()
    ]
    drivers += [
        {"taxon": k.removeprefix("s__").replace("_", " "), "set": "health-scarce", "abundance": v}
        for k, v in mn.items()
    ]
    return IndexResult(
        value=value,
        applicable=True,
        status=status,
        reason="reading",
        params={"profiler": profiler, "renamed": len(renamed)} if not exact else {},
        approximate=not exact,
        version=VERSION,
        healthy_band=(0.0, 4.0),
        drivers=drivers,
    )


def _compute(inputs: IndexInputs) -> IndexResult:
    return gmhi(inputs.clades, profiler=inputs.profiler)


SPEC = IndexSpec("gmhi", _compute, axis=(-4.0, 4.0))
