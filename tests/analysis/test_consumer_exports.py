"""Consumer exports (issue 20): Thryve/Ombre abundance profiles, Microbiome Prescription uploads,
BIOHM raw counts and Excel workbooks.

Every expectation is computed here from the file itself, with the csv module, openpyxl and plain
arithmetic, never from the product's output. The lab files' licence is "none": they are read
from the shared folder (tests/conftest.py), never copied.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from analysis import AnalysisError, Report, analyze
from analysis.compare import compare_samples
from analysis.formats import limits, read_table, refusals
from analysis.formats.spreadsheet import is_workbook, read_workbook, sheet_text
from analysis.model import ParsedTable
from analysis.pipeline import build_report
from tests.conftest import shared_path

PROFILES = (
    "thryve_gut-health-test_2021-05_abundance_profile_DTCsample2.csv",
    "thryve_gut-health-test_2021-06_abundance_profile_DTCsample3a.csv",
    "thryve_gut-health-test_2021-06_abundance_profile_DTCsample3b.csv",
    "thryve_gut-health-test_2021-10_abundance_profile_DTCsample4.csv",
    "ombre_gut-health-test_2021-12_abundance_profile_DTCsample5.csv",
    "ombre_gut-health-test_2022-05_abundance_profile_DTCsample6.csv",
)
REPLICATES = (PROFILES[1], PROFILES[2])  # one stool, two kits (labs/README.md)
BIOHM = "biohm_gut-report_2021-10_raw-data_DTCsample4.xlsx"


def _lab(name: str) -> Path:
    return shared_path("labs", name)


def _shannon(counts: Iterable[float]) -> float:
    values = [c for c in counts if c > 0]
    total = sum(values)
    return -sum(c / total * math.log(c / total) for c in values)


def _read_text(text: str, filename: str | None) -> ParsedTable:
    """The registry's text path, through the public reader (as a CSV upload goes)."""
    return read_table(text.encode("utf-8"), filename)


def _genera(report: Report) -> dict[str, float]:
    (sample,) = report.samples
    return {t.name: t.abundance for t in sample.taxa if t.rank == "genus"}


# -- Thryve / Ombre abundance profiles ----------------------------------------------------------


@dataclass
class Profile:
    """What a profile CSV says, read with the csv module."""

    genus_counts: list[float]  # every genus-rank row, named or pseudo, in file order
    named: dict[str, float]  # named genus -> count
    perc: dict[str, float]  # named genus -> the file's own perc
    rank_count: float
    kingdom_count: float
    high_ranks: set[str]  # kingdom and phylum names
    pseudo: set[str]  # names of rows without a taxon id


def _profile(path: Path) -> Profile:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    genus = [r for r in rows if r["rank"] == "genus" and float(r["count"]) > 0]
    named = [r for r in genus if r["taxon_id"] and not r["name"].startswith("other ")]
    return Profile(
        genus_counts=[float(r["count"]) for r in genus],
        named={r["name"]: float(r["count"]) for r in named},
        perc={r["name"]: float(r["perc"]) for r in named},
        rank_count=float(genus[0]["rank_count"]),
        kingdom_count=sum(float(r["count"]) for r in rows if r["rank"] == "kingdom"),
        high_ranks={r["name"] for r in rows if r["rank"] in ("kingdom", "phylum")},
        pseudo={r["name"] for r in rows if not r["taxon_id"]},
    )


def _check_profile(report: Report, expected: Profile) -> None:
    (sample,) = report.samples
    total = sum(expected.genus_counts)
    assert total == expected.rank_count  # the genus rows are the whole genus rank
    assert report.method == "16s" and sample.rank == "genus"
    # Every genus-rank row is one taxon (pseudo-taxa too: unnamed, under their family).
    assert sample.alpha.observed == len(expected.genus_counts)
    assert sample.alpha.shannon == pytest.approx(_shannon(expected.genus_counts), abs=1e-6)
    genera = _genera(report)
    assert set(genera) == set(expected.named)
    for name, count in expected.named.items():
        assert genera[name] == pytest.approx(count / total, abs=1e-9)
        assert genera[name] == pytest.approx(expected.perc[name], abs=1e-9)  # the lab's share
    top = sorted(expected.named, key=lambda n: -expected.named[n])[:5]
    assert list(sample.composition.genus)[:5] == top
    for name in top:
        assert sample.composition.genus[name] == pytest.approx(
            expected.named[name] / total, abs=1e-6
        )
    shown = set(genera) | set(sample.composition.genus)
    assert not shown & expected.high_ranks  # no kingdom or phylum among the genera
    assert not shown & expected.pseudo
    assert not any(name.lower().startswith("other ") for name in shown)
    assert sample.read_depth == expected.kingdom_count
    assert sample.unclassified == pytest.approx(1 - total / expected.kingdom_count, abs=1e-9)


