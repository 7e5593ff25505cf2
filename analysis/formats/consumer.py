"""Consumer 16S exports with one row per taxon at every rank, read by their rank column.

**Abundance profiles** (Thryve, its successor Ombre, and Psomagen, who sequenced for both):
``taxon_id, rank, name, parent, count, rank_count, perc`` (optionally ``tags, health_effects,
associated_diseases``, never read), one row per taxon at every rank from kingdom to species;
``perc`` is ``count / rank_count``, ``rank_count`` the reads assigned at that rank. **Microbiome
Prescription** uploads have the first five columns only.

Lineages come from the parent links. Thryve writes the parent's name, Microbiome Prescription its
NCBI taxon id: both are looked up, and always at a coarser rank than the child, because a phylum
and a class may share a name (Actinobacteria) and these files even give them the same taxon id.
Pseudo-taxa (``other Ruminococcaceae family``, ``Bacteroides species``; no taxon id) hold the
reads that stop above their rank: they stay in the profile, unnamed at their rank, under the
taxon they name. A kingdom or phylum row can never become a genus: a feature's name at a rank
only ever comes from a row of that rank.

Which rank is read. The genus rank, unless nearly every species-rank read reaches a named
species (at most :data:`MAX_STOP_AT_GENUS` of them in pseudo-taxa) and every genus count is the
sum of its species. In the Thryve and Ombre files seen, 5-10% of the species-rank reads are in
``<Genus> species`` rows (reads that stop at genus), and each genus count is exactly the sum of
its species rows, so the genus rank loses nothing the species rank assigns to a genus. The reads
such a file places at a species directly under a family (3-10%) are outside its genus rank and
make up the unclassified share. A file without genus rows is read at species rank.

The BIOHM raw-data sheet, the other consumer export, is read in
:mod:`analysis.formats.spreadsheet`.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from analysis.formats.table import make_table
from analysis.model import RANKS, AnalysisError, ParsedTable
from analysis.taxonomy import Lineage, lineage_from_ranks

__all__ = ["HEADER", "parse_prescription", "parse_profile", "sniff_prescription", "sniff_profile"]

#: The columns both layouts have; abundance profiles add :data:`PROFILE_COLUMNS`.
HEADER = ("taxon_id", "rank", "name", "parent", "count")
PROFILE_COLUMNS = ("rank_count", "perc")
#: Share of the species-rank reads that may stop at genus for the species rank to be read.
MAX_STOP_AT_GENUS = 0.01
#: Parent links followed from one row (a loop in the links ends there).
MAX_DEPTH = 64

#: Rank -> position (RANKS index; ranks between them in between, unknown ranks are None).
_POSITION: dict[str, float] = {
    "superkingdom": 0,
    "domain": 0,
    "kingdom": 0,
    "subkingdom": 0.5,
    "superphylum": 0.5,
    "phylum": 1,
    "subphylum": 1.5,
    "superclass": 1.5,
    "class": 2,
    "subclass": 2.5,
    "infraclass": 2.6,
    "superorder": 2.7,
    "order": 3,
    "suborder": 3.5,
    "superfamily": 3.7,
    "family": 4,
    "subfamily": 4.5,
    "tribe": 4.7,
    "genus": 5,
    "subgenus": 5.5,
    "species group": 5.7,
    "species subgroup": 5.8,
    "species": 6,
    "subspecies": 6.5,
    "strain": 6.7,
}
_GENUS, _SPECIES = RANKS.index("genus"), RANKS.index("species")
_OTHER = re.compile(r"^other\s.+\s(?:kingdom|domain|phylum|class|order|family|genus)$", re.I)


def _delimiter(line: str) -> str:
    return "\t" if line.count("\t") > line.count(",") else ","


def _first_line(text: str) -> str:
    return next((ln for ln in text[:8192].split("\n") if ln.strip()), "")


def _header(text: str) -> list[str]:
    line = _first_line(text)
    cells = next(csv.reader([line], delimiter=_delimiter(line), skipinitialspace=True), [])
    return [c.strip().strip('"').lower() for c in cells]


def sniff_profile(text: str) -> bool:
    """The abundance-profile header (columns in any order)."""
    return set(HEADER) | set(PROFILE_COLUMNS) <= set(_header(text))


def sniff_prescription(text: str) -> bool:
    """``taxon_id, rank, name, parent, count`` without ``rank_count``."""
    header = set(_header(text))
    return set(HEADER) <= header and "rank_count" not in header


@dataclass(frozen=True, slots=True)
class _Row:
    taxon_id: str
    position: float | None
    name: str
    parent: str
    count: float
    pseudo: bool


def _count(raw: str, line: int) -> float:
    try:
        value = float(raw) if raw.strip() else 0.0
    except ValueError as exc:
        raise AnalysisError("bad_values", f"line {line} has a count that is not a number") from exc
    if not math.isfinite(value) or value < 0:
        raise AnalysisError("bad_values", f"line {line} has a negative or infinite count")
    return value


def _read_rows(text: str) -> list[_Row]:
    line = _first_line(text)
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(line), skipinitialspace=True)
    header: list[str] | None = None
    raw: list[tuple[int, list[str]]] = []
    for number, cells in enumerate(reader, start=1):
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip().lower() for c in cells]
            continue
        raw.append((number, cells))
    if header is None or not raw:
        raise AnalysisError("no_taxonomy", "the export has no taxa")
    column = {name: header.index(name) for name in HEADER}
    width = max(column.values())
    has_ids = any(len(c) > width and c[column["taxon_id"]].strip() for _, c in raw)
    rows = []
    for number, cells in raw:
        if len(cells) <= width:
            raise AnalysisError(
                "malformed_file", f"line {number} has fewer columns than the header"
            )
        taxon_id = cells[column["taxon_id"]].strip()
        name = cells[column["name"]].strip()
        rows.append(
            _Row(
                taxon_id=taxon_id,
                position=_POSITION.get(cells[column["rank"]].strip().lower()),
                name=name,
                parent=cells[column["parent"]].strip(),
                count=_count(cells[column["count"]], number),
                pseudo=bool(_OTHER.match(name)) or (has_ids and not taxon_id),
            )
        )
    return rows


class _Links:
    """Each row's parent: the row its ``parent`` names (by id or name) at the nearest coarser rank."""

    def __init__(self, rows: list[_Row]) -> None:
        self.rows = rows
        self.by_id: dict[str, list[int]] = {}
        self.by_name: dict[str, list[int]] = {}
        for i, row in enumerate(rows):
            if row.taxon_id:
                self.by_id.setdefault(row.taxon_id, []).append(i)
            self.by_name.setdefault(row.name, []).append(i)
        self.parents = [self._parent(i) for i in range(len(rows))]

    def _parent(self, i: int) -> int | None:
        key = self.rows[i].parent
        if not key:
            return None
        lookups = (self.by_id, self.by_name) if key.isdigit() else (self.by_name, self.by_id)
        for lookup in lookups:
            found = self._nearest_coarser(i, lookup.get(key, []))
            if found is not None:
                return found
        return None

    def names_a_row(self, i: int) -> bool:
        """Whether the row's ``parent`` is another row of the file (at any rank)."""
        key = self.rows[i].parent
        return any(j != i for j in self.by_id.get(key, []) + self.by_name.get(key, []))

    def _nearest_coarser(self, i: int, candidates: list[int]) -> int | None:
        position = self.rows[i].position
        best, best_position = None, -math.inf
        for j in candidates:
            other = self.rows[j].position
            if j == i or (position is not None and other is not None and other >= position):
                continue
            rank = -1.0 if other is None else other  # a row of unknown rank only as a last resort
            if rank > best_position:
                best, best_position = j, rank
        return best

    def chain(self, i: int) -> Iterator[int]:
        """The row, its parent, its parent's parent ... (a loop ends the chain)."""
        seen: set[int] = set()
        current: int | None = i
        while current is not None and current not in seen and len(seen) < MAX_DEPTH:
            seen.add(current)
            yield current
            current = self.parents[current]

    def lineage(self, i: int) -> Lineage:
        names: dict[str, str] = {}
        for j in self.chain(i):
            row = self.rows[j]
            if not row.pseudo and row.position is not None and row.position == int(row.position):
                names.setdefault(RANKS[int(row.position)], row.name)
        return lineage_from_ranks(names)

    def path(self, i: int) -> str:
        return ";".join(self.rows[j].name for j in reversed(list(self.chain(i))))


