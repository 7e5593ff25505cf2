"""One lineage model for every spelling."""

from __future__ import annotations

import pytest

from analysis.taxonomy import (
    canonical_name,
    lactobacillus_group,
    lineage_from_ranks,
    parse_lineage,
    synonyms_of,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "k__Bacteria|p__Firmicutes|c__Clostridia|o__Clostridiales|f__Lachnospiraceae|g__Ruminococcus|s__Ruminococcus_gnavus|t__SGB4584",
            (
                "Bacteria",
                "Firmicutes",
                "Clostridia",
                "Clostridiales",
                "Lachnospiraceae",
                "Mediterraneibacter",
                "Mediterraneibacter gnavus",
            ),
        ),
        (
            "k__Bacteria; p__Firmicutes; c__Clostridia; o__; f__; g__; s__",
            ("Bacteria", "Firmicutes", "Clostridia", None, None, None, None),
        ),
        (
            "d__Bacteria; p__Bacillota; c__Clostridia; o__Lachnospirales; f__Lachnospiraceae; g__Blautia_A; s__Blautia_A wexlerae",
            (
                "Bacteria",
                "Firmicutes",
                "Clostridia",
                "Lachnospirales",
                "Lachnospiraceae",
                "Blautia",
                "Blautia wexlerae",
            ),
        ),
        (
            "Bacteria(100);Firmicutes(100);Clostridia(100);Clostridiales(100);Lachnospiraceae(100);unclassified(100);",
            (
                "Bacteria",
                "Firmicutes",
                "Clostridia",
                "Clostridiales",
                "Lachnospiraceae",
                None,
                None,
            ),
        ),
        (
            " k__Bacteria; p__Bacteroidetes; c__Bacteroidia; o__Bacteroidales; f__Bacteroidaceae; g__Bacteroides; s__fragilis",
            (
                "Bacteria",
                "Bacteroidetes",
                "Bacteroidia",
                "Bacteroidales",
                "Bacteroidaceae",
                "Bacteroides",
                "Bacteroides fragilis",
            ),
        ),
        (
            "Bacteria;Proteobacteria;Gammaproteobacteria;Enterobacterales;Enterobacteriaceae;Escherichia-Shigella;NA",
            (
                "Bacteria",
                "Proteobacteria",
                "Gammaproteobacteria",
                "Enterobacterales",
                "Enterobacteriaceae",
                "Escherichia/Shigella",
                None,
            ),
        ),
    ],
)
def test_every_spelling_gives_one_lineage(text: str, expected: tuple[str | None, ...]) -> None:
    assert parse_lineage(text) == expected


def test_renames_and_synonyms() -> None:
    assert canonical_name("s__Bacteroides_vulgatus", "species") == "Phocaeicola vulgatus"
    assert canonical_name("Clostridium_bolteae", "species") == "Enterocloster bolteae"
    assert canonical_name("Bacillota", "phylum") == "Firmicutes"
    assert canonical_name("Actinobacteriota", "phylum") == "Actinobacteria"
    assert "Clostridium_bolteae" in synonyms_of("Enterocloster bolteae")
    assert "Ligilactobacillus_salivarius" in synonyms_of("Lactobacillus_salivarius")


def test_lactobacillus_split_is_one_group() -> None:
    assert lactobacillus_group("Lacticaseibacillus")
    assert lactobacillus_group("Lactobacillus")
    assert not lactobacillus_group("Bifidobacterium")


def test_lineage_from_named_ranks() -> None:
    lineage = lineage_from_ranks(
        {"superkingdom": "Bacteria", "genus": "Bifidobacterium", "species": "adolescentis"}
    )
    assert lineage[0] == "Bacteria"
    assert lineage[5:] == ("Bifidobacterium", "Bifidobacterium adolescentis")


@pytest.mark.parametrize(
    ("lineage", "genus"),
    [
        # MetaPhlAn 3's unnamed Firmicutes: the species is named after the phylum, no genus.
        (
            "k__Bacteria|p__Firmicutes|c__Firmicutes_unclassified|o__Firmicutes_unclassified"
            "|f__Firmicutes_unclassified|g__Firmicutes_unclassified|s__Firmicutes_bacterium_CAG_83",
            None,
        ),
        ("s__Bacteroidetes_bacterium_UBA1234", None),
        ("s__Bacillota_bacterium", None),
        # A species with only its own name still carries its genus.
        ("s__Ruminococcus_gnavus", "Mediterraneibacter"),
        ("s__Bacteroides_fragilis", "Bacteroides"),
    ],
)
def test_a_species_named_after_a_higher_rank_has_no_genus(lineage: str, genus: str | None) -> None:
    from analysis.taxonomy import parse_lineage

    assert parse_lineage(lineage)[5] == genus
