"""A photo or scan of a lab report page to a :class:`LabPanel`: OCR, then the reader of its layout.

A multi-page report arrives one photo at a time, and each page gives its own panel (a page
without results, such as Bioscreen's references page, gives a panel without markers).
:func:`analysis.labs.scanned.merge` joins the panels of one report's pages.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from analysis.labs import bioscreen, nutripath, routine_exam
from analysis.labs.model import LabPanel
from analysis.labs.ocr import OcrLine, image_problem, ocr_lines
from analysis.model import AnalysisError

__all__ = ["READERS", "read_lab_image", "read_lines"]

#: A known layout read without a single marker on a page read less surely than this: a blurred
#: photo of a results page rather than a page without results.
CLEAR_CONFIDENCE = 0.9

#: The readers of photographed layouts, tried in this order; each has matches() and read().
READERS: tuple[ModuleType, ...] = (nutripath, bioscreen, routine_exam)


def read_lines(lines: list[OcrLine]) -> LabPanel | None:
    """The panel of the first reader whose layout the lines match; None when none does."""
    for reader in READERS:
        matches: Callable[[list[OcrLine]], bool] = reader.matches
        if matches(lines):
            panel: LabPanel = reader.read(lines)
            return panel
    return None


def read_lab_image(data: bytes) -> LabPanel | None:
    """Read one photographed or scanned page of a lab report.

    Parameters
    ----------
    data
        The image file's bytes (JPEG, PNG, WebP...).

    Returns
    -------
    LabPanel | None
        The page's panel (``source="ocr"``; markers OCR could not confirm have
        ``certain=False``); None when the text is legible but no reader knows the layout.

    Raises
    ------
    AnalysisError
        ``image_too_large`` or ``image_unreadable`` from :func:`analysis.labs.ocr.ocr_lines`;
        ``image_unreadable`` (too blurred) or ``image_not_a_report`` (too little text) from
        :func:`analysis.labs.ocr.image_problem`; ``image_unreadable`` too when a known layout
        gives no marker from a page read less surely than :data:`CLEAR_CONFIDENCE`.
    """
    lines = ocr_lines(data)
    problem = image_problem(lines)
    if problem is not None:
        raise AnalysisError(problem, "The image holds no readable report.", lines=len(lines))
    panel = read_lines(lines)
    mean = sum(line.confidence for line in lines) / len(lines)
    if panel is not None and not panel.markers and mean < CLEAR_CONFIDENCE:
        raise AnalysisError("image_unreadable", "The page was read too unsurely.", lines=len(lines))
    return panel
