"""A PDF's text layer as rows of cells, assembled by layout from pdfplumber's characters.

Lab reports are tables drawn on a page: a plain text extraction loses the columns (and some
PDFs draw a word's letters with no space between words, or every glyph twice to fake bold).
:func:`extract_pdf` reads each character's position instead, groups characters into lines by
their baseline, splits a line into words where the pen jumps further than a glyph's advance,
and into cells where it jumps further than about a letter's height.

The work is bounded before it is done: at most :data:`MAX_PAGES` pages are opened (the page
tree is walked lazily), a file with more object references than a report has is refused, a
page's content is inflated no further than :data:`MAX_PAGE_CONTENT` and stripped of its
drawing, then its glyphs are counted from its strings before pdfminer lays them out: a page
over :data:`MAX_PAGE_GLYPHS` is refused, and reading stops once :data:`MAX_CHARS` is reached.
"""

from __future__ import annotations

import io
import logging
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any

from analysis.model import AnalysisError

__all__ = [
    "MAX_CHARS",
    "MAX_PAGES",
    "MAX_PAGE_CONTENT",
    "MAX_PAGE_GLYPHS",
    "Cell",
    "Line",
    "PdfDocument",
    "PdfPage",
    "extract_pdf",
    "is_pdf",
]

#: Pages read from one document; a lab report has fewer than 30.
MAX_PAGES = 30
#: Characters read from one document (an 8-page GI-MAP holds 12,000; laying out 60,000 takes
#: pdfminer about two seconds).
MAX_CHARS = 60_000
#: Glyphs one page may show (a dense report page shows under 5,000).
MAX_PAGE_GLYPHS = 15_000
#: Object references one file may hold (a report has a few hundred; each costs parsing).
MAX_REFERENCES = 100_000
#: Bytes one page's content streams may inflate to (Genova's quintile bars take 5.5 MB).
MAX_PAGE_CONTENT = 16_000_000
#: Bytes left once the drawing is stripped (text and its state), and bytes of form XObjects a
#: page may use (they are run as they are): a dense text page needs well under 200 kB.
MAX_PAGE_TEXT = 1_000_000
#: Fewer visible characters than this in the whole document: no usable text layer (a scan).
MIN_TEXT_CHARS = 40

# pdfminer logs every odd object it meets at WARNING; a hostile upload would flood the log.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Cell:
    """Words printed close together on one line: one table cell, as laid out."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    #: The fill colour as pdfplumber gives it (e.g. ``(0.824, 0.137, 0.165)`` for red).
    color: tuple[float, ...]


@dataclass(frozen=True)
class Line:
    """Characters sharing a baseline, left to right, split into cells."""

    cells: tuple[Cell, ...]

    @property
    def text(self) -> str:
        """The cells joined by two spaces (the convention the text readers expect)."""
        return "  ".join(cell.text for cell in self.cells)


@dataclass(frozen=True)
class PdfPage:
    """One page's lines, top to bottom."""

    number: int
    width: float
    height: float
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class PdfDocument:
    """The pages read (at most :data:`MAX_PAGES`) and how many the file has."""

    pages: tuple[PdfPage, ...]
    page_count: int
    truncated: bool = False

    @property
    def text(self) -> str:
        """Lines of every page, cells two spaces apart, pages separated by a blank line."""
        return "\n\n".join("\n".join(line.text for line in page.lines) for page in self.pages)


def is_pdf(data: bytes) -> bool:
    """Whether the bytes are a PDF (its ``%PDF-`` header within the first kilobyte)."""
    return b"%PDF-" in data[:1024]


_NUM = rb"[-+]?(?:\d+\.?\d*|\.\d+)"
#: Path construction with its numeric operands, then painting and clipping operators.
_PATH_RE = re.compile(rb"(?<!\S)(?:" + _NUM + rb"\s+){2,6}(?:m|l|c|v|y|re)(?!\S)")
_PAINT_RE = re.compile(rb"(?<!\S)(?:f\*?|F|S|s|B\*?|b\*?|n|h|W\*?)(?!\S)")
#: A ``q ... Q`` group left with nothing but graphics state: it cannot move or colour text.
_STATE = (
    rb"(?:" + _NUM + rb"|/[^\s/\[\]()<>{}%]+|cm|cs|CS|scn|SCN|sc|SC|rg|RG|g|G|k|K|gs|w|J|j|M|ri|i)"
)
_EMPTY_GROUP_RE = re.compile(rb"(?<!\S)q(?:\s+" + _STATE + rb")*+\s+Q(?!\S)")
_TEXT_OBJECT_RE = re.compile(rb"(?<!\S)BT(?!\S).*?(?<!\S)ET(?!\S)", re.S)
_STRING_RE = re.compile(rb"\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f\s]*>", re.S)
_BLANKS_RE = re.compile(rb"\s{2,}")


def _strip_drawing(chunk: bytes) -> bytes:
    chunk = _PAINT_RE.sub(b"", _PATH_RE.sub(b"", chunk))
    while True:
        stripped = _BLANKS_RE.sub(b"\n", _EMPTY_GROUP_RE.sub(b"", chunk))
        if stripped == chunk:
            return chunk
        chunk = stripped


