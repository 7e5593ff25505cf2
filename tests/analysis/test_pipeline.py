"""Every corpus file parses (or asks for its other half); pairs combine; bad input is named."""

from __future__ import annotations

import gzip
import io
import zipfile

import pytest

from analysis import AnalysisError, Report, analyze
from tests.conftest import shared_path

COMPLETE = {
    "metaphlan2_merged_species_GMHI_25samples.csv": ("metaphlan2", "shotgun", 25),
    "metaphlan3_SRR1761667_stool.txt": ("metaphlan3", "shotgun", 1),
    "metaphlan3_kefir_Subj001_time1_stool.txt": ("metaphlan3", "shotgun", 1),
    "metaphlan4_vOct22_ERR7569997_NOTstool.txt": ("metaphlan4", "shotgun", 1),
    "kraken_report_official_sample_SIMULATED.kreport": ("kraken2_report", "shotgun", 1),
    "bracken_species_output_official_sample_SIMULATED.txt": ("bracken", "shotgun", 1),
    "bracken_kreport_official_sample_SIMULATED.kreport": ("bracken", "shotgun", 1),
    "motus3_cami_profile_ERR479304_stool.profile": ("motus_cami", "shotgun", 1),
    "ubiome_gut_74607.json": ("ubiome_json", "16s", 1),
    "ubiome_gut_74607_export.csv": ("ubiome_csv", "16s", 1),
    "biom1_json_AmericanGut_MetaphlanWGS.biom": ("biom_json", "shotgun", 4),
    "biom1_json_AG_debug_100nt.biom.gz": ("biom_json", "16s", 202),
}
HALVES = {
    "qiime2_movingpictures_feature-table.tsv": "needs_companion_file",
    "qiime2_movingpictures_taxonomy.tsv": "needs_companion_file",
    "qiime2_movingpictures_sample-metadata.tsv": "metadata_only",
    "mothur_Baxter2016_fit.final.tx.1.subsample.shared": "needs_companion_file",
    "mothur_Baxter2016_fit.final.tx.1.cons.taxonomy": "needs_companion_file",
    "mothur_Baxter2016_mapping.csv": "metadata_only",
    "dada2_happybelly_ASVs_counts_CF_infant_stool_first20samples.tsv": "needs_companion_file",
    "dada2_happybelly_ASVs_taxonomy_CF_infant_stool.tsv": "needs_companion_file",
    "dada2_seqtab_nochim_CRC.csv": "needs_companion_file",
    "dada2_taxa_species_CRC.csv": "needs_companion_file",
    "biom2_hdf5_qiime2_feature-table_MOUSE_feces.biom": "needs_companion_file",
}