@pytest.mark.parametrize("name", PROFILES)
def test_an_abundance_profile_is_read_at_genus_rank(name: str) -> None:
    path = _lab(name)
    report = analyze(path.read_bytes(), path.name)
    assert report.format == "abundance_profile"
    assert report.samples[0].sample_id == path.stem
    _check_profile(report, _profile(path))


def test_the_species_rank_is_not_read_when_reads_stop_at_genus() -> None:
    # The files' "<Genus> species" rows hold the reads that reach a genus but no species.
    path = _lab(PROFILES[0])
    with path.open(encoding="utf-8", newline="") as handle:
        species = [r for r in csv.DictReader(handle) if r["rank"] == "species"]
    stopped = sum(float(r["count"]) for r in species if not r["taxon_id"])
    assert stopped / sum(float(r["count"]) for r in species) > 0.01
    (sample,) = analyze(path.read_bytes(), path.name).samples
    assert {t.rank for t in sample.taxa} <= {"genus", "family", "order", "class", "phylum"}


def test_the_microbiome_prescription_layout_is_read_like_the_profile() -> None:
    path = _lab(PROFILES[0])
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = ("taxon_id", "rank", "name", "parent", "count")
    lines = [", ".join(columns)] + [", ".join(r[c] for c in columns) for r in rows]
    report = analyze(("\n".join(lines) + "\n").encode(), path.name)
    assert report.format == "microbiome_prescription"
    _check_profile(report, _profile(path))


#: Issue 17: a Microbiome Prescription upload with NCBI ids as parents, a kingdom row, and a
#: fungus; the generic reader put "Bacteria" among the genera.
PRESCRIPTION = """taxon_id,rank,name,parent,count
2,superkingdom,Bacteria,131567,1000
2759,superkingdom,Eukaryota,131567,100
1239,phylum,Firmicutes,2,600
976,phylum,Bacteroidetes,2,400
186801,class,Clostridia,1239,600
186802,order,Clostridiales,186801,600
186803,family,Lachnospiraceae,186802,600
841,genus,Roseburia,186803,350
572511,genus,Blautia,186803,250
200643,class,Bacteroidia,976,400
171549,order,Bacteroidales,200643,400
815,family,Bacteroidaceae,171549,400
816,genus,Bacteroides,815,400
4890,phylum,Ascomycota,2759,100
5475,genus,Candida,4890,100
"""


def test_prescription_parents_are_ncbi_ids_and_the_kingdom_never_a_genus() -> None:
    report = analyze(PRESCRIPTION.encode(), "prescription.csv")
    (sample,) = report.samples
    assert set(_genera(report)) == {"Roseburia", "Blautia", "Bacteroides"}
    assert sample.composition.genus["Bacteroides"] == pytest.approx(400 / 1000)
    assert sample.composition.phylum == {"Firmicutes": 0.6, "Bacteroidetes": 0.4}
    roseburia = next(t for t in sample.taxa if t.name == "Roseburia")
    assert roseburia.lineage[:5] == [
        "Bacteria",
        "Firmicutes",
        "Clostridia",
        "Clostridiales",
        "Lachnospiraceae",
    ]
    # The fungus is set apart: its share of what the file listed at genus rank.
    assert sample.other_kingdoms == {"eukaryote": pytest.approx(100 / 1100)}


