"""Building the healthy reference panels from public per-sample data (pure: frames in, dicts out).

``scripts/build_reference.py`` reads the source files and writes the JSON tables this package
ships; the test suite rebuilds them in memory and compares.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.groups import PANEL_GROUPS
from analysis.model import RANKS
from analysis.taxonomy import Lineage, canonical_name, parse_lineage

#: Percentile grid stored per taxon (0, 1, ..., 100).
GRID = np.arange(0, 101)
QUANTILES = (5, 10, 20, 25, 50, 75, 80, 90, 95)
SIG = 6


def _round(values: Iterable[float]) -> list[float]:
    return [float(f"{v:.{SIG}g}") for v in values]


def genus_lineages(profiles: Iterable[str]) -> dict[str, list[str | None]]:
    """Genus -> its lineage (kingdom ... family) harvested from MetaPhlAn profiles' clade names."""
    found: dict[str, list[str | None]] = {}
    for text in profiles:
        for line in text.split("\n"):
            clade = line.split("\t", 1)[0]
            if "|g__" not in clade or line.startswith("#"):
                continue
            genus_clade = clade.split("|s__")[0].split("|t__")[0]
            lineage = parse_lineage(genus_clade)
            genus = lineage[5]
            if genus and genus not in found:
                found[genus] = list(lineage[:5])
    return dict(sorted(found.items()))


