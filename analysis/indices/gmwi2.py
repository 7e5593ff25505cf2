"""GMWI2, the Gut Microbiome Wellness Index 2 (Chang, Gupta et al., Nat Commun 2024).

Exactly as the official tool (danielchang2002/GMWI2 @9850ec7 : src/gmwi2_metaphlan_output.py):
relative abundance = value / (100 - UNKNOWN); a taxon is present above 1e-5; the score is the sum
of the L1 logistic-regression coefficients of present taxa (intercept 0). The 95 non-zero
coefficients (MIT licence) are in ``analysis/reference/gmwi2_coefficients.tsv``.
"""

from __future__ import annotations

import csv
from functools import cache

import pandas as pd

from analysis.indices.spec import IndexInputs, IndexSpec
from analysis.model import IndexResult
from analysis.reference import REFERENCE_DIR
from analysis.taxonomy import synonym_forms

VERSION = "GMWI2 (Chang 2024), official model @9850ec7"
PRESENCE = 1e-5
#: The reject option: near 0 the classifier is unreliable. Chang et al. report > 90% balanced
#: accuracy only for samples whose |GMWI2| exceeds a cutoff (cutoffs 0.1-1 plotted); we call
#: |GMWI2| below 0.5 "indeterminate" rather than pretend to a verdict.
REJECT_BAND = 0.5


@cache
def coefficients() -> dict[str, float]:
    """Taxon lineage (MetaPhlAn 3 clade name) -> coefficient."""
    with (REFERENCE_DIR / "gmwi2_coefficients.tsv").open() as handle:
        return {
            row["taxon"]: float(row["coefficient"])
            for row in csv.DictReader(handle, delimiter="\t")
        }


def gmwi2_value(
    clades: pd.Series, unknown_pct: float, *, match_names: bool = False
) -> tuple[float, list[dict[str, object]]]:
    """Score and present taxa of one MetaPhlAn 3 profile (values in percent)."""
    denominator = 100.0 - unknown_pct
    present = {str(k) for k, v in clades.items() if float(v) / denominator > PRESENCE}
    by_last: dict[str, str] = {}
    if match_names:
        for clade in present:
            last = clade.split("|")[-1]
            if last.startswith("s__"):
                for form in synonym_forms(last.removeprefix("s__")):
                    by_last.setdefault("s__" + form.replace(" ", "_"), clade)
            else:
                by_last.setdefault(last, clade)
    score = 0.0
    drivers: list[dict[str, object]] = []
    for taxon, coef in coefficients().items():
        hit = taxon in present
        if not hit and match_names:
            hit = taxon.split("|")[-1] in by_last
        if hit:
            score += coef
            drivers.append(
                {"taxon": taxon.split("|")[-1][3:].replace("_", " "), "coefficient": coef}
            )
    drivers.sort(key=lambda d: -abs(float(d["coefficient"])))  # type: ignore[arg-type]
    return score, drivers


def gmwi2(
    clades: pd.Series | None, *, unknown_pct: float, profiler_version: str | None
) -> IndexResult:
    """GMWI2 for a MetaPhlAn profile; exact for MetaPhlAn 3 (mpa_v30), approximate for 2 and 4.

    Parameters
    ----------
    clades
        The raw MetaPhlAn profile of one sample (clade name -> percent), or None.
    unknown_pct
        The profile's ``UNKNOWN`` percentage (0 when the file has none).
    profiler_version
        The database string from the header (``mpa_v30_CHOCOPhlAn_201901``) or None.
    """
    if clades is None:
        return IndexResult(
            value=None,
            applicable=False,
            status="not_applicable",
            version=VERSION,
            reason="needs_metaphlan",
        )
    exact = bool(profiler_version and profiler_version.startswith(("mpa_v30", "mpa_v31")))
    if not any("|" in str(c) for c in clades.index):
        return IndexResult(
            value=None,
            applicable=False,
            status="not_applicable",
            version=VERSION,
            reason="no_lineages",
        )
    value, drivers = gmwi2_value(clades, unknown_pct, match_names=not exact)
    if abs(value) < REJECT_BAND:
        status = "indeterminate"
    else:
        status = "healthy" if value > 0 else "non_healthy"
    return IndexResult(
        value=value,
        applicable=True,
        status=status,
        reason="reading",
        params={"band": REJECT_BAND},
        approximate=not exact,
        version=VERSION,
        healthy_band=(REJECT_BAND, 5.0),
        drivers=drivers,
    )


def _compute(inputs: IndexInputs) -> IndexResult:
    if inputs.clades is None:
        return gmwi2(None, unknown_pct=0.0, profiler_version=None)
    return gmwi2(
        inputs.clades, unknown_pct=inputs.unknown_pct, profiler_version=inputs.profiler_version
    )


SPEC = IndexSpec("gmwi2", _compute, axis=(-4.0, 4.0))
