"""Diagnostic Solutions Laboratory's GI-MAP (qPCR stool panel) from its extracted text.

The text is a PDF text extraction (pdfjs, or :mod:`analysis.labs.pdf`): a line per printed line,
cells two spaces apart (a tab for a wide gap), a blank line between pages. Its habits, undone:
a chart label repeating value and range (``1.29e9 H 1.29e9  8.6e5 - 6.2e8org/g 8.6e5 - 6.2e8``);
a name on the line after its values (``2.84e4  < 1.76e6`` / ``Bacillus  spp.``), before them
(``Virulence Factor, babA`` / ``N/A  Negative``) or around them, once as two overlaid copies;
two tables side by side split by a tab (resistance genes, SCFA | BCFA); a row broken over lines
(``6.68e-1`` / ``Caproate`` / ``7.15e-1 - 1.44e2`` / ``L``); a tab where the result cell is empty
(what follows is the reference); donut-chart percentages (skipped); the 2018 layout, one cell
per line, column by column. Sections are the tables' headings as printed. The collection date
is read; name, date of birth, accession, orderer and address are skipped, never kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from analysis.labs.generic import Tail, is_prose, make_marker, read_tail, split_cells, split_name
from analysis.labs.keys import clean_name
from analysis.labs.model import Flag, LabPanel, Marker, Range, Source
from analysis.labs.values import Parsed, parse_range

__all__ = ["TEST", "matches", "read"]

TEST = "GI-MAP"
_LAB_RE = re.compile(r"Diagnostic\s+Solutions\s+Laboratory")
_FINGERPRINTS = (
    _LAB_RE,
    re.compile(r"CLIA#\s*11D-2097795"),
    re.compile(r"DNA\s+STOOL\s+ANALYSIS\s+BY\s+QUANTITATIVE\s+PCR"),
    re.compile(r"\bGI-MAP\b"),
)
#: Header lines naming the person or the order: skipped, whatever follows the label.
_PERSONAL_RE = re.compile(
    r"^\s*(?:patient|name|accession|dob|date\s+of\s+birth|ordered by|orderer|physician|"
    r"provider|address|phone|received|completed|collected)\s*:",
    re.I,
)
_COLLECTED_RE = re.compile(r"Collected:\s*(\d{1,2})/(\d{1,2})/(\d{4})")
#: Where the report proper starts after the order block (whose address lines have no label).
_CONTENT_START_RE = re.compile(
    r"^(?:DNA\s+STOOL|YOUR\s+PERSONALIZED|PATHOGENS|HELICOBACTER\s+PYLORI|H\.\s+pylori\s+DNA)"
)
_FOOTER_RE = re.compile(
    r"^(?:The\s+assays\s+were|determined\s+by\s+Diagnostic|CLIA#|Medical\s+Director)"
)
#: Headings that caption a group of tables rather than name one.
_CAPTION_RE = re.compile(r"^(?:DNA\s+STOOL\s+ANALYSIS|YOUR\s+PERSONALIZED|SUMMARY\s+INFO)")
_GENES_CAPTION_RE = re.compile(r"^Genes\s+associated\s+with\b", re.I)
#: Loose donut-chart percentages: from here to the next heading is a chart, not a table.
_CHART_RE = re.compile(r"^\d+(?:\.\d+)?\s?%(?:\s+\d+(?:\.\d+)?\s?%)*$")
#: A name printed with its unit: "Total Bile Acids - ng/g", "Secondary Bile Acids- %".
_NAME_UNIT_RE = re.compile(r"^(?P<name>.*?\S)\s*-\s*(?P<unit>%|[μµu]g/g|ng/g|mg/g)$")
_HEADER_UNIT_RE = re.compile(r"\bResult\s+(?P<unit>[μµu]g/g|ng/g|mg/g|%)")
_COLUMN_WORDS = ("Result", "Reference", "Abbreviation", "Conjugation")


def matches(text: str) -> bool:
    """Whether the text is a GI-MAP report (two of: lab name, CLIA number, titles).

    Parameters
    ----------
    text
        The document's text.
    """
    return sum(bool(p.search(text[:20_000])) for p in _FINGERPRINTS) >= 2


@dataclass
class _Row:
    """A row being assembled from one or more lines."""

    section: str
    name: str | None = None
    result_text: str | None = None
    parsed: Parsed = field(default_factory=Parsed)
    flag: Flag | None = None
    range: Range | None = None
    unit: str | None = None
    default_unit: str | None = None
    named_first: bool = False

    def take(self, tail: Tail) -> _Row:
        if tail.result_text is not None and self.result_text is None:
            self.result_text, self.parsed = tail.result_text, tail.parsed
        self.flag = self.flag or tail.flag
        self.range = self.range or tail.range
        self.unit = self.unit or tail.unit
        return self


@dataclass
class _Stream:
    """One column of tables (two where tables stand side by side), read line by line."""

    rows: list[_Row]
    section: str = ""
    default_unit: str | None = None
    bile: bool = False
    pending: _Row | None = None
    last: _Row | None = None
    unread: list[int] = field(default_factory=lambda: [0])

    def copy(self) -> _Stream:
        """A stream for one of two tables side by side, writing to the same rows."""
        return _Stream(self.rows, self.section, self.default_unit, unread=self.unread)

    def new(self, name: str | None = None) -> _Row:
        return _Row(section=self.section, name=name, default_unit=self.default_unit)

    def flush(self) -> None:
        """Drop the row in progress (a value without a name is counted as unread)."""
        row = self.pending
        if row is not None and (row.result_text is not None or row.range is not None):
            self.unread[0] += 1
        self.pending = self.last = None

    def emit(self, row: _Row) -> None:
        self.rows.append(row)
        self.pending, self.last = None, row

    def heading(self, title: str, unit: str | None, bile: bool) -> None:
        self.flush()
        if title and not _CAPTION_RE.match(title):
            self.section, self.default_unit, self.bile = title, unit, bile
        elif not title:
            self.default_unit, self.bile = unit or self.default_unit, bile or self.bile


def _heading(line: str) -> tuple[str, str | None, bool] | None:
    """(title, column unit, bile-acid table) when the line is a table heading or header row."""
    cells = split_cells(line)
    columns = next((i for i, c in enumerate(cells) if c.startswith(_COLUMN_WORDS)), len(cells))
    title = " ".join(cells[:columns])
    unit = match.group("unit") if (match := _HEADER_UNIT_RE.search(line)) else None
    bile = "Abbreviation" in line
    if not title:
        return ("", unit, bile) if columns < len(cells) else None
    if re.search(r"[a-z0-9:]", title) or not title[0].isalpha() or len(title) < 3:
        return None
    return None if read_tail(title).complete else (title, unit, bile)


def _bile_name(cells: list[str]) -> list[str]:
    """Drop a bile-acid row's abbreviation and conjugation cells (``Cholic Acid  CA  U``)."""
    cells = cells[:-1] if cells and cells[-1] in ("C", "U") else list(cells)
    return cells[:-1] if len(cells) >= 2 or (cells and " " not in cells[0]) else cells