def _distribution(matrix: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Per taxon (rows): prevalence and the percentile grid of relative abundance."""
    out: dict[str, dict[str, Any]] = {}
    arr = matrix.to_numpy(dtype=float)
    grid = np.percentile(arr, GRID, axis=1).T
    prevalence = (arr > 0).mean(axis=1)
    for name, row, prev in zip(matrix.index, grid, prevalence, strict=True):
        if prev == 0:
            continue
        out[str(name)] = {"prevalence": round(float(prev), 4), "grid": _round(row)}
    return out


def _shannon(rel: pd.DataFrame) -> list[float]:
    from skbio.diversity.alpha import shannon

    return sorted(_round(float(shannon(rel[c].to_numpy(), base=np.e)) for c in rel.columns))


def _self_distances(genus: pd.DataFrame) -> list[float]:
    """Each panel sample's median Bray-Curtis to the other panel samples."""
    arr = genus.to_numpy(dtype=float).T  # samples x genera
    n = arr.shape[0]
    sums = arr.sum(axis=1)
    scores = []
    for i in range(n):
        diff = np.abs(arr - arr[i]).sum(axis=1)
        bc = diff / (sums + sums[i])
        others = np.delete(bc, i)
        scores.append(float(np.median(others)))
    return sorted(_round(scores))


def lineage_units(rel: pd.DataFrame, lineages: list[Lineage], rank: str) -> pd.DataFrame:
    """Collapse features by their lineage down to ``rank`` (distinct unnamed lineages kept)."""
    depth = RANKS.index(rank) + 1
    keys = [";".join(str(n) for n in lin[:depth]) for lin in lineages]
    return rel.groupby(keys, sort=True).sum()


def _collapse(rel: pd.DataFrame, lineages: list[Lineage], rank: str) -> pd.DataFrame:
    index = RANKS.index(rank)
    keys = [lin[index] or "(unassigned)" for lin in lineages]
    return rel.groupby(keys, sort=True).sum()


def build_panel(
    rel: pd.DataFrame,
    lineages: list[Lineage],
    *,
    name: str,
    method: str,
    rank: str,
    sources: dict[str, Any],
) -> dict[str, Any]:
    """One reference panel from relative abundances (features x samples, columns sum to 1)."""
    genus = _collapse(rel, lineages, "genus")
    phylum = _collapse(rel, lineages, "phylum")
    taxa: dict[str, dict[str, dict[str, Any]]] = {
        "genus": _distribution(genus.drop(index="(unassigned)", errors="ignore")),
        "phylum": _distribution(phylum.drop(index="(unassigned)", errors="ignore")),
    }
    if rank == "species":
        species = _collapse(rel, lineages, "species").drop(index="(unassigned)", errors="ignore")
        taxa["species"] = _distribution(species)
    taxa["group"] = _distribution(group_table(genus, _collapse(rel, lineages, "family")))
    # Diversity is counted over distinct lineages (an unnamed genus of a named family is its own
    # taxon), as mothur phylotypes and MetaPhlAn species are.
    fine = rel if rank == "species" else lineage_units(rel, lineages, "genus")
    richness = sorted(int(v) for v in (fine > 0).sum(axis=0))
    kept = genus[(genus > 0).mean(axis=1) >= 0.02]
    matrix = {
        "genera": [str(g) for g in kept.index],
        "samples": [
            {
                str(g): float(f"{v:.{SIG}g}")
                for g, v in zip(kept.index, kept[c], strict=True)
                if v > 0
            }
            for c in kept.columns
        ],
    }
    return {
        "name": name,
        "method": method,
        "rank": rank,
        "n_samples": int(rel.shape[1]),
        "sources": sources,
        "shannon": _shannon(fine.loc[fine.sum(axis=1) > 0]),
        "richness": richness,
        "taxa": taxa,
        "distance": {"matrix": matrix, "self_scores": _self_distances(kept)},
    }


def group_table(genus: pd.DataFrame, family: pd.DataFrame) -> pd.DataFrame:
    """Relative abundance of each taxon group (Lactobacillus s.l., butyrate producers ...)."""
    members = group_members(list(genus.index))
    rows = group_sums(
        genus.to_numpy(dtype=float),
        members,
        family.to_numpy(dtype=float),
        list(family.index),
        one_sample=genus.shape[1] == 1,
    )
    return pd.DataFrame(rows, index=list(members), columns=genus.columns)


def group_members(genera: Sequence[str]) -> dict[str, list[int]]:
    """Group name -> positions of its member genera in ``genera``."""
    members = {"Lactobacillus (sensu lato)": [i for i, g in enumerate(genera) if _is_lacto(str(g))]}
    for group, names in PANEL_GROUPS.items():
        members[group] = [i for i, g in enumerate(genera) if g in names]
    return members


def group_sums(
    genus: np.ndarray,
    members: dict[str, list[int]],
    family: np.ndarray,
    families: Sequence[str],
    *,
    one_sample: bool,
) -> np.ndarray:
    """``group_table`` on arrays: genus and family rows by sample columns in, group rows out.

    Parameters
    ----------
    genus, family
        Relative abundance, one row per genus / family, one column per sample (all samples of
        a table, or some of them).
    members
        ``group_members`` of the genera, in the order of the genus rows.
    families
        The family rows' names.
    one_sample
        Whether the whole table has a single sample (see below).

    Returns
    -------
    np.ndarray
        One row per group of ``members`` (in its order), one column per sample.
    """
    # The sums are bit for bit those DataFrame.sum gave on a groupby's genus table: numpy added
    # a group's members one after another when the table had several samples, and summed them
    # pairwise when it had one.
    rows = []
    for positions in members.values():
        if one_sample:
            rows.append(np.ascontiguousarray(genus[positions].T).sum(axis=1))
        elif positions:
            total = genus[positions[0]].copy()
            for position in positions[1:]:
                total += genus[position]
            rows.append(total)
        else:
            rows.append(np.zeros(genus.shape[1]))
    # Enterobacteriaceae by family: 16S databases often name the family but not its genera.
    family_names = list(families)
    if "Enterobacteriaceae" in family_names:
        rows[list(members).index("Enterobacteriaceae")] = family[
            family_names.index("Enterobacteriaceae")
        ]
    return np.array(rows, dtype=float).reshape(len(rows), genus.shape[1])


def _is_lacto(genus: str) -> bool:
    from analysis.taxonomy import lactobacillus_group

    return lactobacillus_group(genus)


def shotgun_panel(
    species_table: pd.DataFrame, metadata: pd.DataFrame, genus_map: dict[str, list[str | None]]
) -> dict[str, Any]:
    """Healthy samples of the GMHI validation set (MetaPhlAn2 species), unclassified removed."""
    healthy = metadata.loc[metadata["Phenotype"] == "Healthy", "Sample_Ids"].astype(str)
    table = species_table[[c for c in species_table.columns if c in set(healthy)]]
    table = table[~table.index.str.contains("unclassified|virus", case=False, regex=True)]
    table = table.apply(pd.to_numeric, errors="coerce").fillna(0.0)
    rel = table / table.sum(axis=0)
    lineages = []
    for name in table.index:
        species = canonical_name(str(name).removeprefix("s__"), "species")
        genus = canonical_name(species.split(" ")[0], "genus")
        higher = genus_map.get(genus, [None] * 5)
        lineages.append((*higher, genus, species))
    return build_panel(
        rel,
        lineages,
        name=f"GMHI validation healthy (MetaPhlAn2, n={rel.shape[1]})",
        method="shotgun",
        rank="species",
        sources={
            "abundance": "jaeyunsung/GMHI_2020 @87fe9f6 : validation_abundance.csv",
            "metadata": "jaeyunsung/GMHI_2020 @87fe9f6 : validation_metadata.csv",
            "selection": "Phenotype == Healthy; rows with 'unclassified' or 'virus' removed; renormalised",
        },
    )


def amplicon_panel(
    shared: pd.DataFrame, taxonomy: pd.DataFrame, mapping: pd.DataFrame
) -> dict[str, Any]:
    """Normal-colonoscopy samples of Baxter et al. 2016 (16S V4, mothur phylotypes = genera)."""
    normal = set(mapping.loc[mapping["dx"] == "normal", "sample"].astype(str))
    counts = shared.set_index(shared["Group"].astype(str))
    counts = counts.drop(columns=[c for c in ("label", "Group", "numOtus") if c in counts.columns])
    counts = counts.loc[[g for g in counts.index if g in normal]].T.astype(float)
    lookup = {
        str(o): parse_lineage(t) for o, t in zip(taxonomy["OTU"], taxonomy["Taxonomy"], strict=True)
    }
    lineages = [lookup.get(str(o), (None,) * 7) for o in counts.index]
    rel = counts / counts.sum(axis=0)
    return build_panel(
        rel,
        lineages,
        name=f"Baxter 2016 normal colonoscopy (16S V4, n={rel.shape[1]})",
        method="16s",
        rank="genus",
        sources={
            "shared": "microbiome/microbiome @f27839de : inst/extdata/Baxter_FITs_Microbiome_2016_fit.final.tx.1.subsample.shared",
            "taxonomy": "same : Baxter_FITs_Microbiome_2016_fit.final.tx.1.cons.taxonomy",
            "mapping": "same : Baxter_FITs_Microbiome_2016_mapping.csv",
            "selection": "dx == normal; subsampled to 3,879 reads by the authors",
        },
    )
