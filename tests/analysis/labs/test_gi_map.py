"""GI-MAP (Diagnostic Solutions) from its extracted text: every marker, against the document.

The three documents live in ../shared/data/labs (see its README): two real reports of one person,
anonymised by the source repository (MIT), and the official 2018 sample's H. pylori page. The
expected readings below are transcribed by hand from the text files (format: ``expected.py``).
"""

from __future__ import annotations

from datetime import date

import pytest

from analysis.labs import gi_map
from analysis.labs.read import read_lab
from tests.analysis.labs.expected import differences, exact, table
from tests.conftest import shared_path

FILE_2024 = "dsl_gi-map_2024-12_anonymised_pdftext_lamtha.txt"
FILE_2025 = "dsl_gi-map-plus-bileacids-scfa_2025-12_anonymised_pdftext_lamtha.txt"
FILE_2018 = "dsl_gi-map_h-pylori-page_sample-report-ImaSample_2018_pdftext_DERIVED.txt"

_PATHOGENS_HEAD = """
## BACTERIAL PATHOGENS
Campylobacter | <dl | - | nd | | | < 1.00e3 | nc
C. difficile Toxin A | <dl | - | nd | | | < 1.00e3 | nc
C. difficile Toxin B | <dl | - | nd | | | < 1.00e3 | nc
"""
_PATHOGENS_TAIL = """
E. coli O157 | <dl | - | nd | | | < 1.00e3 | nc
Enteroinvasive E. coli/Shigella | <dl | - | nd | | | < 1.00e3 | nc
Enterotoxigenic E. coli LT/ST | <dl | - | nd | | | < 1.00e3 | nc
Shiga-like Toxin E. coli stx1 | <dl | - | nd | | | < 1.00e3 | nc
Shiga-like Toxin E. coli stx2 | <dl | - | nd | | | < 1.00e3 | nc
Salmonella | <dl | - | nd | | | < 1.00e4 | nc
Vibrio cholerae | <dl | - | nd | | | < 1.00e5 | nc
Yersinia enterocolitica | <dl | - | nd | | | < 1.00e5 | nc
## PARASITIC PATHOGENS
Cryptosporidium | <dl | - | nd | | | < 1.00e6 | nc
Entamoeba histolytica | <dl | - | nd | | | < 1.00e4 | nc
Giardia | <dl | - | nd | | | < 5.00e3 | nc
## VIRAL PATHOGENS
Adenovirus 40/41 | <dl | - | nd | | | < 1.00e10 | nc
Norovirus GI/II | <dl | - | nd | | | < 1.00e7 | nc
"""
_VIRULENCE = """
Virulence Factor, babA | N/A | - | | | | Negative | u
Virulence Factor, cagA | N/A | - | | | | Negative | u
Virulence Factor, dupA | N/A | - | | | | Negative | u
Virulence Factor, iceA | N/A | - | | | | Negative | u
Virulence Factor, oipA | N/A | - | | | | Negative | u
Virulence Factor, vacA | N/A | - | | | | Negative | u
Virulence Factor, virB | N/A | - | | | | Negative | u
Virulence Factor, virD | N/A | - | | | | Negative | u
"""
_INFLAMMATORY = """
## INFLAMMATORY & AUTOIMMUNE-RELATED BACTERIA
Citrobacter spp. | <dl | - | nd | | | < 5.00e6 | nc
Citrobacter freundii | <dl | - | nd | | | < 5.00e5 | nc
Klebsiella spp. | <dl | - | nd | | | < 5.00e3 | nc
Klebsiella pneumoniae | <dl | - | nd | | | < 5.00e4 | nc
M. avium subsp. paratuberculosis | <dl | - | nd | | | < 5.00e3 | nc
Proteus spp. | <dl | - | nd | | | < 5.00e4 | nc
Proteus mirabilis | <dl | - | nd | | | < 1.00e3 | nc
"""
_FUNGI_VIRUSES = """
## FUNGI/YEAST
Candida spp. | <dl | - | nd | | | < 5.00e3 | nc
Candida albicans | <dl | - | nd | | | < 5.00e2 | nc
Geotrichum spp. | <dl | - | nd | | | < 3.00e2 | nc
Microsporidium spp. | <dl | - | nd | | | < 5.00e3 | nc
Rhodotorula spp. | <dl | - | nd | | | < 1.00e3 | nc
## VIRUSES
Cytomegalovirus | <dl | - | nd | | | < 1.00e5 | nc
Epstein-Barr Virus | <dl | - | nd | | | < 1.00e7 | nc
"""
_WORMS_DIGESTION = """
## WORMS
Ancylostoma duodenale | Not Detected | - | nd | | | Not Detected | nc
Ascaris lumbricoides | Not Detected | - | nd | | | Not Detected | nc
Necator americanus | Not Detected | - | nd | | | Not Detected | nc
Trichuris trichiura | Not Detected | - | nd | | | Not Detected | nc
Taenia spp. | Not Detected | - | nd | | | Not Detected | nc
## DIGESTION
Steatocrit | <dl | - | nd | | % | < 15 | nc
Elastase-1 | >750 | 750 | | | ug/g | > 200 | nc
"""
# Left and right tables of page 5, line by line as printed.
_RESISTANCE = """
## H. PYLORI ANTIBIOTIC RESISTANCE GENES
Amoxicillin | N/A | - | | | | Negative | u
Clarithromycin | N/A | - | | | | Negative | u
PBP1A S414R | N/A | - | | | | | u
A2142C | N/A | - | | | | | u
PBP1A T556S | N/A | - | | | | | u
A2142G | N/A | - | | | | | u
PBP1A N562Y | N/A | - | | | | | u
A2143G | N/A | - | | | | | u
Fluoroquinolones | N/A | - | | | | Negative | u
Tetracycline | N/A | - | | | | Negative | u
gyrA N87K | N/A | - | | | | | u
A926G | N/A | - | | | | | u
gyrA D91N | N/A | - | | | | | u
AGA926-928TTC | N/A | - | | | | | u
gyrA D91G | N/A | - | | | | | u
gyrB S479N | N/A | - | | | | | u
gyrB R484K | N/A | - | | | | | u
"""

