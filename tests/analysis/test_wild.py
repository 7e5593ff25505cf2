"""Every file in ../shared/data/wild read right, or refused with the truth.

Each expectation is an independent reading of the file written here (plain csv/pandas code, or
numbers read off the file by eye), never the product's output. The files' licences (unknown,
GPL, AGPL) forbid copying them, so they are read from the shared folder; without it the tests
skip (they fail under CI, see tests/conftest.py).
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zipfile
from collections import defaultdict
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest

from analysis import AnalysisError, Report, analyze, analyze_files
from tests.conftest import shared_path

WILD = "wild"

#: Genera whose species were renamed into other genera since the files' databases were made
#: (Phocaeicola from Bacteroides 2019, the Lactobacillus split 2020, Clostridium and Eubacterium
#: species moved to new genera ...): a file's genus row and a current name disagree, so these
#: are compared as one group, the rest genus by genus.
MOVED = frozenset(
    {
        "Bacteroides",
        "Phocaeicola",
        "Eubacterium",
        "Agathobacter",
        "Lachnospira",
        "Anaerobutyricum",
        "Holdemanella",
        "Ruminococcus",
        "Mediterraneibacter",
        "Blautia",
        "Clostridium",
        "Clostridioides",
        "Enterocloster",
        "Hungatella",
        "Tyzzerella",
        "Thomasclavelia",
        "Erysipelatoclostridium",
        "Lachnoclostridium",
        "Lactobacillus",
        "Ligilactobacillus",
        "Lactiplantibacillus",
        "Lacticaseibacillus",
        "Limosilactobacillus",
        "Latilactobacillus",
        "Levilactobacillus",
        "Lentilactobacillus",
        "Atopobium",
        "Lancefieldella",
        "Propionibacterium",
        "Cutibacterium",
        "Enterobacter",
        "Klebsiella",
        "Escherichia",
        "Shigella",
    }
)
#: Names that are not a genus (a placeholder for "unknown genus in this family").
_PLACEHOLDER = re.compile(r"(_unclassified|_noname|^unclassified|^uncultured|^Unknown)", re.I)


def wild(name: str) -> Path:
    return shared_path(WILD, name)


def read(name: str) -> Report:
    return analyze(wild(name).read_bytes(), name)


def refused(name: str) -> AnalysisError:
    with pytest.raises(AnalysisError) as info:
        read(name)
    return info.value


def grouped(shares: dict[str, float]) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for genus, share in shares.items():
        if _PLACEHOLDER.search(genus) or genus in {"Other", ""}:
            continue
        genus = re.sub(r"_[A-Z]+$", "", genus).replace("_", " ")  # GTDB's Blautia_A
        out["(moved)" if genus in MOVED else genus] += share
    return dict(out)


def assert_genera(
    report: Report, sample: str, expected: dict[str, float], tol: float = 0.005
) -> None:
    """The sample's genus shares match the top genera of the independent reading."""
    got = grouped(report.sample(sample).composition.genus)
    want = grouped(expected)
    top = sorted(want, key=want.__getitem__, reverse=True)[:4]
    assert top, "the independent reading found no genus"
    complete = "Other" not in report.sample(sample).composition.genus
    for genus in top:
        if genus == "(moved)" and not complete:
            continue  # the report lists only its top genera: the moved ones may be below it
        assert got.get(genus, 0.0) == pytest.approx(want[genus], abs=tol), (genus, got)


# -- independent readers -----------------------------------------------------------------------


