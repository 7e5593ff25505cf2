"""The format modules on small tables written here (values by hand)."""

from __future__ import annotations

import pytest

from analysis import AnalysisError
from analysis.formats import read_table

PAVIAN = (
    "perc\tn-clade\tn-stay\trank\ttaxonid\tdepth\tname\n"
    "10.00\t10\t10\tU\t0\t0\tunclassified\n"
    "90.00\t90\t0\t-\t1\t0\troot\n"
    "60.00\t60\t0\tD\t2\t1\t  Bacteria\n"
    "60.00\t60\t10\tG\t816\t2\t    Bacteroides\n"
    "50.00\t50\t50\tS\t820\t3\t      Bacteroides uniformis\n"
    "30.00\t30\t0\tD\t2759\t1\t  Eukaryota\n"
    "30.00\t30\t0\tP\t7711\t2\t    Chordata\n"
    "30.00\t30\t30\tS\t9606\t3\t      Homo sapiens\n"
)

KRAKENUNIQ = (
    "# KrakenUniq v1.0.2 DATE:2023\n# CL:krakenuniq\n\n"
    "%\treads\ttaxReads\tkmers\tdup\tcov\ttaxID\trank\ttaxName\n"
    "20\t20\t20\t9\t1\tNA\t0\tno rank\tunclassified\n"
    "80\t80\t0\t9\t1\t0.1\t1\tno rank\troot\n"
    "80\t80\t0\t9\t1\t0.1\t2\tsuperkingdom\t  Bacteria\n"
    "80\t80\t0\t9\t1\t0.1\t1279\tgenus\t    Staphylococcus\n"
    "60\t60\t40\t9\t1\t0.1\t1280\tspecies\t      Staphylococcus aureus\n"
    "20\t20\t20\t9\t1\t0.1\t99\tstrain\t        Staphylococcus aureus X\n"
    "20\t20\t20\t9\t1\t0.1\t1282\tspecies\t      Staphylococcus epidermidis\n"
)


def test_pavian_report_with_a_header_row() -> None:
    table = read_table(PAVIAN.encode(), "PT1.report")
    values = table.values["PT1"]
    # B. uniformis 50 reads and 10 reads stuck at the genus; the host set apart.
    assert values.to_dict() == {"820": 50.0, "816:direct": 10.0}
    assert table.unclassified["PT1"] == pytest.approx(0.1)
    assert any(c.key == "host_reads_removed" for c in table.caveats)


def test_krakenuniq_report_counts_strains_inside_their_species() -> None:
    table = read_table(KRAKENUNIQ.encode(), "mock.report.txt")
    assert table.values["mock"].to_dict() == {"1280": 60.0, "1282": 20.0}
    assert table.unclassified["mock"] == pytest.approx(0.2)


def test_metaphlan_merged_table_with_a_comment_header() -> None:
    text = (
        "# taxonomy\tA\tB\n"
        "k__Bacteria\t100\t100\n"
        "k__Bacteria|p__Firmicutes|c__Bacilli|o__Lactobacillales|f__Streptococcaceae"
        "|g__Streptococcus\t40\t100\n"
        "k__Bacteria|p__Firmicutes|c__Bacilli|o__Lactobacillales|f__Streptococcaceae"
        "|g__Streptococcus|s__Streptococcus_salivarius\t40\t0\n"
        "k__Bacteria|p__Bacteroidetes|c__Bacteroidia|o__Bacteroidales|f__Prevotellaceae"
        "|g__Prevotella|s__Prevotella_copri\t60\t0\n"
    )
    table = read_table(text.encode(), "merged.tsv")
    assert list(table.values.columns) == ["A", "B"]
    # B's genus row has no species below it: its 100% stay with the genus.
    assert table.values["B"].sum() == pytest.approx(100.0)
    assert table.values["A"].sum() == pytest.approx(100.0)


def test_kreport2mpa_counts_keep_reads_above_the_species() -> None:
    text = (
        "ID\tS1\n"
        "d__Bacteria\t84\n"
        "d__Bacteria|p__Bacteroidota\t84\n"
        "d__Bacteria|p__Bacteroidota|g__Bacteroides\t64\n"
        "d__Bacteria|p__Bacteroidota|g__Bacteroides|s__Bacteroides fragilis\t50\n"
    )
    table = read_table(text.encode(), "mpa.txt")
    assert table.value_kind == "counts" and table.format == "kraken_mpa"
    assert sorted(table.values["S1"].tolist()) == [14.0, 20.0, 50.0]


def test_cami_profile_with_two_samples() -> None:
    block = (
        "@SampleID:{name}\n@Version:0.9.1\n@Ranks:superkingdom|phylum|genus|species\n"
        "@@TAXID\tRANK\tTAXPATH\tTAXPATHSN\tPERCENTAGE\n"
        "2\tsuperkingdom\t2\tBacteria\t100\n"
        "1\tspecies\t2|3|4|1\tBacteria|Bacteroidetes|Bacteroides|Bacteroides fragilis\t{a}\n"
        "5\tspecies\t2|6|7|5\tBacteria|Firmicutes|Blautia|Blautia obeum\t{b}\n"
    )
    text = block.format(name="s0", a=70, b=30) + "\n" + block.format(name="s1", a=10, b=90)
    table = read_table(text.encode(), "two.profile")
    assert table.values.to_dict() == {"s0": {"1": 70.0, "5": 30.0}, "s1": {"1": 10.0, "5": 90.0}}