EXPECTED_2024 = table(
    _PATHOGENS_HEAD
    + "Enterohemorrhagic E. coli | <dl | - | nd | | | < 1.00e3 | nc\n"
    + _PATHOGENS_TAIL
    + """
## H. PYLORI & VIRULENCE FACTORS
Helicobacter pylori | <dl | - | nd | | | < 1.00e3 | nc
"""
    + _VIRULENCE
    + """
## COMMENSAL BACTERIA
Bacteroides fragilis | 2.33e10 | 2.33e10 | | | org/g | 1.6e9 - 2.5e11 | nc
Bifidobacterium spp. | 1.06e10 | 1.06e10 | | | org/g | > 6.7e7 | nc
Enterococcus spp. | 2.62e7 | 2.62e7 | | | org/g | 1.9e5 - 2.0e8 | nc
Escherichia spp. | 1.76e8 | 1.76e8 | | | org/g | 3.7e6 - 3.8e9 | nc
Lactobacillus spp. | 1.29e9 | 1.29e9 | | | org/g | 8.6e5 - 6.2e8 | hp
Enterobacter spp. | 5.13e6 | 5.13e6 | | | | 1.0e6 - 5.0e7 | nc
Akkermansia muciniphila | 3.31e5 | 3.31e5 | | | org/g | 1.0e1 - 8.2e6 | nc
Faecalibacterium prausnitzii | <dl | 1.00e2 | nd | | org/g | 1.0e3 - 5.0e8 | lp
Roseburia spp. | 3.31e9 | 3.31e9 | | | org/g | 5.0e7 - 2.0e10 | nc
## BACTERIAL PHYLA
Bacteroidetes | 5.77e12 | 5.77e12 | | | | 8.6e11 - 3.3e12 | hp
Firmicutes | 6.81e10 | 6.81e10 | | | | 5.7e10 - 3.0e11 | nc
Firmicutes:Bacteroidetes Ratio | 0.01 | 0.01 | | | | < 1.0 | u
## DYSBIOTIC & OVERGROWTH BACTERIA
Bacillus spp. | 2.84e4 | 2.84e4 | | | | < 1.76e6 | nc
Enterococcus faecalis | <dl | - | nd | | | < 1.00e4 | nc
Enterococcus faecium | <dl | - | nd | | | < 1.00e4 | nc
Morganella spp. | <dl | - | nd | | | < 1.00e3 | nc
Pseudomonas spp. | <dl | - | nd | | | < 1.00e4 | nc
Pseudomonas aeruginosa | <dl | - | nd | | | < 5.00e2 | nc
Staphylococcus spp. | <dl | - | nd | | | < 1.00e4 | nc
Staphylococcus aureus | <dl | - | nd | | | < 5.00e2 | nc
Streptococcus spp. | 6.65e3 | 6.65e3 | | | | < 1.00e3 | hp
## COMMENSAL OVERGROWTH MICROBES
Desulfovibrio spp. | 1.09e8 | 1.09e8 | | | | < 7.98e8 | nc
Methanobacteriaceae (family) | 1.79e8 | 1.79e8 | | | | < 3.38e8 | nc
"""
    + _INFLAMMATORY
    + """
## COMMENSAL INFLAMMATORY & AUTOIMMUNE-RELATED BACTERIA
Enterobacter spp. | 5.13e6 | 5.13e6 | | | | < 5.00e7 | nc
Escherichia spp. | 1.76e8 | 1.76e8 | | | | < 3.80e9 | nc
Fusobacterium spp. | 2.04e7 | 2.04e7 | | | | < 1.00e8 | nc
Prevotella spp. | 1.03e8 | 1.03e8 | | | | < 1.00e8 | hp
"""
    + _FUNGI_VIRUSES
    + """
## PROTOZOA
Blastocystis hominis | <dl | - | nd | | | < 2.00e3 | nc
Chilomastix mesnili | <dl | - | nd | | | < 1.00e5 | nc
Cyclospora spp. | <dl | - | nd | | | < 5.00e4 | nc
Dientamoeba fragilis | <dl | - | nd | | | < 1.00e5 | nc
Endolimax nana | 7.98e3 | 7.98e3 | | | | < 1.00e4 | nc
Entamoeba coli | <dl | - | nd | | | < 5.00e6 | nc
Pentatrichomonas hominis | <dl | - | nd | | | < 1.00e2 | nc
"""
    + _WORMS_DIGESTION
    + """
## GI MARKERS
β-Glucuronidase | 585 | 585 | | | U/mL | < 2486 | nc
Occult Blood - FIT | 7 | 7 | | | ug/g | < 10 | nc
## IMMUNE RESPONSE
Secretory IgA | 4225 | 4225 | | | ug/g | 510 - 2010 | hp
Anti-gliadin IgA | 289 | 289 | | | U/L | < 175 | hp
Eosinophil Activation Protein (EDN, EPX) | 1.49 | 1.49 | | | ug/g | < 2.34 | nc
## INFLAMMATION
Calprotectin | 2 | 2 | | | ug/g | < 173 | nc
"""
    + _RESISTANCE
)

