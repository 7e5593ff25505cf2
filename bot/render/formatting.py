"""Percentages and the order indices are shown in (the words for ids are in ``content``)."""

from __future__ import annotations

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
