"""The generic "marker  value  unit  range" reader, for a lab with no reader of its own.

The report below is written for this test in the way a CDSA prints its rows (values from the
NutriPATH sample's description in ../shared/data/labs/README.md), with a header holding
invented personal details that must never reach the panel.
"""

from __future__ import annotations

import pytest

from analysis.labs import generic
from analysis.labs.read import read_lab
from tests.analysis.labs.expected import differences, exact, table

REPORT = """\
COMPLETE DIGESTIVE STOOL ANALYSIS
Patient: TEST PATIENT   DOB: 01/02/1970   Lab id 3295480
Dr. TEST DOCTOR
111 TEST STREET, TEST SUBURB VIC 3000
DIGESTIVE MARKERS
Chymotrypsin  21.2  U/g  0.9-26.8
Putrefactive SCFA  11.6  umol/g  1.3-8.6  H
Pancreatic Elastase 1  >500  >200 ug/g
ABSORPTION AND METABOLIC MARKERS
Beneficial SCFA  9.6  umol/g  >13.6  L
b-Glucuronidase  365.0  U/g  337.0-4433
pH  6.5
INFLAMMATION MARKERS
EPX  2.1  <7.0 ug/g
Calprotectin  62.0  ug/g  <50
M2-PK  1.3  <=4 U/ml
H. pylori antigen  Negative
Page 3 of 7
"""

EXPECTED = table("""
## DIGESTIVE MARKERS
Chymotrypsin | 21.2 | 21.2 | | | U/g | 0.9-26.8 | nc
Putrefactive SCFA | 11.6 | 11.6 | | | umol/g | 1.3-8.6 | hp
Pancreatic Elastase 1 | >500 | 500 | | | ug/g | >200 | nc
## ABSORPTION AND METABOLIC MARKERS
Beneficial SCFA | 9.6 | 9.6 | | | umol/g | >13.6 | lp
b-Glucuronidase | 365.0 | 365 | | | U/g | 337.0-4433 | nc
## INFLAMMATION MARKERS
EPX | 2.1 | 2.1 | | | ug/g | <7.0 | nc
Calprotectin | 62.0 | 62 | | | ug/g | <50 | hc
M2-PK | 1.3 | 1.3 | | | U/ml | <=4 | nc
H. pylori antigen | Negative | - | nd | | | | u
""")


def test_rows_read_whole() -> None:
    panel = generic.read(REPORT)
    assert panel is not None
    assert exact(panel, EXPECTED) == len(EXPECTED) == len(panel.markers), "\n".join(
        differences(panel, EXPECTED)
    )
    assert (panel.reader, panel.lab, panel.test, panel.source) == (
        "generic",
        "unknown",
        "unknown",
        "text",
    )


def test_confidence_is_the_share_of_candidate_rows_read_whole() -> None:
    panel = generic.read(REPORT)
    assert panel is not None
    # "pH  6.5" (no range) and "Page 3 of 7" are candidates not read whole.
    assert panel.unread_rows == 2
    assert panel.confidence == pytest.approx(9 / 11, abs=1e-4)


def test_no_personal_detail_in_the_panel() -> None:
    panel = generic.read(REPORT)
    assert panel is not None
    dumped = panel.model_dump_json()
    for detail in ("TEST PATIENT", "01/02/1970", "3295480", "TEST DOCTOR", "TEST STREET", "3000"):
        assert detail not in dumped


def test_a_name_on_its_own_line_never_becomes_a_section() -> None:
    text = "JANE DOE\n" + "\n".join(REPORT.splitlines()[5:8])
    panel = generic.read(text)
    assert panel is not None
    assert {m.section for m in panel.markers} == {""}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Dear patient,\nyour results are enclosed.\nKind regards",
        "Calprotectin  62.0  ug/g  <50\nEPX  2.1  <7.0 ug/g",  # two markers: not a panel
        "Invoice 2024-113\nTotal  120.00\nVAT  20.00\nPage 1 of 1",
    ],
)
def test_fewer_than_three_markers_is_not_a_panel(text: str) -> None:
    assert generic.read(text) is None


def test_read_lab_falls_back_to_the_generic_reader() -> None:
    panel = read_lab(REPORT.encode("utf-8"), "cdsa.txt")
    assert panel is not None and panel.reader == "generic"
    keys = {m.name: m.key for m in panel.markers}
    assert keys["Pancreatic Elastase 1"] == "elastase"
    assert keys["Calprotectin"] == "calprotectin"
    assert keys["b-Glucuronidase"] == "b_glucuronidase"
    assert keys["EPX"] == "eosinophil_protein_x"
    assert keys["M2-PK"] == "m2_pk"
    assert keys["H. pylori antigen"] == "h_pylori"
    assert keys["Chymotrypsin"] is None


@pytest.mark.parametrize(
    ("text", "result", "flag", "range_text", "unit"),
    [
        ("<dl  < 1.00e3", "<dl", None, "< 1.00e3", None),
        (
            "1.29e9 H 1.29e9  8.6e5 - 6.2e8org/g 8.6e5 - 6.2e8",
            "1.29e9",
            "high",
            "8.6e5 - 6.2e8",
            "org/g",
        ),
        ("<1.00e2 <dl L  1.0e3 - 5.0e8org/g 1.0e3 - 5.0e8", "<dl", "low", "1.0e3 - 5.0e8", "org/g"),
        ("5.88e3  High ↑  < 1.00e3", "5.88e3", "high", "< 1.00e3", None),
        ("8.8E7 H <=8.0E7", "8.8E7", "high", "<=8.0E7", None),
        ("4225 H  510 - 2010 ug/g", "4225", "high", "510 - 2010", "ug/g"),
        ("N/A  Negative", "N/A", None, "Negative", None),
        ("Not Detected  Not Detected", "Not Detected", None, "Not Detected", None),
        ("NNeeggaattiivvee", "Negative", None, None, None),
        ("+++  2-4+", "+++", None, "2-4+", None),
        ("7.15e-1 - 1.44e2", None, None, "7.15e-1 - 1.44e2", None),
        ("L", None, "low", None, None),
    ],
)
def test_read_tail(
    text: str, result: str | None, flag: str | None, range_text: str | None, unit: str | None
) -> None:
    tail = generic.read_tail(text)
    assert tail.complete
    assert (tail.result_text, tail.flag, tail.range.text if tail.range else None, tail.unit) == (
        result,
        flag,
        range_text,
        unit,
    )


@pytest.mark.parametrize("text", ["spp.  1.2e3", "LT/ST  <dl", "1 >500 >200", "of 7"])
def test_read_tail_stops_at_what_is_not_a_tail(text: str) -> None:
    assert not generic.read_tail(text).complete
