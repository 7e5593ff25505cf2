"""BIOHM Health's Gut Report (bacteria and fungi, a browser's print of the web report).

What is text in the PDF: the diversity score on the dial (p2), and the rows of Part 3,
``Taxon (x.xxx%)  Level`` with Level ``Low`` / ``Normal`` / ``High``, under headings
``<PHYLUM> PHYLUM (x%)  Level`` (bacteria on pp5-6, fungi on p7). The pies and the
"distribution of normal samples" bars are images. Each taxon becomes a marker: its share of
its community (bacterial or fungal) in percent, BIOHM's Level as the printed flag, the phylum
heading as the section; a phylum heading is a marker of its own too. BIOHM prints no numeric
range. The kit ID (on p2 and in every page's footer URL) is never read.
"""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime

from analysis.labs.generic import Tail, make_marker
from analysis.labs.model import Flag, LabPanel, Marker, Source
from analysis.labs.values import Parsed

__all__ = ["LAB", "TEST", "matches", "read"]

LAB = "BIOHM Health"
TEST = "Gut Report"

_LEVELS: dict[str, Flag] = {"low": "low", "normal": "normal", "high": "high"}
_ROW_RE = re.compile(
    r"^(?P<name>[A-Za-z][\w .,'/-]*?)\s+\((?P<share>\d+(?:\.\d+)?)\s?%\)\s+(?P<level>Low|Normal|High)$"
)
_PHYLUM_RE = re.compile(r"^[A-Z]+ PHYLUM$")
_DATE_RE = re.compile(r"^(?P<date>[A-Z][a-z]+ \d{1,2}, \d{4})$")
_DIAL_RE = re.compile(r"^\d{1,2}$")
_SCALE_RE = re.compile(r"^POOR\s+OKAY\s+GOOD$")
_FOOTER_PAGE_RE = re.compile(r"\b(\d+)/(\d+)$")
_HEALTH_ON_RE = re.compile(r"^YOUR\s+GUT\s+HEALTH\s+ON$")
_SCORE_HEADING_RE = re.compile(r"^YOUR\s+GUT\s+SCORE$")
#: The dial's name as the report's own paragraph gives it.
_SCORE_NAME_RE = re.compile(r"\b(BIOHM\s+Diversity\s+Score)\b")


def matches(text: str) -> bool:
    """Whether the text is a BIOHM Gut Report.

    Parameters
    ----------
    text
        The document's text.
    """
    head = text[:20_000]
    return ("biohmtesting.com" in head or "BIOHM" in head) and " PHYLUM (" in text


def _collected(lines: list[str]) -> date | None:
    for before, line in itertools.pairwise(lines):
        match = _DATE_RE.match(line)
        if _HEALTH_ON_RE.match(before) and match:
            try:
                return datetime.strptime(match.group("date"), "%B %d, %Y").date()
            except ValueError:
                return None
    return None


def _pages(lines: list[str]) -> int:
    totals = [int(m.group(2)) for line in lines if (m := _FOOTER_PAGE_RE.search(line))]
    return max(totals) if totals else 1


def read(text: str, *, source: Source = "pdf_text", pages: int | None = None) -> LabPanel:
    """Read a BIOHM Gut Report's text into a panel.

    Parameters
    ----------
    text
        The report's text, one printed line per line (cells two spaces apart).
    source
        How the text was got.
    pages
        The document's page count when known (else read from the footers' ``n/7``).

    Returns
    -------
    LabPanel
        The diversity score, then every phylum and taxon row in report order.
    """
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    markers: list[Marker] = []
    unread = 0
    heading = next((line for line in lines if _SCORE_HEADING_RE.match(line)), "")
    named = _SCORE_NAME_RE.search(text)
    score_name = " ".join(named.group(1).split()) if named else "Diversity Score"
    for line, following in itertools.pairwise(lines):
        if _DIAL_RE.match(line) and _SCALE_RE.match(following):
            score = Tail(result_text=line, parsed=Parsed(value=float(line)))
            markers.append(make_marker(heading, score_name, score))
    section = ""
    for line in lines:
        match = _ROW_RE.match(line)
        if match is None:
            if re.search(r"\(\d+(?:\.\d+)?\s?%\)", line):
                unread += 1
            continue
        name = match.group("name")
        if _PHYLUM_RE.match(name):
            section = name
        share = match.group("share")
        tail = Tail(result_text=f"{share}%", parsed=Parsed(value=float(share)), unit="%")
        flag = _LEVELS[match.group("level").lower()]
        markers.append(make_marker(section or name, name, tail, flag=flag))
    total = len(markers) + unread
    return LabPanel(
        lab=LAB,
        test=TEST,
        reader="biohm",
        source=source,
        collected=_collected(lines),
        markers=markers,
        pages=pages if pages is not None else _pages(lines),
        confidence=round(len(markers) / total, 4) if total else 0.0,
        unread_rows=unread,
    )