EXPECTED_2025 = table(
    _PATHOGENS_HEAD
    + "E. coli - EPEC/EHEC | <dl | - | nd | | | < 1.00e3 | nc\n"
    + _PATHOGENS_TAIL
    + """
## H. PYLORI & VIRULENCE FACTORS
Helicobacter pylori | 1.91e2 | 1.91e2 | | | | < 1.00e3 | nc
"""
    + _VIRULENCE
    + """
## COMMENSAL BACTERIA
Bacteroides fragilis | 1.07e10 | 1.07e10 | | | org/g | 1.6e9 - 2.5e11 | nc
Bifidobacterium spp. | 1.02e10 | 1.02e10 | | | org/g | > 6.7e7 | nc
Enterococcus spp. | 1.40e7 | 1.40e7 | | | org/g | 1.9e5 - 2.0e8 | nc
Escherichia spp. | 9.60e7 | 9.60e7 | | | org/g | 3.7e6 - 3.8e9 | nc
Lactobacillus spp. | 1.53e7 | 1.53e7 | | | org/g | 8.6e5 - 6.2e8 | nc
Enterobacter spp. | 6.46e8 | 6.46e8 | | | | 1.0e6 - 5.0e7 | hp
Akkermansia muciniphila | 2.92e5 | 2.92e5 | | | org/g | 1.0e1 - 8.2e6 | nc
Faecalibacterium prausnitzii | <dl | 1.00e2 | nd | | org/g | 1.0e3 - 5.0e8 | lp
Roseburia spp. | 5.35e9 | 5.35e9 | | | org/g | 5.0e7 - 2.0e10 | nc
## BACTERIAL PHYLA
Bacteroidetes | 3.02e12 | 3.02e12 | | | | 8.6e11 - 3.3e12 | nc
Firmicutes | 2.13e11 | 2.13e11 | | | | 5.7e10 - 3.0e11 | nc
Firmicutes:Bacteroidetes Ratio | 0.07 | 0.07 | | | | < 1.0 | u
## DYSBIOTIC & OVERGROWTH BACTERIA
Bacillus spp. | <dl | - | nd | | | < 1.76e6 | nc
Enterococcus faecalis | <dl | - | nd | | | < 1.00e4 | nc
Enterococcus faecium | <dl | - | nd | | | < 1.00e4 | nc
Morganella spp. | <dl | - | nd | | | < 1.00e3 | nc
Pseudomonas spp. | <dl | - | nd | | | < 1.00e4 | nc
Pseudomonas aeruginosa | <dl | - | nd | | | < 5.00e2 | nc
Staphylococcus spp. | <dl | - | nd | | | < 1.00e4 | nc
Staphylococcus aureus | 4.32e0 | 4.32 | | | | < 5.00e2 | nc
Streptococcus spp. | 5.88e3 | 5.88e3 | | | | < 1.00e3 | hp
## COMMENSAL OVERGROWTH MICROBES
Desulfovibrio spp. | 2.20e9 | 2.20e9 | | | | < 7.98e8 | hp
Methanobacteriaceae (family) | 5.35e7 | 5.35e7 | | | | < 3.38e8 | nc
"""
    + _INFLAMMATORY
    + """
## COMMENSAL INFLAMMATORY & AUTOIMMUNE-RELATED BACTERIA
Enterobacter spp. | 6.46e8 | 6.46e8 | | | | < 5.00e7 | hp
Escherichia spp. | 9.60e7 | 9.60e7 | | | | < 3.80e9 | nc
Fusobacterium spp. | 9.00e6 | 9.00e6 | | | | < 1.00e8 | nc
Prevotella spp. | 3.18e7 | 3.18e7 | | | | < 1.00e8 | nc
"""
    + _FUNGI_VIRUSES
    + """
## PROTOZOA
Blastocystis hominis | <dl | - | nd | | | < 2.00e3 | nc
Chilomastix mesnili | <dl | - | nd | | | < 1.00e5 | nc
Cyclospora spp. | <dl | - | nd | | | < 5.00e4 | nc
Dientamoeba fragilis | <dl | - | nd | | | < 1.00e5 | nc
Endolimax nana | <dl | - | nd | | | < 1.00e4 | nc
Entamoeba coli | <dl | - | nd | | | < 5.00e6 | nc
Pentatrichomonas hominis | <dl | - | nd | | | < 1.00e2 | nc
"""
    + _WORMS_DIGESTION
    + """
## GI MARKERS
β-Glucuronidase | 536 | 536 | | | U/mL | < 2486 | nc
Occult Blood - FIT | 1 | 1 | | | ug/g | < 10 | nc
## IMMUNE RESPONSE
Secretory IgA | 1574 | 1574 | | | ug/g | 510 - 2010 | nc
Anti-gliadin IgA | 33 | 33 | | | U/L | < 175 | nc
Eosinophil Activation Protein (EDN, EPX) | 0.18 | 0.18 | | | ug/g | < 2.34 | nc
## INFLAMMATION
Calprotectin | 40 | 40 | | | ug/g | < 173 | nc
## ADD-ON TESTS
Zonulin | 272.1 | 272.1 | | | ng/g | < 175 | hp
"""
    + _RESISTANCE
    + """
## BILE ACIDS - SUMMARY
Total Bile Acids | 4.90e4 | 4.90e4 | | | ng/g | 2.37e5 - 6.29e6 | lp
Secondary Bile Acids | 95.6 | 95.6 | | | % | > 90.5 | lp
Primary Bile Acids | 4.4 | 4.4 | | | % | < 7.8 | hp
## SHORT CHAIN FATTY ACIDS - SUMMARY
Major Straight Chain Fatty Acids | 4.42e3 | 4.42e3 | | | μg/g | 3.63e3 - 1.95e4 | lp
Acetate | 70.1 | 70.1 | | | % | 38.3 - 68.0 | hp
Butyrate | 8.4 | 8.4 | | | % | 7.7 - 32.6 | lp
Propionate | 19.2 | 19.2 | | | % | 14.1 - 33.6 | nc
Valerate | 2.3 | 2.3 | | | % | 0.5 - 6.2 | nc
## PRIMARY BILE ACIDS
Total Primary Bile Acids | 2.17e3 | 2.17e3 | | | ng/g | 3.50e3 - 7.90e4 | lp
Cholic Acid | 3.99e2 | 3.99e2 | | | ng/g | < 5.92e4 | nc
Chenodeoxycholic Acid | 1.73e3 | 1.73e3 | | | ng/g | 2.16e3 - 6.87e4 | lp
Taurochenodeoxycholic Acid | 4.39e1 | 4.39e1 | | | ng/g | < 4.14e2 | nc
Taurocholic Acid | <dl | - | nd | | ng/g | < 5.19e2 | nc
Glycochenodeoxycholic Acid | <dl | - | nd | | ng/g | 1.18e1 - 8.11e2 | lp
Glycocholic Acid | <dl | - | nd | | ng/g | < 7.55e2 | nc
Hyocholic Acid | <dl | - | nd | | ng/g | < 5.50e3 | nc
## SECONDARY BILE ACIDS
Total Secondary Bile Acids | 4.68e4 | 4.68e4 | | | ng/g | 1.97e5 - 6.23e6 | lp
Deoxycholic Acid | 1.42e4 | 1.42e4 | | | ng/g | 2.24e3 - 2.33e6 | lp
Lithocholic Acid | 4.76e3 | 4.76e3 | | | ng/g | 6.12e3 - 1.37e6 | lp
Isolithocholic Acid | 7.47e3 | 7.47e3 | | | ng/g | 2.21e3 - 5.36e5 | lp
12-Ketolithocholic Acid | 7.95e3 | 7.95e3 | | | ng/g | 1.87e3 - 5.30e5 | lp
3-oxoDeoxycholic Acid | <dl | - | nd | | ng/g | 3.53e2 - 1.12e5 | lp
Ursodeoxycholic Acid | <dl | - | nd | | ng/g | < 5.77e4 | nc
7-Ketolithocholic Acid | <dl | - | nd | | ng/g | < 8.94e3 | nc
7-Ketodeoxycholic Acid | 1.67e2 | 1.67e2 | | | ng/g | < 1.01e4 | nc
Dehydrolithocholic Acid | 6.18e3 | 6.18e3 | | | ng/g | < 4.52e4 | nc
Hyodeoxycholic Acid | 5.61e3 | 5.61e3 | | | ng/g | < 5.27e4 | nc
Alloisolithocholic Acid | <dl | - | nd | | ng/g | < 7.53e4 | nc
3-Dehydrocholic Acid | <dl | - | nd | | ng/g | < 5.85e2 | nc
Glycolithocholic Acid | <dl | - | nd | | ng/g | < 2.20e2 | nc
Glycoursodeoxycholic Acid | 3.20e2 | 3.20e2 | | | ng/g | < 3.08e2 | hp
Glycodeoxycholic Acid | <dl | - | nd | | ng/g | < 5.40e2 | nc
Taurolithocholic Acid | <dl | - | nd | | ng/g | < 2.68e2 | nc
Tauroursodeoxycholic Acid | <dl | - | nd | | ng/g | < 1.28e2 | nc
Taurodeoxycholic Acid | 9.96e1 | 9.96e1 | | | ng/g | < 8.56e2 | nc
## SHORT CHAIN FATTY ACIDS - RESULTS
Total Short Chain Fatty Acids | 4.99e3 | 4.99e3 | | | μg/g | 4.23e3 - 2.10e4 | lp
## SACCHAROLYTIC STRAIGHT CHAIN FATTY ACIDS (SCFA)
Total SCFA | 4.42e3 | 4.42e3 | | | μg/g | 3.65e3 - 1.95e4 | lp
Acetate | 3.10e3 | 3.10e3 | | | μg/g | 2.09e3 - 9.72e3 | lp
Butyrate | 3.70e2 | 3.70e2 | | | μg/g | 3.94e2 - 5.79e3 | lp
Propionate | 8.47e2 | 8.47e2 | | | μg/g | 5.91e2 - 5.45e3 | lp
Valerate | 1.02e2 | 1.02e2 | | | μg/g | 4.33e1 - 7.73e2 | lp
Caproate | 6.68e-1 | 6.68e-1 | | | μg/g | 7.15e-1 - 1.44e2 | lp
## PROTEOLYTIC BRANCHED CHAIN FATTY ACIDS (BCFA)
Total BCFA | 5.72e2 | 5.72e2 | | | μg/g | 1.65e2 - 1.67e3 | nc
Iso-butyrate | 1.85e2 | 1.85e2 | | | μg/g | 5.65e1 - 5.64e2 | nc
Iso-valerate | 2.11e2 | 2.11e2 | | | μg/g | 4.45e1 - 6.58e2 | nc
2-Methylbutyrate | 1.76e2 | 1.76e2 | | | μg/g | 3.82e1 - 4.61e2 | nc
Iso-caproate | 1.27e-1 | 1.27e-1 | | | μg/g | < 9.93e0 | nc
"""
)

