"""Genova GI Effects Microbial Ecology Profile (the 2016 sample report PDF), read by layout.

The expected reading is transcribed by hand from the PDF as printed, pages 2 to 6 (page 1 is an
infographic with no values). Format: ``expected.py``.
"""

from __future__ import annotations

from functools import cache

from analysis.labs import genova
from analysis.labs.model import LabPanel
from analysis.labs.pdf import PdfDocument, extract_pdf
from analysis.labs.read import read_lab
from tests.analysis.labs.expected import differences, exact, table
from tests.conftest import shared_path

FILE = "genova_gi-effects-microbial-ecology-profile_sample-report_2016.pdf"

EXPECTED = table("""
## Bacteroidetes Phylum
Bacteroides-Prevotella group | 8.4E7 | 8.4e7 | | | CFU/g stool | 3.4E6-1.5E9 | nc
Bacteroides vulgatus | 1.3E8 | 1.3e8 | | | CFU/g stool | <=2.2E9 | nc
Barnesiella spp. | 1.6E8 | 1.6e8 | | | CFU/g stool | <=1.6E8 | nc
Odoribacter spp. | 8.8E7 | 8.8e7 | | | CFU/g stool | <=8.0E7 | hp
Prevotella spp. | 4.2E6 | 4.2e6 | | | CFU/g stool | 1.4E5-1.6E7 | nc
## Firmicutes Phylum
Anaerotruncus colihominis | 9.5E6 | 9.5e6 | | | CFU/g stool | <=3.2E7 | nc
Butyrivibrio crossotus | <DL | - | nd | | CFU/g stool | 5.5E3-5.9E5 | lp
Clostridium spp. | 2.9E9 | 2.9e9 | | | CFU/g stool | 1.7E8-1.5E10 | nc
Coprococcus eutactus | <DL | - | nd | | CFU/g stool | <=1.2E8 | nc
Faecalibacterium prausnitzii | 9.0E8 | 9.0e8 | | | CFU/g stool | 5.8E7-4.7E9 | nc
Lactobacillus spp. | 7.4E8 | 7.4e8 | | | CFU/g stool | 8.3E6-5.2E9 | nc
Pseudoflavonifractor spp. | 6.0E7 | 6.0e7 | | | CFU/g stool | 4.2E5-1.3E8 | nc
Roseburia spp. | 2.1E9 | 2.1e9 | | | CFU/g stool | 1.3E8-1.2E10 | nc
Ruminococcus spp. | 1.0E9 | 1.0e9 | | | CFU/g stool | 9.5E7-1.6E9 | nc
Veillonella spp. | 8.5E6 | 8.5e6 | | | CFU/g stool | 1.2E5-5.5E7 | nc
## Actinobacteria Phylum
Bifidobacterium spp. | 3.3E8 | 3.3e8 | | | CFU/g stool | <=6.4E9 | nc
Bifidobacterium longum | <DL | - | nd | | CFU/g stool | <=7.2E8 | nc
Collinsella aerofaciens | 5.1E8 | 5.1e8 | | | CFU/g stool | 1.4E7-1.9E9 | nc
## Proteobacteria Phylum
Desulfovibrio piger | <DL | - | nd | | CFU/g stool | <=1.8E7 | nc
Escherichia coli | 1.6E6 | 1.6e6 | | | CFU/g stool | 9.0E4-4.6E7 | nc
Oxalobacter formigenes | 4.8E5 | 4.8e5 | | | CFU/g stool | <=1.5E7 | nc
## Euryarchaeota Phylum
Methanobrevibacter smithii | 1.2E8 | 1.2e8 | | | CFU/g stool | <=8.6E7 | hp
## Fusobacteria Phylum
Fusobacterium spp. | <DL | - | nd | | CFU/g stool | <=2.4E5 | nc
## Verrucomicrobia Phylum
Akkermansia muciniphila | 2.6E8 | 2.6e8 | | | CFU/g stool | >=1.2E6 | nc
## Firmicutes/Bacteroidetes Ratio
Firmicutes/Bacteroidetes (F/B Ratio) | 24 | 24 | | | | 12-620 | u
## Bacteriology (Culture)
Lactobacillus spp. | 4+ | - | d | 4+ | | | np
Escherichia coli | NG | - | nd | NG | | | u
Bifidobacterium | NG | - | nd | NG | | | u
## Additional Bacteria
alpha haemolytic Streptococcus | 4+ | - | d | 4+ | | | np
gamma haemolytic Streptococcus | 4+ | - | d | 4+ | | | np
## Mycology (Culture)
Mycology (Culture) | NG | - | nd | NG | | | u
## Microscopic Exam Results
Microscopic Exam Results | No Ova or Parasites seen | - | nd | | | | u
## Parasitology EIA Tests
Cryptosporidium | Negative | - | nd | | | | np
Giardia lamblia | Negative | - | nd | | | | np
Entamoeba histolytica | Negative | - | nd | | | | np
## Additional Results
Color | Brown | - | | | | | u
Consistency | Formed/Normal | - | | | | | u
""")


