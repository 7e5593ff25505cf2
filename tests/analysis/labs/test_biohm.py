"""BIOHM Gut Report (a browser's print of the web report, October 2021): every row.

The expected reading is transcribed by hand from the PDF as printed (pp2, 5-7). Each taxon's
share of its community is its value in percent, BIOHM's Level its printed flag, the phylum
heading its section; the heading is a row of its own. Format: ``expected.py``.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from analysis.labs import biohm
from analysis.labs.model import LabPanel
from analysis.labs.pdf import extract_pdf
from analysis.labs.read import read_lab
from tests.analysis.labs.expected import differences, exact, table
from tests.conftest import shared_path

FILE = "biohm_gut-report_2021-10_DTCsample4.pdf"

EXPECTED = table("""
## YOUR GUT SCORE
BIOHM Diversity Score | 2 | 2 | | | | | u
## ACTINOBACTERIA PHYLUM
ACTINOBACTERIA PHYLUM | 0.375% | 0.375 | | | % | | np
Bifidobacterium spp. | 0.086% | 0.086 | | | % | | lp
Collinsella aerofaciens | 0.005% | 0.005 | | | % | | np
## BACTEROIDETES PHYLUM
BACTEROIDETES PHYLUM | 8.575% | 8.575 | | | % | | lp
Bacteroides spp. | 5.283% | 5.283 | | | % | | lp
Barnesiella spp. | 0% | 0 | | | % | | np
Odoribacter spp. | 0.027% | 0.027 | | | % | | np
Prevotella spp. | 0.005% | 0.005 | | | % | | lp
## FIRMICUTES PHYLUM
FIRMICUTES PHYLUM | 40.42% | 40.42 | | | % | | hp
Anaerotruncus Spp. | 0.088% | 0.088 | | | % | | np
Clostridium spp. | 0.059% | 0.059 | | | % | | np
Clostridium difficile | 0% | 0 | | | % | | np
Coprococcus catus | 0% | 0 | | | % | | np
Coprococcus eutactus | 0% | 0 | | | % | | np
Faecalibacterium prausnitzii | 0.115% | 0.115 | | | % | | lp
Lactobacillus spp. | 0.038% | 0.038 | | | % | | lp
Roseburia spp. | 0.032% | 0.032 | | | % | | lp
Ruminococcus spp. | 18.063% | 18.063 | | | % | | hp
Ruminococcus albus | 0.002% | 0.002 | | | % | | np
Streptococcus agalactiae | 0% | 0 | | | % | | np
Veillonella spp. | 0.005% | 0.005 | | | % | | np
## FUSOBACTERIA PHYLUM
FUSOBACTERIA PHYLUM | 0.002% | 0.002 | | | % | | np
Fusobacterium spp. | 0% | 0 | | | % | | np
## PROTEOBACTERIA PHYLUM
PROTEOBACTERIA PHYLUM | 45.947% | 45.947 | | | % | | hp
Escherichia coli | 3.5% | 3.5 | | | % | | hp
Oxalobacter formigenes | 0.029% | 0.029 | | | % | | np
## VERRUCOMICROBIA PHYLUM
VERRUCOMICROBIA PHYLUM | 2.565% | 2.565 | | | % | | np
## ASCOMYCOTA PHYLUM
ASCOMYCOTA PHYLUM | 99.982% | 99.982 | | | % | | np
Candida spp. | 0.03% | 0.03 | | | % | | np
Candida albicans | 0.006% | 0.006 | | | % | | np
Candida tropicalis | 0% | 0 | | | % | | np
Pichia spp. | 0.067% | 0.067 | | | % | | lp
Saccharomyces spp. | 0% | 0 | | | % | | lp
Saccharomyces cerevisiae | 0% | 0 | | | % | | lp
## BASIDIOMYCOTA PHYLUM
BASIDIOMYCOTA PHYLUM | 0.012% | 0.012 | | | % | | np
## ZYGOMYCOTA PHYLUM
ZYGOMYCOTA PHYLUM | 0% | 0 | | | % | | np
""")


@cache
def _text() -> str:
    document = extract_pdf(shared_path("labs", FILE).read_bytes())
    assert document is not None and document.page_count == 7
    return document.text


@cache
def _panel() -> LabPanel:
    return biohm.read(_text(), pages=7)


def test_every_row_is_read_as_printed() -> None:
    panel = _panel()
    assert exact(panel, EXPECTED) == len(EXPECTED) == len(panel.markers), "\n".join(
        differences(panel, EXPECTED)
    )


def test_rows_come_in_report_order() -> None:
    assert [(m.section, m.name) for m in _panel().markers] == [r[:2] for r in EXPECTED]


def test_panel_fields() -> None:
    panel = _panel()
    assert (panel.lab, panel.test, panel.reader, panel.source) == (
        "BIOHM Health",
        "Gut Report",
        "biohm",
        "pdf_text",
    )
    assert panel.collected == date(2021, 10, 14)  # "Your gut health on October 14, 2021"
    assert (panel.pages, panel.confidence, panel.unread_rows) == (7, 1.0, 0)


def test_the_kit_id_is_never_kept() -> None:
    assert "GW004397" in _text()
    dumped = _panel().model_dump_json()
    assert "GW004397" not in dumped and "kitSampleId" not in dumped


def test_read_lab_picks_the_biohm_reader() -> None:
    panel = read_lab(shared_path("labs", FILE).read_bytes(), FILE)
    assert panel is not None and panel.reader == "biohm" and panel.pages == 7
    assert "GW004397" not in panel.model_dump_json()
    assert exact(panel, EXPECTED) == len(EXPECTED)


def test_pages_from_the_footers_when_not_given() -> None:
    assert biohm.read(_text()).pages == 7


def test_fingerprints() -> None:
    assert biohm.matches(_text())
    assert not biohm.matches("BIOHM gut probiotic, 30 capsules")
