"""Percentages, names from files and the order indices are shown in (words are in ``content``)."""

from __future__ import annotations

import unicodedata

from analysis.indices import INDEX_KEYS

#: The indices in the order they are shown (the registry's order).
INDEX_ORDER = INDEX_KEYS


def percent(value: float) -> str:
    """A relative abundance (0-1) as a short percentage."""
    pct = value * 100
    if pct == 0:
        return "0%"
    if pct < 0.01:
        return "<0.01%"
    if pct < 1:
        return f"{pct:.2f}%"
    return f"{pct:.1f}%"


#: The longest file name or sample name shown in a reply (the rest is cut with an ellipsis).
NAME_LIMIT = 60


def shown_name(name: str | None, limit: int = NAME_LIMIT) -> str:
    """A name taken from a user's file, safe to show: no control, format or bidi characters
    (a right-to-left override would turn the rest of the line around), whitespace collapsed,
    at most ``limit`` characters."""
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in (name or "")
        if ch.isspace() or unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn"}
    )
    clean = " ".join(kept.split())
    if len(clean) > limit:
        clean = clean[: limit - 1].rstrip() + "…"
    return clean or "?"


#: Characters that make a spreadsheet read a cell as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """A text cell a spreadsheet shows as text: a leading formula character gets a quote."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def formats_list() -> str:
    """The results-file formats gutbot reads, from the format registry, for a sentence."""
    from analysis.formats.registry import SUPPORTED_FORMATS

    return "; ".join(SUPPORTED_FORMATS)