def _feature_rank(rows: list[_Row], links: _Links) -> int:
    """Genus, or species when nearly every read reaches a named species (module docstring)."""
    genus = [i for i, r in enumerate(rows) if r.position == _GENUS]
    species = [i for i, r in enumerate(rows) if r.position == _SPECIES]
    if not genus and not species:
        raise AnalysisError("no_taxonomy", "the export has no genus or species rows")
    if not species:
        return _GENUS
    if not genus:
        return _SPECIES
    total = sum(rows[i].count for i in species)
    stopped = sum(rows[i].count for i in species if rows[i].pseudo)
    children: dict[int, float] = {}
    for i in species:
        parent = links.parents[i]
        if parent is not None:
            children[parent] = children.get(parent, 0.0) + rows[i].count
    nested = all(math.isclose(children.get(i, 0.0), rows[i].count) for i in genus)
    return _SPECIES if total > 0 and stopped / total <= MAX_STOP_AT_GENUS and nested else _GENUS


def _root_count(rows: list[_Row], links: _Links) -> float:
    """Reads in the tree: the coarsest rank's rows that hang under no other row of the file."""
    top = min((r.position for r in rows if r.position is not None), default=None)
    tops = [i for i, r in enumerate(rows) if r.position == top]
    roots = [i for i in tops if not links.names_a_row(i)] or tops
    return float(sum(rows[i].count for i in roots))


def _sample(filename: str | None) -> str:
    return (filename or "sample").rsplit("/", 1)[-1].rsplit(".", 1)[0].strip() or "sample"


def _read_ranked(text: str, filename: str | None, fmt: str) -> ParsedTable:
    rows = _read_rows(text)
    links = _Links(rows)
    rank = _feature_rank(rows, links)
    features = [i for i, r in enumerate(rows) if r.position == rank and r.count > 0]
    if not features:
        raise AnalysisError("bad_values", "every genus and species count is zero")
    sample = _sample(filename)
    values = pd.DataFrame(
        {sample: [rows[i].count for i in features]}, index=[links.path(i) for i in features]
    )
    root = _root_count(rows, links)
    total = float(values[sample].sum())
    return make_table(
        fmt=fmt,
        method="16s",
        profiler_version=None,
        values=values,
        lineages=[links.lineage(i) for i in features],
        value_kind="counts",
        unclassified={sample: max(0.0, 1 - total / root)} if root > 0 else {},
        read_depth={sample: float(root)} if root > 0 else {},
    )


def parse_profile(text: str, filename: str | None = None) -> ParsedTable:
    """A Thryve / Ombre / Psomagen abundance profile (see the module docstring)."""
    return _read_ranked(text, filename, "abundance_profile")


def parse_prescription(text: str, filename: str | None = None) -> ParsedTable:
    """A Microbiome Prescription upload (``taxon_id, rank, name, parent, count``)."""
    return _read_ranked(text, filename, "microbiome_prescription")