def _glyphs(data: bytes) -> int:
    """Glyphs the strings of a content stream can show at most (hex digits count half)."""
    total = 0
    for match in _STRING_RE.finditer(data):
        token = match.group(0)
        total += len(token) - 2 if token[:1] == b"(" else (len(token) - 2) // 2
    return total


def strip_graphics(data: bytes) -> bytes:
    """A content stream without its vector drawing: text objects and the state they use.

    pdfminer tokenises every operator in Python; Genova's quintile bars are 5.5 MB of paths
    on one page (9 s). Outside ``BT ... ET``, path construction, painting and clipping are
    dropped, then every ``q ... Q`` group left holding only graphics state; the characters
    pdfplumber reads (text, position, font, colour) are the same.
    """
    parts = []
    pos = 0
    for match in _TEXT_OBJECT_RE.finditer(data):
        parts.append(_strip_drawing(data[pos : match.start()]))
        parts.append(match.group(0))
        pos = match.end()
    parts.append(_strip_drawing(data[pos:]))
    return b"\n".join(parts)


def _inflated_size(stream: Any, limit: int) -> int:
    """Bytes a stream inflates to, counting no further than ``limit`` (a zip bomb stops here)."""
    raw = getattr(stream, "rawdata", None)
    if raw is None:
        data = getattr(stream, "data", None)
        return len(data) if data is not None else 0
    names = [str(getattr(f, "name", f)) for f, _ in stream.get_filters()]
    if names == ["FlateDecode"]:
        try:
            return len(zlib.decompressobj().decompress(raw, limit + 1))
        except zlib.error:
            return len(raw)
    # Other filters (or none): at most a few times the raw size for the text a report holds.
    return len(raw) * (1 if not names else 8)


def _text_contents(page_obj: Any, number: int) -> int:
    """Replace the page's content streams by their text-only form; the glyphs it may show."""
    from pdfminer.pdftypes import PDFStream, resolve1, stream_value
    from pdfminer.psparser import LIT

    contents = page_obj.contents if isinstance(page_obj.contents, list) else []
    streams = [stream_value(ref) for ref in contents]
    total = 0
    for stream in streams:
        total += _inflated_size(stream, MAX_PAGE_CONTENT - total)
        if total > MAX_PAGE_CONTENT:
            raise AnalysisError(
                "lab_pdf_too_large",
                "A page of the PDF holds more drawing than a report does.",
                page=number,
            )
    forms, glyphs = 0, 0
    xobjects = resolve1((page_obj.resources or {}).get("XObject")) or {}
    if isinstance(xobjects, dict):
        for ref in list(xobjects.values())[:200]:
            xobject = resolve1(ref)
            if isinstance(xobject, PDFStream) and xobject.get("Subtype") is LIT("Form"):
                forms += _inflated_size(xobject, MAX_PAGE_TEXT - forms)
                if forms <= MAX_PAGE_TEXT:
                    glyphs += _glyphs(xobject.get_data())
    data = strip_graphics(b"\n".join(stream.get_data() for stream in streams))
    glyphs += _glyphs(data)
    if len(data) + forms > MAX_PAGE_TEXT or glyphs > MAX_PAGE_GLYPHS:
        raise AnalysisError(
            "lab_pdf_too_large",
            "A page of the PDF holds more text instructions than a report does.",
            page=number,
        )
    if streams:
        stripped = PDFStream({}, data)
        # pdfminer runs only streams it can track by object id (a guard against cycles).
        stripped.set_objid(streams[0].objid or 0, 0)
        page_obj.contents = [stripped]
    return glyphs


def _word_gap(prev: dict[str, Any], char: dict[str, Any]) -> float:
    """Space between the end of ``prev``'s advance and the start of ``char``."""
    matrix, prev_matrix = char.get("matrix"), prev.get("matrix")
    adv = prev.get("adv")
    if matrix and prev_matrix and adv is not None and prev_matrix[1] == 0:
        return float(matrix[4] - (prev_matrix[4] + adv * prev_matrix[0]))
    return float(char["x0"] - prev["x1"])


#: Typographic ligatures a browser's print-to-PDF keeps as one glyph ("Biﬁdobacterium").
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)


def _space_width(prev: dict[str, Any], char: dict[str, Any]) -> float:
    """The gap, in ems, read as a space: a fifth of an em, a tenth where the font changes.

    Letters set one by one sit up to 0.17 em apart (Genova's numbers); a word space is about
    0.28 em, but where italic gives way to roman ("Prevotella group") the slant eats some.
    """
    same_font = (
        prev.get("fontname") == char.get("fontname")
        and (prev.get("matrix") or ())[2:3] == (char.get("matrix") or ())[2:3]
    )
    return 0.2 if same_font else 0.1