def metaphlan_genera(name: str) -> dict[str, dict[str, float]]:
    """Per sample: each g__ row's value over the Bacteria + Archaea kingdom rows."""
    lines = [ln for ln in wild(name).read_text().splitlines() if ln.strip()]
    first = next(i for i, ln in enumerate(lines) if re.match(r'^"?(k__|d__|UNKNOWN)', ln))
    header = [c.strip('"') for c in lines[first - 1].lstrip("#").split("\t")]
    rows = [[c.strip('"') for c in ln.split("\t")] for ln in lines[first:]]
    if "relative_abundance" in header or len(rows[0]) == 2:
        value_at = header.index("relative_abundance") if "relative_abundance" in header else 1
        samples = ["only"]
        table = {r[0]: [float(r[value_at])] for r in rows}
    else:
        samples = header[1:]
        table = {r[0]: [float(v) for v in r[1:]] for r in rows}
    out: dict[str, dict[str, float]] = {}
    for j, sample in enumerate(samples):
        kingdoms = sum(table.get(k, [0.0] * len(samples))[j] for k in ("k__Bacteria", "k__Archaea"))
        genera: dict[str, float] = defaultdict(float)
        for clade, values in table.items():
            if "Viruses" in clade or "Eukaryota" in clade or values[j] <= 0:
                continue
            last = clade.split("|")[-1]
            if last.startswith("s__"):
                genus = re.search(r"\|g__([^|]+)", clade)
                first = last[3:].split("_")[0]
                if genus and not _PLACEHOLDER.search(genus.group(1)):
                    named = genus.group(1)  # the genus row it is under
                elif not first.endswith(("ales", "aceae")):
                    named = first  # under "Family_unclassified": the genus in its name
                else:
                    named = "unclassified"  # "Oscillospiraceae bacterium": no genus
                genera[named] += values[j] / kingdoms
            elif last.startswith("g__"):  # what the genus has beyond its species
                below = sum(
                    v[j]
                    for c, v in table.items()
                    if c.startswith(clade + "|s__") and c.count("|") == clade.count("|") + 1
                )
                if values[j] - below > 0.01:
                    genera[last[3:]] += (values[j] - below) / kingdoms
        out[sample] = dict(genera)
    return out


def kraken_genera(
    name: str, clade_at: int, rank_at: int, name_at: int, skip: int = 0
) -> tuple[dict[str, float], int]:
    """Each bacterial or archaeal genus' clade reads over the Bacteria + Archaea clade reads.

    Rows are in tree order, so the domain a genus is under is the last domain row above it.
    """
    rows = [ln.split("\t") for ln in wild(name).read_text().splitlines()[skip:] if ln.strip()]
    rows = [r for r in rows if not r[0].startswith("#")]
    domains = {"D", "superkingdom"}
    total = sum(
        int(r[clade_at])
        for r in rows
        if r[rank_at].strip() in domains and r[name_at].strip() in {"Bacteria", "Archaea"}
    )
    genera: dict[str, float] = {}
    domain = ""
    for r in rows:
        if r[rank_at].strip() in domains:
            domain = r[name_at].strip()
        elif r[rank_at].strip() in {"G", "genus"} and domain in {"Bacteria", "Archaea"}:
            genera[r[name_at].strip()] = int(r[clade_at]) / total
    return genera, total


# -- MetaPhlAn ---------------------------------------------------------------------------------

SINGLE_METAPHLAN = [
    "metaphlan2_v2.0_pavian_hmp_SRS011061_stool.profile",
    "metaphlan2_v294_HD-1_strainphlan_tutorial.profile",
    "metaphlan3_MOCK001_mock_taxpasta.txt",
    "metaphlan3_v30_ERR525939_taxpasta.tsv",
    "metaphlan3_v30_HD32R1_subsample_profile.tsv",
    "metaphlan3_v30_SRS014459_stool_bugs_list.tsv",
    "metaphlan4_v4.0.6_relab_w_read_stats_humann4demo.tsv",
    "metaphlan4_v4.1.1_toyOct22_SRS011061_stool.txt",
    "metaphlan4_v4.1.1_toyOct22_SRS014470_tongue.txt",
]


@pytest.mark.parametrize("name", SINGLE_METAPHLAN)
def test_single_metaphlan_profiles(name: str) -> None:
    report = read(name)
    assert len(report.samples) == 1 and report.method == "shotgun"
    expected = metaphlan_genera(name)["only"]
    assert_genera(report, report.samples[0].sample_id, expected)


