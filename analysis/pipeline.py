"""``analyze``: bytes in, a Report out. Pure: no I/O beyond its arguments."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from analysis.aggregate import (
    UNASSIGNED,
    Grouping,
    Stack,
    all_integers,
    chunk_width,
    composition,
    fill_lineages,
    lineage_key,
    taxa_meta,
    taxa_rows,
)
from analysis.caveats import compute_caveats
from analysis.findings import SampleView, compute_findings
from analysis.formats import read_files, read_table
from analysis.indices import INDEX_SPECS, IndexInputs
from analysis.metrics import alpha
from analysis.model import (
    RANKS,
    AnalysisError,
    Caveat,
    CaveatModel,
    Composition,
    Method,
    ParsedTable,
    Percentiles,
    Report,
    SampleReport,
    TaxonRow,
)
from analysis.reference import ReferencePanel, panel
from analysis.reference.build import group_members, group_sums
from analysis.taxonomy import LACTOBACILLUS_GROUP

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


def analyze(data: bytes, filename: str | None = None, method: Method | None = None) -> Report:
    """Read a results file and score every sample in it.

    Parameters
    ----------
    data
        The file's bytes (any supported format, possibly gzipped or zipped).
    filename
        The original name, a hint only.
    method
        What the user said the sequencing method is (``16s`` or ``shotgun``), for a file that
        does not say so itself; a file whose layout implies its method keeps its own.

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
        return build_report(_told(table, method), filename)
    except AnalysisError:
        raise
    except MemoryError as exc:
        raise AnalysisError("too_large", "the file is too large to analyse") from exc
    except Exception as exc:  # a bug, not bad input: say so, keep the traceback for the log
        log.exception("analysis failed")
        raise AnalysisError(
            "analysis_failed", f"the analysis failed ({type(exc).__name__})"
        ) from exc


def analyze_files(files: dict[str, bytes], method: Method | None = None) -> Report:
    """Read the parts of one result sent as separate files (a count table and its taxonomy).

    Parameters
    ----------
    files
        File name -> bytes; a QIIME 2 ``.qza`` or a ZIP among them is opened.
    method
        As :func:`analyze`.

    Returns
    -------
    Report
        As :func:`analyze`, named after the count table's file.

    Raises
    ------
    AnalysisError
        As :func:`analyze`.
    """
    name = " + ".join(sorted(files))
    try:
        table = read_files(files)
        return build_report(_told(table, method), name)
    except AnalysisError:
        raise
    except MemoryError as exc:
        raise AnalysisError("too_large", "the files are too large to analyse") from exc
    except Exception as exc:  # a bug, not bad input
        log.exception("analysis failed")
        raise AnalysisError(
            "analysis_failed", f"the analysis failed ({type(exc).__name__})"
        ) from exc


def _told(table: ParsedTable, method: Method | None) -> ParsedTable:
    """The table with the method the user gave, when its layout left the method unknown."""
    if method is None or table.method != "unknown":
        return table
    if method not in ("16s", "shotgun"):
        raise AnalysisError("bad_method", f"the method must be 16s or shotgun, not {method!r}")
    told = {
        "16s": Caveat("method_from_user", params={"variant": "16s"}),
        "shotgun": Caveat("method_from_user", params={"variant": "shotgun"}),
    }
    table.method = method
    table.caveats = [*table.caveats, told[method]]
    return table


def _profiler(table: ParsedTable) -> str:
    """The profiler GMHI should assume: a MetaPhlAn format, or MetaPhlAn-named clades elsewhere."""
    if table.format.startswith("metaphlan"):
        return table.format
    return "metaphlan_other" if table.clades is not None else table.format


