"""Each photographed page against its reading written by hand (expected.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from analysis.labs import bioscreen, nutripath, routine_exam
from analysis.labs.images import read_lines
from analysis.labs.model import LabPanel
from analysis.labs.ocr import OcrLine
from tests.analysis.labs_ocr.expected import (
    BIOSCREEN,
    NUTRIPATH,
    PAGES,
    PERSONAL,
    ROUTINE,
    right,
    score,
)

Lines = Callable[[str], list[OcrLine]]
READER_OF = {NUTRIPATH.format(n): nutripath for n in range(1, 8)}
READER_OF |= {BIOSCREEN.format(1): bioscreen, BIOSCREEN.format(2): bioscreen, ROUTINE: routine_exam}

pytestmark = pytest.mark.slow


def _panel(page_lines: Lines, name: str) -> LabPanel:
    panel = read_lines(page_lines(name))
    assert panel is not None, f"no reader matched {name}"
    return panel


@pytest.mark.parametrize("name", sorted(PAGES))
def test_only_its_own_reader_matches(page_lines: Lines, name: str) -> None:
    lines = page_lines(name)
    matched = [r for r in (nutripath, bioscreen, routine_exam) if r.matches(lines)]
    assert matched == [READER_OF[name]]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_reads_as_transcribed(page_lines: Lines, name: str) -> None:
    panel = _panel(page_lines, name)
    rows = PAGES[name]
    good, total, certain_wrong = score(panel, rows)
    assert certain_wrong == 0, "a wrong value is shown as certain"
    if total:
        assert good / total >= 0.95, f"{good}/{total} right"
    assert [m.name for m in panel.markers] == [r.name for r in rows]
    assert panel.source == "ocr"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_keys_of_the_weighted_markers(page_lines: Lines, name: str) -> None:
    panel = _panel(page_lines, name)
    keys = {m.name: m.key for m in panel.markers}
    for row in PAGES[name]:
        if row.key is not None:
            assert keys.get(row.name) == row.key, row.name


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_personal_detail_reaches_the_panel(page_lines: Lines, name: str) -> None:
    dumped = _panel(page_lines, name).model_dump_json().lower()
    for detail in PERSONAL:
        assert detail.lower() not in dumped


def test_every_marker_is_certain_or_right(page_lines: Lines) -> None:
    """Across all pages: a marker shown as fact is read right (uncertain ones say so)."""
    for name, rows in PAGES.items():
        by_name = {r.name: r for r in rows}
        for marker in _panel(page_lines, name).markers:
            if marker.certain:
                assert right(marker, by_name[marker.name]), (name, marker.name)


def test_panels_say_lab_test_and_date(page_lines: Lines) -> None:
    first = _panel(page_lines, NUTRIPATH.format(1))
    assert (first.lab, first.test, str(first.collected)) == (
        "NutriPATH",
        "CDSA Level 4+",
        "2010-10-26",
    )
    assert first.reader == "nutripath_cdsa"
    parasites = _panel(page_lines, BIOSCREEN.format(1))
    assert (parasites.lab, parasites.collected) == ("Bioscreen", None)
    exam = _panel(page_lines, ROUTINE)
    assert str(exam.collected) == "2013-02-15"


def test_a_page_without_results_gives_an_empty_panel(page_lines: Lines) -> None:
    panel = _panel(page_lines, BIOSCREEN.format(2))
    assert panel.markers == [] and panel.unread_rows == 0


def test_outside_range_markers_are_the_flagged_ones(page_lines: Lines) -> None:
    exam = _panel(page_lines, ROUTINE)
    assert {m.key for m in exam.outside_range()} >= {"occult_blood", "rbc", "wbc"}
    calprotectin = next(
        m for m in _panel(page_lines, NUTRIPATH.format(4)).markers if m.key == "calprotectin"
    )
    assert (calprotectin.flag, calprotectin.flag_source, calprotectin.unit) == (
        "high",
        "computed",
        "ug/g",
    )