def _cells(chars: list[dict[str, Any]]) -> tuple[Cell, ...]:
    chars.sort(key=lambda c: (c.get("matrix") or (0, 0, 0, 0, c["x0"]))[4])
    groups: list[list[dict[str, Any]]] = [[]]
    texts: list[list[str]] = [[]]
    for prev, char in zip([None, *chars], chars, strict=False):
        size = float(char.get("size") or 10.0)
        gap = _word_gap(prev, char) if prev is not None else 0.0
        if gap > max(4.0, 1.0 * size):
            groups.append([])
            texts.append([])
        spaced = gap > _space_width(prev, char) * size if prev is not None else False
        if (spaced or char["text"].isspace()) and texts[-1] and texts[-1][-1] != " ":
            texts[-1].append(" ")
        if not char["text"].isspace():
            groups[-1].append(char)
            texts[-1].append(char["text"])
    cells = []
    for group, text_parts in zip(groups, texts, strict=True):
        text = "".join(text_parts).strip().translate(_LIGATURES)
        if not group or not text:
            continue
        sizes = [float(c.get("size") or 0.0) for c in group]
        color = group[0].get("non_stroking_color") or ()
        cells.append(
            Cell(
                text=text,
                x0=min(float(c["x0"]) for c in group),
                x1=max(float(c["x1"]) for c in group),
                top=min(float(c["top"]) for c in group),
                bottom=max(float(c["bottom"]) for c in group),
                size=max(sizes),
                bold="bold" in str(group[0].get("fontname", "")).lower(),
                color=tuple(float(v) for v in color) if isinstance(color, list | tuple) else (),
            )
        )
    return tuple(cells)


def _lines(chars: Iterable[dict[str, Any]]) -> tuple[Line, ...]:
    """Group characters into lines by baseline (bottom edge), within 40% of their size."""
    upright = sorted((c for c in chars if c.get("upright", True)), key=lambda c: c["bottom"])
    rows: list[list[dict[str, Any]]] = []
    anchor = 0.0
    for char in upright:
        size = float(char.get("size") or 10.0)
        if rows and abs(char["bottom"] - anchor) <= max(1.5, 0.4 * size):
            rows[-1].append(char)
        else:
            rows.append([char])
            anchor = char["bottom"]
    return tuple(Line(cells=cells) for row in rows if (cells := _cells(row)))


def _page_count(document: Any) -> int:
    from pdfminer.pdftypes import resolve1

    try:
        pages = resolve1(document.catalog.get("Pages"))
        return int(resolve1(pages.get("Count", 0)))
    except Exception:  # a broken page tree: the pages actually read tell the count
        return 0


def extract_pdf(
    data: bytes, *, max_pages: int = MAX_PAGES, max_chars: int = MAX_CHARS
) -> PdfDocument | None:
    """Read a PDF's text layer as lines of cells.

    Parameters
    ----------
    data
        The file's bytes.
    max_pages
        Pages read at most (the rest are not opened).
    max_chars
        Characters kept at most; reading stops at the page where the count is passed.

    Returns
    -------
    PdfDocument | None
        None when the PDF has no usable text layer (a scan or a photo saved as PDF: OCR's
        job).

    Raises
    ------
    AnalysisError
        ``lab_pdf_unreadable`` when the bytes are not a PDF pdfplumber can open (broken,
        encrypted, hostile); ``lab_pdf_too_large`` past the limits above.
    """
    import pdfplumber
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.page import Page

    if data.count(b" R") > MAX_REFERENCES:
        raise AnalysisError("lab_pdf_too_large", "The PDF holds more objects than a report does.")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many unrelated types for a broken file
        raise AnalysisError(
            "lab_pdf_unreadable", "The PDF could not be opened.", reason=type(exc).__name__
        ) from exc
    pages: list[PdfPage] = []
    chars_seen = 0
    truncated = False
    read = 0
    try:
        with pdf:
            count = _page_count(pdf.doc)
            doctop = 0.0
            for number, page_obj in enumerate(
                islice(PDFPage.create_pages(pdf.doc), max_pages + 1), start=1
            ):
                if number > max_pages:
                    truncated = True
                    break
                read = number
                glyphs = _text_contents(page_obj, number)
                if chars_seen + glyphs > max_chars:
                    truncated = True
                    break
                page = Page(pdf, page_obj, page_number=number, initial_doctop=doctop)
                doctop += float(page.height)
                chars = page.dedupe_chars(tolerance=1).chars
                chars_seen += max(glyphs, len(chars))
                pages.append(
                    PdfPage(
                        number=number,
                        width=float(page.width),
                        height=float(page.height),
                        lines=_lines(chars),
                    )
                )
                page.close()
    except AnalysisError:
        raise
    except (Exception, RecursionError) as exc:
        raise AnalysisError(
            "lab_pdf_unreadable", "The PDF could not be read.", reason=type(exc).__name__
        ) from exc
    visible = sum(len(cell.text) for page in pages for line in page.lines for cell in line.cells)
    if visible < MIN_TEXT_CHARS:
        return None
    # A page tree may claim any count: past what a report has, trust the pages walked.
    claimed = count if count <= 10_000 else 0
    return PdfDocument(pages=tuple(pages), page_count=max(claimed, read), truncated=truncated)