# The 2018 page is one cell per line, column by column: only H. pylori's own cells and the one
# gene printed with its result on its line can be tied to a name.
EXPECTED_2018 = table("""
## H. pylori
Helicobacter pylori | 2.9e3 | 2.9e3 | | | | <1.0e3 | hp
## Antibiotic Resistance Genes, phenotypes
AGA926-928TTC | Absent | - | nd | | | | u
""")

#: Personal details printed on the documents (or placeholders for them): never in a panel.
PERSONAL = (
    "PATIENT NAME",
    "ACCESSION-XYZ",
    "1/1/1900",
    "REDACTED",
    "000.000.0000",
    "Ima Sample",
    "7/11/1981",
    "20180212-0001",
    "Farhi",
    "Shiloh",
)

DOCUMENTS = [(FILE_2024, EXPECTED_2024), (FILE_2025, EXPECTED_2025), (FILE_2018, EXPECTED_2018)]


def _text(name: str) -> str:
    return shared_path("labs", name).read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "expected"), DOCUMENTS, ids=["2024", "2025", "2018"])
def test_every_marker_is_read_as_printed(name: str, expected: list[tuple[object, ...]]) -> None:
    panel = gi_map.read(_text(name))
    assert exact(panel, expected) == len(expected) == len(panel.markers), "\n".join(
        differences(panel, expected)
    )


