"""Groups of taxa that findings and panels talk about together (each with its source)."""

from __future__ import annotations

#: Main butyrate producers of the human colon (Louis & Flint 2009,
#: doi:10.1111/j.1574-6968.2009.01514.x; Vital et al. 2014).
BUTYRATE_PRODUCERS = frozenset(
    {
        "Faecalibacterium",
        "Roseburia",
        "Agathobacter",
        "Coprococcus",
        "Anaerostipes",
        "Butyricicoccus",
        "Subdoligranulum",
        "Anaerobutyricum",
        "Eubacterium",
        "Butyrivibrio",
        "Gemmiger",
    }
)

#: Oral genera whose presence in stool is linked to PPIs and disease (Imhann 2016,
#: doi:10.1136/gutjnl-2015-310376; Schmidt et al. 2019).
ORAL_GENERA = frozenset(
    {
        "Streptococcus",
        "Veillonella",
        "Fusobacterium",
        "Porphyromonas",
        "Parvimonas",
        "Peptostreptococcus",
        "Gemella",
        "Granulicatella",
        "Actinomyces",
        "Rothia",
        "Haemophilus",
        "Prevotella_7",
        "Solobacterium",
        "Dialister",
        "Lancefieldella",
        "Atopobium",
    }
)

#: Methane-producing archaea of the gut (Triantafyllou 2014, doi:10.5056/jnm.2014.20.1.31).
METHANOGENS = frozenset({"Methanobrevibacter", "Methanosphaera", "Methanomassiliicoccus"})

#: Enterobacteriaceae genera as named by the profilers we read (and the 16S lump).
ENTEROBACTERIACEAE = frozenset(
    {
        "Escherichia",
        "Escherichia/Shigella",
        "Shigella",
        "Klebsiella",
        "Enterobacter",
        "Citrobacter",
        "Salmonella",
        "Kluyvera",
        "Cronobacter",
        "Raoultella",
        "Proteus",
        "Morganella",
        "Serratia",
        "Hafnia",
    }
)

#: Genus-level groups stored in the reference panels (name -> member genera).
PANEL_GROUPS: dict[str, frozenset[str]] = {
    "Butyrate producers": BUTYRATE_PRODUCERS,
    "Oral taxa": ORAL_GENERA,
    "Methanogens": METHANOGENS,
    "Enterobacteriaceae": ENTEROBACTERIACEAE,
}
