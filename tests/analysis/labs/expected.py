"""Hand-written readings of the lab documents, and how a panel is compared with them.

Each table is transcribed from the document itself (the text file, or the PDF as printed), one
marker per line, in the report's order::

    ## SECTION AS PRINTED
    name | result as printed | value | qualitative | grade | unit | range as printed | flag

* the name's cells are joined by one space, footnote marks (``◆``, ``††``, ``*``) left out, a
  unit printed in the name ("Total Bile Acids - ng/g") moved to the unit column;
* a value or range the layout repeats (a chart label) is written once;
* value ``-`` is none; qualitative ``nd`` / ``d`` is not detected / detected; a result
  starting with ``<`` is below its number (or the detection limit), ``>`` above it;
* flag: ``hp`` / ``lp`` / ``np`` / ``ap`` the report's own high / low / normal / abnormal
  (printed, or the column the result stands in), ``nc`` / ``hc`` / ``lc`` the value against the
  printed range (computed), ``u`` no verdict (no range, a word against nothing, a ratio).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from analysis.labs.model import LabPanel, Marker

Row = tuple[Any, ...]

_QUALITATIVE = {"": None, "nd": "not_detected", "d": "detected", "eq": "equivocal"}
_FLAGS = {
    "hp": ("high", "printed"),
    "lp": ("low", "printed"),
    "np": ("normal", "printed"),
    "ap": ("abnormal", "printed"),
    "nc": ("normal", "computed"),
    "hc": ("high", "computed"),
    "lc": ("low", "computed"),
    "u": ("unknown", "none"),
}


def table(text: str) -> list[Row]:
    """The rows of a transcription table (see the module docstring)."""
    rows: list[Row] = []
    section = ""
    for line in text.strip().splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("## "):
            section = line[3:]
            continue
        name, result, value, qualitative, grade, unit, range_text, flag = (
            cell.strip() for cell in line.split("|")
        )
        rows.append(
            (
                section,
                name,
                result,
                None if value == "-" else float(value),
                result.startswith("<"),
                result.startswith(">"),
                _QUALITATIVE[qualitative],
                grade or None,
                unit or None,
                range_text or None,
                *_FLAGS[flag],
            )
        )
    return rows


def row(marker: Marker) -> Row:
    """A marker as a row of the same shape."""
    return (
        marker.section,
        marker.name,
        marker.result_text,
        marker.value,
        marker.below,
        marker.above,
        marker.qualitative,
        marker.grade,
        marker.unit,
        marker.range.text if marker.range else None,
        marker.flag,
        marker.flag_source,
    )


def exact(panel: LabPanel | None, expected: list[Row]) -> int:
    """How many expected rows the panel read exactly (each read row counts once)."""
    got = Counter(row(m) for m in panel.markers) if panel is not None else Counter()
    found = 0
    for wanted in expected:
        if got[wanted]:
            got[wanted] -= 1
            found += 1
    return found


def differences(panel: LabPanel, expected: list[Row]) -> list[str]:
    """Expected rows not read, and rows read that were not expected (for assert messages)."""
    got = Counter(row(m) for m in panel.markers)
    want = Counter(expected)
    missing = [f"missing {r}" for r in (want - got).elements()]
    extra = [f"extra   {r}" for r in (got - want).elements()]
    return missing + extra
