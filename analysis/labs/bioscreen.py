"""Bioscreen's Faecal Parasite Report (two-step PCR), one photographed or scanned page at a time.

Page 1 holds a two-column table under the headings ``Parasite`` and ``Result``: one organism a
row, ``Not Detected`` or ``DETECTED`` (the latter printed in red, which OCR does not see). The
report prints no reference column: every organism's expected result is "not detected", so a
detection is flagged ``abnormal`` and a non-detection ``normal`` (``flag_source="computed"``).
Page 2 is narrative and references: it gives a panel without markers.

The name and address box above the table and the file name in the footer are never read: only
rows between the table's headings and the end of the table are.
"""

from __future__ import annotations

import re

from analysis.labs.keys import marker_key
from analysis.labs.model import Flag, LabPanel, Marker
from analysis.labs.ocr import CERTAIN_CONFIDENCE, OcrLine, page_width, same_row
from analysis.labs.values import parse_value

__all__ = ["matches", "read"]

_LAB = re.compile(r"bio\s*screen", re.I)
_PARASITE = re.compile(r"parasit|blastocystis|dientamoeba", re.I)
_END = re.compile(r"detection\s*is\s*performed|methodology", re.I)

#: The flag of a result against the expected "not detected".
_FLAGS: dict[str, Flag] = {
    "detected": "abnormal",
    "equivocal": "abnormal",
    "not_detected": "normal",
}


def matches(lines: list[OcrLine]) -> bool:
    """Whether the lines are a page of a Bioscreen faecal parasite report."""
    text = " ".join(line.text for line in lines)
    return bool(_LAB.search(text)) and bool(_PARASITE.search(text))


def _headings(lines: list[OcrLine]) -> tuple[OcrLine, OcrLine] | None:
    for line in lines:
        if line.text.strip().lower() == "parasite":
            result = next(
                (
                    other
                    for other in lines
                    if other.text.strip().lower() == "result"
                    and other.x0 > line.x1
                    and same_row(other, line)
                ),
                None,
            )
            if result is not None:
                return line, result
    return None


def _marker(label: OcrLine, result: OcrLine) -> Marker:
    detected = parse_value(result.text).qualitative
    key = marker_key(label.text)
    return Marker(
        section="Parasites",
        name=label.text.strip(),
        result_text=result.text.strip(),
        qualitative=detected,
        flag=_FLAGS.get(detected or "", "unknown"),
        flag_source="computed" if detected else "none",
        key=key,
        certain=detected is not None
        and min(label.confidence, result.confidence) >= CERTAIN_CONFIDENCE,
    )


def read(lines: list[OcrLine]) -> LabPanel:
    """Read one page of the report into a panel (``source="ocr"``).

    Parameters
    ----------
    lines
        The page's lines, from :func:`analysis.labs.ocr.ocr_lines`.
    """
    markers: list[Marker] = []
    unread = 0
    headings = _headings(lines)
    if headings is not None:
        parasite, result = headings
        width = page_width(lines)
        column_gap = result.x0 - 0.25 * (result.x1 - result.x0)
        below = sorted((ln for ln in lines if ln.y0 > parasite.y1), key=lambda ln: ln.y0)
        for line in below:
            if _END.search(line.text) or line.x1 - line.x0 > 0.5 * width:
                break
            if line.x1 > column_gap or not any(c.isalpha() for c in line.text):
                continue  # a result cell (read with its label) or a stray mark
            cells = [c for c in below if c.x0 >= column_gap and same_row(c, line)]
            if len(cells) != 1:
                unread += 1
                continue
            markers.append(_marker(line, cells[0]))
    total = len(markers) + unread
    return LabPanel(
        lab="Bioscreen",
        test="Faecal Parasite (PCR)",
        reader="bioscreen_parasite",
        source="ocr",
        markers=markers,
        confidence=sum(m.certain for m in markers) / total if total else 0.0,
        unread_rows=unread,
    )
