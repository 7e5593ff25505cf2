"""Two samples side by side: genus profiles, Bray-Curtis between them, the genera that changed most.

Pure: takes the stored JSON form of samples (``Report.model_dump(mode="json")["samples"][i]``) or
their taxa rows, returns numbers, keys and frozen dataclasses. The bot words them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from analysis.metrics import bray_curtis
from analysis.model import RANKS

#: Position of the genus in a stored lineage (kingdom, phylum, class, order, family, genus, species).
GENUS_INDEX = RANKS.index("genus")
#: The genus under which taxa with no genus name (or a lineage that stops above genus) are pooled.
UNASSIGNED_GENUS = "(unassigned genus)"
#: Shannon changes (nats) up to this size either way count as unchanged: the two kits of the
#: technical replicate pair below (same stool, same day) gave 2.452 and 2.573, 0.121 apart.
SHANNON_TOLERANCE = 0.125
#: How many genera :func:`compare_samples` lists as changed most.
MAX_CHANGES = 5
#: Two Thryve 16S kits filled from the same stool on the same day (a technical replicate pair
#: in ../shared/data/labs, DTCsample3a/3b) differ by this much: Bray-Curtis 0.076 between their
#: genus profiles, and up to 4.0 percentage points for one genus (Bacteroides 42.2% vs 38.2%).
#: A difference no larger than that between two tests is within what the kit itself varies.
REPLICATE_BRAY_CURTIS = 0.076
REPLICATE_GENUS_SHARE = 0.040


def within_kit_variation(old: float, new: float) -> bool:
    """Whether a genus's change (shares 0-1) is no larger than two kits from one stool differ."""
    return abs(new - old) <= REPLICATE_GENUS_SHARE


DiversityChange = Literal["up", "down", "unchanged"]
#: Why two tests cannot be compared taxon by taxon: different lab methods (16S and shotgun),
#: different profilers (MetaPhlAn 2 and Kraken), or one profiler with different databases.
Gap = Literal["method", "profiler", "version"]


def comparison_gap(
    old: tuple[str, str, str | None], new: tuple[str, str, str | None]
) -> Gap | None:
    """What keeps two tests from being compared taxon by taxon (None: they can be).

    Parameters
    ----------
    old, new
        Each test's (method, format, profiler or database version); a version of None is
        unknown and never counts as a difference by itself.

    Returns
    -------
    {"method", "profiler", "version"} or None
        A different method or profiler changes which bacteria are found and how their shares
        are counted, and so does another database of the same profiler (MetaPhlAn 2's
        mpa_v20 against MetaPhlAn 4's SGB database): differences between such tests are partly
        the tool's, so no change in the gut can be read from them.
    """
    if old[0] != new[0]:
        return "method"
    if old[1] != new[1]:
        return "profiler"
    if old[2] and new[2] and old[2] != new[2]:
        return "version"
    return None


@dataclass(frozen=True)
class GenusChange:
    """One genus's relative abundance (0-1) in the older and the newer sample."""

    genus: str
    old: float
    new: float


@dataclass(frozen=True)
class SampleComparison:
    """The numbers behind a comparison of an older and a newer sample."""

    shannon_old: float
    shannon_new: float
    diversity_change: DiversityChange
    bray_curtis: float
    changes: tuple[GenusChange, ...]


def genus_profile(taxa: Iterable[Mapping[str, Any]]) -> dict[str, float]:
    """Relative abundance by genus, summed over a sample's taxa rows.

    Parameters
    ----------
    taxa
        Taxa rows of a stored sample, each with ``abundance`` (0-1) and ``lineage`` (a list of
        rank names, coarsest first, None or empty where unassigned; may be shorter than seven).

    Returns
    -------
    dict[str, float]
        Summed abundance per genus name, in order of first appearance. Rows without a genus name,
        including lineages that stop above genus, are pooled under :data:`UNASSIGNED_GENUS`.
        Empty when there are no rows.
    """
    totals: dict[str, float] = {}
    for row in taxa:
        lineage = row.get("lineage") or []
        has_genus = len(lineage) > GENUS_INDEX and lineage[GENUS_INDEX]
        genus = lineage[GENUS_INDEX] if has_genus else UNASSIGNED_GENUS
        totals[genus] = totals.get(genus, 0.0) + float(row["abundance"])
    return totals


