"""One lineage model for every format: seven ranks, canonical names, and the renames that matter.

Every parser turns its taxonomy strings into a 7-tuple (kingdom ... species) of canonical names
(None where a rank is unassigned), so that reference panels, indices and findings can match taxa
whatever tool or database named them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from analysis.model import RANKS

Lineage = tuple[str | None, ...]

_PREFIX_RANK = {"k": 0, "d": 0, "p": 1, "c": 2, "o": 3, "f": 4, "g": 5, "s": 6}
_PREFIX = re.compile(r"^\s*([kdpcofgst])__", re.IGNORECASE)
_CONFIDENCE = re.compile(r"\(\d+(\.\d+)?\)\s*$")
_UNASSIGNED = re.compile(
    r"^(unclassified|uncultured|unidentified|unknown|unassigned|na|nan|none|metagenome|"
    r"gut metagenome|human gut metagenome|incertae sedis|-|_|\?)$",
    re.IGNORECASE,
)

#: Phylum synonyms -> the classic names users know (GTDB/ICNP 2021 names on the left).
#: Source: Oren & Garrity, Int J Syst Evol Microbiol 2021 (doi:10.1099/ijsem.0.005056).
PHYLA: dict[str, str] = {
    "Bacillota": "Firmicutes",
    "Firmicutes_A": "Firmicutes",
    "Firmicutes_B": "Firmicutes",
    "Firmicutes_C": "Firmicutes",
    "Firmicutes_D": "Firmicutes",
    "Bacteroidota": "Bacteroidetes",
    "Bacteroidota_A": "Bacteroidetes",
    "Pseudomonadota": "Proteobacteria",
    "Actinomycetota": "Actinobacteria",
    "Actinobacteriota": "Actinobacteria",
    "Verrucomicrobiota": "Verrucomicrobia",
    "Fusobacteriota": "Fusobacteria",
    "Campylobacterota": "Campylobacterota",
    "Euryarchaeota": "Euryarchaeota",
    "Methanobacteriota": "Euryarchaeota",
    "Halobacteriota": "Euryarchaeota",
    "Desulfobacterota": "Desulfobacterota",
    "Thermodesulfobacteriota": "Desulfobacterota",
    "Synergistota": "Synergistetes",
    "Spirochaetota": "Spirochaetes",
    "Cyanobacteriota": "Cyanobacteria",
    "Tenericutes": "Firmicutes",  # Mollicutes moved into Firmicutes (GTDB); keep one spelling
    "Lentisphaerota": "Lentisphaerae",
}

#: Species renames across MetaPhlAn 2 -> 3/4, NCBI and LPSN (old name -> current name).
#: Sources: LPSN (lpsn.dsmz.de) entries; Hitch et al. 2022; Haas & Blanchard 2020
#: (Enterocloster, doi:10.1099/ijsem.0.004214); Garcia-Lopez et al. 2019 (Phocaeicola);
#: Togo et al. 2018 (Mediterraneibacter); Rosero et al. 2016 (Agathobacter); Zheng et al. 2020
#: (Lactobacillus split, doi:10.1099/ijsem.0.004107); Liu et al. 2021 (Blautia producta ->
#: Blautia producta stays; Ruminococcus productus synonym); Nouioui et al. 2018 (Lancefieldella).
SPECIES_RENAMES: dict[str, str] = {
    "Bacteroides vulgatus": "Phocaeicola vulgatus",
    "Bacteroides dorei": "Phocaeicola dorei",
    "Bacteroides massiliensis": "Phocaeicola massiliensis",
    "Bacteroides coprocola": "Phocaeicola coprocola",
    "Bacteroides plebeius": "Phocaeicola plebeius",
    "Bacteroides coprophilus": "Phocaeicola coprophilus",
    "Bacteroides sartorii": "Phocaeicola sartorii",
    "Clostridium bolteae": "Enterocloster bolteae",
    "Clostridium clostridioforme": "Enterocloster clostridioformis",
    "Clostridium citroniae": "Enterocloster citroniae",
    "Clostridium asparagiforme": "Enterocloster asparagiformis",
    "Clostridium aldenense": "Enterocloster aldenensis",
    "Clostridium lavalense": "Enterocloster lavalensis",
    "Clostridium symbiosum": "Hungatella symbiosa",
    "Clostridium hathewayi": "Hungatella hathewayi",
    "Clostridium nexile": "Tyzzerella nexilis",
    "Clostridium ramosum": "Thomasclavelia ramosa",
    "Erysipelatoclostridium ramosum": "Thomasclavelia ramosa",
    "Clostridium innocuum": "Erysipelatoclostridium innocuum",
    "Clostridium leptum": "Clostridium leptum",
    "Clostridium scindens": "Lachnoclostridium scindens",
    "Clostridium difficile": "Clostridioides difficile",
    "Peptoclostridium difficile": "Clostridioides difficile",
    "Ruminococcus gnavus": "Mediterraneibacter gnavus",
    "Ruminococcus torques": "Mediterraneibacter torques",
    "Ruminococcus lactaris": "Mediterraneibacter lactaris",
    "Ruminococcus faecis": "Mediterraneibacter faecis",
    "Ruminococcus obeum": "Blautia obeum",
    "Ruminococcus productus": "Blautia producta",
    "Eubacterium rectale": "Agathobacter rectalis",
    "Eubacterium eligens": "Lachnospira eligens",
    "Eubacterium hallii": "Anaerobutyricum hallii",
    "Eubacterium biforme": "Holdemanella biformis",
    "Eubacterium ventriosum": "Eubacterium ventriosum",
    "Atopobium parvulum": "Lancefieldella parvula",
    "Atopobium rimae": "Lancefieldella rimae",
    "Lactobacillus salivarius": "Ligilactobacillus salivarius",
    "Lactobacillus ruminis": "Ligilactobacillus ruminis",
    "Lactobacillus plantarum": "Lactiplantibacillus plantarum",
    "Lactobacillus casei": "Lacticaseibacillus casei",
    "Lactobacillus paracasei": "Lacticaseibacillus paracasei",
    "Lactobacillus rhamnosus": "Lacticaseibacillus rhamnosus",
    "Lactobacillus reuteri": "Limosilactobacillus reuteri",
    "Lactobacillus fermentum": "Limosilactobacillus fermentum",
    "Lactobacillus mucosae": "Limosilactobacillus mucosae",
    "Lactobacillus sakei": "Latilactobacillus sakei",
    "Lactobacillus curvatus": "Latilactobacillus curvatus",
    "Lactobacillus brevis": "Levilactobacillus brevis",
    "Lactobacillus buchneri": "Lentilactobacillus buchneri",
    "Lactobacillus kefiranofaciens": "Lactobacillus kefiranofaciens",
    "Propionibacterium acnes": "Cutibacterium acnes",
    "Propionibacterium freudenreichii": "Propionibacterium freudenreichii",
    "Enterobacter aerogenes": "Klebsiella aerogenes",
    "Streptococcus mitis oralis pneumoniae": "Streptococcus mitis",
}

#: Genera created in 2020 from Lactobacillus (Zheng et al. 2020, doi:10.1099/ijsem.0.004107),
#: reported together as "Lactobacillus (sensu lato)" where users expect one group.
LACTOBACILLUS_GENERA: frozenset[str] = frozenset(
    {
        "Lactobacillus",
        "Paralactobacillus",
        "Holzapfelia",
        "Amylolactobacillus",
        "Bombilactobacillus",
        "Companilactobacillus",
        "Lapidilactobacillus",
        "Agrilactobacillus",
        "Schleiferilactobacillus",
        "Loigolactobacillus",
        "Lacticaseibacillus",
        "Latilactobacillus",
        "Dellaglioa",
        "Liquorilactobacillus",
        "Ligilactobacillus",
        "Lactiplantibacillus",
        "Furfurilactobacillus",
        "Paucilactobacillus",
        "Limosilactobacillus",
        "Fructilactobacillus",
        "Acetilactobacillus",
        "Apilactobacillus",
        "Levilactobacillus",
        "Secundilactobacillus",
        "Lentilactobacillus",
    }
)
LACTOBACILLUS_GROUP = "Lactobacillus (sensu lato)"

_GENUS_RENAMES = {
    "Escherichia-Shigella": "Escherichia/Shigella",
    "Escherichia_Shigella": "Escherichia/Shigella",
    "Shigella/Escherichia": "Escherichia/Shigella",
    "Clostridium_XlVa": "Clostridium XlVa",
    "Clostridium_XVIII": "Clostridium XVIII",
    "Clostridium_IV": "Clostridium IV",
    "Clostridium_sensu_stricto": "Clostridium",
    "Clostridium_sensu_stricto_1": "Clostridium",
    "Ruminococcus2": "Ruminococcus",
    "Clostridium sensu stricto 1": "Clostridium",
    "Clostridium sensu stricto": "Clostridium",
}

_REVERSE: dict[str, set[str]] = {}
for _old, _new in SPECIES_RENAMES.items():
    _REVERSE.setdefault(_new, set()).add(_old)


def clean_name(raw: str | None) -> str | None:
    """Strip prefixes, confidences, brackets and quotes; None for empty or unassigned names."""
    if raw is None:
        return None
    name = _PREFIX.sub("", str(raw)).strip().strip('"').strip("'").strip()
    name = _CONFIDENCE.sub("", name).strip()
    name = name.replace("[", "").replace("]", "").strip()
    lowered = name.lower()
    if (
        not name
        or _UNASSIGNED.match(name)
        or lowered.startswith("unclassified")
        or lowered.endswith(("_noname", " noname", "_unclassified"))
    ):
        return None
    return name


def canonical_name(name: str, rank: str) -> str:
    """The canonical spelling of a name at a rank ("Genus epithet" for species)."""
    cleaned = clean_name(name) or name.strip()
    if rank == "phylum":
        base = re.sub(r"_[A-Z]$", "", cleaned)
        return PHYLA.get(cleaned, PHYLA.get(base, base))
    if rank == "genus":
        cleaned = _GENUS_RENAMES.get(cleaned, cleaned)
        cleaned = re.sub(r"_[A-Z]$", "", cleaned)  # GTDB placeholders like Blautia_A
        return cleaned.replace("_", " ") if " " not in cleaned and "_" in cleaned else cleaned
    if rank == "species":
        cleaned = re.sub(r"^([A-Z][a-z]+)_[A-Z]+(?=[ _])", r"\1", cleaned)
        species = re.sub(r"\s+", " ", cleaned.replace("_", " ")).strip()
        return SPECIES_RENAMES.get(species, species)
    return cleaned.replace("_", " ") if rank != "kingdom" else cleaned


def synonyms_of(species: str) -> set[str]:
    """Every known spelling of a species (old and new names, MetaPhlAn 2/3/4 forms)."""
    name = canonical_name(species, "species")
    names = {name, species.replace("_", " ")} | _REVERSE.get(name, set())
    forms = set(names)
    for n in names:
        forms.add(n.replace(" ", "_"))
    return forms


@lru_cache(maxsize=65536)
def synonym_forms(species: str) -> tuple[str, ...]:
    """``synonyms_of`` as a tuple in the set's order, cached: indices ask for every sample."""
    return tuple(synonyms_of(species))


