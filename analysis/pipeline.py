"""``analyze``: bytes in, a Report out. Pure: no I/O beyond its arguments."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import cached_property
from itertools import pairwise

import numpy as np
import pandas as pd

from analysis.caveats import compute_caveats
from analysis.findings import SampleView, compute_findings
from analysis.formats import read_table
from analysis.indices import INDEX_SPECS, IndexInputs
from analysis.metrics import alpha
from analysis.model import (
    RANKS,
    AnalysisError,
    CaveatModel,
    Composition,
    ParsedTable,
    Percentiles,
    Report,
    SampleReport,
    TaxonRow,
)
from analysis.reference import ReferencePanel, genus_lineage, panel
from analysis.reference.build import group_members, group_sums
from analysis.taxonomy import LACTOBACILLUS_GROUP, Lineage, display_name

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
#: Cells (features x samples x groupings) summed in one go; bounds memory for wide tables.
CHUNK_CELLS = 2_000_000


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


def _fill_lineages(lineages: pd.DataFrame) -> list[Lineage]:
    """Place genus-only lineages (species-only tables) under their family ... kingdom."""
    rows: list[Lineage] = [tuple(row) for row in lineages[list(RANKS)].to_numpy(dtype=object)]
    for i, row in enumerate(rows):
        if row[5] is not None and row[4] is None:
            higher = genus_lineage(str(row[5]))
            if higher is not None:
                filled = tuple(name if row[k] is None else row[k] for k, name in enumerate(higher))
                rows[i] = (*filled, *row[5:])
    return rows


class _Grouping:
    """Features grouped by a key: each feature's group number, and the keys in order of appearance
    (the order of ``DataFrame.groupby(keys, sort=False)``)."""

    def __init__(self, keys: Iterable[str]) -> None:
        lookup: dict[str, int] = {}
        self.codes = np.array([lookup.setdefault(k, len(lookup)) for k in keys], dtype=np.intp)
        self.keys = list(lookup)

    @cached_property
    def index(self) -> pd.Index:
        """The keys as a pandas Index (built only for the groupings that need one)."""
        return pd.Index(self.keys, dtype=object)

    @property
    def runs(self) -> bool:
        """Whether each group is a run of adjacent features (the group numbers never decrease)."""
        return bool(np.all(self.codes[1:] >= self.codes[:-1]))

    @property
    def unique(self) -> bool:
        """Whether every feature is a group of its own."""
        return len(self.keys) == len(self.codes)


def _lineage_key(lineage: Lineage, depth: int = len(RANKS)) -> str:
    """One string naming a lineage down to ``depth`` ranks (unassigned ranks empty)."""
    return ";".join("" if name is None else name for name in lineage[:depth])


class _Stack:
    """Several groupings of the same features, summed in as few ``groupby().sum()`` as can be.

    pandas sums a grouping whose groups are runs of adjacent rows with ``np.add.reduceat`` and
    any other with Kahan summation in row order. Groupings of each kind are stacked one under
    another and summed together: a stack takes the path each of its groupings would take alone,
    and both paths sum every group on its own, so the sums are bit for bit those of a groupby
    per grouping.
    """

    def __init__(self, groupings: dict[str, _Grouping]) -> None:
        self.parts = [
            part
            for part in (
                {name: g for name, g in groupings.items() if g.runs},
                {name: g for name, g in groupings.items() if not g.runs},
            )
            if part
        ]
        n_features = len(next(iter(groupings.values())).codes)
        self.layouts = []
        for part in self.parts:
            offsets = np.cumsum([0, *(len(g.keys) for g in part.values())])
            codes = np.concatenate(
                [g.codes + offset for g, offset in zip(part.values(), offsets, strict=False)]
            )
            rows = np.tile(np.arange(n_features), len(part))
            self.layouts.append((offsets, codes, rows))

    def sums(self, matrix: np.ndarray) -> dict[str, np.ndarray]:
        """Per grouping, the sums of the rows of ``matrix`` (features x columns) by group."""
        out: dict[str, np.ndarray] = {}
        for part, (offsets, codes, rows) in zip(self.parts, self.layouts, strict=True):
            stacked = pd.DataFrame(matrix[rows], copy=False)
            summed = stacked.groupby(codes, sort=True).sum().to_numpy()
            for name, (start, stop) in zip(part, pairwise(offsets), strict=True):
                out[name] = summed[start:stop]
        return out


def _chunk_width(n_rows: int, n_groupings: int, n_columns: int) -> int:
    """Samples per chunk: the stacked matrix of one chunk stays near ``CHUNK_CELLS`` cells."""
    return max(1, min(n_columns, CHUNK_CELLS // max(1, n_rows * max(1, n_groupings))))


def _all_integers(values: pd.DataFrame) -> bool:
    """Whether every value is a whole number (column by column: no table-sized temporaries)."""
    for column in values.columns:
        array = values[column].to_numpy()
        if not np.array_equal(array, np.round(array)):
            return False
    return True


def _descending(values: np.ndarray) -> np.ndarray:
    """Positions of ``values`` largest first, ties ordered as ``Series.sort_values`` orders them."""
    order = np.arange(len(values))[::-1]
    return order[values[::-1].argsort(kind="quicksort")][::-1]


def _composition(values: np.ndarray, names: list[str]) -> dict[str, float]:
    named = [i for i, name in enumerate(names) if name != UNASSIGNED]
    kept = values[named]
    top = [named[i] for i in _descending(kept)[:TOP]]
    out = {names[i]: round(float(values[i]), 6) for i in top if values[i] > 0}
    rest = float(values.sum() - values[top].sum())
    if rest > 1e-9:
        out["Other"] = round(rest, 6)
    return out


def build_report(table: ParsedTable, filename: str | None) -> Report:
    """Score every sample of a parsed table.

    Samples are scored a chunk at a time, so that a wide table never has more than its own
    values and one chunk's intermediate sums in memory.
    """
    values = table.values
    lineages = _fill_lineages(table.lineages)
    method = table.method
    ref: ReferencePanel | None = panel(method) if method in ("shotgun", "16s") else None
    has_species = any(lin[6] is not None for lin in lineages) and method != "16s"
    fine_rank = "species" if has_species else "genus"
    merged = _Grouping(_lineage_key(lin) for lin in lineages)
    units = _Grouping(_lineage_key(lin, RANKS.index("genus") + 1) for lin in lineages)
    ranks = {
        rank: _Grouping(
            UNASSIGNED if lin[RANKS.index(rank)] is None else str(lin[RANKS.index(rank)])
            for lin in lineages
        )
        for rank in ("genus", "phylum", "family", "kingdom", "species")
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
    integer_counts = counts and _all_integers(values)
    meta, known = _taxa_meta(merged_lineages, ref)
    totals = values.sum(axis=0).to_numpy()
    n_rows, n_columns = values.shape
    width = _chunk_width(n_rows * (2 if counts else 1), len(groupings), n_columns)
    fine_name = "merged" if fine_rank == "species" else "units"
    members = group_members(ranks["genus"].keys)
    group_index = pd.Index(list(members), dtype=object)
    stack = _Stack(groupings)
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
        pct = (
            {}
            if ref is None
            else {
                row: ref.percentiles(name, sums["merged"][:chunk, row], rank)
                for row, (name, rank) in known.items()
            }
        )
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
                    _taxa_rows(
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
            phylum=_composition(phylum.to_numpy(), list(phylum.index)),
            genus=_composition(genus.to_numpy(), list(genus.index)),
        ),
        findings=findings,
        caveats=caveats,
        firmicutes_bacteroidetes=fb,
        unclassified=unclassified,
        read_depth=table.read_depth.get(sample_id),
        taxa=taxa,
    )


def _taxa_meta(
    lineages: list[Lineage], ref: ReferencePanel | None
) -> tuple[list[tuple[str, str, list[str | None]]], dict[int, tuple[str, str]]]:
    """Name, rank and lineage per merged taxon, and which taxa the reference panel knows."""
    meta: list[tuple[str, str, list[str | None]]] = []
    for row in lineages:
        lin = tuple(_none(v) for v in row)
        name, rank = display_name(lin)
        meta.append((name, rank, list(lin)))
    known: dict[int, tuple[str, str]] = {}
    if ref is not None:
        for i, (name, rank, _) in enumerate(meta):
            if rank in ("genus", "species", "phylum") and ref.known(name, rank):
                known[i] = (name, rank)
    return meta, known


def _none(value: object) -> str | None:
    if value is None or value == "" or (isinstance(value, float) and np.isnan(value)):
        return None
    return str(value)


#: Every TaxonRow sets every field; one shared set saves a set per row (120,000 rows in a wide
#: table). Pydantic only ever adds field names to it, which are all in it already.
_TAXON_FIELDS = set(TaxonRow.model_fields)


def _taxa_rows(
    meta: list[tuple[str, str, list[str | None]]],
    values: np.ndarray,
    counts: np.ndarray | None,
    pct: dict[int, float],
) -> list[TaxonRow]:
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
                _TAXON_FIELDS,
                name=name,
                rank=rank,
                lineage=lin,
                abundance=value,
                count=None if counts is None else float(counts[i]),
                percentile=None if np.isnan(p) else float(p),
            )
        )
    return rows
