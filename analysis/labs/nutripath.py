"""NutriPATH's Complete Digestive Stool Analysis (CDSA), one photographed or scanned page at a time.

Every page has the same frame: a header block with the patient's details (never read here), a
left column of markers with their results and ranges, explanation boxes on the right, comment
paragraphs under each section, and a footer ``Page n of 7  CDSA 4+  Lab ID ...``. A marker is
laid out in one of three ways, all read the same way: a label, then the cells below it or on
its row up to the next label, in reading order: the result first, then the range (with its
unit). The three layouts are a table row (``Stool Colour | Brown | Brown``), a gauge (label
above, value under it, range under the gauge) and a banded scale (calprotectin: the ``Normal
<50 ug/g`` band is the range).

Out-of-range results are printed in red, which OCR does not see: the flag is computed from the
result and the printed range (``flag_source="computed"``). A qualitative result with no range
printed (``Negative``) is read against its own expectation: not detected is normal.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from analysis.labs.keys import marker_key
from analysis.labs.model import Flag, LabPanel, Marker, Range
from analysis.labs.ocr import CERTAIN_CONFIDENCE, OcrLine, in_rows, page_width, same_row
from analysis.labs.values import Parsed, computed_flag, parse_range, parse_value

__all__ = ["matches", "read"]

_LAB = re.compile(r"nutri\s*path", re.I)
_TEST = re.compile(r"\bCDSA\s*(\d\+?|level\s*\d\+?)", re.I)
_LAB_ID = re.compile(r"lab\s*id", re.I)
_FOOTER = re.compile(r"^page\s*\d+\s*of\s*\d+", re.I)
_COLLECTED = re.compile(r"collected\s*:?\s*(\d{1,2}-[A-Za-z]{3}-\d{4})", re.I)
_COMMENT_HEADING = re.compile(r"comments?\s*$", re.I)
_EXPLANATION = re.compile(r"^(markers|comments?)\b", re.I)
_HEADER_WORDS = {"result", "range", "markers", "results"}
_BAND = re.compile(r"^(normal|mildly|highly|extremely|moderately)\b\s*", re.I)
_UNIT = re.compile(r"\s*(u/g|umol/g|ug/g|µg/g|mg/dl|mmol/l|mg/g|u/ml|%)\s*$", re.I)
_NOT_SEEN = re.compile(r"^no\b.*\b(seen|detected|found)$", re.I)
#: Words of a macroscopic description (colour, form) that are a result as printed.
_DESCRIPTIONS = frozenset(
    [
        "brown",
        "light",
        "dark",
        "pale",
        "yellow",
        "green",
        "black",
        "red",
        "grey",
        "gray",
        "clay",
        "tan",
        "orange",
        "white",
        "mucoid",
        "formed",
        "unformed",
        "semi",
        "soft",
        "hard",
        "loose",
        "liquid",
        "watery",
        "firm",
    ]
)
#: Sections that list names without results on this report (antibiotics tested, a summary).
_NO_RESULTS = re.compile(r"antibiotic|summary", re.I)

#: What :func:`analysis.labs.keys.marker_key` does not key on this report: names only this
#: report prints (microscopy rows, a C. difficile antigen without "toxin") and the shortened
#: or OCR-damaged spellings of keyed names. The keys are keys.py's own.
_OCR_KEYS: tuple[tuple[str, str], ...] = (
    (r"pylori", "h_pylori"),
    (r"cryptosporid", "cryptosporidium"),
    (r"dientamoeba", "dientamoeba_fragilis"),
    (r"wet\s*prep|\bova\b", "ova_and_parasites"),
    (r"difficile", "c_difficile"),
    (r"^rbcs?\b|red\s*(blood\s*)?cells", "rbc"),
    (r"^wbcs?\b|white\s*(blood\s*)?cells", "wbc"),
    (r"^blood\b", "visible_blood"),
    (r"fat\s*globules", "fat_globules"),
    (r"short\s*chain\s*fatty", "scfa"),
    (r"m2\s*pyruvate|m2-?pk", "m2_pk"),
    (r"transglutaminase", "ttg_iga"),
    (r"eosinophil\s*protein", "eosinophil_protein_x"),
)


def matches(lines: list[OcrLine]) -> bool:
    """Whether the lines are a page of a NutriPATH CDSA report."""
    text = " ".join(line.text for line in lines)
    return bool(_LAB.search(text)) and bool(_TEST.search(text) or re.search(r"stool", text, re.I))


def _key(label: str) -> str | None:
    found = marker_key(label)
    if found is not None:
        return found
    return next((key for pattern, key in _OCR_KEYS if re.search(pattern, label, re.I)), None)


def _collected(lines: list[OcrLine]) -> date | None:
    for line in lines:
        match = _COLLECTED.search(line.text.replace(" ", ""))
        if match:
            try:
                return datetime.strptime(match.group(1), "%d-%b-%Y").date()
            except ValueError:
                return None
    return None


def _test(lines: list[OcrLine]) -> str:
    for line in lines:
        match = _TEST.search(line.text)
        if match:
            level = re.sub(r"(?i)level\s*", "", match.group(1))
            return f"CDSA Level {level}"
    return "CDSA"


def _body(lines: list[OcrLine]) -> list[OcrLine]:
    """The lines between the header block (patient details) and the footer."""
    height = max((line.y1 for line in lines), default=0.0)
    header = [line.y1 for line in lines if _LAB_ID.search(line.text) and line.y1 < 0.25 * height]
    top = max(header) if header else 0.14 * height
    footer = [line.y0 for line in lines if _FOOTER.match(line.text) and line.y0 > 0.75 * height]
    bottom = min(footer) if footer else height
    return [line for line in lines if line.y0 > top + 2 and line.cy < bottom - 2]


def _is_heading(line: OcrLine) -> bool:
    letters = [c for c in line.text if c.isalpha()]
    return (
        len(letters) >= 5
        and all(c.isupper() for c in letters)
        and not line.text.rstrip().endswith(":")
        and not _NOT_SEEN.match(line.text)
    )


def _result_word(text: str) -> Parsed | None:
    """A result cell, read; None when the text is not a result (a label, a note)."""
    parsed = parse_value(text)
    if parsed.read:
        return parsed
    if _NOT_SEEN.match(text):
        return Parsed(qualitative="not_detected")
    return None


def _is_label(line: OcrLine, left: float) -> bool:
    text = line.text
    return (
        line.x0 < left + 60
        and sum(c.isalpha() for c in text) >= 2
        and text[0].isalpha()
        and text.lower() not in _HEADER_WORDS
        and _result_word(text) is None
        and not _BAND.match(text)
        and not _UNIT.fullmatch(text)
    )


def _split_unit(text: str) -> tuple[str, str | None]:
    match = _UNIT.search(text)
    if not match:
        return text.strip(), None
    return text[: match.start()].strip().rstrip("."), match.group(1)


def _flag(parsed: Parsed, rng: Range | None, result: str) -> Flag:
    """The flag from the result and the printed range (values' computed_flag, extended)."""
    if not parsed.read:
        # A word result against a word range (colour, form): the same word is normal.
        if rng is None:
            return "unknown"
        return "normal" if result.lower() == rng.text.lower() else "abnormal"
    if rng is None:
        if parsed.qualitative == "not_detected":
            return "normal"
        return "abnormal" if parsed.qualitative == "detected" else "unknown"
    flag = computed_flag(parsed, rng)
    if flag == "unknown" and parsed.qualitative == "not_detected" and rng.low is None:
        return "normal"  # "ND" under a ceiling such as "<+": nothing seen is inside it
    return flag


def _marker(
    section: str, label: OcrLine, cells: list[OcrLine], range_x: float | None
) -> Marker | None:
    """The marker of one label and the cells of its block; ``range_x`` is the left edge of a
    ``Range`` column heading above it (a cell there is never the result)."""
    result: OcrLine | None = None
    parsed: Parsed | None = None
    rng_line: OcrLine | None = None
    unit: str | None = None
    for cell in [c for row in in_rows(cells) for c in row]:
        text = cell.text
        if text.lower() in _HEADER_WORDS:
            continue
        band = _BAND.match(text)
        if band:
            if band.group(1).lower() == "normal" and rng_line is None:
                rng_line = OcrLine(text[band.end() :], cell.box, cell.confidence)
            continue
        if _UNIT.fullmatch(text):
            unit = unit or text.strip()
        elif range_x is not None and cell.x0 >= range_x - 15:
            rng_line = rng_line or cell
        elif result is None:
            result, parsed = cell, _result_word(text)
        elif rng_line is None:
            rng_line = cell
    if result is None:
        return None
    rng, certain = None, result.confidence >= CERTAIN_CONFIDENCE
    if rng_line is not None:
        range_text, range_unit = _split_unit(rng_line.text)
        unit = unit or range_unit
        rng = parse_range(range_text)
        if rng is None and range_text.isalpha():
            rng = Range(text=range_text)
        certain = certain and rng is not None and rng_line.confidence >= CERTAIN_CONFIDENCE
    result_text, result_unit = _split_unit(result.text)
    if parsed is None:
        parsed = _result_word(result_text) or Parsed()
        # A colour or a form (Brown, Unformed) is a reading; any other word did not parse.
        certain = certain and all(w in _DESCRIPTIONS for w in result_text.lower().split())
    return Marker(
        section=section,
        name=re.sub(r"\bE[lI1]A\b", "EIA", label.text.rstrip(" :")),
        result_text=result_text,
        value=parsed.value,
        below=parsed.below,
        above=parsed.above,
        qualitative=parsed.qualitative,
        grade=parsed.grade,
        unit=unit or result_unit,
        range=rng,
        flag=_flag(parsed, rng, result_text),
        flag_source="computed",
        key=_key(label.text),
        certain=certain,
    )


def _start(line: OcrLine, left: float, column: list[OcrLine]) -> tuple[float, float]:
    """Where a line starts in reading order: a cell at its top; a label a little above its box
    when a cell shares its row (a table row, whose result cell may sit higher)."""
    if line.x0 < left + 60 and (_is_heading(line) or _is_label(line, left)):
        beside = any(c is not line and c.x0 > line.x1 and same_row(c, line) for c in column)
        return (line.y0 - (0.6 * line.height if beside else 2.0), line.x0)
    return (line.y0, line.x0)


def read(lines: list[OcrLine]) -> LabPanel:
    """Read one page of the report into a panel (``source="ocr"``; the page's markers only).

    Parameters
    ----------
    lines
        The page's lines, from :func:`analysis.labs.ocr.ocr_lines`.
    """
    body = _body(lines)
    width = page_width(lines)
    anchors = [ln.x0 for ln in body if _EXPLANATION.match(ln.text) and ln.x0 > 0.35 * width]
    split = min(anchors) - 5 if anchors else width
    column = [ln for ln in body if ln.x0 < split and ln.x1 - ln.x0 < 0.5 * width]
    left = min((ln.x0 for ln in column), default=0.0)
    blocks: list[tuple[str, OcrLine | None, list[OcrLine], float | None]] = []
    range_x: float | None = None
    section, skipping = "", False
    for line in sorted(column, key=lambda ln: _start(ln, left, column)):
        if _is_heading(line) and line.x0 < left + 60:
            section, skipping = line.text.strip().capitalize(), bool(_NO_RESULTS.search(line.text))
            blocks.append((section, None, [], None))
            range_x = None
        elif _COMMENT_HEADING.search(line.text) and line.x0 < left + 60:
            skipping = True
            blocks.append((section, None, [], None))
        elif skipping:
            continue
        elif _is_label(line, left):
            blocks.append((section, line, [], range_x))
        elif line.text.strip().lower() == "range":
            range_x = line.x0
        elif blocks:
            blocks[-1][2].append(line)
    markers, unread = [], 0
    for block_section, label, cells, block_range_x in blocks:
        if label is None:
            continue
        marker = _marker(block_section, label, cells, block_range_x)
        if marker is None:
            unread += 1
        else:
            markers.append(marker)
    total = len(markers) + unread
    return LabPanel(
        lab="NutriPATH",
        test=_test(lines),
        reader="nutripath_cdsa",
        source="ocr",
        collected=_collected(lines),
        markers=markers,
        confidence=(sum(m.certain for m in markers) / total) if total else 0.0,
        unread_rows=unread,
    )