def test_ganon_report() -> None:
    rows = [
        ("unclassified", "-", "-", "unclassified", 0, 0, 0, 25, 25.0),
        ("root", "1", "1", "root", 0, 0, 75, 75, 75.0),
        ("superkingdom", "2", "1|2", "Bacteria", 0, 0, 75, 75, 75.0),
        ("genus", "816", "1|2|816", "Bacteroides", 5, 0, 70, 75, 75.0),
        ("species", "817", "1|2|816|817", "Bacteroides fragilis", 70, 0, 0, 70, 70.0),
    ]
    text = "\n".join("\t".join(str(c) for c in r) for r in rows) + "\n"
    table = read_table(text.encode(), "s.tre")
    assert table.values["s"].to_dict() == {"817": 70.0, "816:direct": 5.0}
    assert table.unclassified["s"] == pytest.approx(0.25)


def test_qiime1_classic_otu_table() -> None:
    text = (
        "# QIIME v1.2.1-dev OTU table\n#OTU ID\tA\tB\tConsensus Lineage\n"
        "1\t5\t0\tk__Bacteria;p__Firmicutes;g__Blautia\n"
        "2\t5\t3\tk__Bacteria;p__Bacteroidetes;g__Bacteroides\n"
    )
    table = read_table(text.encode(), "otu_table.txt")
    assert table.format == "qiime1_otu_table" and list(table.values.columns) == ["A", "B"]
    assert list(table.lineages["genus"]) == ["Blautia", "Bacteroides"]


def test_empty_samples_are_skipped_and_named() -> None:
    text = "taxon\tS1\tNC\nBacteroides\t10\t0\nPrevotella\t5\t0\n"
    table = read_table(text.encode(), "t.tsv")
    assert list(table.values.columns) == ["S1"]
    caveat = next(c for c in table.caveats if c.key == "empty_samples_skipped")
    assert caveat.params == {"count": 1, "samples": "NC"}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (
            "# Gene Family\tS1_Abundance-RPKs\nUNMAPPED\t10\nUniRef90_A0A1\t3\n",
            "functional_profile",
        ),
        ("pathway\tS1\tS2\nPWY-5101\t1.0\t2.0\nANAGLYCOLYSIS-PWY\t1\t0\n", "functional_profile"),
        ("Sample\traw single\tfinal single\nS1\t100\t90\n", "qc_table"),
        (
            "ref\tpercentage\tcoverage\tscore\ttaxid\trank\ttaxname\ttaxpath\ttaxpathsn\n"
            "GCF_1.1\t100\t3\t100\t\t\t\t\t\n",
            "no_taxon_names",
        ),
    ],
)
def test_refusals_name_what_the_file_is(text: str, key: str) -> None:
    with pytest.raises(AnalysisError) as info:
        read_table(text.encode(), "f.tsv")
    assert info.value.key == key


_KRAKEN_ROWS = [
    "  5.00\t50\t50\tU\t0\tunclassified",
    " 95.00\t950\t0\tR\t1\troot",
    " 95.00\t950\t0\tD\t2\t  Bacteria",
    " 60.00\t600\t600\tS\t816\t    Bacteroides fragilis",
    " 35.00\t350\t350\tS\t853\t    Faecalibacterium prausnitzii",
]


def test_a_kraken_report_with_blank_lines_reads_every_row() -> None:
    """Blank lines anywhere (also before a row's leading spaces) are skipped, not misread."""
    text = "\n\n".join(_KRAKEN_ROWS) + "\n\n"
    table = read_table(text.encode(), "sample.kreport")
    reads = dict(zip(table.lineages["species"], table.values.iloc[:, 0], strict=True))
    assert reads == {"Bacteroides fragilis": 600.0, "Faecalibacterium prausnitzii": 350.0}
    assert table.unclassified == {"sample": 50 / 1000}


@pytest.mark.parametrize("bad", ["  1.00\t10\tten\tS\t9\t    Broken row", "just some words"])
def test_a_malformed_line_inside_a_kraken_report_is_refused(bad: str) -> None:
    """One line that is not a report row, among enough good ones for the file to be taken for
    a Kraken report (90% of its lines), refuses the file as a whole."""
    species = [f"  1.00\t10\t10\tS\t{900 + i}\t    Species number{i}" for i in range(10)]
    rows = [*_KRAKEN_ROWS[:3], bad, *_KRAKEN_ROWS[3:], *species]
    with pytest.raises(AnalysisError) as info:
        read_table("\n".join(rows).encode(), "sample.kreport")
    assert info.value.key == "unknown_format"


@pytest.mark.parametrize("shuffled", [False, True])
def test_clade_totals_keep_what_stays_above_the_children(shuffled: bool) -> None:
    """Read counts of a clade table (kreport2mpa style), in tree order or with each clade's
    children apart from one another: leaves keep their counts and a clade keeps, as a feature
    of its own, what its children do not account for (written out here by hand)."""
    import pandas as pd

    from analysis.formats.metaphlan import hierarchy_leaves

    rows = {
        "d__Bacteria": 1000.0,
        "d__Bacteria|p__A": 600.0,
        "d__Bacteria|p__A|g__X": 250.0,
        "d__Bacteria|p__A|g__Y": 300.0,
        "d__Bacteria|p__B": 300.0,
    }
    order = list(rows)
    if shuffled:
        order = [order[2], order[4], order[0], order[3], order[1]]
    clades = pd.DataFrame({"S1": [rows[n] for n in order]}, index=order)
    values, _, kind = hierarchy_leaves(clades)
    assert kind == "counts"
    assert dict(zip(values.index, values["S1"], strict=True)) == {
        "d__Bacteria|p__A|g__X": 250.0,
        "d__Bacteria|p__A|g__Y": 300.0,
        "d__Bacteria|p__B": 300.0,
        "d__Bacteria|p__A|direct": 50.0,
        "d__Bacteria|direct": 100.0,
    }
