"""What each page says, transcribed by hand from the images in ../shared/data/labs.

Written by looking at each JPEG (not from any OCR output): the marker's name, its result and
range as printed, and the flag that the result against the printed range gives. NutriPATH
prints out-of-range results in red; two of its red results disagree with its own printed
range, and the flag expected here is the one the range gives (see the notes on the rows).
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.labs.model import LabPanel, Marker


@dataclass(frozen=True)
class Row:
    """One marker as printed: ``value`` for a number, ``qualitative``/``grade`` for the rest."""

    name: str
    result: str
    range: str | None
    flag: str
    value: float | None = None
    below: bool = False
    above: bool = False
    qualitative: str | None = None
    grade: str | None = None
    key: str | None = None


ND = "not_detected"
DET = "detected"

NUTRIPATH = "nutripath_cdsa-level4plus_sample-report_2011_page{}.jpg"
BIOSCREEN = "bioscreen_faecal-parasite-report_sample_page{}.jpg"
ROUTINE = "cn-hospital_routine-stool-exam_photo_ca2013_stool4.jpg"

PAGES: dict[str, list[Row]] = {
    NUTRIPATH.format(1): [
        Row("Stool Colour", "Brown", "Brown", "normal"),
        Row("Stool Form", "Unformed", "Formed", "abnormal"),
        Row("Mucous", "ND", "<+", "normal", qualitative=ND),
        Row("Blood (Macro)", "ND", "<+", "normal", qualitative=ND),
        Row("RBCs (Micro)", "ND", "<+", "normal", qualitative=ND, key="rbc"),
        Row("WBCs (Micro)", "0", "<10", "normal", value=0.0, key="wbc"),
        Row("Food Remnants", "+++", "<++", "high", grade="+++", qualitative=DET),
        Row("Fat Globules", "ND", "<+", "normal", qualitative=ND, key="fat_globules"),
        Row("Starch", "ND", "<+", "normal", qualitative=ND),
    ],
    NUTRIPATH.format(2): [
        Row("Chymotrypsin", "21.2", "0.9 - 26.8", "normal", value=21.2),
        Row("Short Chain Fatty Acids, Putrefactive", "11.6", "1.3 - 8.6", "high", value=11.6),
        Row("Meat Fibres", "ND", "<+", "normal", qualitative=ND),
        # Printed in red, yet "+" is inside "<++": the printed range gives normal.
        Row("Vegetable Fibres", "+", "<++", "normal", grade="+", qualitative=DET),
        Row(
            "Pancreatic Elastase 1",
            ">500",
            "> 200",
            "normal",
            value=500.0,
            above=True,
            key="elastase",
        ),
    ],
    NUTRIPATH.format(3): [
        Row("Triglycerides, Stool", "193", "< 400", "normal", value=193.0),
        Row("Long Chain Fatty Acids", "5.5", "0.3 - 12.0", "normal", value=5.5),
        Row("Cholesterol, Stool", "40.8", "< 70.0", "normal", value=40.8),
        Row("Phospholipids", "1.6", "0.2 - 1.8", "normal", value=1.6),
        Row("Short Chain Fatty Acids, Beneficial", "9.6", "> 13.6", "low", value=9.6),
        Row("Butyrate", "21.2", "8.0 - 28.0", "normal", value=21.2),
        Row(
            "b-Glucuronidase", "365.0", "337.0 - 4433", "normal", value=365.0, key="b_glucuronidase"
        ),
        Row("pH", "6.5", "6.3 - 7.7", "normal", value=6.5),
        Row("Acetate", "55.0", "50.0 - 72.0", "normal", value=55.0),
        Row("Propionate", "16.0", "15.0 - 22.0", "normal", value=16.0),
    ],
    NUTRIPATH.format(4): [
        Row("Transglutaminase IgA", "62.0", "10.0 - 100.0", "normal", value=62.0),
        Row("Eosinophil Protein X", "2.1", "< 7.0", "normal", value=2.1),
        # Banded scale: the "Normal <50 ug/g" band is the range; 62.0 sits in "Mildly Elevated".
        Row("Calprotectin", "62.0", "<50", "high", value=62.0, key="calprotectin"),
    ],
    NUTRIPATH.format(5): [
        Row("M2 Pyruvate Kinase", "1.3", "<= 4", "normal", value=1.3),
        Row("H. PYLORI, Antigen", "Negative", None, "normal", qualitative=ND, key="h_pylori"),
    ],
    NUTRIPATH.format(6): [
        Row("Bifidobacteria", "+++", "2-4+", "normal", grade="+++", qualitative=DET),
        Row("Lactobacilli", "++", "2-4+", "normal", grade="++", qualitative=DET),
        Row("Eschericia coli", "+++", "2-4+", "normal", grade="+++", qualitative=DET),
        Row("Enterococci", "++", "1-2+", "normal", grade="++", qualitative=DET),
        Row("Klebsiella", "ND", "<+", "normal", qualitative=ND),
        Row("Pseudomonas", "ND", "<+", "normal", qualitative=ND),
        Row("Campylobacter", "ND", "<+", "normal", qualitative=ND, key="campylobacter"),
        Row("Citrobacter", "ND", "<+", "normal", qualitative=ND),
        Row("Yersinia", "ND", "<+", "normal", qualitative=ND, key="yersinia"),
        Row("Candida albicans", "ND", "<+", "normal", qualitative=ND),
        Row("Other Yeasts", "+", "<+", "high", grade="+", qualitative=DET),
        Row("Cryptosporidium", "ND", "<+", "normal", qualitative=ND, key="cryptosporidium"),
        Row("Giardia lamblia", "ND", "<+", "normal", qualitative=ND, key="giardia"),
        Row(
            "Entamoeba Histolytica",
            "ND",
            "<+",
            "normal",
            qualitative=ND,
            key="entamoeba_histolytica",
        ),
        Row("Blastocystis Hominis", "ND", "<+", "normal", qualitative=ND, key="blastocystis"),
        Row("Other Parasites", "ND", "<+", "normal", qualitative=ND),
    ],
    NUTRIPATH.format(7): [
        Row(
            "Wet Prep/Concentrate",
            "NO OVA, CYSTS OR PARASITES SEEN",
            None,
            "normal",
            qualitative=ND,
            key="ova_and_parasites",
        ),
        Row(
            "Cryptosporidium, EIA",
            "Negative",
            None,
            "normal",
            qualitative=ND,
            key="cryptosporidium",
        ),
        Row("Giardia EIA", "Negative", None, "normal", qualitative=ND, key="giardia"),
        Row(
            "Entamoeba Histolytica EIA",
            "Negative",
            None,
            "normal",
            qualitative=ND,
            key="entamoeba_histolytica",
        ),
    ],
    BIOSCREEN.format(1): [
        Row(
            "Entamoeba histolytica",
            "Not Detected",
            None,
            "normal",
            qualitative=ND,
            key="entamoeba_histolytica",
        ),
        Row(
            "Dientamoeba fragilis",
            "DETECTED",
            None,
            "abnormal",
            qualitative=DET,
            key="dientamoeba_fragilis",
        ),
        Row(
            "Cryptosporidium", "DETECTED", None, "abnormal", qualitative=DET, key="cryptosporidium"
        ),
        Row("Giardia intestinalis", "DETECTED", None, "abnormal", qualitative=DET, key="giardia"),
        Row("Blastocystis spp", "DETECTED", None, "abnormal", qualitative=DET, key="blastocystis"),
        Row(
            "Blastocystis Subtype 1",
            "DETECTED",
            None,
            "abnormal",
            qualitative=DET,
            key="blastocystis",
        ),
        Row(
            "Blastocystis Subtype 3",
            "Not Detected",
            None,
            "normal",
            qualitative=ND,
            key="blastocystis",
        ),
    ],
    BIOSCREEN.format(2): [],
    ROUTINE: [
        Row("Colour", "黄红色", "黄、棕色", "abnormal"),
        Row("Consistency", "粘液便", "软、糊状", "abnormal"),
        Row(
            "RBC (microscopy)",
            "+++",
            "阴性(-)",
            "abnormal",
            grade="+++",
            qualitative=DET,
            key="rbc",
        ),
        Row(
            "WBC (microscopy)",
            "++++",
            "阴性(-)",
            "abnormal",
            grade="++++",
            qualitative=DET,
            key="wbc",
        ),
        # The reference column is cut off by the photo's edge after "未见异常(".
        Row("Ova", "未见异常(-)", "未见异常", "normal", qualitative=ND, key="ova_and_parasites"),
        Row("Parasitic protozoa", "未见异常(-)", "未见异常", "normal", qualitative=ND),
        Row("Fat globules", "阴性(-)", "阴性(-)", "normal", qualitative=ND, key="fat_globules"),
        Row("Occult blood", "阳性(+)", "阴性(-)", "abnormal", qualitative=DET, key="occult_blood"),
    ],
}

#: Personal details printed on the pages: none may reach a panel.
PERSONAL = (
    "TEST PATIENT",
    "TEST PATI ENT",
    "TEST DOCTOR",
    "TEST STREET",
    "TEST SUBURB",
    "3295480",
    "Sample, Patient",
    "04-Jan-2002",
    "Henry Butt",
)


def _squash(text: str | None) -> str:
    return "".join((text or "").split()).lower()


def value_right(marker: Marker, row: Row) -> bool:
    """Whether the marker's result (number, word or grade) and range are the printed ones."""
    if row.value is not None:
        ok = marker.value == row.value and marker.below == row.below and marker.above == row.above
    elif row.grade is not None:
        ok = marker.grade == row.grade
    elif row.qualitative is not None:
        ok = marker.qualitative == row.qualitative and marker.value is None
    else:
        ok = _squash(marker.result_text) == _squash(row.result)
    if row.qualitative is not None and marker.qualitative != row.qualitative:
        ok = False
    printed = marker.range.text if marker.range else None
    return ok and _squash(printed) == _squash(row.range)


def right(marker: Marker, row: Row) -> bool:
    """Value, range and flag all as printed."""
    return value_right(marker, row) and marker.flag == row.flag


def score(panel: LabPanel | None, rows: list[Row]) -> tuple[int, int, int]:
    """(markers right, markers expected, markers wrong yet certain) for one page."""
    markers = {_squash(m.name): m for m in panel.markers} if panel else {}
    good = certain_wrong = 0
    for row in rows:
        marker = markers.get(_squash(row.name))
        if marker is not None and right(marker, row):
            good += 1
        elif marker is not None and marker.certain:
            certain_wrong += 1
    extra = [
        m
        for m in (panel.markers if panel else [])
        if _squash(m.name) not in {_squash(r.name) for r in rows}
    ]
    certain_wrong += sum(m.certain for m in extra)
    return good, len(rows), certain_wrong
