"""A reader for an unknown lab's report: lines of "marker  value  [unit]  range  [unit]".

It knows no layout, so it is strict about what it keeps: a line is a marker when a name (words
starting with a letter) is followed by a result and then a reference range, every token read
(``Chymotrypsin 21.2 U/g 0.9-26.8``, ``Calprotectin 62.0 ug/g <50``, ``Pancreatic Elastase 1
>500 >200 ug/g``), or by a word result alone (``Giardia  Not Detected``). A number with no range
is not kept ("Page 3", a lab number). ``confidence`` is the share of candidate lines (a name
then something that reads as a result) read whole; with fewer than three markers the text is
not taken for a lab panel at all (None).

Personal details: lines led by a label such as "Patient:", "DOB", "Address" are skipped, and
a section heading is kept only when it names a part of a stool panel (bacteria, parasitology,
inflammation...), so a name or an address printed on a line of its own never becomes one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.labs.keys import clean_name, no_verdict
from analysis.labs.model import Flag, FlagSource, LabPanel, Marker, Range, Source
from analysis.labs.values import (
    NUMBER,
    Parsed,
    clean_cell,
    computed_flag,
    parse_flag,
    parse_range,
    parse_value,
    undouble,
)

__all__ = [
    "MIN_MARKERS",
    "Tail",
    "is_prose",
    "make_marker",
    "read",
    "read_tail",
    "split_cells",
    "split_name",
]

#: Fewer markers than this: not a lab panel (a letter, an invoice, a prose page).
MIN_MARKERS = 3

_PERSONAL_RE = re.compile(
    r"^\s*(?:patient|name|surname|first name|dob|d\.o\.b|date\s+of\s+birth|born|sex|gender|age|"
    r"accession|lab(?:oratory)? (?:id|no|number)|sample id|specimen id|kit|barcode|mrn|"
    r"medical record|ordered by|orderer|physician|doctor|dr\b|provider|address|street|"
    r"phone|tel|fax|email|e-mail|collected|received|reported|printed|completed)\b",
    re.I,
)
_SECTION_WORDS_RE = re.compile(
    r"\b(?:bacteri\w*|pathogen\w*|parasit\w*|protozoa|worms?|helminth\w*|fung\w*|yeasts?|"
    r"mycolog\w*|virus\w*|viral|inflammat\w*|immun\w*|digest\w*|absorption|metabolic|"
    r"markers?|microscop\w*|macroscop\w*|culture|chemistr\w*|commensal|phyla|phylum|"
    r"short\s+chain\s+fatty\s+acids|bile\s+acids|stool|faecal|fecal|intestinal)\b",
    re.I,
)
_NAME_RE = re.compile(r"^[A-Za-zα-ωΑ-Ωβ(][\w\s.,:;()/&'+*†◆-]*$")


# --- a row's result, flag, range and unit, as printed after the marker's name ------------

_ATOMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("between", re.compile(rf"{NUMBER}\s?\+?\s*(?:-|to\b)\s*{NUMBER}\s?\+?(?![\d.])", re.I)),
    ("dl", re.compile(r"<\s*dl\b\.?", re.I)),
    ("cmp", re.compile(rf"(?:<=|=<|≤|<|>=|=>|≥|>)\s*(?:{NUMBER}|\+(?!\+))(?![\d.])")),
    ("grade", re.compile(r"(?:[0-4]\s?\+|\+{1,4})(?![+\w])")),
    (
        "word",
        re.compile(
            r"(?:not\s+detected|none\s+detected|no\s+growth|detected|negative|positive|present|"
            r"absent|equivocal|indeterminate|borderline|inconclusive|n/a|nd|ng|\(\+\)|\([-−]\))"
            r"(?![\w/])",
            re.I,
        ),
    ),
    ("num", re.compile(rf"{NUMBER}(?![\d.,])")),
    (
        "flag",
        re.compile(
            r"(?:(?:high|low)(?:\s*[↑↓])?|[↑↓]|out\s+of\s+range|in\s+range|abnormal|hh|ll|hi|lo|h|l)"
            r"(?![\w/])",
            re.I,
        ),
    ),
    ("unit", re.compile(r"(?:%|[A-Za-zμµ0-9^]{1,8}/[A-Za-z]{1,6}(?:\s+stool)?)(?![\w/])")),
)


@dataclass(frozen=True)
class Tail:
    """What follows a marker's name on a row: result, flag, range and unit, each as printed.

    ``rest`` is what could not be read (empty when the whole tail was read); a value repeated
    after its flag (``1.29e9 H 1.29e9``) or a range repeated after its unit
    (``8.6e5 - 6.2e8org/g 8.6e5 - 6.2e8``), as chart labels are, is read once.
    """

    result_text: str | None = None
    parsed: Parsed = field(default_factory=Parsed)
    flag: Flag | None = None
    range: Range | None = None
    unit: str | None = None
    rest: str = ""

    @property
    def complete(self) -> bool:
        """Everything was read and something was there."""
        return not self.rest and (
            self.result_text is not None or self.range is not None or self.flag is not None
        )


def _same(a: str, b: str) -> bool:
    return "".join(a.split()).lower() == "".join(b.split()).lower()


@dataclass
class _Reading:
    """A tail being read, atom by atom."""

    result: str | None = None
    parsed: Parsed = field(default_factory=Parsed)
    flag: Flag | None = None
    range: Range | None = None
    unit: str | None = None

    def take(self, kind: str, token: str) -> bool:
        """Take one atom; False when it cannot belong to this row."""
        if kind == "flag":
            if self.flag is not None:
                return False
            self.flag = parse_flag(token)
            return self.flag is not None
        if kind == "unit":
            if self.unit is not None:
                return _same(token, self.unit)
            self.unit = " ".join(token.split())
            return self.result is not None or self.range is not None
        if kind == "between" and self.range is None:
            self.range = parse_range(token)
            return self.range is not None
        if self.range is not None:  # after the range, only its repeat (a chart label)
            return _same(token, self.range.text)
        if self.result is None:
            self.result, self.parsed = token, parse_value(token)
            return True
        if kind == "dl" and self.parsed.below and self.parsed.qualitative is None:
            # "<1.00e2 <dl": below the detection limit, which is 1.00e2.
            self.result = token
            self.parsed = Parsed(value=self.parsed.value, below=True, qualitative="not_detected")
            return True
        if kind != "word" and _same(token, self.result):
            return True  # the value repeated after its flag (a chart label)
        if kind in ("word", "cmp"):
            self.range = parse_range(token)
            return self.range is not None
        return False


def read_tail(text: str) -> Tail:
    """Read the cells after a marker's name: ``<dl  < 1.00e3``, ``4225 H  510 - 2010 ug/g``,
    ``1.29e9 H 1.29e9  8.6e5 - 6.2e8org/g 8.6e5 - 6.2e8``, ``N/A  Negative``, ``4+``...

    Parameters
    ----------
    text
        The row without its name.

    Returns
    -------
    Tail
        A line that starts with a range (``7.15e-1 - 1.44e2``) has a range and no result; one
        that is only a flag (``L``) has a flag and nothing else. Reading stops at the first
        thing that is none of result, flag, range or unit, or that would be a second result
        or a second, different range; the remainder is ``rest``.
    """
    cell = undouble(clean_cell(text))
    reading = _Reading()
    pos = 0
    while True:
        while pos < len(cell) and cell[pos] == " ":
            pos += 1
        found = next(((k, m) for k, p in _ATOMS if (m := p.match(cell, pos))), None)
        if found is None or not reading.take(found[0], found[1].group(0)):
            break
        pos = found[1].end()
    return Tail(
        result_text=reading.result,
        parsed=reading.parsed,
        flag=reading.flag,
        range=reading.range,
        unit=reading.unit,
        rest=cell[pos:].strip(),
    )


def make_marker(
    section: str,
    name: str,
    tail: Tail,
    *,
    unit: str | None = None,
    flag: Flag | None = None,
    certain: bool = True,
) -> Marker:
    """A :class:`Marker` from a row's name and tail: the printed flag, else one computed.

    Parameters
    ----------
    section, name
        As printed.
    tail
        From :func:`read_tail` (or built by a layout reader).
    unit
        The unit when the row does not print one (a table's column header).
    flag
        A flag the layout prints outside the tail (a column such as "Out of Range").
    certain
        False when the reader could not confirm the reading (OCR).

    Notes
    -----
    A ratio (``no_verdict``) gets only a printed flag: no verdict is computed for it.
    """
    printed = flag if flag is not None else tail.flag
    source: FlagSource
    if printed is not None:
        final, source = printed, "printed"
    elif no_verdict(name):
        final, source = "unknown", "none"
    else:
        final = computed_flag(tail.parsed, tail.range)
        source = "none" if final == "unknown" else "computed"
    parsed = tail.parsed
    return Marker(
        section=section,
        name=name,
        result_text=tail.result_text or "",
        value=parsed.value,
        below=parsed.below,
        above=parsed.above,
        qualitative=parsed.qualitative,
        grade=parsed.grade,
        unit=tail.unit or unit,
        range=tail.range,
        flag=final,
        flag_source=source,
        certain=certain,
    )


def split_cells(line: str) -> list[str]:
    """A line's cells: text two or more spaces (or a tab) apart."""
    return [cell.strip() for cell in re.split(r"\s{2,}|\t", line) if cell.strip()]


def split_name(cells: list[str]) -> tuple[list[str], Tail | None]:
    """The name cells and the tail after them; None as the tail when no cells read as one."""
    for index in range(len(cells)):
        tail = read_tail("  ".join(cells[index:]))
        if tail.complete:
            return cells[:index], tail
    return cells, None


def is_prose(text: str) -> bool:
    """Whether a line without values is running text rather than a name or a heading."""
    words = text.split()
    sentence = text.endswith(".") and words[-1] not in ("spp.", "sp.", "subsp.", "ssp.")
    return len(words) > 7 or sentence or text.endswith(":") or ": " in text


def _split(line: str) -> tuple[str, Tail] | None:
    """The name and the tail of a candidate line (the leftmost split whose tail reads whole)."""
    tokens = line.split()
    first_result: tuple[str, Tail] | None = None
    for index in range(1, len(tokens)):
        name = " ".join(tokens[:index])
        if not _NAME_RE.match(name):
            return first_result
        tail = read_tail(" ".join(tokens[index:]))
        if tail.result_text is None:
            continue
        if tail.complete:
            return name, tail
        if first_result is None:
            first_result = (name, tail)
    return first_result


def _whole(tail: Tail) -> bool:
    if not tail.complete or tail.result_text is None:
        return False
    return tail.range is not None or tail.parsed.qualitative is not None


def read(
    text: str, *, source: Source = "text", pages: int = 1, lab: str = "unknown"
) -> LabPanel | None:
    """Read lines of markers from a lab this package has no reader for.

    Parameters
    ----------
    text
        The document's text, one printed line per line.
    source
        How the text was got.
    pages
        Pages the text came from.
    lab
        The lab's name when the caller knows it.

    Returns
    -------
    LabPanel | None
        None when fewer than :data:`MIN_MARKERS` markers are read.
    """
    markers: list[Marker] = []
    candidates = 0
    section = ""
    for raw in text.splitlines():
        line = " ".join(raw.replace("\t", "  ").split())
        if not line or _PERSONAL_RE.match(line) or len(line.split()) > 16:
            continue
        split = _split(line)
        if split is None:
            words = line.split()
            if (
                len(words) <= 6
                and _SECTION_WORDS_RE.search(line)
                and not any(c.isdigit() for c in line)
            ):
                section = clean_name(line)
            continue
        name, tail = split
        candidates += 1
        if _whole(tail):
            markers.append(make_marker(section, clean_name(name), tail))
    if len(markers) < MIN_MARKERS:
        return None
    return LabPanel(
        lab=lab,
        test="unknown",
        reader="generic",
        source=source,
        markers=markers,
        pages=pages,
        confidence=round(len(markers) / candidates, 4) if candidates else 0.0,
        unread_rows=candidates - len(markers),
    )