@pytest.mark.parametrize(("name", "expected"), DOCUMENTS[:2], ids=["2024", "2025"])
def test_markers_come_in_report_order(name: str, expected: list[tuple[object, ...]]) -> None:
    panel = gi_map.read(_text(name))
    single_column = [
        r[:2] for r in expected if not str(r[0]).startswith(("H. PYLORI ANTI", "SACC", "PROT"))
    ]
    read = [(m.section, m.name) for m in panel.markers if (m.section, m.name) in set(single_column)]
    assert read == single_column


def test_panel_fields() -> None:
    panel = gi_map.read(_text(FILE_2024))
    assert (panel.lab, panel.test, panel.reader, panel.source) == (
        "Diagnostic Solutions Laboratory",
        "GI-MAP",
        "gi_map",
        "text",
    )
    assert panel.collected == date(2024, 11, 22)
    assert (panel.pages, panel.confidence, panel.unread_rows) == (5, 1.0, 0)
    later = gi_map.read(_text(FILE_2025))
    assert (later.collected, later.pages, later.confidence) == (date(2025, 12, 2), 8, 1.0)


def test_the_2018_page_counts_what_it_cannot_tie_to_a_name() -> None:
    panel = gi_map.read(_text(FILE_2018))
    assert panel.collected == date(2018, 2, 10)
    # 8 virulence factors, 4 antibiotics and 12 resistance genes whose words stand apart.
    assert panel.unread_rows == 24
    assert panel.confidence == pytest.approx(2 / 26, abs=1e-4)