def lactobacillus_group(genus: str | None) -> bool:
    """Whether a genus belongs to Lactobacillus before its 2020 split."""
    return genus is not None and genus in LACTOBACILLUS_GENERA


def _finish(ranks: list[str | None]) -> Lineage:
    out: list[str | None] = []
    for index, value in enumerate(ranks):
        rank = RANKS[index]
        if value is None:
            out.append(None)
            continue
        if rank == "species":
            genus = out[5] if len(out) > 5 else None
            value = re.sub(r"^([A-Z][a-z]+)_[A-Z]+(?=[ _])", r"\1", value)
            epithet = value.replace("_", " ").strip()
            if genus and " " not in epithet and not epithet[:1].isupper():
                epithet = f"{genus} {epithet}"
            elif genus is None and " " not in epithet:
                out.append(None)
                continue
            out.append(canonical_name(epithet, "species"))
        else:
            out.append(canonical_name(value, rank))
    while len(out) < len(RANKS):
        out.append(None)
    species = out[6]
    if species is not None and " phage" in species.lower():
        # "Lactobacillus phage X" is a virus, not a Lactobacillus.
        genus = out[5]
        if genus is not None and species.startswith(genus + " "):
            out[5] = None
        if out[0] is None:
            out[0] = "Viruses"
        return tuple(out)
    if out[6] is not None and (out[5] is None or out[6] in _REVERSE) and _genus_like(out[6]):
        # A renamed species carries its new genus (R. gnavus -> Mediterraneibacter); a species
        # named after a higher rank ("Firmicutes bacterium CAG 83") has no genus.
        first = out[6].split(" ")[0]
        if first not in out[:5] and first not in PHYLA and first not in PHYLA.values():
            out[5] = canonical_name(first, "genus")
    return tuple(out)