def _zip(*names: str, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(f"export/{name}", shared_path("corpus", name).read_bytes())
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_every_corpus_file_is_covered() -> None:
    names = {p.name for p in shared_path("corpus").iterdir()}
    assert names == set(COMPLETE) | set(HALVES)


def _sane(report: Report) -> None:
    for sample in report.samples:
        assert 0 <= sample.alpha.shannon < 8
        assert 0 <= sample.alpha.simpson <= 1
        assert sample.n_taxa > 0
        assert abs(sum(sample.composition.genus.values()) - 1) < 1e-4
        assert sample.taxa and abs(sum(t.abundance for t in sample.taxa) - 1) < 1e-6
        assert any(c.key == "single_test" for c in sample.caveats)


@pytest.mark.parametrize("name", sorted(COMPLETE))
def test_complete_files_analyse(name: str) -> None:
    fmt, method, n = COMPLETE[name]
    report = analyze(shared_path("corpus", name).read_bytes(), name)
    assert (report.format, report.method, len(report.samples)) == (fmt, method, n)
    _sane(report)
    json_form = report.model_dump(mode="json")
    assert {"format", "method", "profiler_version", "samples"} <= set(json_form)
    sample = json_form["samples"][0]
    for key in (
        "sample_id",
        "rank",
        "n_taxa",
        "alpha",
        "indices",
        "percentiles",
        "composition",
        "findings",
        "caveats",
    ):
        assert key in sample
    for index in ("gmhi", "gmwi2", "distance_to_healthy"):
        assert {"value", "applicable", "status", "note"} <= set(sample["indices"][index])


@pytest.mark.parametrize("name", sorted(HALVES))
def test_halves_ask_for_the_other_half(name: str) -> None:
    with pytest.raises(AnalysisError) as info:
        analyze(shared_path("corpus", name).read_bytes(), name)
    assert info.value.key == HALVES[name]


@pytest.mark.parametrize(
    ("names", "fmt", "n", "metadata_key"),
    [
        (
            (
                "qiime2_movingpictures_feature-table.tsv",
                "qiime2_movingpictures_taxonomy.tsv",
                "qiime2_movingpictures_sample-metadata.tsv",
            ),
            "qiime2_tsv",
            34,
            "body-site",
        ),
        (
            (
                "dada2_happybelly_ASVs_counts_CF_infant_stool_first20samples.tsv",
                "dada2_happybelly_ASVs_taxonomy_CF_infant_stool.tsv",
            ),
            "dada2",
            20,
            None,
        ),
        (("dada2_seqtab_nochim_CRC.csv", "dada2_taxa_species_CRC.csv"), "dada2", 1, None),
    ],
)
def test_pairs_in_a_zip_analyse(
    names: tuple[str, ...], fmt: str, n: int, metadata_key: str | None
) -> None:
    report = analyze(_zip(*names), "results.zip")
    assert (report.format, report.method, len(report.samples)) == (fmt, "16s", n)
    _sane(report)
    if metadata_key:
        palms = [s for s in report.samples if any(c.key == "not_stool" for c in s.caveats)]
        assert 0 < len(palms) < n  # palm and tongue samples flagged, gut samples not


def test_mothur_pair_is_refused_above_500_samples_but_a_subset_works() -> None:
    shared = (
        shared_path("corpus", "mothur_Baxter2016_fit.final.tx.1.subsample.shared")
        .read_text()
        .split("\n")
    )
    small = "\n".join(shared[:11]).encode()
    taxonomy = shared_path("corpus", "mothur_Baxter2016_fit.final.tx.1.cons.taxonomy").read_bytes()
    with pytest.raises(AnalysisError) as info:
        analyze(
            _zip(
                "mothur_Baxter2016_fit.final.tx.1.subsample.shared",
                "mothur_Baxter2016_fit.final.tx.1.cons.taxonomy",
            )
        )
    assert info.value.key == "too_many_samples"
    report = analyze(_zip(extra={"a.shared": small, "a.cons.taxonomy": taxonomy}))
    assert report.format == "mothur" and len(report.samples) == 10
    assert (
        report.samples[0].chao1
        if hasattr(report.samples[0], "chao1")
        else report.samples[0].alpha.chao1 is not None
    )


def test_caveats_for_unusual_samples() -> None:
    env = analyze(shared_path("corpus", "metaphlan4_vOct22_ERR7569997_NOTstool.txt").read_bytes())
    assert any(c.key == "not_stool" for c in env.samples[0].caveats)
    infants = analyze(
        _zip(
            "dada2_happybelly_ASVs_counts_CF_infant_stool_first20samples.tsv",
            "dada2_happybelly_ASVs_taxonomy_CF_infant_stool.tsv",
        )
    )
    assert any(any(c.key == "infant_profile" for c in s.caveats) for s in infants.samples)
    assert all(any(c.key == "limits_16s" for c in s.caveats) for s in infants.samples)


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "empty_file"),
        (b"   \n\n", "empty_file"),
        (b"\x00\x01\x02\x03binary" * 50, "binary_file"),
        (b"hello world\nthis is a letter, not a table\n", "unknown_format"),
        (b"sample,value\nA,1\nB,2\n", "unknown_format"),
        (b"taxon,abundance\nBacteroides,-5\nPrevotella,3\n", "bad_values"),
        (b"taxon,abundance\nBacteroides,nan\nPrevotella,3\n", "bad_values"),
        (b"taxon,abundance\nBacteroides,0\nPrevotella,0\n", "bad_values"),
        (b"taxon,percent\nBacteroides,150\nPrevotella,90\n", "abundance_over_100"),
        (b"PK\x03\x04garbage", "corrupt_archive"),
        (b"\x89HDF\r\n\x1a\nnot really hdf5", "malformed_hdf5"),
        (b'{"not": "biom"}', "unknown_format"),
    ],
)
def test_bad_input_is_named(data: bytes, key: str) -> None:
    with pytest.raises(AnalysisError) as info:
        analyze(data, "upload.txt")
    assert info.value.key == key
    assert info.value.message