def test_merged_metaphlan3_with_a_taxonomy_comment_header_has_six_samples() -> None:
    name = "metaphlan3_v30_merged_6samples_workflows.tsv"
    header = wild(name).read_text().splitlines()[0]
    assert header.startswith("# taxonomy")
    samples = header.split("\t")[1:]
    report = read(name)
    assert [s.sample_id for s in report.samples] == samples
    expected = metaphlan_genera(name)
    for sample in samples:
        assert_genera(report, sample, expected[sample])


def test_merged_metaphlan4_six_body_sites() -> None:
    name = "metaphlan4_v4.1.1_toyOct22_merged_6HMP_bodysites.txt"
    report = read(name)
    expected = metaphlan_genera(name)
    assert len(report.samples) == 6 and report.format == "metaphlan4"
    for sample, genera in expected.items():
        assert_genera(report, sample, genera)


def test_quoted_sgb_table_reads_every_sample_with_something_in_it() -> None:
    name = "metaphlan4_style_merged_quoted_animal_guts_sgb_tutorial.tsv"
    table = pd.read_csv(wild(name), sep="\t", index_col=0)
    kingdoms = table.loc[[i for i in table.index if i.startswith("k__") and "|" not in i]].sum()
    empty = [str(s) for s, v in kingdoms.items() if v == 0]
    report = read(name)
    assert len(empty) == 1 and len(report.samples) == table.shape[1] - 1
    skipped = next(c for c in report.caveats if c.key == "empty_samples_skipped")
    assert skipped.params["samples"] == empty[0]
    # ERR5005319 holds only a genus row (Streptococcus, 6.7%) with no species under it.
    assert report.sample("ERR5005319").composition.genus["Streptococcus"] == pytest.approx(1.0)
    expected = metaphlan_genera(name)
    richest = sorted(expected, key=lambda s: -sum(grouped(expected[s]).values()))[:3]
    for sample in richest:
        assert_genera(report, sample, expected[sample])


def test_ibdmdb_table_with_1595_samples_is_refused_as_too_many() -> None:
    name = "metaphlan_merged_species_IBDMDB_HMP2_stool_vis_stats.tsv"
    columns = wild(name).read_text().split("\n", 1)[0].split("\t")
    assert len(columns) - 1 == 1595
    assert refused(name).key == "too_many_samples"


def test_kreport2mpa_merged_counts_are_counts() -> None:
    name = "kraken2_kreport2mpa_merged_16soil.txt"
    table = pd.read_csv(wild(name), sep="\t", index_col=0)
    report = read(name)
    assert len(report.samples) == table.shape[1] == 16
    domains = table.loc[["d__Bacteria", "d__Archaea"]].sum()
    genus_rows = [i for i in table.index if i.split("|")[-1].startswith("g__")]
    for sample in ("W100", "W53"):
        genera = {
            i.split("|")[-1][3:]: float(table.at[i, sample]) / float(domains[sample])
            for i in genus_rows
        }
        assert_genera(report, sample, genera)
    first = report.sample("W100")
    assert first.taxa[0].count is not None and first.taxa[0].count == int(first.taxa[0].count)


# -- Kraken family -----------------------------------------------------------------------------


def test_krakenuniq_report() -> None:
    name = "krakenuniq_v1.0.2_report_MOCK001_taxpasta.txt"
    genera, _ = kraken_genera(name, clade_at=1, rank_at=7, name_at=8, skip=3)
    report = read(name)
    assert len(report.samples) == 1
    assert_genera(report, report.samples[0].sample_id, genera)


def test_pavian_report_with_a_header_row_leaves_out_the_host() -> None:
    name = "kraken_style_report_with_header_pavian_PT1-DNA_brainbiopsy.report"
    genera, _ = kraken_genera(name, clade_at=1, rank_at=3, name_at=6, skip=1)
    report = read(name)
    sample = report.samples[0]
    assert_genera(report, sample.sample_id, genera)
    assert "Homo" not in sample.composition.genus
    assert any(c.key == "host_reads_removed" for c in report.caveats)