def test_a_pseudo_taxon_is_unnamed_at_its_rank_under_the_taxon_it_names() -> None:
    text = (
        '"taxon_id","rank","name","parent","count","rank_count","perc"\n'
        '"2","kingdom","Bacteria","","100","100","1"\n'
        '"1239","phylum","Firmicutes","Bacteria","100","100","1"\n'
        '"186801","class","Clostridia","Firmicutes","100","100","1"\n'
        '"186802","order","Clostridiales","Clostridia","100","100","1"\n'
        '"541000","family","Ruminococcaceae","Clostridiales","100","100","1"\n'
        '"216851","genus","Faecalibacterium","Ruminococcaceae","60","100","0.6"\n'
        '"","genus","other Ruminococcaceae family","Ruminococcaceae","40","100","0.4"\n'
    )
    (sample,) = analyze(text.encode(), "tiny.csv").samples
    assert set(sample.composition.genus) == {"Faecalibacterium", "Other"}
    other = next(t for t in sample.taxa if t.name != "Faecalibacterium")
    assert (other.name, other.rank, other.lineage[5]) == ("Ruminococcaceae", "family", None)
    assert other.abundance == pytest.approx(0.4)


def test_the_replicate_pair_differs_by_these_figures() -> None:
    # Same stool, two kits. Genus profiles from the files: named genera by name, every pseudo
    # row pooled as "unassigned genus" (as analysis.compare pools them).
    profiles = []
    for name in REPLICATES:
        with _lab(name).open(encoding="utf-8", newline="") as handle:
            rows = [r for r in csv.DictReader(handle) if r["rank"] == "genus"]
        total = sum(float(r["count"]) for r in rows)
        profile: dict[str, float] = {}
        for r in rows:
            named = r["taxon_id"] and not r["name"].startswith("other ")
            key = r["name"] if named else "(unassigned genus)"
            profile[key] = profile.get(key, 0.0) + float(r["count"]) / total
        profiles.append(profile)
    a, b = profiles
    genera = set(a) | set(b)
    bray_curtis = sum(abs(a.get(g, 0.0) - b.get(g, 0.0)) for g in genera) / (
        sum(a.values()) + sum(b.values())
    )
    named = genera - {"(unassigned genus)"}
    largest = max(named, key=lambda g: abs(a.get(g, 0.0) - b.get(g, 0.0)))
    points = 100 * abs(a.get(largest, 0.0) - b.get(largest, 0.0))
    assert bray_curtis == pytest.approx(0.0759, abs=5e-5)
    assert largest == "Bacteroides" and points == pytest.approx(3.995, abs=5e-4)
    # The product's comparison of the two reports gives the same figures.
    reports = [analyze(_lab(n).read_bytes(), n) for n in REPLICATES]
    old, new = (r.model_dump(mode="json")["samples"][0] for r in reports)
    comparison = compare_samples(old, new)
    assert comparison.bray_curtis == pytest.approx(bray_curtis, abs=1e-9)
    assert comparison.changes[0].genus == largest
    assert 100 * abs(comparison.changes[0].new - comparison.changes[0].old) == pytest.approx(
        points, abs=1e-9
    )


# -- BIOHM raw counts (.xlsx) -------------------------------------------------------------------


@dataclass
class Biohm:
    """What the BIOHM sheet says, read with openpyxl."""

    genera: dict[str, float]  # genus name (prefix and Greengenes brackets off) -> summed count
    genus_rows: int
    phylum_total: float
    private: list[str]  # the kit id and the barcode


def _biohm(path: Path) -> Biohm:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    headers = {str(r[0]): i for i, r in enumerate(rows) if r[1] is None}
    start = headers["Genus"] + 1
    genus_rows = rows[start : headers["Species"]]
    genera: dict[str, float] = {}
    for name, count in genus_rows:
        # Greengenes brackets off, and underscores read as spaces (cc_115), as for every format.
        clean = str(name).removeprefix("g__").replace("[", "").replace("]", "").replace("_", " ")
        genera[clean] = genera.get(clean, 0.0) + float(count)
    phyla = rows[headers["Phylum"] + 1 : headers["Class"]]
    return Biohm(
        genera=genera,
        genus_rows=len(genus_rows),
        phylum_total=sum(float(c) for _, c in phyla),
        private=[str(rows[0][1]), str(rows[1][1])],
    )


