"""Excel workbooks (.xlsx): the sheet holding a table becomes CSV text for the text registry;
and the layout that comes only as a sheet, BIOHM's raw counts.

The sheet is written out as a spreadsheet program writes "Save as CSV" (comma-separated, quoted
where needed; numbers in full), so a workbook is read exactly as its CSV would be: a MetaPhlAn
table, a generic taxon table or a BIOHM raw-data sheet alike.

Bounds, before anything is parsed: an .xlsx is a ZIP of XML parts, so its parts are checked as
:mod:`analysis.formats.archive` checks a ZIP (number of parts, declared sizes, expansion ratio,
total unpacked) and no part may carry a document type declaration (entity expansion). openpyxl
then reads it in read-only mode, data only (a formula's cached value, never the formula), with
the dimensions a sheet declares ignored; rows and cells are counted as they come
(:data:`~analysis.formats.limits.MAX_SHEET_ROWS`, :data:`~analysis.formats.limits.MAX_SHEET_CELLS`).

The first sheet with a table (at least two rows with two filled cells) is read; when it is not
the only sheet, a caveat says which one. Old binary workbooks (.xls) are refused in
:mod:`analysis.formats.refusals`.

**BIOHM raw data** (that sheet, or the sheet saved as CSV): two columns. First QIIME mapping
rows (``#SampleID``, ``BarcodeSequence`` ...: the kit id and the barcode, which are never read
into the result, nor used as the sample's name), then a rank header row (``Phylum`` ...
``Species``) before each rank's ``p__Proteobacteria, 20350`` rows (QIIME prefixes, Greengenes
names, read counts). The ranks are not linked to each other, so the genus rows are the profile
(the species rows where a file has no genus rows), and the reads of the coarsest rank not
assigned to a genus are the unclassified share (57% in the one real file). A block of ranks
whose phyla are fungal (an ITS block after the 16S one) is kingdom Fungi, set apart like every
eukaryote; a fungal genus elsewhere is set apart by its name.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import PurePosixPath
from typing import Any

import pandas as pd

from analysis.formats.archive import MAX_MEMBER_BYTES, MAX_RATIO
from analysis.formats.limits import (
    MAX_SHEETS,
    MAX_UNPACKED,
    MAX_WORKBOOK_PARTS,
    check_sheet,
)
from analysis.formats.table import make_table
from analysis.model import RANKS, AnalysisError, Caveat, ParsedTable
from analysis.taxonomy import Lineage, clean_name, lineage_from_ranks

__all__ = [
    "FUNGAL_PHYLA",
    "ReadText",
    "is_workbook",
    "parse_biohm",
    "read_workbook",
    "sheet_text",
    "sniff_biohm",
]

#: Reads one text table through the registry (``analysis.formats._parse_text``, passed in by the
#: caller so that this module does not import the package that imports it).
ReadText = Callable[[str, str | None], ParsedTable]

#: The part every workbook has (ECMA-376 part 1, the SpreadsheetML main part).
WORKBOOK_PART = "xl/workbook.xml"
#: Bytes of each XML part searched for a document type declaration (it can only come before the
#: root element, in the first few hundred bytes of a real part).
_PROLOG = 64 * 1024
#: Parts the ZIP expands more than MAX_RATIO-fold are refused when over this size.
_RATIO_FLOOR = 1_000_000
_CONTROL = re.compile(r"[\r\n\t\x00-\x08\x0b\x0c\x0e-\x1f]+")
#: What openpyxl raises on a workbook that is damaged inside (ElementTree's ParseError is a
#: SyntaxError), besides its own InvalidFileException.
_DAMAGE = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    OSError,
    EOFError,
    SyntaxError,
    NotImplementedError,
    RuntimeError,
)


def is_workbook(data: bytes) -> bool:
    """A ZIP holding a SpreadsheetML workbook part (reads the ZIP's directory only)."""
    if data[:4] != b"PK\x03\x04":
        return False
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return WORKBOOK_PART in names


def _check_parts(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook whose parts are too many, too large, bombs, or declare entities."""
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > MAX_WORKBOOK_PARTS:
        raise AnalysisError(
            "zip_bomb", f"the workbook has {len(infos)} parts; at most {MAX_WORKBOOK_PARTS}"
        )
    total = 0
    for info in infos:
        name = PurePosixPath(info.filename).name
        if info.file_size > MAX_MEMBER_BYTES:
            raise AnalysisError(
                "zip_member_too_large", f"{name} is {info.file_size:,} bytes unpacked", member=name
            )
        ratio = info.file_size / info.compress_size if info.compress_size else 0
        if info.file_size > _RATIO_FLOOR and (ratio > MAX_RATIO or not info.compress_size):
            raise AnalysisError("zip_bomb", f"{name} expands {int(ratio)}-fold", member=name)
        total += info.file_size
        if total > MAX_UNPACKED:
            raise AnalysisError("zip_bomb", "the workbook unpacks to more than 200 MB")
        if name.endswith((".xml", ".rels", ".vml")):
            with archive.open(info) as handle:
                head = handle.read(_PROLOG).replace(b"\x00", b"").upper()
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise AnalysisError(
                    "unsafe_file", f"{name} declares a document type", what="document type"
                )


def _cell(value: Any) -> str:
    """A cell as "Save as CSV" writes it (numbers in full; no line breaks or tabs)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return _CONTROL.sub(" ", str(value)).strip()


def _table(rows: list[list[str]]) -> list[list[str]] | None:
    """The rows without leading blank rows and columns, or None when they hold no table."""
    filled = [r for r in rows if sum(1 for c in r if c) >= 2]
    if len(filled) < 2:
        return None
    first_row = next(i for i, r in enumerate(rows) if any(rows[i]))
    kept = rows[first_row:]
    first_column = min(next(j for j, c in enumerate(r) if c) for r in kept if any(r))
    return [r[first_column:] for r in kept]


def _sheet_rows(sheet: Any, counted: list[int]) -> list[list[str]]:
    """Every row of a sheet as text, trailing blanks cut; ``counted`` = [rows, cells] so far."""
    sheet.reset_dimensions()  # the declared size may lie; read only the cells that are there
    rows: list[list[str]] = []
    for values in sheet.iter_rows(values_only=True):
        counted[0] += 1
        counted[1] += len(values)
        check_sheet(counted[0], counted[1])
        cells = [_cell(v) for v in values]
        while cells and not cells[-1]:
            cells.pop()
        rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _csv(rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def sheet_text(data: bytes) -> tuple[str, list[Caveat]]:
    """The first sheet holding a table, as CSV text, and the caveats of the choice.

    Parameters
    ----------
    data
        The bytes of an .xlsx workbook.

    Returns
    -------
    tuple of str and list of Caveat
        The CSV text, and ``spreadsheet_sheet`` when the workbook has more than one sheet.

    Raises
    ------
    AnalysisError
        ``zip_bomb``, ``zip_member_too_large``, ``unsafe_file``, ``too_large`` (bounds),
        ``malformed_spreadsheet`` (damaged), ``empty_spreadsheet`` (no sheet holds a table).
    """
    import openpyxl  # type: ignore[import-untyped]
    from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

    try:
        _check_parts(zipfile.ZipFile(io.BytesIO(data)))
        with warnings.catch_warnings():  # style and extension notes: nothing a reader needs
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False
            )
            try:
                sheets = list(workbook.worksheets)
                counted = [0, 0]
                for number, sheet in enumerate(sheets[:MAX_SHEETS], start=1):
                    table = _table(_sheet_rows(sheet, counted))
                    if table is not None:
                        caveats = (
                            [Caveat("spreadsheet_sheet", {"sheet": number, "sheets": len(sheets)})]
                            if len(sheets) > 1
                            else []
                        )
                        return _csv(table), caveats
            finally:
                workbook.close()
    except (*_DAMAGE, InvalidFileException) as exc:
        raise AnalysisError(
            "malformed_spreadsheet", f"the workbook is damaged inside ({type(exc).__name__})"
        ) from exc
    raise AnalysisError("empty_spreadsheet", "no sheet of the workbook holds a table")


def read_workbook(data: bytes, filename: str | None, read_text: ReadText) -> ParsedTable:
    """Read an .xlsx: its table sheet as CSV text, through the same registry as a CSV file.

    Parameters
    ----------
    data
        The workbook's bytes.
    filename
        The upload's name (a hint, and the sample's name when the table has none).
    read_text
        The registry's text reader.

    Returns
    -------
    ParsedTable
        What ``read_text`` makes of the sheet, with the sheet caveat added.
    """
    text, caveats = sheet_text(data)
    table = read_text(text, filename)
    table.caveats.extend(caveats)
    return table


# -- BIOHM raw data: a sheet of counts per rank ----------------------------------------------

_BIOHM_RANKS = {r: i for i, r in enumerate(RANKS)} | {"domain": 0}
_GENUS, _SPECIES = RANKS.index("genus"), RANKS.index("species")
_PREFIXED = re.compile(r"^[kdpcofgs]__", re.I)
#: Fungal phyla (Index Fungorum / NCBI), the sign of a fungal (ITS) block.
FUNGAL_PHYLA = frozenset(
    {
        "Ascomycota",
        "Basidiomycota",
        "Mucoromycota",
        "Zygomycota",
        "Chytridiomycota",
        "Glomeromycota",
        "Microsporidia",
        "Blastocladiomycota",
        "Neocallimastigomycota",
        "Entomophthoromycota",
        "Kickxellomycota",
        "Zoopagomycota",
        "Cryptomycota",
        "Rozellomycota",
    }
)


def _two_columns(text: str) -> Iterator[list[str]]:
    """The non-blank rows of a sheet's CSV text (or of the sheet saved as CSV or TSV)."""
    first = text[: text.find("\n")] if "\n" in text else text
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    for cells in csv.reader(io.StringIO(text), delimiter=delimiter):
        cells = [c.strip() for c in cells]
        if any(cells):
            yield cells


def _count(raw: str, line: int) -> float:
    try:
        value = float(raw) if raw else 0.0
    except ValueError as exc:
        raise AnalysisError("bad_values", f"line {line} has a count that is not a number") from exc
    if not math.isfinite(value) or value < 0:
        raise AnalysisError("bad_values", f"line {line} has a negative or infinite count")
    return value


def _rank_header(cells: list[str]) -> int | None:
    if len(cells) > 1 and any(cells[1:]):
        return None
    return _BIOHM_RANKS.get(cells[0].lower())


def sniff_biohm(text: str) -> bool:
    """Two columns: ``#SampleID`` (or a rank header) first, rank headers, ``p__Name, count`` rows."""
    rows = []
    for cells in _two_columns(text[:20000]):
        rows.append(cells)
        if len(rows) >= 60:
            break
    if not rows or max(len(r) for r in rows) > 3:
        return False
    if rows[0][0].lower() != "#sampleid" and _rank_header(rows[0]) is None:
        return False
    headers = sum(1 for r in rows if _rank_header(r) is not None)
    prefixed = sum(1 for r in rows if _PREFIXED.match(r[0]) and len(r) > 1 and r[1])
    return headers >= 1 and prefixed >= 1


#: One block of ranks: position -> (name, count) rows, in file order.
_Block = dict[int, list[tuple[str, float]]]


def _biohm_blocks(text: str) -> tuple[list[_Block], set[str]]:
    """The blocks of ranks, and the mapping rows' values (only to keep them out of the id)."""
    blocks: list[_Block] = []
    private: set[str] = set()
    position: int | None = None
    for number, cells in enumerate(_two_columns(text), start=1):
        header = _rank_header(cells)
        if header is not None:
            if position is None or header <= position:
                blocks.append({})
            position = header
            blocks[-1].setdefault(header, [])
            continue
        value = cells[1] if len(cells) > 1 else ""
        if position is None:
            private.update(v.lower() for v in cells[1:] if len(v) >= 4)
            continue
        blocks[-1][position].append((cells[0], _count(value, number)))
    if not blocks:
        raise AnalysisError("no_taxonomy", "the BIOHM sheet has no rank sections")
    return blocks, private


def _block_kingdom(block: _Block) -> str | None:
    kingdoms = {clean_name(name) for name, _ in block.get(0, [])}
    phyla = {clean_name(name) for name, _ in block.get(1, [])}
    if "Fungi" in kingdoms or phyla & FUNGAL_PHYLA:
        return "Fungi"
    return None  # bacteria and archaea: the kingdom comes with the genus' lineage later


def parse_biohm(text: str, filename: str | None = None) -> ParsedTable:
    """BIOHM raw counts: the genus rows of every block (see the module docstring)."""
    blocks, private = _biohm_blocks(text)
    rank = _GENUS if any(b.get(_GENUS) for b in blocks) else _SPECIES
    ids: list[str] = []
    counts: list[float] = []
    lineages: list[Lineage] = []
    root = 0.0
    for block in blocks:
        top = min((p for p, rows in block.items() if rows), default=None)
        root += sum(count for _, count in block.get(top, [])) if top is not None else 0.0
        kingdom = _block_kingdom(block)
        for name, count in block.get(rank, []):
            if count <= 0:
                continue
            lineage = lineage_from_ranks({"kingdom": kingdom, RANKS[rank]: name})
            ids.append(f"{kingdom or ''}:{lineage[rank] or 'unassigned'}")
            counts.append(count)
            lineages.append(lineage)
    if not counts:
        raise AnalysisError("no_taxonomy", "the BIOHM sheet has no genus or species counts")
    stem = (filename or "sample").rsplit("/", 1)[-1].rsplit(".", 1)[0].strip() or "sample"
    sample = "sample" if any(p in stem.lower() for p in private) else stem
    values = pd.DataFrame({sample: counts}, index=ids)
    total = float(sum(counts))
    return make_table(
        fmt="biohm_counts",
        method="16s",
        profiler_version=None,
        values=values,
        lineages=lineages,
        value_kind="counts",
        unclassified={sample: max(0.0, 1 - total / root)} if root > 0 else {},
        read_depth={sample: root} if root > 0 else {},
    )