def test_kraken2_report_of_host_and_yeast_only_is_refused() -> None:
    name = "kraken2_report_ERR5766176_paleofaeces_taxpasta.txt"
    _, domain = kraken_genera(name, clade_at=1, rank_at=3, name_at=5)
    assert domain == 0  # no Bacteria or Archaea row: host and fungi only
    assert refused(name).key == "no_bacteria"


def test_centrifuge_report_of_a_viral_database_is_refused() -> None:
    name = "centrifuge_kreport_barcode52_taxpasta.txt"
    _, domain = kraken_genera(name, clade_at=1, rank_at=3, name_at=5)
    assert domain == 0  # 99.5% Viruses, 0.5% Eukaryota
    assert refused(name).key == "no_bacteria"


def test_bracken_species_skin_swab_without_the_host() -> None:
    name = "bracken_species_MBT276_skin_swab_host41pct.bracken.s"
    rows = list(csv.DictReader(io.StringIO(wild(name).read_text()), delimiter="\t"))
    microbes = [
        r
        for r in rows
        if r["name"] != "Homo sapiens"
        and "phage" not in r["name"]
        and "virus" not in r["name"].lower()
        and not r["name"].startswith(("Malassezia", "Candida", "Saccharomyces"))
    ]
    total = sum(float(r["new_est_reads"]) for r in microbes)
    genera: dict[str, float] = defaultdict(float)
    for r in microbes:
        genera[r["name"].split(" ")[0]] += float(r["new_est_reads"]) / total
    report = read(name)
    assert_genera(report, report.samples[0].sample_id, genera)
    assert "Homo" not in report.samples[0].composition.genus


def test_bracken_of_host_and_yeast_only_is_refused() -> None:
    name = "bracken_species_ERR5766176_hostonly_taxpasta.tsv"
    names = [r["name"] for r in csv.DictReader(io.StringIO(wild(name).read_text()), delimiter="\t")]
    assert names == ["Homo sapiens", "Saccharomyces cerevisiae"]
    assert refused(name).key == "no_bacteria"


def test_ganon_report() -> None:
    name = "ganon_report_tre_ERR5766176_taxpasta.tre"
    rows = [ln.split("\t") for ln in wild(name).read_text().splitlines() if ln.strip()]
    domain = sum(float(r[7]) for r in rows if r[0] == "superkingdom")
    genera = {r[3]: float(r[7]) / domain for r in rows if r[0] == "genus"}
    report = read(name)
    assert len(report.samples) == 1
    assert_genera(report, report.samples[0].sample_id, genera)


# -- other profilers ---------------------------------------------------------------------------


def test_cami_file_with_100_samples_is_100_samples() -> None:
    name = "cami_motus2.5.1_multisample_100_strainmadness_SIMULATED.profile"
    text = wild(name).read_text()
    blocks = text.split("@SampleID:")[1:]
    assert len(blocks) == 100
    report = read(name)
    assert len(report.samples) == 100
    for block in (blocks[0], blocks[57]):
        sample = block.split("\n", 1)[0].strip()
        species = [ln.split("\t") for ln in block.splitlines() if "\tspecies\t" in ln]
        total = sum(float(r[4]) for r in species)
        genera: dict[str, float] = defaultdict(float)
        for r in species:
            genera[r[3].split("|")[5]] += float(r[4]) / total
        assert_genera(report, sample, genera)


def test_mouse_motus4_relab() -> None:
    name = "motus4.1.0_relab_ERR4507416_OMM12_mouse.relab"
    table = pd.read_csv(wild(name), sep="\t", skiprows=1)
    genera: dict[str, float] = defaultdict(float)
    total = table["ERR4507416"].sum()
    for lineage, value in zip(table["Taxonomy"], table["ERR4507416"], strict=True):
        genus = re.search(r"g__([^;]+)", lineage)
        genera[re.sub(r"_[A-Z]+$", "", genus.group(1)) if genus else "?"] += value / total
    report = read(name)
    assert [s.sample_id for s in report.samples] == ["ERR4507416"]
    assert_genera(report, "ERR4507416", genera)