def test_the_biohm_sheet_is_a_16s_genus_count_profile() -> None:
    path = _lab(BIOHM)
    expected = _biohm(path)
    table = read_workbook(path.read_bytes(), path.name, _read_text)
    report = build_report(table, path.name)
    (sample,) = report.samples
    assert (report.format, report.method, sample.rank) == ("biohm_counts", "16s", "genus")
    total = sum(expected.genera.values())
    assert sample.alpha.observed == len(expected.genera)
    assert sample.alpha.shannon == pytest.approx(_shannon(expected.genera.values()), abs=1e-6)
    assert _genera(report) == pytest.approx({g: c / total for g, c in expected.genera.items()})
    top = sorted(expected.genera, key=lambda g: -expected.genera[g])[:5]
    assert list(sample.composition.genus)[:5] == top
    # Two names occur twice (Clostridium in two families; [Ruminococcus] and Ruminococcus).
    duplicated = expected.genus_rows - len(expected.genera)
    assert {"key": "duplicated_taxa", "params": {"count": duplicated}} in [
        c.model_dump(include={"key", "params"}) for c in sample.caveats
    ]
    # The reads not assigned to a genus are the unclassified share, and say so.
    assert sample.read_depth == expected.phylum_total
    assert sample.unclassified == pytest.approx(1 - total / expected.phylum_total)
    assert "high_unclassified" in {c.key for c in sample.caveats}
    assert sample.other_kingdoms == {}  # this sheet holds bacteria only


def test_the_biohm_kit_id_and_barcode_are_never_kept() -> None:
    path = _lab(BIOHM)
    private = _biohm(path).private
    table = read_workbook(path.read_bytes(), path.name, _read_text)
    stored = build_report(table, path.name).model_dump_json()
    assert table.sample_metadata == {}
    assert list(table.values.columns) == [path.stem]
    assert not any(value in stored for value in private)
    # A file named after the kit is not named after it in the result.
    named = read_workbook(
        path.read_bytes(), f"Sample4-BIOHM-{private[0]}_RAW_Data.xlsx", _read_text
    )
    assert list(named.values.columns) == ["sample"]


def test_the_biohm_sheet_saved_as_csv_reads_the_same() -> None:
    path = _lab(BIOHM)
    from_workbook = build_report(read_workbook(path.read_bytes(), path.name, _read_text), "x")
    text, _ = sheet_text(path.read_bytes())
    from_csv = analyze(text.encode(), path.stem + ".csv")
    assert from_csv.samples[0].composition == from_workbook.samples[0].composition
    assert from_csv.samples[0].alpha == from_workbook.samples[0].alpha


