"""Every bound a reader checks before it allocates: one place, safe defaults.

Each format checks the declared and the actual shape of its input against these numbers before
building anything large, and refuses with a keyed :class:`~analysis.model.AnalysisError`
(``too_many_samples``, ``too_large``, ``too_deep``, ``unsafe_file``).
"""

from __future__ import annotations

import re

from analysis.model import AnalysisError

#: Samples analysed from one file (the bot's message for ``too_many_samples`` says 500).
MAX_SAMPLES = 500
#: Columns of a text table (samples, or taxa in a samples-as-rows table, plus metadata).
MAX_COLUMNS = 50_000
#: Rows (features) of a table.
MAX_ROWS = 2_000_000
#: Cells (rows x columns) of a dense table.
MAX_CELLS = 60_000_000
#: Stored values of a sparse BIOM table.
MAX_NNZ = 60_000_000
#: Nesting depth of a JSON document.
MAX_JSON_DEPTH = 64
#: Archives inside an archive: a ZIP may hold .qza artifacts (themselves ZIPs), nothing deeper.
MAX_ARCHIVE_DEPTH = 1
#: Bytes a gzip, a ZIP or an HDF5 dataset may unpack to.
MAX_UNPACKED = 200 * 1024 * 1024
#: Parts (ZIP members) of an Excel workbook (.xlsx); a real one has a few dozen.
MAX_WORKBOOK_PARTS = 1_000
#: Sheets of a workbook looked through for the one holding a table.
MAX_SHEETS = 50
#: Rows read from a workbook's sheets (skipped rows count: a sheet may name row 1,048,576 alone).
MAX_SHEET_ROWS = 1_048_576
#: Cells read from a workbook's sheets, empty ones inside a row included (openpyxl builds a
#: Python value per cell, about 300,000 a second: this keeps a workbook well inside a job's time).
MAX_SHEET_CELLS = 2_000_000


def check_samples(count: int) -> None:
    """Refuse a file that holds more samples than are analysed."""
    if count > MAX_SAMPLES:
        raise AnalysisError(
            "too_many_samples",
            f"the file holds {count} samples; at most {MAX_SAMPLES} are analysed",
            samples=count,
            limit=MAX_SAMPLES,
        )


def check_shape(rows: int, columns: int) -> None:
    """Refuse a table whose shape is beyond the bounds (declared or counted)."""
    if columns > MAX_COLUMNS:
        raise AnalysisError(
            "too_large", f"the table has {columns} columns (limit {MAX_COLUMNS})", what="columns"
        )
    if rows > MAX_ROWS:
        raise AnalysisError(
            "too_large", f"the table has {rows} rows (limit {MAX_ROWS})", what="rows"
        )
    if rows * columns > MAX_CELLS:
        raise AnalysisError(
            "too_large", f"the table has {rows * columns} cells (limit {MAX_CELLS})", what="cells"
        )


def check_text_shape(text: str, sep: str | None = None) -> None:
    """Count the header's columns and the lines before any parser splits the text."""
    end = text.find("\n")
    header = text if end < 0 else text[:end]
    if sep is None:
        sep = "\t" if header.count("\t") >= header.count(",") else ","
    columns = header.count(sep) + 1
    if columns > MAX_COLUMNS:
        check_shape(1, columns)
    check_shape(text.count("\n") + 1, columns)


def check_sheet(rows: int, cells: int) -> None:
    """Refuse a workbook whose sheets hold more rows or cells than are read."""
    if rows > MAX_SHEET_ROWS:
        raise AnalysisError(
            "too_large", f"the workbook has over {MAX_SHEET_ROWS} rows", what="rows"
        )
    if cells > MAX_SHEET_CELLS:
        raise AnalysisError(
            "too_large", f"the workbook has over {MAX_SHEET_CELLS} cells", what="cells"
        )


def check_unpacked(size: int) -> None:
    """Refuse what unpacks to more than MAX_UNPACKED bytes."""
    if size > MAX_UNPACKED:
        raise AnalysisError(
            "too_large",
            f"the file unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MB",
            what="unpacked",
        )


def check_json_depth(text: str) -> None:
    """Refuse JSON nested deeper than MAX_JSON_DEPTH (brackets counted outside strings)."""
    import numpy as np

    brackets = _BRACKETS.sub("", _STRINGS.sub("", text))
    if not brackets:
        return
    steps = np.frombuffer(brackets.encode("ascii", "ignore"), dtype=np.uint8)
    depth = np.cumsum(np.where((steps == ord("[")) | (steps == ord("{")), 1, -1))
    if int(depth.max()) > MAX_JSON_DEPTH:
        raise AnalysisError(
            "too_deep",
            f"the JSON is nested more than {MAX_JSON_DEPTH} levels deep",
            what="JSON nesting",
        )


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(r"[^\[\]{}]+")
