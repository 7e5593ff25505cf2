"""Stored reports of any engine version read as today's typed report, and render."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from analysis import analyze
from bot import render
from bot.reports import StoredReportError, load_report
from content.messages import text
from tests.conftest import shared_path


def _fresh() -> dict[str, Any]:
    data = shared_path("corpus", "metaphlan3_SRR1761667_stool.txt").read_bytes()
    return analyze(data, "profile.txt").model_dump(mode="json")


def _as_version_1(report: dict[str, Any]) -> dict[str, Any]:
    """The shape engine version 1 stored: sentences instead of keys, no distance index yet."""
    old = copy.deepcopy(report)
    old["engine_version"] = "1"
    old["retired_field"] = "kept by an old engine"
    for sample in old["samples"]:
        for index in sample["indices"].values():
            for field in ("reason", "params", "approximate"):
                index.pop(field)
            index["note"] = "an old sentence about this index"
        del sample["indices"]["distance_to_healthy"]
        for caveat in sample["caveats"]:
            caveat.pop("params")
            caveat["detail"] = f"old words for {caveat['key']}"
        for finding in sample["findings"]:
            finding["detail"] = "old finding sentence"
    return old


def test_a_fresh_report_loads_unchanged() -> None:
    report = _fresh()
    assert load_report(report).model_dump(mode="json") == report


def test_a_version_1_report_loads_and_renders_its_own_sentences() -> None:
    old = _as_version_1(_fresh())
    report = load_report(old)
    sample = report.samples[0]
    # The index added since reads as not applicable, with no reason and no number.
    assert sample.index("distance_to_healthy").applicable is False
    assert sample.index("distance_to_healthy").value is None
    assert sample.index("gmhi").note == "an old sentence about this index"
    summary = render.summary_text(report, sample.sample_id)
    # Caveats without numbers show the sentence the old engine stored (capitalised, one stop).
    assert "Old words for" in summary
    assert text("analysis.index_note.unknown") in summary  # the missing index, said plainly
    assert "retired_field" not in report.model_dump()


def test_a_report_without_its_essential_numbers_is_refused_plainly() -> None:
    broken = _fresh()
    del broken["samples"][0]["alpha"]
    with pytest.raises(StoredReportError):
        load_report(broken)


def test_shown_names_drop_control_and_bidi_characters_and_are_capped() -> None:
    from bot.render.formatting import shown_name

    assert shown_name("evil\x1b[31mRED\x1b[0m\u202egnp") == "evil[31mRED[0mgnp"
    assert shown_name("two\n\tlines\u200b here") == "two lines here"
    long = shown_name("x" * 500)
    assert len(long) == 60 and long.endswith("…")
    assert shown_name("") == "?" and shown_name(None) == "?"
    assert shown_name("Bacteroides été 🦠") == "Bacteroides été 🦠"


def test_taxa_csv_cells_from_a_file_never_start_a_formula() -> None:
    import csv
    import io

    from analysis import analyze
    from bot.render.tables import taxa_csv

    table = (
        b"taxon\tsample1\n"
        b'=HYPERLINK("http://x")\t40\n'
        b"+Bacteroides\t30\n"
        b"@Prevotella\t20\n"
        b"-Faecalibacterium\t10\n"
    )
    report = analyze(table, "evil.tsv")
    rows = list(csv.reader(io.StringIO(taxa_csv(report, report.samples[0].sample_id).decode())))
    assert len(rows) == 5
    for row in rows[1:]:
        assert row[0].startswith("'"), row
        assert not row[0].startswith(("=", "+", "-", "@")), row
        assert not row[2].startswith(("=", "+", "-", "@")), row


@pytest.mark.parametrize(
    ("percentile", "words"),
    [
        (100.0, "results.among.above_almost_all"),
        (99.7, "results.among.above_almost_all"),
        (0.0, "results.among.below_almost_all"),
        (0.2, "results.among.below_almost_all"),
    ],
)
def test_the_ends_of_the_reference_are_never_0_or_100_percent(
    percentile: float, words: str
) -> None:
    from bot.render.summary import among_healthy

    said = among_healthy(percentile)
    assert said == text(words)
    assert "100%" not in said and " 0%" not in said


def test_the_middle_of_the_reference_says_the_larger_share() -> None:
    from bot.render.summary import among_healthy

    assert among_healthy(91.0) == text("results.among.higher", share="91")
    assert among_healthy(17.0) == text("results.among.lower", share="83")


def test_no_firmicutes_bacteroidetes_caveat_where_the_ratio_is_not_shown() -> None:
    from analysis import analyze
    from bot.render.summary import summary_text
    from tests.conftest import shared_path

    report = analyze(shared_path("corpus", "metaphlan3_SRR1761667_stool.txt").read_bytes(), "a.txt")
    summary = summary_text(report, report.samples[0].sample_id)
    assert "Firmicutes/Bacteroidetes" not in summary
    assert "100%" not in summary and "(lower than 0%" not in summary


def test_a_sample_the_adult_stool_reference_does_not_fit_gets_no_comparison_or_advice() -> None:
    from analysis import analyze
    from bot.render.summary import suggestions, summary_text
    from tests.conftest import shared_path

    data = shared_path("corpus", "metaphlan4_vOct22_ERR7569997_NOTstool.txt").read_bytes()
    report = analyze(data, "tongue.txt")
    sample = report.samples[0]
    assert "not_stool" in [c.key for c in sample.caveats]
    summary = summary_text(report, sample.sample_id)
    assert "healthy people" not in summary  # no percentile against healthy adults
    assert text("results.indices_title") not in summary and "GMWI2" not in summary
    assert text("results.findings_title") not in summary
    # What is in it: the five most abundant taxa, with their shares from the file itself.
    top = sorted(sample.taxa, key=lambda r: -r.abundance)[:5]
    for taxon in top:
        assert taxon.name in summary
    advice, buttons = suggestions(report, sample.sample_id)
    assert advice == text("results.misfit.no_suggestions") and buttons == []
