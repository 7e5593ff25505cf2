"""Kingdoms kept apart: bacteria and archaea are profiled; viruses, eukaryotes, host set apart."""

from __future__ import annotations

import pytest

from analysis import analyze
from analysis.formats import read_table
from analysis.taxonomy import kingdom_group, lineage_from_ranks, parse_lineage
from tests.conftest import shared_path


def test_a_lactobacillus_phage_is_a_virus_not_a_lactobacillus() -> None:
    lineage = lineage_from_ranks({"genus": "Lactobacillus", "species": "Lactobacillus phage Lc-Nu"})
    assert lineage[5] is None and kingdom_group(lineage) == "virus"


@pytest.mark.parametrize(
    ("lineage", "group"),
    [
        ("k__Viruses|p__Viruses_unclassified|o__Caudovirales|g__Sk1virus", "virus"),
        ("k__Eukaryota|p__Ascomycota|g__Saccharomyces", "eukaryote"),
        ("k__Archaea|p__Euryarchaeota|g__Methanobrevibacter", "archaea"),
        ("k__Bacteria|p__Firmicutes|g__Lactobacillus", "bacteria"),
        ("g__Homo|s__Homo_sapiens", "host"),
    ],
)
def test_kingdom_groups(lineage: str, group: str) -> None:
    assert kingdom_group(parse_lineage(lineage)) == group


def test_bracken_phages_and_host_are_set_apart_the_same_way() -> None:
    text = (
        "name\ttaxonomy_id\ttaxonomy_lvl\tkraken_assigned_reads\tadded_reads\tnew_est_reads\t"
        "fraction_total_reads\n"
        "Homo sapiens\t9606\tS\t50\t0\t50\t0.5\n"
        "Lactobacillus phage X\t1\tS\t20\t0\t20\t0.2\n"
        "Lactobacillus gasseri\t2\tS\t30\t0\t30\t0.3\n"
    )
    table = read_table(text.encode(), "b.bracken")
    assert list(table.values.index) == ["2"]
    shares = table.other_kingdoms["b"]
    assert shares["host"] == pytest.approx(0.5) and shares["virus"] == pytest.approx(0.2)
    assert any(c.key == "host_reads_removed" and c.params["reads"] == 50 for c in table.caveats)


def test_metaphlan_viruses_are_not_counted_twice_nor_as_a_genus() -> None:
    profile = shared_path("expected", "gmwi2", "profiles", "Subj001_time1_S1_metaphlan.txt")
    report = analyze(profile.read_bytes(), profile.name)
    sample = report.samples[0]
    lines = [ln.split("\t") for ln in profile.read_text().splitlines() if not ln.startswith("#")]
    viruses = next(float(r[2]) for r in lines if r[0] == "k__Viruses")
    bacteria = next(float(r[2]) for r in lines if r[0] == "k__Bacteria")
    assert sample.other_kingdoms["virus"] == pytest.approx(viruses / (viruses + bacteria), abs=1e-3)
    assert not any("virus" in g.lower() for g in sample.composition.genus)
    # Shannon on bacteria only (the file's own species rows).
    import math

    species = [
        float(r[2])
        for r in lines
        if "|s__" in r[0] and "k__Bacteria" in r[0] and "|t__" not in r[0]
    ]
    total = sum(species)
    shannon = -sum(v / total * math.log(v / total) for v in species if v > 0)
    assert sample.alpha.shannon == pytest.approx(shannon, abs=1e-6)