def sample_genus_profile(sample: Mapping[str, Any]) -> dict[str, float]:
    """Relative abundance by genus of one stored sample.

    Parameters
    ----------
    sample
        One stored sample: its ``taxa`` rows, and ``composition["genus"]`` (genus name to
        abundance) used only when the sample has no taxa rows.

    Returns
    -------
    dict[str, float]
        :func:`genus_profile` of the taxa rows, or the stored genus composition when there are
        none.
    """
    totals = genus_profile(sample.get("taxa", []))
    if not totals:
        totals = {k: float(v) for k, v in sample["composition"]["genus"].items()}
    return totals


def profile_bray_curtis(old: Mapping[str, float], new: Mapping[str, float]) -> float:
    """Bray-Curtis dissimilarity of two genus profiles.

    Parameters
    ----------
    old, new
        Genus name to abundance. A genus missing from one profile counts as 0 there.

    Returns
    -------
    float
        ``sum |old - new| / (sum old + sum new)`` over the union of genera: 0 for identical
        profiles, 1 when no genus is shared, and 0 when both profiles are empty or all zero.
    """
    genera = sorted(set(old) | set(new))
    a = pd.Series([old.get(g, 0.0) for g in genera], index=genera, dtype=float)
    b = pd.Series([new.get(g, 0.0) for g in genera], index=genera, dtype=float)
    return bray_curtis(a, b)


def largest_changes(
    old: Mapping[str, float], new: Mapping[str, float], *, limit: int = MAX_CHANGES
) -> tuple[GenusChange, ...]:
    """The genera whose abundance changed most between two genus profiles.

    Parameters
    ----------
    old, new
        Genus name to abundance. A genus missing from one profile counts as 0 there.
    limit
        How many genera to return at most.

    Returns
    -------
    tuple[GenusChange, ...]
        Largest absolute change first; equal changes in alphabetical order of the genus.
    """
    genera = sorted(set(old) | set(new))
    ranked = sorted(genera, key=lambda g: -abs(new.get(g, 0.0) - old.get(g, 0.0)))[:limit]
    return tuple(GenusChange(g, old.get(g, 0.0), new.get(g, 0.0)) for g in ranked)


def diversity_change(
    old: float, new: float, *, tolerance: float = SHANNON_TOLERANCE
) -> DiversityChange:
    """Whether diversity went up, went down or stayed about the same.

    Parameters
    ----------
    old, new
        Shannon diversity of the older and the newer sample.
    tolerance
        Differences up to this size either way (inclusive) are ``"unchanged"``.

    Returns
    -------
    {"up", "down", "unchanged"}
    """
    if new > old + tolerance:
        return "up"
    if new < old - tolerance:
        return "down"
    return "unchanged"


def compare_samples(old: Mapping[str, Any], new: Mapping[str, Any]) -> SampleComparison:
    """Shannon diversity, Bray-Curtis of the genus profiles and the largest genus changes.

    Parameters
    ----------
    old, new
        Two stored samples (``alpha["shannon"]``, ``taxa``, ``composition["genus"]``), older
        first.

    Returns
    -------
    SampleComparison
        Shannon of each with the direction of change (:func:`diversity_change`), the Bray-Curtis
        dissimilarity of their :func:`sample_genus_profile`, and :func:`largest_changes`.
    """
    old_genera, new_genera = sample_genus_profile(old), sample_genus_profile(new)
    shannon_old, shannon_new = float(old["alpha"]["shannon"]), float(new["alpha"]["shannon"])
    return SampleComparison(
        shannon_old=shannon_old,
        shannon_new=shannon_new,
        diversity_change=diversity_change(shannon_old, shannon_new),
        bray_curtis=profile_bray_curtis(old_genera, new_genera),
        changes=largest_changes(old_genera, new_genera),
    )