def test_unknown_format_lists_what_is_supported() -> None:
    with pytest.raises(AnalysisError) as info:
        analyze(b"hello world\nthis is a letter, not a table\n")
    assert "MetaPhlAn" in " ".join(info.value.details["supported"])


def test_too_many_samples() -> None:
    header = "taxon," + ",".join(f"S{i}" for i in range(501))
    rows = [
        "Bacteroides," + ",".join("5" for _ in range(501)),
        "Prevotella," + ",".join("3" for _ in range(501)),
    ]
    with pytest.raises(AnalysisError) as info:
        analyze("\n".join([header, *rows]).encode())
    assert info.value.key == "too_many_samples"


def test_zip_bomb_and_traversal() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("huge.tsv", b"0" * 60_000_000)
    with pytest.raises(AnalysisError) as info:
        analyze(buffer.getvalue(), "bomb.zip")
    assert info.value.key == "zip_bomb"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../etc/passwd.tsv", b"taxon,abundance\nBacteroides,1\n")
    with pytest.raises(AnalysisError) as info:
        analyze(buffer.getvalue(), "evil.zip")
    assert info.value.key == "unknown_format"


def test_generic_tables_in_many_dialects() -> None:
    semicolon = "Taxon;Abundance\nBacteroides;45,5\nFaecalibacterium;30,2\nBifidobacterium;24,3\n"
    report = analyze(("\ufeff" + semicolon).encode("utf-8"), "lab.csv")
    assert report.format == "generic_table"
    genus = report.samples[0].composition.genus
    assert genus["Bacteroides"] == pytest.approx(0.455)
    latin = "genus,count\nBactéroides,400\nPrevotella,100\n".encode("latin-1")
    assert analyze(latin).samples[0].n_taxa == 2
    gz = gzip.compress(b"taxon\tfraction\nBacteroides\t0.6\nPrevotella\t0.4\n")
    assert analyze(gz, "t.tsv.gz").samples[0].composition.genus["Prevotella"] == pytest.approx(0.4)


def test_duplicated_taxa_are_summed_with_a_caveat() -> None:
    report = analyze(b"taxon,count\nBacteroides,10\nBacteroides,30\nPrevotella,60\n")
    assert report.samples[0].composition.genus["Bacteroides"] == pytest.approx(0.4)
    assert any(c.key == "duplicated_taxa" for c in report.samples[0].caveats + report.caveats)


def test_collapsed_qiime_table_with_lineage_ids_is_not_taken_for_metaphlan() -> None:
    table = "# Constructed from biom file\n#OTU ID\tS1\tS2\nk__Bacteria;p__Firmicutes;g__Blautia\t120\t30\nk__Bacteria;p__Bacteroidetes;g__Bacteroides\t80\t70\n"
    report = analyze(table.encode(), "collapsed.tsv")
    assert report.format == "qiime2_tsv"
    assert report.samples[0].composition.genus["Blautia"] == pytest.approx(0.6)


def test_presence_findings_name_methanogens_and_c_difficile() -> None:
    report = analyze(shared_path("corpus", "metaphlan3_SRR1761667_stool.txt").read_bytes())
    keys = [f.key for f in report.samples[0].findings]
    assert "methanogens_present" in keys
    methanogens = next(f for f in report.samples[0].findings if f.key == "methanogens_present")
    assert methanogens.direction == "present" and methanogens.topics == ["symptoms.bowel_habits"]
    cdiff = analyze(b"taxon,count\nBacteroides,900\nClostridioides difficile,5\n")
    assert "c_difficile_detected" in [f.key for f in cdiff.samples[0].findings]