def _line(stream: _Stream, text: str, *, gap_is_reference: bool = False) -> None:
    """Read one line (or one side of a two-table line) into the stream."""
    cells = split_cells(text)
    if not cells or _GENES_CAPTION_RE.match(text):
        stream.flush()
        return
    name_cells, tail = split_name(cells)
    if stream.bile and tail is not None:
        name_cells = _bile_name(name_cells)
    if gap_is_reference and tail is not None and tail.range is None and tail.result_text:
        # "Glycodeoxycholic Acid  <tab>< 5.40e2": the result cell is empty, this is the range.
        tail = Tail(flag=tail.flag, range=parse_range(tail.result_text), unit=tail.unit)
    name = " ".join(name_cells) or None
    pending, last = stream.pending, stream.last
    if tail is None:
        assert name is not None
        if is_prose(name):
            stream.flush()
        elif pending is not None and pending.name is None and pending.result_text is not None:
            pending.name = name
            stream.emit(pending)
        elif last is not None and last.named_first and name.startswith("("):
            last.name, last.named_first = f"{last.name} {name}", False
        else:
            stream.flush()
            stream.pending = stream.new(name)
    elif name is not None:
        stream.flush()
        row = stream.new(name).take(tail)
        if row.result_text is not None:
            stream.emit(row)
        else:
            stream.pending = row
    elif tail.result_text is not None:
        if pending is not None and pending.name is not None and pending.result_text is None:
            pending.take(tail).named_first = True
            stream.emit(pending)
        else:
            stream.flush()
            stream.pending = stream.new().take(tail)
    elif (target := pending or last) is not None:
        target.take(tail)  # a range or a flag alone: the end of a row broken over lines


def _pages(text: str) -> list[list[str]]:
    pages: list[list[str]] = [[]]
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            pages[-1].append(line.rstrip())
        elif pages[-1]:
            pages.append([])
    return [page for page in pages if page]


def _content(page: list[str]) -> list[str]:
    """The page without its header (person and order) and footer (lab, page number)."""
    lines: list[str] = []
    skipping = 0
    for line in page:
        text = line.strip()
        if _PERSONAL_RE.match(text) or _PERSONAL_RE.match(text.split("\t")[-1]):
            # The orderer's address follows with no label: skip to the report's first heading.
            skipping = 12 if text.lower().startswith("ordered by") else skipping
        elif skipping and not _CONTENT_START_RE.match(text):
            skipping -= 1
        elif not _FOOTER_RE.match(text):
            skipping = 0
            lines.append(line)
    while lines and re.fullmatch(r"\d{1,2}", lines[-1].strip()):
        lines.pop()
    return lines


def _side_by_side(line: str) -> bool:
    left, tab, right = line.partition("\t")
    return bool(tab) and _heading(left) is not None and _heading(right) is not None


def _two_columns(columns: tuple[_Stream, _Stream], line: str) -> None:
    for stream, part in zip(columns, line.partition("\t")[::2], strict=True):
        if not part.strip():
            continue
        if (heading := _heading(part)) is not None:
            stream.heading(*heading)
        else:
            _line(stream, part)