def _genus_like(species: str) -> bool:
    first = species.split(" ")[0]
    return not first.endswith(("ales", "aceae", "eae", "ia_noname")) and first[:1].isupper()


@lru_cache(maxsize=65536)
def parse_lineage(text: str) -> Lineage:
    """Parse any common lineage string into seven canonical ranks.

    Handles MetaPhlAn ``k__A|p__B|...|s__C|t__X``, Greengenes ``k__Bacteria; p__...; g__``,
    SILVA/GTDB ``d__Bacteria; p__Bacillota``, RDP/mothur ``Bacteria(100);Firmicutes(100);``
    and plain positional ``Bacteria;Firmicutes;...`` lineages.
    """
    raw = str(text).strip().strip('"')
    parts = [p.strip() for p in re.split(r"[|;]", raw) if p.strip()]
    ranks: list[str | None] = [None] * len(RANKS)
    prefixed = any(_PREFIX.match(p) for p in parts)
    if prefixed:
        for part in parts:
            match = _PREFIX.match(part)
            if match is None:
                continue
            letter = match.group(1).lower()
            if letter == "t":
                continue
            index = _PREFIX_RANK[letter]
            ranks[index] = clean_name(part)
    else:
        for index, part in enumerate(parts[: len(RANKS)]):
            ranks[index] = clean_name(part)
    # A lower rank under an unassigned higher rank stays; an unassigned rank stays None.
    return _finish(ranks)


