"""The registry: one detection order, the supported list and extensions taken from it."""

from __future__ import annotations

import pytest

from analysis import SUPPORTED_FORMATS, AnalysisError, analyze
from analysis.formats import read_table
from analysis.formats.registry import EXTENSIONS, TEXT_FORMATS, detect_text


def test_every_spec_has_an_id_a_label_and_extensions() -> None:
    ids = [spec.id for spec in TEXT_FORMATS]
    assert len(ids) == len(set(ids))
    for spec in TEXT_FORMATS:
        assert spec.label and spec.extensions and all(e.startswith(".") for e in spec.extensions)
        assert spec.method in {"shotgun", "16s", "unknown"}


def test_the_generic_table_is_tried_last_and_refusals_first() -> None:
    assert TEXT_FORMATS[-1].id == "generic_table"
    readable = [spec.readable for spec in TEXT_FORMATS]
    assert readable[:3] == [False, False, False] and all(readable[3:])


def test_supported_list_comes_from_the_registry() -> None:
    labels = {spec.label for spec in TEXT_FORMATS if spec.readable}
    assert SUPPORTED_FORMATS[0].startswith("MetaPhlAn")
    assert labels - {"QIIME 1/2 OTU table"} <= set(SUPPORTED_FORMATS)
    assert not {spec.label for spec in TEXT_FORMATS if not spec.readable} & set(SUPPORTED_FORMATS)
    assert {".tre", ".kreport", ".qza", ".biom"} <= EXTENSIONS


def test_unknown_format_lists_the_registry_and_what_was_seen() -> None:
    with pytest.raises(AnalysisError) as info:
        analyze(b"Dear doctor,\nmy tummy hurts.\n", "letter.txt")
    assert info.value.key == "unknown_format"
    assert info.value.details["supported"] == SUPPORTED_FORMATS
    assert info.value.details["first_line"] == "Dear doctor,"


@pytest.mark.parametrize(
    ("text", "spec_id"),
    [
        ("# Pathway\tS1\nUNMAPPED\t10\nPWY-101: x\t3\n", "functional_profile"),
        ("Sample\traw pair1\tfinal pair1\nS1\t10\t8\n", "qc_table"),
        ("read_0001\t562\t1e-30\nread_0002\t0\t0\nread_0003\t561\t2e-10\n", "per_read_assignments"),
        ("taxon\tS1\nBacteroides\t12\nPrevotella\t0.5\nRoseburia\t3\n", "generic_table"),
        (
            "index,d__Bacteria;g__Blautia,d__Bacteria;g__Dorea,d__Bacteria;g__Alistipes\nS1,3,4,5\n",
            "samples_as_rows",
        ),
        ("file\tpercent\treads\ttaxon_id\ttaxon_name\nf\t50\t5\t562\tEscherichia coli\n", "kaiju"),
    ],
)
def test_detection_order(text: str, spec_id: str) -> None:
    assert detect_text(text).id == spec_id


def test_a_plain_genus_table_is_not_taken_for_per_read_output() -> None:
    text = "".join(f"Genusname{i}\t{i}\t0.5\n" for i in range(30))
    assert detect_text("taxon\tS1\tS2\n" + text).id == "generic_table"


def test_samples_as_rows_are_detected_from_the_data() -> None:
    text = (
        "SID\tsex\tBacteroides_vulgatus\tPrevotella_copri\tFaecalibacterium_prausnitzii\n"
        "P1\tF\t0.5\t0.3\t0.2\nP2\tM\t0.1\t0.1\t0.8\n"
    )
    table = read_table(text.encode(), "m.tsv")
    assert list(table.values.columns) == ["P1", "P2"]
    assert table.sample_metadata["P1"] == {"sex": "F"}
    assert table.value_kind == "fraction"