def _read_tables(pages: list[list[str]]) -> tuple[list[_Row], int]:
    rows: list[_Row] = []
    main = _Stream(rows)
    for page in pages:
        skip = chart = False
        columns: tuple[_Stream, _Stream] | None = None
        for line in _content(page):
            flat = line.replace("\t", "  ")
            heading = _heading(flat)
            if skip or line.startswith("KEY:"):
                skip = True
            elif columns is not None and ("\t" in line or heading is None):
                _two_columns(columns, line)
            elif columns is None and _side_by_side(line):
                main.flush()
                columns = (main.copy(), main.copy())
                _two_columns(columns, line)
            elif heading is not None:
                for stream in columns or ():
                    stream.flush()
                columns, chart = None, False
                main.heading(*heading)
                skip = heading[0].endswith("OVERVIEW")
            elif chart or _CHART_RE.match(flat.strip()):
                chart = True
                main.flush()
            elif "\t" in line and split_name(split_cells(line.partition("\t")[0]))[1] is None:
                left, _, right = line.partition("\t")
                reference = bool(split_cells(left)) and read_tail(right).complete
                _line(main, f"{left}  {right}", gap_is_reference=reference)
            else:
                _line(main, flat)
        for stream in (main, *(columns or ())):
            stream.flush()
    return rows, main.unread[0]


# --- the 2018 layout: one cell per line, column by column ----------------------------------

_COLUMN_HEADERS = frozenset({"result", "normal", "high", "low", "expected result", "helicobacter"})


def _read_cells(lines: list[str]) -> tuple[list[_Row], int]:
    """Only what the order of the cells proves: a name right after its result, flag and limit
    (``2.9e3`` / ``High`` / ``<1.0e3`` / ``Helicobacter pylori``), or a name and a word result
    on one line. Where a column of words stands apart from its names (virulence factors,
    resistance genes: which ``Positive`` is whose cannot be told) the names are counted as
    unread, never guessed.
    """
    labelled = [i for i, line in enumerate(lines[:40]) if _PERSONAL_RE.match(line.strip())]
    rows: list[_Row] = []
    unread = 0
    section = ""
    pending: list[Tail] = []
    for line in lines[labelled[-1] + 1 if labelled else 0 :]:
        text = " ".join(line.split())
        tail = read_tail(text)
        if _FOOTER_RE.match(text):
            continue
        if tail.complete:
            if tail.result_text is not None or pending:
                pending.append(tail)  # a flag word before any value is a column header
            continue
        if text.lower() in _COLUMN_HEADERS:
            continue
        name_cells, row_tail = split_name(text.split(" "))
        results = [t for t in pending if t.result_text is not None]
        flags = [t.flag for t in pending if t.result_text is None]
        limit = parse_range(results[-1].result_text or "") if len(results) == 2 else None
        if row_tail is not None and row_tail.parsed.qualitative and name_cells:
            rows.append(_Row(section, " ".join(name_cells)).take(row_tail))
        elif (
            limit is not None
            and len(flags) <= 1
            and results[0].parsed.value is not None
            and not (results[0].parsed.below or results[0].parsed.above)
            and (limit.low is None) != (limit.high is None)
        ):
            row = _Row(section, text, range=limit, flag=flags[0] if flags else None)
            rows.append(row.take(results[0]))
        elif not rows or text.endswith("phenotypes"):
            section = text
        else:
            unread += 1
        pending = []
    return rows, unread


def _marker(row: _Row) -> Marker | None:
    if row.name is None or row.result_text is None:
        return None
    name, unit = clean_name(row.name), row.unit
    if match := _NAME_UNIT_RE.match(name):
        name, unit = match.group("name"), unit or match.group("unit")
    tail = Tail(row.result_text, row.parsed, row.flag, row.range, unit)
    return make_marker(row.section, name, tail, unit=row.default_unit)


def _collected(text: str) -> date | None:
    if not (match := _COLLECTED_RE.search(text)):
        return None
    month, day, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def read(text: str, *, source: Source = "text") -> LabPanel:
    """Read a GI-MAP report's text into a panel.

    Parameters
    ----------
    text
        The report's text (a PDF's text layer, or a text extraction of it).
    source
        How the text was got, stored on the panel.

    Returns
    -------
    LabPanel
        ``confidence`` is the share of row-like lines read whole; ``unread_rows`` counts the
        others (their text is not kept).
    """
    pages = _pages(text)
    lines = [line for page in pages for line in page]
    one_cell_per_line = sum(len(split_cells(line)) >= 2 for line in lines) * 10 < len(lines)
    rows, unread = _read_cells(lines) if one_cell_per_line else _read_tables(pages)
    markers = [marker for marker in map(_marker, rows) if marker is not None]
    total = len(markers) + unread
    lab = _LAB_RE.search(text)
    return LabPanel(
        lab=" ".join(lab.group(0).split()) if lab else "Diagnostic Solutions",
        test=TEST,
        reader="gi_map",
        source=source,
        collected=_collected(text),
        markers=markers,
        pages=max(1, len(pages)),
        confidence=round(len(markers) / total, 4) if total else 0.0,
        unread_rows=unread,
    )
