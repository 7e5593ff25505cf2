"""Questionnaire scores pasted into a message: IBS-SSS changes and the PHQ-4's two halves.

Pure reading of numbers against the instruments' own cut-offs: an IBS-SSS change of 50 points
or more is a real change (Francis 1997), and a PHQ-4 half (PHQ-2 for low mood, GAD-2 for
anxiety) of 3 or more of its 6 points is a positive screen (Kroenke 2009).
"""

from __future__ import annotations

import re

from content.instruments import IBS_SSS_MEANINGFUL_CHANGE

#: A PHQ-2 or GAD-2 half of the PHQ-4 at or above this is a positive screen.
PHQ4_HALF_POSITIVE = 3

_IBS_SSS = re.compile(r"\bibs.?sss\b|\bibs severity score\b|\bsymptom severity score\b")
# "150 -> 230", "from 180 to 290", "went up 150 to 230", "280 → 190"
_FROM_TO = re.compile(r"\b(\d{2,3})\s*(?:->|→|=>|to|up to|then)\s*(\d{2,3})\b")
# "is 310 now, was 220 in march"
_NOW_WAS = re.compile(r"\b(\d{2,3})\b(?: \w+){0,2}\W+(?:it )?was (?:only )?(\d{2,3})\b")
_HALVES = re.compile(
    r"\b(?:anxiety|gad.?2|anxious)\W{0,3}(\d)\b|\b(?:depression|phq.?2|mood|low mood)\W{0,3}(\d)\b"
)


def ibs_sss_rise(text: str) -> int:
    """The largest IBS-SSS rise told in the message (0 when none is told)."""
    rise = 0
    for word in _IBS_SSS.finditer(text):
        window = text[word.end() : word.end() + 80]
        for match in _FROM_TO.finditer(window):
            before, after = int(match.group(1)), int(match.group(2))
            if before <= 500 and after <= 500:
                rise = max(rise, after - before)
        for match in _NOW_WAS.finditer(window):
            now, was = int(match.group(1)), int(match.group(2))
            if now <= 500 and was <= 500:
                rise = max(rise, now - was)
    return rise


def ibs_sss_worse(text: str) -> bool:
    """An IBS-SSS rise of a meaningful size (50 points or more)."""
    return ibs_sss_rise(text) >= IBS_SSS_MEANINGFUL_CHANGE


# The four items, each 0-3: two make the anxiety half (GAD-2), two the low-mood half (PHQ-2).
_ITEMS = {
    "anxiety": re.compile(
        r"\b(?:nervous|anxious|on edge)\W{0,3}([0-3])\b|\bworr\w*\W{0,3}([0-3])\b"
    ),
    "mood": re.compile(
        r"\b(?:interest|pleasure)\W{0,3}([0-3])\b|\b(?:down|depressed|hopeless)\W{0,3}([0-3])\b"
    ),
}


# The four answers in the questionnaire's order (nervous, worrying | interest, down): "2, 2, 3, 2".
_FOUR = re.compile(r"(?<!\d)(?<!\d\.)([0-3])\W{1,3}([0-3])\W{1,3}([0-3])\W{1,3}([0-3])(?!\.?\d)")
# A total out of 12: at 6 or more one half is at least 3, whatever the split.
_TOTAL = re.compile(
    r"\b(?:scored?|total|got|came to|came out at)(?: (?:was|is|of))?\W{0,3}(\d{1,2})\b"
    r"|\b(\d{1,2}) ?(?:/|out of) ?12\b"
)


def phq4_half_positive(text: str) -> bool:
    """A PHQ-4 whose anxiety or low-mood half is 3 to 6 (a positive screen), told as the halves
    ("anxiety 5, depression 4") or as the four items ("nervous 3, worrying 3, interest 2")."""
    at = text.find("phq")
    if at < 0:
        return False
    window = text[at : at + 100]
    for match in _HALVES.finditer(window):
        value = int(match.group(1) or match.group(2))
        if PHQ4_HALF_POSITIVE <= value <= 6:
            return True
    for items in _ITEMS.values():
        values = [int(v) for m in items.finditer(window) for v in m.groups() if v is not None]
        if len(values) == 2 and sum(values) >= PHQ4_HALF_POSITIVE:
            return True
    for match in _FOUR.finditer(window):
        a, b, c, d = (int(v) for v in match.groups())
        if max(a + b, c + d) >= PHQ4_HALF_POSITIVE:
            return True
    for match in _TOTAL.finditer(window):
        total = int(match.group(1) or match.group(2))
        if 2 * PHQ4_HALF_POSITIVE <= total <= 12:
            return True
    return False
