"""``analyze``: bytes in, a Report out. Pure: no I/O beyond its arguments."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from analysis.caveats import compute_caveats
from analysis.findings import SampleView, compute_findings
from analysis.formats import read_table
from analysis.indices.distance import distance_to_healthy
from analysis.indices.gmhi import gmhi
from analysis.indices.gmwi2 import gmwi2
from analysis.metrics import alpha
from analysis.model import (
    RANKS,
    AnalysisError,
    CaveatModel,
    Composition,
    Indices,
    ParsedTable,
    Percentiles,
    Report,
    SampleReport,
    TaxonRow,
)
from analysis.reference import ReferencePanel, genus_lineage, panel
from analysis.reference.build import group_table
from analysis.taxonomy import LACTOBACILLUS_GROUP, display_name

log = logging.getLogger("gutbot.analysis")

KEY_GENERA = (
    "Bacteroides",
    "Prevotella",
    "Faecalibacterium",
    "Roseburia",
    "Bifidobacterium",
    "Akkermansia",
    "Escherichia",
    "Klebsiella",
    "Enterococcus",
    "Streptococcus",
    "Veillonella",
    "Alistipes",
    "Ruminococcus",
    "Methanobrevibacter",
    "Bilophila",
    "Desulfovibrio",
    "Parabacteroides",
    "Blautia",
)
TOP = 15
UNASSIGNED = "(unassigned)"


def analyze(data: bytes, filename: str | None = None) -> Report:
    """Read a results file and score every sample in it.

    Parameters
    ----------
    data
        The file's bytes (any supported format, possibly gzipped or zipped).
    filename
        The original name, a hint only.

    Returns
    -------
    Report
        ``report.model_dump(mode="json")`` is the stable JSON form.

    Raises
    ------
    AnalysisError
        The only exception: a stable ``key`` says what was wrong with the input.
    """
    try:
        table = read_table(data, filename)
        return build_report(table, filename)
    except AnalysisError:
        raise
    except MemoryError as exc:
        raise AnalysisError("too_large", "the file is too large to analyse") from exc
    except Exception as exc:  # a bug, not bad input: say so, keep the traceback for the log
        log.exception("analysis failed")
        raise AnalysisError(
            "analysis_failed", f"the analysis failed ({type(exc).__name__})"
        ) from exc


def _profiler(table: ParsedTable) -> str:
    """The profiler GMHI should assume: a MetaPhlAn format, or MetaPhlAn-named clades elsewhere."""
    if table.format.startswith("metaphlan"):
        return table.format
    return "metaphlan_other" if table.clades is not None else table.format


def _fill_lineages(lineages: pd.DataFrame) -> pd.DataFrame:
    """Place genus-only lineages (species-only tables) under their family ... kingdom."""
    filled = lineages.copy()
    missing = filled["genus"].notna() & filled["family"].isna()
    for idx in filled.index[missing]:
        higher = genus_lineage(str(filled.at[idx, "genus"]))
        if higher is not None:
            for rank, name in zip(RANKS[:5], higher, strict=True):
                if filled.at[idx, rank] is None:
                    filled.at[idx, rank] = name
    return filled


def _by_rank(rel: pd.DataFrame, lineages: pd.DataFrame, rank: str) -> pd.DataFrame:
    keys = lineages[rank].fillna(UNASSIGNED).astype(str)
    return rel.groupby(keys.to_numpy(), sort=False).sum()


def _units(rel: pd.DataFrame, lineages: pd.DataFrame, rank: str) -> pd.DataFrame:
    depth = RANKS.index(rank) + 1
    return rel.groupby(_lineage_keys(lineages, depth), sort=False).sum()


def _lineage_keys(lineages: pd.DataFrame, depth: int = len(RANKS)) -> np.ndarray:
    """One string per feature naming its lineage down to ``depth`` ranks (vectorised)."""
    columns = [lineages[rank].fillna("").astype(str) for rank in RANKS[:depth]]
    return columns[0].str.cat(pd.concat(columns[1:], axis=1), sep=";").to_numpy()


def _all_integers(values: pd.DataFrame) -> bool:
    """Whether every value is a whole number (column by column: no table-sized temporaries)."""
    for column in values.columns:
        array = values[column].to_numpy()
        if not np.array_equal(array, np.round(array)):
            return False
    return True


def _composition(series: pd.Series) -> dict[str, float]:
    named = series.drop(index=UNASSIGNED, errors="ignore").sort_values(ascending=False)
    top = named.head(TOP)
    out = {str(k): round(float(v), 6) for k, v in top.items() if v > 0}
    rest = float(series.sum() - top.sum())
    if rest > 1e-9:
        out["Other"] = round(rest, 6)
    return out


def build_report(table: ParsedTable, filename: str | None) -> Report:
    """Score every sample of a parsed table."""
    values = table.values
    lineages = _fill_lineages(table.lineages)
    rel = values / values.sum(axis=0)
    method = table.method
    ref: ReferencePanel | None = panel(method) if method in ("shotgun", "16s") else None
    has_species = bool(lineages["species"].notna().any()) and method != "16s"
    fine_rank = "species" if has_species else "genus"
    merged_keys = _lineage_keys(lineages)
    unique = len(set(merged_keys)) == len(merged_keys)
    # Identical lineages are merged; when every lineage is already unique, no copy is made.
    merged = rel if unique else rel.groupby(merged_keys, sort=False).sum()
    merged_lineage = lineages if unique else lineages.groupby(merged_keys, sort=False).first()
    fine = merged if fine_rank == "species" else _units(rel, lineages, fine_rank)
    genus_units = _units(rel, lineages, "genus")
    genus = _by_rank(rel, lineages, "genus")
    phylum = _by_rank(rel, lineages, "phylum")
    family = _by_rank(rel, lineages, "family")
    kingdom = _by_rank(rel, lineages, "kingdom")
    species = _by_rank(rel, lineages, "species")
    groups = group_table(genus, family)
    integer_counts = table.value_kind == "counts" and _all_integers(values)
    merged_counts = None
    if table.value_kind == "counts":
        merged_counts = values if unique else values.groupby(merged_keys, sort=False).sum()
    counts_fine = None
    if integer_counts:
        counts_fine = (
            merged_counts if fine_rank == "species" else _units(values, lineages, fine_rank)
        )
    meta, merged_pct = _taxa_tables(merged, merged_lineage, ref)
    samples = []
    for i, sample_id in enumerate(values.columns):
        samples.append(
            _sample_report(
                table,
                str(sample_id),
                ref,
                method,
                fine_rank,
                fine[sample_id],
                genus_units[sample_id],
                genus[sample_id],
                phylum[sample_id],
                family[sample_id],
                kingdom[sample_id],
                species[sample_id],
                groups[sample_id],
                None if counts_fine is None else counts_fine[sample_id],
                _taxa_rows(
                    meta,
                    merged[sample_id],
                    None if merged_counts is None else merged_counts[sample_id],
                    {row: pct[i] for row, pct in merged_pct.items()},
                ),
            )
        )
    return Report(
        format=table.format,
        method=method,
        profiler_version=table.profiler_version,
        samples=samples,
        filename=filename,
        reference_panel=ref.name if ref is not None else None,
        caveats=[CaveatModel(key=c.key, detail=c.detail) for c in table.caveats],
    )


def _sample_report(
    table: ParsedTable,
    sample_id: str,
    ref: ReferencePanel | None,
    method: str,
    fine_rank: str,
    fine: pd.Series,
    genus_units: pd.Series,
    genus: pd.Series,
    phylum: pd.Series,
    family: pd.Series,
    kingdom: pd.Series,
    species: pd.Series,
    groups: pd.Series,
    counts_fine: pd.Series | None,
    taxa: list[TaxonRow],
) -> SampleReport:
    source = counts_fine if counts_fine is not None else fine
    alpha_fine = alpha(source.to_numpy(), rank=fine_rank, integer_counts=counts_fine is not None)
    alpha_genus = alpha(genus_units.to_numpy(), rank="genus", integer_counts=False)
    clades = table.clades[sample_id] if table.clades is not None else None
    unclassified = float(table.unclassified.get(sample_id, 0.0))
    indices = Indices(
        gmhi=gmhi(clades, profiler=_profiler(table)),
        gmwi2=gmwi2(clades, unknown_pct=100 * unclassified, profiler_version=table.profiler_version)
        if clades is not None
        else gmwi2(None, unknown_pct=0.0, profiler_version=None),
        distance_to_healthy=distance_to_healthy(genus, method=method),
    )
    shannon_for_panel = None
    taxa_pct: dict[str, float] = {}
    if ref is not None:
        panel_alpha = alpha_fine if ref.rank == fine_rank else alpha_genus
        shannon_for_panel = ref.shannon_percentile(panel_alpha.shannon)
        for name in KEY_GENERA:
            pct = ref.percentile(name, float(genus.get(name, 0.0)), "genus")
            if pct is not None:
                taxa_pct[name] = pct
        pct = ref.percentile(
            LACTOBACILLUS_GROUP, float(groups.get(LACTOBACILLUS_GROUP, 0.0)), "group"
        )
        if pct is not None:
            taxa_pct[LACTOBACILLUS_GROUP] = pct
    view = SampleView(
        genus=genus,
        phylum=phylum,
        group=groups,
        species=species,
        shannon_percentile=shannon_for_panel,
    )
    findings = compute_findings(view, ref, method)
    firmicutes, bacteroidetes = (
        float(phylum.get("Firmicutes", 0.0)),
        float(phylum.get("Bacteroidetes", 0.0)),
    )
    fb = firmicutes / bacteroidetes if bacteroidetes > 0 and firmicutes > 0 else None
    notes = [
        r.note.split(":")[0] + f" ({n})"
        for n, r in (("GMHI", indices.gmhi), ("GMWI2", indices.gmwi2))
        if r.applicable and r.note.startswith("approximate")
    ]
    caveats = compute_caveats(
        method=method,
        fmt=table.format,
        genus=genus,
        phylum=phylum,
        family=family,
        kingdom=kingdom,
        unclassified=unclassified,
        read_depth=table.read_depth.get(sample_id),
        metadata=table.sample_metadata.get(sample_id, {}),
        shannon=alpha_genus.shannon,
        index_notes=notes,
        fb_ratio=fb,
    )
    caveats = [
        *(
            CaveatModel(key=c.key, detail=c.detail)
            for c in table.caveats
            if c.sample_id in (None, sample_id)
        ),
        *caveats,
    ]
    return SampleReport(
        sample_id=sample_id,
        rank=fine_rank,
        n_taxa=int((fine > 0).sum()),
        alpha=alpha_fine,
        alpha_genus=alpha_genus,
        indices=indices,
        percentiles=Percentiles(
            reference=ref.name if ref else None, shannon=shannon_for_panel, taxa=taxa_pct
        ),
        composition=Composition(phylum=_composition(phylum), genus=_composition(genus)),
        findings=findings,
        caveats=caveats,
        firmicutes_bacteroidetes=fb,
        unclassified=unclassified,
        read_depth=table.read_depth.get(sample_id),
        taxa=taxa,
    )


def _taxa_tables(
    merged: pd.DataFrame, lineage: pd.DataFrame, ref: ReferencePanel | None
) -> tuple[list[tuple[str, str, list[str | None]]], dict[int, np.ndarray]]:
    """Name, rank and lineage per merged taxon, and reference percentiles for known taxa only."""
    meta: list[tuple[str, str, list[str | None]]] = []
    rows = lineage.reindex(merged.index)[list(RANKS)].to_numpy(dtype=object)
    for row in rows:
        lin = tuple(_none(v) for v in row)
        name, rank = display_name(lin)
        meta.append((name, rank, list(lin)))
    pct: dict[int, np.ndarray] = {}
    if ref is not None:
        for i, (name, rank, _) in enumerate(meta):
            if rank in ("genus", "species", "phylum") and ref.known(name, rank):
                pct[i] = ref.percentiles(name, merged.iloc[i].to_numpy(dtype=float), rank)
    return meta, pct


def _none(value: object) -> str | None:
    if value is None or value == "" or (isinstance(value, float) and np.isnan(value)):
        return None
    return str(value)


def _taxa_rows(
    meta: list[tuple[str, str, list[str | None]]],
    merged: pd.Series,
    counts: pd.Series | None,
    pct: dict[int, float],
) -> list[TaxonRow]:
    values = merged.to_numpy()
    order = np.argsort(-values)
    rows: list[TaxonRow] = []
    for i in order:
        value = float(values[i])
        if value <= 0:
            break
        name, rank, lin = meta[i]
        p = pct.get(int(i), np.nan)
        rows.append(
            TaxonRow.model_construct(
                name=name,
                rank=rank,
                lineage=lin,
                abundance=value,
                count=None if counts is None else float(counts.iloc[i]),
                percentile=None if np.isnan(p) else float(p),
            )
        )
    return rows