def lineage_from_ranks(mapping: Mapping[str, str | None]) -> Lineage:
    """Build a lineage from named ranks (``{"kingdom": ..., "genus": ...}``; aliases allowed)."""
    return _lineage_from_items(tuple(mapping.items()))


@lru_cache(maxsize=65536)
def _lineage_from_items(items: tuple[tuple[str, str | None], ...]) -> Lineage:
    mapping = dict(items)
    aliases = {"domain": "kingdom", "superkingdom": "kingdom"}
    ranks: list[str | None] = [None] * len(RANKS)
    for key, value in mapping.items():
        rank = aliases.get(key.lower(), key.lower())
        if rank in RANKS:
            ranks[RANKS.index(rank)] = clean_name(value)
    return _finish(ranks)


def finest_rank(lineage: Iterable[str | None]) -> str | None:
    """The finest rank with a name, or None for an empty lineage."""
    found = None
    for rank, name in zip(RANKS, lineage, strict=False):
        if name is not None:
            found = rank
    return found


def display_name(lineage: Lineage) -> tuple[str, str]:
    """The finest named rank's name and the rank ("unclassified" when nothing is named)."""
    for index in range(len(RANKS) - 1, -1, -1):
        if lineage[index] is not None:
            return str(lineage[index]), RANKS[index]
    return "unclassified", "kingdom"


#: Kingdoms as profilers spell them -> the group a feature belongs to.
_KINGDOM_GROUPS = {
    "bacteria": "bacteria",
    "archaea": "archaea",
    "viruses": "virus",
    "virus": "virus",
    "eukaryota": "eukaryote",
    "eukarya": "eukaryote",
    "fungi": "eukaryote",
    "metazoa": "eukaryote",
    "viridiplantae": "eukaryote",
}
_VIRAL = re.compile(r"phage\b|virus\b|viridae$|virales$|virinae$|^Viruses$", re.IGNORECASE)
_HOST = frozenset({"Homo", "Homo sapiens", "Chordata", "Hominidae", "Mammalia"})
#: Eukaryotes a profile without kingdoms may name (gut fungi and protists, the host).
EUKARYOTE_GENERA: frozenset[str] = frozenset(
    {
        "Saccharomyces",
        "Candida",
        "Malassezia",
        "Aspergillus",
        "Penicillium",
        "Cryptococcus",
        "Debaryomyces",
        "Kluyveromyces",
        "Pichia",
        "Blastocystis",
        "Entamoeba",
        "Giardia",
        "Cryptosporidium",
        "Toxoplasma",
        "Plasmodium",
        "Trichomonas",
        "Dientamoeba",
        "Fusarium",
        "Cladosporium",
        "Rhodotorula",
    }
)

#: What diversity, percentiles and indices use.
MICROBIAL_GROUPS = frozenset({"bacteria", "archaea", "unknown"})


def kingdom_group(lineage: Lineage) -> str:
    """``bacteria``, ``archaea``, ``virus``, ``eukaryote``, ``host`` or ``unknown``.

    The host (human reads) is told apart from other eukaryotes; viruses are found by their
    kingdom or, where a profile gives none, by their names (phages, ``-virus`` genera).
    """
    if not _HOST.isdisjoint(lineage):
        return "host"
    kingdom = lineage[0]
    if kingdom is not None:
        group = _KINGDOM_GROUPS.get(kingdom.lower())
        if group is not None:
            return group
    if any(name is not None and _VIRAL.search(name) for name in lineage[3:]):
        return "virus"
    if lineage[5] is not None and lineage[5] in EUKARYOTE_GENERA:
        return "eukaryote"
    return "unknown"
