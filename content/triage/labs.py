"""Lab values pasted into a message: calprotectin, FIT, ferritin and haemoglobin, CRP.

Pure reading of numbers against the thresholds the sources give (NICE DG11 and NG12, BSG); the
triage engine turns what these return into features.
"""

from __future__ import annotations

import re

_FERRITIN = re.compile(r"\b(?:ferritin|ферритин)\D{0,12}?(\d{1,3})\b")
_HAEMOGLOBIN = re.compile(
    r"\b(?:haemoglobin|hemoglobin|hb|гемоглобин)\D{0,12}?(\d{2,3}(?:\.\d)?)\b"
)


_CALPRO_WORD = re.compile(r"\b(?:faecal |fecal )?calpro\w*|\bfcp\b|кальпротектин\w*")
_REFERENCE = re.compile(
    r"(?:<|\bref\w*|\bunder|\bbelow|\bless than|\bupper|\bnormal\w*|\brange)\W{0,4}$"
)


def calprotectin(text: str) -> list[int]:
    """Faecal calprotectin values mentioned (µg/g): every number shortly after the word, not a
    reference limit ("250 (ref <50)" is 250) and not a duration."""
    values: list[int] = []
    for word in _CALPRO_WORD.finditer(text):
        window = text[word.end() : word.end() + 70]
        for number in re.finditer(
            r"\b(\d{2,4})\b(?!\s*(?:years?|weeks?|days?|months?|yrs?|%))", window
        ):
            if not _REFERENCE.search(window[max(0, number.start() - 12) : number.start()]):
                values.append(int(number.group(1)))
    return values


_FIT = re.compile(
    r"\b(?:q?fit|faecal immunochemical test|fob|fobt)\b(\D{0,45}?)(\d{1,4})\b"
    r"(?!\s*(?:years?|weeks?|days?|months?))"
)
#: Words between the test and its number that make the number a bound, not the result.
_FIT_BOUND = re.compile(r"\b(?:negative|normal|under|below|less than|lower than|clear)\b|<")


def positive_fit(text: str) -> bool:
    """A FIT result of 10 µg Hb/g or more (the NG12 threshold); "negative (under 10)" is not one."""
    return any(
        int(m.group(2)) >= 10 and not _FIT_BOUND.search(m.group(1)) for m in _FIT.finditer(text)
    )


def low_iron_or_haemoglobin(text: str) -> bool:
    """Ferritin under 30 µg/L (the latest value given), or haemoglobin under 115 g/L (11.5 g/dL)."""
    ferritin = [int(m.group(1)) for m in _FERRITIN.finditer(text)]
    if ferritin and ferritin[-1] < 30:
        return True
    for match in _HAEMOGLOBIN.finditer(text):
        value = float(match.group(1))
        if (value < 20 and value < 11.5) or (40 <= value < 115):
            return True
    return False


_CRP = re.compile(r"\bcrp\D{0,12}?(\d{1,3})\b")


def severe_colitis_bloods(text: str) -> bool:
    """Truelove-Witts blood markers: haemoglobin under 105 g/L (10.5 g/dL) or CRP over 30."""
    if any(int(m.group(1)) > 30 for m in _CRP.finditer(text)):
        return True
    for match in _HAEMOGLOBIN.finditer(text):
        value = float(match.group(1))
        if value < 10.5 or 40 <= value < 105:
            return True
    return False