def test_scoring_in_chunks_gives_the_report_of_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis import aggregate

    inputs = [
        (shared_path("corpus", "metaphlan2_merged_species_GMHI_25samples.csv").read_bytes(), None),
        (
            _zip(
                "qiime2_movingpictures_feature-table.tsv",
                "qiime2_movingpictures_taxonomy.tsv",
            ),
            "results.zip",
        ),
    ]
    whole = [analyze(data, name).model_dump_json() for data, name in inputs]
    monkeypatch.setattr(aggregate, "CHUNK_CELLS", 1)  # one sample per chunk
    assert [analyze(data, name).model_dump_json() for data, name in inputs] == whole


def test_stacked_group_sums_are_those_of_one_groupby_per_grouping() -> None:
    import numpy as np
    import pandas as pd

    from analysis.aggregate import Grouping, Stack

    rng = np.random.default_rng(0)
    n = 400
    matrix = rng.pareto(0.8, (n, 3)) * (rng.random((n, 3)) < 0.5)
    keys = {
        "scattered": [f"g{i}" for i in rng.integers(0, 30, n)],
        "runs": [f"r{i}" for i in sorted(rng.integers(0, 30, n))],
        "other_runs": [f"p{i // 50}" for i in range(n)],
    }
    sums = Stack({name: Grouping(k) for name, k in keys.items()}).sums(matrix)
    for name, k in keys.items():
        expected = pd.DataFrame(matrix).groupby(np.array(k), sort=False).sum().to_numpy()
        assert np.array_equal(sums[name], expected), name


def test_feature_table_with_a_non_numeric_cell_counts_it_as_zero() -> None:
    table = (
        "# Constructed from biom file\n#OTU ID\tS1\tS2\n"
        "k__Bacteria;p__Firmicutes;g__Blautia\t120\tn/a\n"
        "k__Bacteria;p__Bacteroidetes;g__Bacteroides\t80\t70\n"
    )
    report = analyze(table.encode(), "collapsed.tsv")
    assert report.sample("S2").composition.genus == {"Bacteroides": 1.0}
    assert report.sample("S1").composition.genus["Blautia"] == pytest.approx(0.6)


def test_no_phylum_is_listed_among_the_genera() -> None:
    """MetaPhlAn 3 names unplaced species after their phylum ("Firmicutes bacterium CAG 83");
    their share is no genus (the chart once showed 'Firmicutes 1.3%' among genera)."""
    path = shared_path("corpus", "metaphlan3_SRR1761667_stool.txt")
    text = path.read_text()
    phyla = {
        part.removeprefix("p__")
        for line in text.splitlines()
        for part in line.split("\t")[0].split("|")
        if part.startswith("p__")
    }
    genera = analyze(path.read_bytes(), path.name).samples[0].composition.genus
    assert phyla and not phyla & set(genera)


def test_taxon_rows_are_the_rows_model_construct_builds() -> None:
    """The fast row builder gives what pydantic's model_construct gives with every field set:
    equal rows, the same dumps, the same fields set, no extra or private state."""
    import pickle

    from analysis.aggregate import taxon_row
    from analysis.model import TaxonRow

    lineage = ["Bacteria", "Bacillota", None, None, "Lachnospiraceae", "Blautia", None]
    for count, percentile in ((None, None), (1234.0, 61.5)):
        fields = {
            "name": "Blautia",
            "rank": "genus",
            "lineage": lineage,
            "abundance": 0.0421,
            "count": count,
            "percentile": percentile,
        }
        fast = taxon_row(dict(fields))
        slow = TaxonRow.model_construct(set(TaxonRow.model_fields), **fields)
        assert fast == slow
        assert fast.model_dump() == slow.model_dump()
        assert fast.model_dump_json() == slow.model_dump_json()
        assert fast.model_fields_set == slow.model_fields_set == set(TaxonRow.model_fields)
        assert fast.__pydantic_extra__ is None and fast.__pydantic_private__ is None
        assert TaxonRow.model_validate(fast.model_dump()) == fast
        # Reports cross to the analysis worker processes by pickling.
        assert pickle.loads(pickle.dumps(fast)) == slow
