"""Genova Diagnostics' GI Effects Microbial Ecology Profile, read from the PDF's layout.

Rows come from :mod:`analysis.labs.pdf` (characters grouped by baseline, words and cells by the
gaps between glyphs), so what a plain text extraction gets wrong comes out right: the word space
the PDF never wrote (``Barnesiellaspp.`` is ``Barnesiella spp.``), the red flag between value and
range (``8.8E7 H <=8.0E7``), the glyphs drawn twice (``NNeeggaattiivvee``, removed as duplicate
characters), and which column a result stands in ("In Range" / "Out of Range").

Pages: 1 is an infographic (no values: not read); 2-3 commensal bacteria by PCR, grouped by
phylum, ``CFU/g stool`` with the lab's range and flag, then the Firmicutes/Bacteroidetes ratio
(kept as printed, with no computed verdict); 4 culture, growth ``1+``-``4+`` or ``NG`` with the
category ``NP``/``PP``/``P``; 5 parasitology, microscopy and EIA; 6 colour and consistency.
The patient line is never read.
"""

from __future__ import annotations

import re

from analysis.labs.generic import Tail, make_marker, read_tail
from analysis.labs.keys import clean_name
from analysis.labs.model import Flag, LabPanel, Marker
from analysis.labs.pdf import Cell, Line, PdfDocument, PdfPage
from analysis.labs.values import parse_range, parse_value

__all__ = ["LAB", "TEST", "matches", "read"]

LAB = "Genova Diagnostics"
#: The test's name when the title line is not found (it is read from the report).
TEST = "GI Effects"
_TITLE_RE = re.compile(r"^GI\s+Effects\b")
_OUT_OF_RANGE_RE = re.compile(r"^Out\s+of\s+Range$")

#: Culture categories, and the flag each one is: the lab's own reading of the growth.
_CATEGORIES: dict[str, Flag] = {"NP": "normal", "PP": "unknown", "P": "abnormal"}
#: Column under which the name cells stand (points from the left edge).
_NAME_COLUMN = 200.0


def matches(text: str) -> bool:
    """Whether the text is a Genova GI Effects report.

    Parameters
    ----------
    text
        The document's text.
    """
    head = text[:20_000]
    return "Genova Diagnostics" in head and "GI Effects" in head


def _centre(cell: Cell) -> float:
    return (cell.x0 + cell.x1) / 2


def _find(page: PdfPage, text: str | re.Pattern[str]) -> Cell | None:
    for line in page.lines:
        for cell in line.cells:
            if cell.text == text or (isinstance(text, re.Pattern) and text.match(cell.text)):
                return cell
    return None


def _is_heading(line: Line) -> bool:
    first = line.cells[0]
    text = clean_name(first.text)
    return (
        first.x0 < _NAME_COLUMN
        and (first.bold or first.size >= 10)
        and 0 < len(text.split()) <= 6
        and ":" not in text
        and not text[0].isdigit()
        and not parse_value(text).read
    )


def _value_like(text: str) -> bool:
    return parse_value(text).read or parse_range(text) is not None


class _Page:
    """One page's columns: where the result, "In Range" and "Out of Range" headers stand."""

    def __init__(self, page: PdfPage) -> None:
        self.result = _find(page, "Result")
        self.in_range = _find(page, "In Range")
        self.out_of_range = _find(page, _OUT_OF_RANGE_RE)
        self.unit: str | None = None
        if self.result is not None:
            for line in page.lines:
                for cell in line.cells:
                    if cell.text == "CFU/g stool" and abs(cell.x0 - self.result.x0) < 25:
                        self.unit = cell.text

    def column_flag(self, cell: Cell) -> Flag | None:
        if self.in_range is None or self.out_of_range is None:
            return None
        inside = abs(_centre(cell) - _centre(self.in_range))
        outside = abs(_centre(cell) - _centre(self.out_of_range))
        return "normal" if inside <= outside else "abnormal"

    def in_result_column(self, cell: Cell) -> bool:
        return self.result is not None and abs(cell.x0 - self.result.x0) < 30


def _row(columns: _Page, section: str, line: Line) -> Marker | None:
    """A marker from a row whose name stands in the name column, or None."""
    name = clean_name(line.cells[0].text)
    rest = list(line.cells[1:])
    words = " ".join(cell.text for cell in rest).split()
    flag: Flag | None = None
    if words and words[-1] in _CATEGORIES:
        flag = _CATEGORIES[words.pop()]
    tail = read_tail(" ".join(words)) if words else Tail()
    if tail.complete and tail.result_text is not None:
        if flag is None and tail.flag is None and tail.parsed.qualitative is not None:
            flag = columns.column_flag(rest[0])
        unit = columns.unit if tail.range is not None and "ratio" not in name.lower() else None
        return make_marker(section, name, tail, unit=unit, flag=flag)
    if len(rest) == 1 and columns.in_result_column(rest[0]) and not tail.complete:
        # A descriptive result ("Brown", "Formed/Normal"): kept as printed, not interpreted.
        return make_marker(section, name, Tail(result_text=clean_name(rest[0].text)))
    return None


def read(document: PdfDocument) -> LabPanel:
    """Read a GI Effects Microbial Ecology Profile into a panel.

    Parameters
    ----------
    document
        The PDF as :func:`analysis.labs.pdf.extract_pdf` read it.

    Returns
    -------
    LabPanel
        Markers in report order, sections as printed (phylum, culture, parasitology...);
        ``unread_rows`` counts the rows with a value that could not be read whole.
    """
    markers: list[Marker] = []
    unread = 0
    section = ""
    title = next(
        (
            cell.text
            for page in document.pages
            for line in page.lines
            for cell in line.cells
            if _TITLE_RE.match(cell.text)
        ),
        TEST,
    )
    for page in document.pages:
        lines = list(page.lines)
        start = next(
            (i for i, line in enumerate(lines) if line.cells[0].text.startswith("Methodology:")),
            None,
        )
        if start is None:
            continue  # the at-a-glance infographic: labels, no values
        columns = _Page(page)
        body = lines[start + 1 :]
        if body and body[0].cells[0].bold and body[0].cells[0].size >= 12:
            section = clean_name(body[0].text)  # the page's title ("Additional Results")
            body = body[1:]
        for line in body:
            first = line.cells[0]
            if first.x0 >= _NAME_COLUMN:
                continue  # column headers, legends, the right-hand notes
            text = clean_name(first.text)
            if len(line.cells) == 1:
                if parse_value(text).read and section:
                    # A result printed alone under its heading ("No Ova or Parasites seen").
                    result = Tail(result_text=text, parsed=parse_value(text))
                    markers.append(make_marker(section, section, result))
                elif _is_heading(line):
                    section = text
                continue
            if first.size >= 12 and _is_heading(line):
                section = text  # a heading with its own result ("Mycology (Culture)  NG")
            marker = _row(columns, section, line)
            if marker is not None:
                markers.append(marker)
            elif _is_heading(line):
                section = text
            elif not _value_like(text) and any(_value_like(c.text) for c in line.cells[1:]):
                unread += 1
    total = len(markers) + unread
    return LabPanel(
        lab=LAB,
        test=" ".join(title.replace("™", "").split()),
        reader="genova_gi_effects",
        source="pdf_text",
        collected=None,
        markers=markers,
        pages=document.page_count,
        confidence=round(len(markers) / total, 4) if total else 0.0,
        unread_rows=unread,
    )