def _workbook(*sheets: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for number, rows in enumerate(sheets, start=1):
        sheet = book.create_sheet(f"Sheet{number}")
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_fungal_block_of_a_biohm_sheet_is_set_apart() -> None:
    rows: list[list[object]] = [
        ["#SampleID", "KIT0001"],
        ["BarcodeSequence", "ACGTACGTAC"],
        ["Phylum", None],
        ["p__Firmicutes", 70],
        ["p__Bacteroidetes", 30],
        ["Genus", None],
        ["g__Blautia", 50],
        ["g__Bacteroides", 30],
        ["Phylum", None],
        ["p__Ascomycota", 20],
        ["Genus", None],
        ["g__Debaryomyces", 15],
        ["g__Wallemia", 5],
    ]
    table = read_workbook(_workbook(rows), "biohm.xlsx", _read_text)
    (sample,) = build_report(table, "biohm.xlsx").samples
    assert set(sample.composition.genus) == {"Blautia", "Bacteroides"}
    assert sample.other_kingdoms == {"eukaryote": pytest.approx(20 / 100)}


# -- Excel workbooks in general ----------------------------------------------------------------

GENERIC: list[list[object]] = [
    ["taxon", "abundance"],
    ["Bacteroides", 40.5],
    ["Prevotella", 20.25],
    ["Faecalibacterium", 30.0],
    ["Akkermansia muciniphila", 9.25],
]


def _csv(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


def _same(a: Report, b: Report) -> None:
    assert (a.format, a.method) == (b.format, b.method)
    assert [s.sample_id for s in a.samples] == [s.sample_id for s in b.samples]
    for x, y in zip(a.samples, b.samples, strict=True):
        assert x.composition == y.composition and x.alpha == y.alpha
        assert [t.model_dump() for t in x.taxa] == [t.model_dump() for t in y.taxa]


def test_an_xlsx_of_a_generic_table_reads_like_its_csv() -> None:
    data = _workbook(GENERIC)
    assert is_workbook(data)
    from_workbook = build_report(read_workbook(data, "genera.xlsx", _read_text), "genera.xlsx")
    from_csv = analyze(_csv(GENERIC), "genera.csv")
    assert from_workbook.format == "generic_table"
    _same(from_workbook, from_csv)
    assert from_workbook.samples[0].composition.genus["Bacteroides"] == pytest.approx(0.405)


def test_an_xlsx_of_a_metaphlan_table_reads_like_its_csv() -> None:
    path = shared_path("corpus", "metaphlan2_merged_species_GMHI_25samples.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows: list[list[object]] = [
            [float(c) if c.replace(".", "", 1).replace("e-", "", 1).isdigit() else c for c in r]
            for r in csv.reader(handle)
        ]
    data = _workbook(rows)
    from_workbook = build_report(read_workbook(data, path.name, _read_text), path.name)
    from_csv = analyze(path.read_bytes(), path.name)
    assert from_workbook.format == "metaphlan2"
    _same(from_workbook, from_csv)


def test_the_first_sheet_holding_a_table_is_read_and_named() -> None:
    notes: list[list[object]] = [["Exported from the lab portal"], [], ["see next sheet"]]
    table = read_workbook(_workbook(notes, GENERIC), "genera.xlsx", _read_text)
    assert [(c.key, c.params) for c in table.caveats] == [
        ("spreadsheet_sheet", {"sheet": 2, "sheets": 2})
    ]
    with pytest.raises(AnalysisError) as info:
        read_workbook(_workbook(notes), "notes.xlsx", _read_text)
    assert info.value.key == "empty_spreadsheet"


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_malformed_xlsx_is_refused_with_a_key() -> None:
    broken = _zip(
        {
            "[Content_Types].xml": b"<?xml version='1.0'?><Types",
            "xl/workbook.xml": b"<workbook><sheets><sheet name='S'",
        }
    )
    assert is_workbook(broken)
    with pytest.raises(AnalysisError) as info:
        read_workbook(broken, "broken.xlsx", _read_text)
    assert info.value.key == "malformed_spreadsheet"
    cut = _workbook(GENERIC)[:1500]  # a download cut short: no ZIP directory
    with pytest.raises(AnalysisError) as info:
        read_workbook(cut, "cut.xlsx", _read_text)
    assert info.value.key == "malformed_spreadsheet"


def test_a_zip_bomb_disguised_as_xlsx_is_refused_with_a_key() -> None:
    bomb = _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b" " * 30_000_000,
        }
    )
    assert len(bomb) < 100_000
    with pytest.raises(AnalysisError) as info:
        read_workbook(bomb, "results.xlsx", _read_text)
    assert info.value.key == "zip_bomb"
    with pytest.raises(AnalysisError) as info:  # the same bytes as an upload
        analyze(bomb, "results.xlsx")
    assert info.value.key == "zip_bomb"


def test_an_xlsx_declaring_entities_is_refused_before_parsing() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><workbook>&lol2;</workbook>'
    )
    data = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": laughs})
    with pytest.raises(AnalysisError) as info:
        read_workbook(data, "results.xlsx", _read_text)
    assert info.value.key == "unsafe_file"


def test_a_sheet_beyond_the_cell_bound_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_SHEET_CELLS", 6)
    with pytest.raises(AnalysisError) as info:
        read_workbook(_workbook(GENERIC), "genera.xlsx", _read_text)
    assert (info.value.key, info.value.details) == ("too_large", {"what": "cells"})


def test_old_binary_and_password_protected_workbooks_are_named() -> None:
    header = refusals.OLE2_MAGIC + bytes(504)
    xls = header + "Workbook".encode("utf-16-le")
    encrypted = header + "EncryptedPackage".encode("utf-16-le")
    assert refusals.sniff_office_binary(xls) and not refusals.sniff_office_binary(b"PK\x03\x04")
    with pytest.raises(AnalysisError) as info:
        refusals.refuse_office_binary(xls)
    assert (info.value.key, info.value.details) == ("legacy_spreadsheet", {"what": "xls"})
    with pytest.raises(AnalysisError) as info:
        refusals.refuse_office_binary(encrypted)
    assert info.value.key == "encrypted_spreadsheet"


def test_an_xlsx_upload_is_analysed_end_to_end() -> None:
    path = _lab(BIOHM)
    report = analyze(path.read_bytes(), path.name)
    assert report.format == "biohm_counts"
    _same(report, build_report(read_workbook(path.read_bytes(), path.name, _read_text), path.name))