def test_motus3_default_output_reads_the_counts_column_not_the_taxid() -> None:
    name = "motus3.0.3_profile_ERR5766176_taxpasta.out"
    rows = [ln.split("\t") for ln in wild(name).read_text().splitlines() if not ln.startswith("#")]
    named = [r for r in rows if r[0] != "unassigned"]
    total = sum(float(r[2]) for r in named)
    genera: dict[str, float] = defaultdict(float)
    for r in named:
        genera[r[0].split(" ")[0]] += float(r[2]) / total
    report = read(name)
    assert [s.sample_id for s in report.samples] == ["2612_pe-ERR5766176-db_mOTU"]
    assert_genera(report, "2612_pe-ERR5766176-db_mOTU", genera)


def test_sourmash_gather_is_one_sample_named_from_the_matches() -> None:
    name = "sourmash_v4.5.0_gather_HSMA33MX_stool_subset.csv"
    rows = list(csv.DictReader(io.StringIO(wild(name).read_text())))
    total = sum(float(r["f_unique_weighted"]) for r in rows)
    genera: dict[str, float] = defaultdict(float)
    for r in rows:
        genera[r["name"].split(" ")[1]] += float(r["f_unique_weighted"]) / total
    report = read(name)
    assert [s.sample_id for s in report.samples] == [rows[0]["query_name"]]
    assert_genera(report, rows[0]["query_name"], genera)


@pytest.mark.parametrize(
    ("name", "tool"),
    [
        ("kmcp_profile_MOCK002_taxpasta.profile", "KMCP"),
        ("kaiju_table_barcode41_taxpasta.tsv", "Kaiju"),
    ],
)
def test_profiles_without_taxon_names_are_refused(name: str, tool: str) -> None:
    rows = list(csv.DictReader(io.StringIO(wild(name).read_text()), delimiter="\t"))
    if tool == "KMCP":
        assert all(not r["taxname"] and not r["taxpathsn"] for r in rows)
    else:  # every assigned row but "Viruses" is named "taxonid:N"
        named = [
            r for r in rows if not r["taxon_name"].startswith(("taxonid:", "unclass", "cannot"))
        ]
        assert [r["taxon_name"] for r in named] == ["Viruses"]
    error = refused(name)
    assert error.key == "no_taxon_names" and error.details["tool"] == tool


# -- not profiles ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("humann3_merged_genefamilies_relab_NOTtaxonomic.tsv", "functional_profile"),
        ("humann3_merged_pathabundance_NOTtaxonomic.tsv", "functional_profile"),
        ("humann4_pathabundance_demo_NOTtaxonomic.tsv", "functional_profile"),
        ("picrust1_KO_gene_table_biom1_NOTtaxonomic.biom", "functional_profile"),
        ("picrust2_metacyc_path_abun_unstrat_NOTtaxonomic.tsv", "functional_profile"),
        ("kneaddata_read_count_table_NOTprofile.tsv", "qc_table"),
        ("diamond_blastx_outfmt102_NOTprofile_taxpasta.tsv", "per_read_assignments"),
    ],
)
def test_files_that_are_not_profiles_are_refused_saying_what_they_are(name: str, key: str) -> None:
    assert refused(name).key == key


# -- amplicon tables ---------------------------------------------------------------------------


def test_qiime1_classic_otu_table_with_consensus_lineage() -> None:
    name = "qiime1_v1.2.1_classic_otu_table_GlobalPatterns_rand_short.txt.gz"
    text = gzip.decompress(wild(name).read_bytes()).decode()
    table = pd.read_csv(io.StringIO(text), sep="\t", skiprows=1, index_col=0)
    lineages = table.pop("Consensus Lineage")
    report = read(name)
    assert len(report.samples) == table.shape[1] == 28
    for sample in ("M31Fcsw", "F21Fcsw"):
        genera: dict[str, float] = defaultdict(float)
        total = table[sample].sum()
        for lineage, value in zip(lineages, table[sample], strict=True):
            genus = re.search(r"g__([^;]*)", lineage)
            if genus and genus.group(1):
                genera[genus.group(1)] += value / total
        assert_genera(report, sample, genera)


