"""Read one printed result, range or flag cell of a lab report.

Every reader in :mod:`analysis.labs` (text, PDF layout, OCR) goes through these functions, so
that ``8.4E7``, ``1,574``, ``<DL``, ``NNeeggaattiivvee`` or ``High ↑`` mean the same thing
whichever document they came from. Nothing here knows a lab; nothing raises on an odd cell:
a cell that cannot be read gives an empty :class:`Parsed` (``parsed.read`` is False) or None.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from analysis.labs.model import Flag, Qualitative, Range

__all__ = [
    "NUMBER",
    "Parsed",
    "clean_cell",
    "computed_flag",
    "grade_level",
    "parse_flag",
    "parse_number",
    "parse_range",
    "parse_value",
    "undouble",
]

#: A printed number: ``21.2``, ``1,574``, ``8.4E7``, ``3.5e-2``, ``1.00e3``, ``.5``; a decimal
#: comma (``2,1``) is accepted where the comma is not followed by exactly three digits.
NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?|\.\d+)(?:\s?[eE]\s?[-+]?\d+)?"

_NUMBER_RE = re.compile(rf"^{NUMBER}$")
_THOUSANDS_RE = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?")

#: Comparators as printed, to (side, inclusive): "<" is a ceiling, ">" a floor.
_COMPARATORS: dict[str, tuple[str, bool]] = {
    "<=": ("below", True),
    "=<": ("below", True),
    "≤": ("below", True),
    "<": ("below", False),
    ">=": ("above", True),
    "=>": ("above", True),
    "≥": ("above", True),
    ">": ("above", False),
}
_COMPARATOR_RE = re.compile(r"^(<=|=<|≤|<|>=|=>|≥|>)\s*(.*)$", re.S)

#: Words for a qualitative result, lower case, spaces collapsed.
_QUALITATIVE: dict[str, Qualitative] = {
    "negative": "not_detected",
    "neg": "not_detected",
    "not detected": "not_detected",
    "none detected": "not_detected",
    "not seen": "not_detected",
    "none seen": "not_detected",
    "absent": "not_detected",
    "nd": "not_detected",
    "(-)": "not_detected",
    "(−)": "not_detected",
    "no growth": "not_detected",
    "positive": "detected",
    "pos": "detected",
    "detected": "detected",
    "present": "detected",
    "(+)": "detected",
    "equivocal": "equivocal",
    "indeterminate": "equivocal",
    "borderline": "equivocal",
    "inconclusive": "equivocal",
}

#: Semi-quantitative grades: "1+".."4+" (culture), "+".."++++" (microscopy), "NG" (no growth).
_GRADE_RE = re.compile(r"^(?:([0-4])\s?\+|(\+{1,4})|(NG))$", re.I)
_DL_RE = re.compile(r"^d\.?\s?l\.?$", re.I)
#: Microscopy's sentence results: "No Ova or Parasites seen", "NO OVA, CYSTS OR PARASITES SEEN".
_NONE_SEEN_RE = re.compile(r"^no\s+[a-z ,/]+\s+(?:seen|detected|found)\.?$")

_OUT_OF_RANGE_RE = re.compile(r"^out\s+of\s+range$")
_FLAGS: dict[str, Flag] = {
    **dict.fromkeys(("h", "hi", "high", "hh", "↑"), "high"),
    **dict.fromkeys(("l", "lo", "low", "ll", "↓"), "low"),
    **dict.fromkeys(("n", "normal", "in range", "within range", "wnl"), "normal"),
    **dict.fromkeys(("a", "abnormal", "outside range", "*"), "abnormal"),
}


@dataclass(frozen=True)
class Parsed:
    """One result cell, read.

    Attributes
    ----------
    value
        The number, when the result has one (``8.4E7`` -> 84000000.0, ``<1.00e3`` -> 1000.0).
    below, above
        The number is a ceiling (``<``, ``<=``) or a floor (``>``, ``>=``), e.g. a detection
        limit; ``<DL`` is ``below`` with no number.
    qualitative
        ``detected`` / ``not_detected`` / ``equivocal`` for a word result (``<DL`` and ``NG``
        are ``not_detected``; a culture grade ``1+``..``4+`` is ``detected``).
    grade
        A semi-quantitative grade as normalised: ``"1+"``..``"4+"``, ``"+"``..``"++++"``,
        ``"NG"``.
    """

    value: float | None = None
    below: bool = False
    above: bool = False
    qualitative: Qualitative | None = None
    grade: str | None = None

    @property
    def read(self) -> bool:
        """Whether the cell said anything this module understood."""
        return self.value is not None or self.qualitative is not None or self.grade is not None


def clean_cell(text: str) -> str:
    """Collapse whitespace and unify the dashes and minus signs PDFs print."""
    text = text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ")
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    return " ".join(text.split())


def undouble(text: str) -> str:
    """Undo doubled glyphs (``NNeeggaattiivvee`` -> ``Negative``), a PDF bold-by-overprint artefact.

    Only a run of at least two letters with every character printed twice is undone, so
    ``11`` or ``ND`` or ``Sheep`` stay as they are.

    Parameters
    ----------
    text
        A cell or a word as extracted.
    """
    return " ".join(_undouble_word(word) for word in text.split(" "))


def _undouble_word(word: str) -> str:
    doubled = len(word) % 2 == 0 and word[::2] == word[1::2]
    return word[::2] if doubled and sum(c.isalpha() for c in word) >= 4 else word


def parse_number(text: str) -> float | None:
    """Read a printed number (``8.4E7``, ``1,574``, ``21.2``, ``2,1``); None if it is not one.

    Parameters
    ----------
    text
        The number alone, without comparator or unit.
    """
    text = clean_cell(text)
    if not text or not _NUMBER_RE.match(text):
        return None
    parts = re.split(r"\s?[eE]\s?", text, maxsplit=1)
    mantissa = parts[0]
    if _THOUSANDS_RE.fullmatch(mantissa):
        mantissa = mantissa.replace(",", "")
    else:
        mantissa = mantissa.replace(",", ".")
    if len(parts) == 2:
        mantissa = f"{mantissa}e{parts[1]}"
    try:
        number = float(mantissa)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _grade(text: str) -> str | None:
    match = _GRADE_RE.match(text)
    if not match:
        return None
    digit, pluses, ng = match.groups()
    if digit is not None:
        return f"{digit}+"
    if pluses is not None:
        return pluses
    return "NG" if ng else None


def grade_level(grade: str) -> int | None:
    """The level of a grade: ``"NG"`` -> 0, ``"2+"`` -> 2, ``"+++"`` -> 3; None if not a grade.

    Parameters
    ----------
    grade
        A grade as printed or as :func:`parse_value` normalised it.
    """
    normal = _grade(clean_cell(grade))
    if normal is None:
        return None
    if normal == "NG":
        return 0
    if normal[0].isdigit():
        return int(normal[0])
    return len(normal)


def parse_value(text: str) -> Parsed:
    """Read a result cell as printed.

    Parameters
    ----------
    text
        The cell: ``8.4E7``, ``<DL``, ``< 1.00e3``, ``>=1.2E6``, ``1,574``, ``Negative``,
        ``NNeeggaattiivvee``, ``Not Detected``, ``Present``, ``ND``, ``NG``, ``2+``, ``+++``,
        ``(+)``...

    Returns
    -------
    Parsed
        Empty (``read`` False) when the cell is none of the forms above.
    """
    cell = undouble(clean_cell(text))
    if not cell:
        return Parsed()
    word = cell.lower()
    if word in _QUALITATIVE:
        return Parsed(qualitative=_QUALITATIVE[word])
    if _NONE_SEEN_RE.match(word):
        return Parsed(qualitative="not_detected")
    grade = _grade(cell)
    if grade is not None:
        return Parsed(grade=grade, qualitative="not_detected" if grade == "NG" else "detected")
    match = _COMPARATOR_RE.match(cell)
    if match:
        side, _inclusive = _COMPARATORS[match.group(1)]
        rest = match.group(2).strip()
        if side == "below" and _DL_RE.match(rest):
            return Parsed(below=True, qualitative="not_detected")
        number = parse_number(rest)
        if number is None:
            return Parsed()
        return Parsed(value=number, below=side == "below", above=side == "above")
    number = parse_number(cell)
    if number is not None:
        return Parsed(value=number)
    return Parsed()


_BETWEEN_RE = re.compile(rf"^({NUMBER})\s?(\+?)\s*(?:-|to)\s*({NUMBER})\s?(\+?)$", re.I)


def parse_range(text: str) -> Range | None:
    """Read a reference range as printed.

    Parameters
    ----------
    text
        ``3.4E6-1.5E9``, ``8.6e5 - 6.2e8``, ``<=2.2E9``, ``>=1.2E6``, ``< 1.00e3``, ``> 200``,
        ``510 - 2010``, ``2-4+`` (grades), ``<+`` (below one plus), ``<DL``, ``Negative``...
        without its unit.

    Returns
    -------
    Range | None
        ``text`` keeps the printed form (whitespace collapsed); None when the text is not a
        range.
    """
    cell = undouble(clean_cell(text))
    if not cell:
        return None
    match = _BETWEEN_RE.match(cell)
    if match:
        low, high = parse_number(match.group(1)), parse_number(match.group(3))
        if low is None or high is None or low > high:
            return None
        return Range(text=cell, low=low, high=high, inclusive=True)
    match = _COMPARATOR_RE.match(cell)
    if match:
        side, inclusive = _COMPARATORS[match.group(1)]
        rest = match.group(2).strip()
        if side == "below" and _DL_RE.match(rest):
            return Range(text=cell)
        level = grade_level(rest)
        number = float(level) if level is not None and "+" in rest else parse_number(rest)
        if number is None:
            return None
        if side == "below":
            return Range(text=cell, high=number, inclusive=inclusive)
        return Range(text=cell, low=number, inclusive=inclusive)
    if cell.lower() in _QUALITATIVE:
        return Range(text=cell)
    return None


def parse_flag(text: str) -> Flag | None:
    """Read a printed flag: ``H``, ``L``, ``High``, ``Low ↓``, ``Out of Range``, ``In Range``.

    Parameters
    ----------
    text
        The flag cell (arrows and asterisks beside a word are allowed).

    Returns
    -------
    Flag | None
        None when the text is not a flag.
    """
    cell = undouble(clean_cell(text)).lower()
    if not cell:
        return None
    if _OUT_OF_RANGE_RE.match(cell):
        return "abnormal"
    if cell in _FLAGS:
        return _FLAGS[cell]
    stripped = cell.strip("↑↓* ").strip()
    flag = _FLAGS.get(stripped)
    if flag is None:
        return None
    arrow = "high" if "↑" in cell else "low" if "↓" in cell else None
    if arrow is not None and flag in ("high", "low") and arrow != flag:
        return None
    return flag


def _numeric_flag(parsed: Parsed, low: float | None, high: float | None, strict: bool) -> Flag:
    value = parsed.value
    assert value is not None
    if parsed.below:
        # The true value t is under ``value``.
        if low is not None and value <= low:
            return "low"
        if low is None and (high is None or value <= high):
            return "normal"
        return "unknown"
    if parsed.above:
        if high is not None and value >= high:
            return "high"
        if high is None and (low is None or value >= low):
            return "normal"
        return "unknown"
    if low is not None and (value < low or (strict and value == low)):
        return "low"
    if high is not None and (value > high or (strict and value == high)):
        return "high"
    return "normal"


def computed_flag(value: Parsed, range: Range | None) -> Flag:
    """How a result compares with a printed range, when the report prints no flag.

    Parameters
    ----------
    value
        The result, from :func:`parse_value`.
    range
        The lab's range, from :func:`parse_range`.

    Returns
    -------
    Flag
        ``"unknown"`` when the two cannot be compared (no range, a limit on the wrong side,
        a word against a number).
    """
    if range is None or not value.read:
        return "unknown"
    text = range.text.lower()
    if range.low is None and range.high is None:
        expected = _QUALITATIVE.get(text)
        if expected is None and re.match(r"^(<=|<)\s*d\.?\s?l\.?$", text):
            expected = "not_detected"
        if expected is None or (value.qualitative is None and value.value is None):
            return "unknown"
        got = value.qualitative or ("not_detected" if value.below else "detected")
        if got == "equivocal":
            return "abnormal"
        if got == expected:
            return "normal"
        return "high" if value.value is not None and expected == "not_detected" else "abnormal"
    if value.grade is not None:
        level = grade_level(value.grade)
        if level is None:
            return "unknown"
        return _numeric_flag(Parsed(value=float(level)), range.low, range.high, not range.inclusive)
    if value.value is None:
        if value.below and value.qualitative == "not_detected":
            # "<DL" against a ceiling is inside it; against a floor it is under it.
            if range.low is not None:
                return "low"
            return "normal"
        return "unknown"
    return _numeric_flag(value, range.low, range.high, not range.inclusive)