def test_numbers_and_ranges() -> None:
    markers = {(m.section, m.name): m for m in gi_map.read(_text(FILE_2024)).markers}
    lacto = markers["COMMENSAL BACTERIA", "Lactobacillus spp."]
    assert lacto.value == 1.29e9 and lacto.range is not None
    assert (lacto.range.low, lacto.range.high, lacto.range.inclusive) == (8.6e5, 6.2e8, True)
    strep = markers["DYSBIOTIC & OVERGROWTH BACTERIA", "Streptococcus spp."].range
    assert strep is not None and (strep.low, strep.high, strep.inclusive) == (None, 1e3, False)
    elastase = markers["DIGESTION", "Elastase-1"]
    assert (elastase.value, elastase.above) == (750.0, True)
    assert elastase.range is not None and elastase.range.low == 200.0


@pytest.mark.parametrize("name", [FILE_2024, FILE_2025, FILE_2018])
def test_no_personal_detail_in_the_panel(name: str) -> None:
    dumped = gi_map.read(_text(name)).model_dump_json()
    for detail in PERSONAL:
        assert detail not in dumped


def test_a_real_looking_header_is_skipped() -> None:
    text = _text(FILE_2024)
    text = text.replace("PATIENT NAME", "JANE Q DOE").replace("ACCESSION-XYZ", "A24-0099817")
    text = text.replace("REDACTED ORDERER", "DR JOHN ROE").replace(
        "REDACTED ADDRESS", "1204 MAPLE AVENUE SUITE 300\nSPRINGFIELD IL 62704"
    )
    panel = gi_map.read(text.replace("000.000.0000", "217.555.0142"))
    dumped = panel.model_dump_json()
    for detail in ("JANE", "DOE", "A24-0099817", "ROE", "MAPLE", "SPRINGFIELD", "62704", "0142"):
        assert detail not in dumped
    assert exact(panel, EXPECTED_2024) == len(EXPECTED_2024)


def test_read_lab_recognises_the_text_and_keys_the_markers() -> None:
    panel = read_lab(shared_path("labs", FILE_2025).read_bytes(), FILE_2025)
    assert panel is not None and panel.reader == "gi_map" and panel.pages == 8
    keys = {m.name: m.key for m in panel.markers}
    assert keys["Calprotectin"] == "calprotectin"
    assert keys["Elastase-1"] == "elastase"
    assert keys["C. difficile Toxin B"] == "c_difficile_toxin_b"
    assert keys["Giardia"] == "giardia"
    assert keys["Shiga-like Toxin E. coli stx2"] == "stec"
    assert keys["Occult Blood - FIT"] == "occult_blood"
    assert keys["Zonulin"] == "zonulin"
    assert keys["β-Glucuronidase"] == "b_glucuronidase"
    assert keys["Virulence Factor, cagA"] is None
    assert keys["Bacteroides fragilis"] is None


def test_fingerprints() -> None:
    assert gi_map.matches(_text(FILE_2024)) and gi_map.matches(_text(FILE_2018))
    assert not gi_map.matches("Genova Diagnostics GI Effects\nCalprotectin 40 <173 ug/g")