def test_qiime2_taxa_barplot_level6_samples_are_rows() -> None:
    name = "qiime2_taxa_barplot_level-6_SILVA138_2samples.csv"
    table = pd.read_csv(wild(name), index_col=0)
    taxa = [c for c in table.columns if ";" in c or c.startswith(("d__", "Unassigned"))]
    report = read(name)
    assert [s.sample_id for s in report.samples] == list(table.index)
    for sample in table.index:
        row = table.loc[sample, taxa].astype(float)
        genera: dict[str, float] = defaultdict(float)
        for column, value in row.items():
            genus = re.search(r"g__([^;]+)$", column)
            if genus:
                genera[genus.group(1)] += value / row.sum()
        assert_genera(report, str(sample), genera)


def test_maaslin_table_with_samples_as_rows() -> None:
    name = "maaslin2_input_ibdmdb_taxa_week0_samples_as_rows.tsv"
    table = pd.read_csv(wild(name), sep="\t", index_col=0)
    taxa = table.columns[5:]  # SID is the index; site_name ... diagnosis are metadata
    assert list(table.columns[:5]) == ["site_name", "sex", "race", "consent_age", "diagnosis"]
    report = read(name)
    assert len(report.samples) == len(table) == 96
    for sample in (table.index[0], table.index[40]):
        bacterial = [c for c in taxa if not re.search(r"virus|phage", c, re.I)]
        row = table.loc[sample, bacterial].astype(float).fillna(0.0)
        genera: dict[str, float] = defaultdict(float)
        for column, value in row.items():
            genera[column.split("_")[0]] += value / row.sum()
        assert_genera(report, sample, genera)