@cache
def _document() -> PdfDocument:
    document = extract_pdf(shared_path("labs", FILE).read_bytes())
    assert document is not None
    return document


@cache
def _panel() -> LabPanel:
    return genova.read(_document())


def test_every_marker_is_read_as_printed() -> None:
    panel = _panel()
    assert exact(panel, EXPECTED) == len(EXPECTED) == len(panel.markers), "\n".join(
        differences(panel, EXPECTED)
    )


def test_markers_come_in_report_order() -> None:
    assert [(m.section, m.name) for m in _panel().markers] == [r[:2] for r in EXPECTED]


def test_the_layout_quirks() -> None:
    text = _document().text
    assert "Barnesiella spp.  1.6E8" in text  # the space the PDF never wrote
    assert "Odoribacter spp.  8.8E7 H  <=8.0E7" in text  # the red flag in its own cell
    assert "NNeeggaattiivvee" not in text  # glyphs drawn twice are one character


def test_panel_fields() -> None:
    panel = _panel()
    assert (panel.lab, panel.reader, panel.source, panel.pages) == (
        "Genova Diagnostics",
        "genova_gi_effects",
        "pdf_text",
        6,
    )
    assert panel.test == "GI Effects Microbial Ecology Profile - Stool"
    assert panel.collected is None  # the sample report prints no date
    assert (panel.confidence, panel.unread_rows) == (1.0, 0)


def test_ranges_as_numbers() -> None:
    markers = {(m.section, m.name): m for m in _panel().markers}
    vulgatus = markers["Bacteroidetes Phylum", "Bacteroides vulgatus"].range
    assert vulgatus is not None and (vulgatus.low, vulgatus.high, vulgatus.inclusive) == (
        None,
        2.2e9,
        True,
    )
    akkermansia = markers["Verrucomicrobia Phylum", "Akkermansia muciniphila"].range
    assert akkermansia is not None and (akkermansia.low, akkermansia.high) == (1.2e6, None)
    ratio = markers["Firmicutes/Bacteroidetes Ratio", "Firmicutes/Bacteroidetes (F/B Ratio)"]
    assert ratio.range is not None and (ratio.range.low, ratio.range.high) == (12.0, 620.0)


def test_no_personal_detail_in_the_panel() -> None:
    dumped = _panel().model_dump_json()
    for detail in ("SAMPLE PATIENT", "SAMPLE", "Robert M. David", "Peace-Brewer", "Corporate Way"):
        assert detail not in dumped


def test_read_lab_picks_the_genova_reader_and_keys_the_eia() -> None:
    panel = read_lab(shared_path("labs", FILE).read_bytes(), FILE)
    assert panel is not None and panel.reader == "genova_gi_effects"
    keys = {(m.section, m.name): m.key for m in panel.markers}
    assert keys["Parasitology EIA Tests", "Giardia lamblia"] == "giardia"
    assert keys["Parasitology EIA Tests", "Cryptosporidium"] == "cryptosporidium"
    assert keys["Parasitology EIA Tests", "Entamoeba histolytica"] == "entamoeba_histolytica"
    assert keys["Firmicutes Phylum", "Lactobacillus spp."] is None


def test_fingerprints() -> None:
    assert genova.matches(_document().text)
    assert not genova.matches("Diagnostic Solutions Laboratory GI-MAP")