def build_report(table: ParsedTable, filename: str | None) -> Report:
    """Score every sample of a parsed table.

    Samples are scored a chunk at a time, so that a wide table never has more than its own
    values and one chunk's intermediate sums in memory.
    """
    values = table.values
    lineages = fill_lineages(table.lineages)
    method = table.method
    ref: ReferencePanel | None = panel(method) if method in ("shotgun", "16s") else None
    has_species = any(lin[6] is not None for lin in lineages) and method != "16s"
    fine_rank = "species" if has_species else "genus"
    merged = Grouping(lineage_key(lin) for lin in lineages)
    units = Grouping(lineage_key(lin, RANKS.index("genus") + 1) for lin in lineages)
    ranks = {
        rank: Grouping([UNASSIGNED if lin[at] is None else str(lin[at]) for lin in lineages])
        for rank, at in (
            (r, RANKS.index(r)) for r in ("genus", "phylum", "family", "kingdom", "species")
        )
    }
    # Identical lineages are merged; when every lineage is already unique, nothing is summed.
    groupings = {"merged": merged, "units": units, **ranks}
    if merged.unique:
        del groupings["merged"]
        merged_lineages = lineages
    else:
        first = np.unique(merged.codes, return_index=True)[1]
        merged_lineages = [lineages[i] for i in first]
    counts = table.value_kind == "counts"
    integer_counts = counts and all_integers(values)
    meta, known = taxa_meta(merged_lineages, ref)
    totals = values.sum(axis=0).to_numpy()
    n_rows, n_columns = values.shape
    width = chunk_width(n_rows * (2 if counts else 1), len(groupings), n_columns)
    fine_name = "merged" if fine_rank == "species" else "units"
    members = group_members(ranks["genus"].keys)
    group_index = pd.Index(list(members), dtype=object)
    stack = Stack(groupings)
    samples = []
    for start in range(0, n_columns, width):
        stop = min(start + width, n_columns)
        chunk = stop - start
        block = values.iloc[:, start:stop].to_numpy(dtype=float)
        rel = block / totals[start:stop]
        # Counts ride along as extra columns of the same groupby.
        columns = np.hstack([rel, block]) if counts else rel
        del block, rel
        # Sample-major from here on: one contiguous row per sample (relative abundances, then
        # counts), as a DataFrame column was, so that per-sample sums add up in the same order.
        sums = {
            name: np.ascontiguousarray(summed.T) for name, summed in stack.sums(columns).items()
        }
        if merged.unique:
            sums["merged"] = np.ascontiguousarray(columns.T)
        del columns
        groups = np.ascontiguousarray(
            group_sums(
                sums["genus"][:chunk].T,
                members,
                sums["family"][:chunk].T,
                ranks["family"].keys,
                one_sample=n_columns == 1,
            ).T
        )
        pct = {}
        if ref is not None and known:
            rows = list(known)
            found = ref.percentiles_of([known[r] for r in rows], sums["merged"][:chunk, rows])
            pct = {row: found[k] for k, row in enumerate(rows)}
        for j in range(chunk):
            sample_id = str(values.columns[start + j])
            samples.append(
                _sample_report(
                    table,
                    sample_id,
                    ref,
                    method,
                    fine_rank,
                    sums[fine_name][j],
                    sums["units"][j],
                    {
                        rank: pd.Series(sums[rank][j], index=ranks[rank].index, copy=False)
                        for rank in ranks
                    },
                    pd.Series(groups[j], index=group_index, copy=False),
                    sums[fine_name][chunk + j] if integer_counts else None,
                    taxa_rows(
                        meta,
                        sums["merged"][j],
                        sums["merged"][chunk + j] if counts else None,
                        {row: p[j] for row, p in pct.items()},
                    ),
                )
            )
        del sums
    return Report(
        format=table.format,
        method=method,
        profiler_version=table.profiler_version,
        samples=samples,
        filename=filename,
        reference_panel=ref.name if ref is not None else None,
        caveats=[CaveatModel(key=c.key, params=c.params) for c in table.caveats],
    )


def _sample_report(
    table: ParsedTable,
    sample_id: str,
    ref: ReferencePanel | None,
    method: str,
    fine_rank: str,
    fine: np.ndarray,
    genus_units: np.ndarray,
    by_rank: dict[str, pd.Series],
    groups: pd.Series,
    counts_fine: np.ndarray | None,
    taxa: list[TaxonRow],
) -> SampleReport:
    genus, phylum, family = by_rank["genus"], by_rank["phylum"], by_rank["family"]
    source = counts_fine if counts_fine is not None else fine
    alpha_fine = alpha(source, rank=fine_rank, integer_counts=counts_fine is not None)
    alpha_genus = alpha(genus_units, rank="genus", integer_counts=False)
    clades = table.clades[sample_id] if table.clades is not None else None
    unclassified = float(table.unclassified.get(sample_id, 0.0))
    inputs = IndexInputs(
        clades=clades,
        profiler=_profiler(table),
        profiler_version=table.profiler_version,
        unknown_pct=100 * unclassified,
        genus=genus,
        method=method,
    )
    indices = {spec.key: spec.compute(inputs) for spec in INDEX_SPECS}
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
        species=by_rank["species"],
        shannon_percentile=shannon_for_panel,
    )
    findings = compute_findings(view, ref, method)
    firmicutes, bacteroidetes = (
        float(phylum.get("Firmicutes", 0.0)),
        float(phylum.get("Bacteroidetes", 0.0)),
    )
    fb = firmicutes / bacteroidetes if bacteroidetes > 0 and firmicutes > 0 else None
    approximate = [name for name, r in indices.items() if r.applicable and r.approximate]
    caveats = compute_caveats(
        method=method,
        fmt=table.format,
        genus=genus,
        phylum=phylum,
        family=family,
        kingdom=by_rank["kingdom"],
        unclassified=unclassified,
        read_depth=table.read_depth.get(sample_id),
        metadata=table.sample_metadata.get(sample_id, {}),
        shannon=alpha_genus.shannon,
        approximate_indices=approximate,
        fb_ratio=fb,
    )
    caveats = [
        *(
            CaveatModel(key=c.key, params=c.params)
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
        composition=Composition(
            phylum=composition(phylum.to_numpy(), list(phylum.index)),
            genus=composition(genus.to_numpy(), list(genus.index)),
        ),
        findings=findings,
        caveats=caveats,
        firmicutes_bacteroidetes=fb,
        unclassified=unclassified,
        read_depth=table.read_depth.get(sample_id),
        taxa=taxa,
        other_kingdoms=dict(table.other_kingdoms.get(sample_id, {})),
    )