def _qza_member(path: Path, suffix: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        member = next(n for n in archive.namelist() if n.endswith(suffix) and "/data/" in n)
        return archive.read(member)


def _qza_expected() -> tuple[pd.DataFrame, dict[str, str]]:
    biom = _qza_member(wild("qiime2_2020.8_dada2_table_FMT_mouse.qza"), ".biom")
    with h5py.File(io.BytesIO(biom), "r") as handle:
        rows = [i.decode() for i in handle["observation/ids"][()]]
        cols = [i.decode() for i in handle["sample/ids"][()]]
        dense = np.zeros((len(rows), len(cols)))
        indptr = handle["observation/matrix/indptr"][()]
        indices = handle["observation/matrix/indices"][()]
        data = handle["observation/matrix/data"][()]
        for r in range(len(rows)):
            for k in range(indptr[r], indptr[r + 1]):
                dense[r, indices[k]] = data[k]
    taxonomy_tsv = _qza_member(wild("qiime2_2020.8_taxonomy_FMT_mouse.qza"), "taxonomy.tsv")
    taxonomy = pd.read_csv(io.BytesIO(taxonomy_tsv), sep="\t", index_col=0)["Taxon"].to_dict()
    return pd.DataFrame(dense, index=rows, columns=cols), taxonomy


def _check_qza(report: Report) -> None:
    counts, taxonomy = _qza_expected()
    assert len(report.samples) == counts.shape[1] == 48
    for sample in (counts.columns[0], counts.columns[30]):
        genera: dict[str, float] = defaultdict(float)
        for feature, value in counts[sample].items():
            genus = re.search(r"g__([^;]+)", taxonomy[feature])
            if genus and genus.group(1).strip():
                genera[genus.group(1).strip()] += value / counts[sample].sum()
        assert_genera(report, sample, genera)


def test_qiime2_qza_pair_sent_as_two_files() -> None:
    files = {
        name: wild(name).read_bytes()
        for name in (
            "qiime2_2020.8_dada2_table_FMT_mouse.qza",
            "qiime2_2020.8_taxonomy_FMT_mouse.qza",
        )
    }
    _check_qza(analyze_files(files))


def test_qiime2_qza_pair_in_one_zip() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("table.qza", wild("qiime2_2020.8_dada2_table_FMT_mouse.qza").read_bytes())
        archive.writestr("taxonomy.qza", wild("qiime2_2020.8_taxonomy_FMT_mouse.qza").read_bytes())
    _check_qza(analyze(buffer.getvalue(), "both.zip"))


@pytest.mark.parametrize(
    ("name", "have"),
    [
        ("qiime2_2020.8_dada2_table_FMT_mouse.qza", "biom_table"),
        ("qiime2_2020.8_taxonomy_FMT_mouse.qza", "taxonomy"),
        ("dada2_asv_counts_stinglessbee_gut.tsv", "dada2_counts"),
        ("dada2_asv_taxonomy_stinglessbee_gut.csv", "taxonomy"),
        ("mothur_shared_esophagus_no_taxonomy.fn.shared.gz", "mothur_shared"),
    ],
)
def test_one_half_of_a_pair_asks_for_the_other(name: str, have: str) -> None:
    error = refused(name)
    assert error.key == "needs_companion_file" and error.details["have"] == have


def test_dada2_pair_skips_the_negative_control() -> None:
    counts = pd.read_csv(wild("dada2_asv_counts_stinglessbee_gut.tsv"), sep="\t", index_col=0)
    taxonomy = pd.read_csv(wild("dada2_asv_taxonomy_stinglessbee_gut.csv"), index_col=0)
    empty = [str(c) for c in counts.columns if counts[c].sum() == 0]
    assert empty == ["NC68"]
    files = {
        "ASVs_counts.tsv": wild("dada2_asv_counts_stinglessbee_gut.tsv").read_bytes(),
        "ASVs_taxonomy.csv": wild("dada2_asv_taxonomy_stinglessbee_gut.csv").read_bytes(),
    }
    report = analyze_files(files)
    assert len(report.samples) == counts.shape[1] - 1
    assert "NC68" in str(next(c for c in report.caveats if c.key == "empty_samples_skipped").params)
    bacterial = taxonomy["Kingdom"].isin(["Bacteria", "Archaea"]) | taxonomy["Kingdom"].isna()
    for sample in (counts.columns[0], counts.columns[20]):
        column = counts.loc[bacterial[bacterial].index, sample]
        genera: dict[str, float] = defaultdict(float)
        for asv, value in column.items():
            genus = taxonomy.at[asv, "Genus"]
            if isinstance(genus, str):
                genera[genus] += value / column.sum()
        assert_genera(report, sample, genera)


# -- uBiome ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["ubiome_csv_gut_sprague_151006.csv", "ubiome_json_mouth_sprague_1507_NOTstool.json"]
)
def test_ubiome_exports(name: str) -> None:
    if name.endswith(".json"):
        import json

        rows = json.loads(wild(name).read_text())["ubiome_bacteriacounts"]
    else:
        rows = list(csv.DictReader(io.StringIO(wild(name).read_text())))
    by_id = {int(r["taxon"]): r for r in rows}

    def genus_above(record: dict) -> bool:
        parent = int(record["parent"] or 0)
        for _ in range(30):
            if parent not in by_id:
                return False
            if by_id[parent]["tax_rank"] == "genus":
                return True
            parent = int(by_id[parent]["parent"] or 0)
        return False

    genera = {r["tax_name"]: float(r["count_norm"]) for r in rows if r["tax_rank"] == "genus"}
    orphans = sum(
        float(r["count_norm"]) for r in rows if r["tax_rank"] == "species" and not genus_above(r)
    )
    viral = sum(v for g, v in genera.items() if "virus" in g.lower())
    total = sum(genera.values()) + orphans - viral
    report = read(name)
    assert len(report.samples) == 1
    assert_genera(report, report.samples[0].sample_id, {g: v / total for g, v in genera.items()})


def test_every_wild_file_has_a_test() -> None:
    folder = wild("README.md").parent
    source = Path(__file__).read_text()
    missing = [p.name for p in folder.iterdir() if p.name != "README.md" and p.name not in source]
    assert not missing
