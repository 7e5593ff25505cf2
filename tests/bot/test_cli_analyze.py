"""gutbot analyze in the terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import shared_path


def test_summary_json_and_chart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = shared_path("corpus", "metaphlan3_SRR1761667_stool.txt")
    assert main(["analyze", str(profile)]) == 0
    out = capsys.readouterr().out
    assert "metaphlan3 (shotgun)" in out and "gmwi2: 1.402 [healthy]" in out
    chart = tmp_path / "c.png"
    assert main(["analyze", str(profile), "--json", "--chart", str(chart)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "metaphlan3"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_files_are_one_line_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "letter.txt"
    bad.write_text("Dear doctor, my tummy hurts.\n")
    good = shared_path("corpus", "ubiome_gut_74607.json")
    assert main(["analyze", str(bad), str(good), str(tmp_path / "missing.tsv")]) == 1
    captured = capsys.readouterr()
    errors = [
        line[line.index("gutbot:") :] for line in captured.err.splitlines() if "gutbot:" in line
    ]
    assert len(errors) == 2
    assert "letter.txt" in errors[0] and "unknown_format" in errors[0]
    assert "ubiome_json" in captured.out


def test_a_table_and_its_taxonomy_are_read_as_one_result(
    capsys: pytest.CaptureFixture[str],
) -> None:
    table = shared_path("corpus", "qiime2_movingpictures_feature-table.tsv")
    taxonomy = shared_path("corpus", "qiime2_movingpictures_taxonomy.tsv")
    assert main(["analyze", str(table), str(taxonomy), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "qiime2_tsv" and len(data["samples"]) == 34


def test_json_on_failure_prints_the_error_with_its_hint_and_the_supported_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "pathabundance.tsv"
    bad.write_text("# Pathway\tS1_Abundance\nUNMAPPED\t10\nPWY-101: x\t3\n")
    assert main(["analyze", str(bad), "--json"]) == 1
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["error"]["key"] == "functional_profile"
    assert "HUMAnN" in data["error"]["hint"] and "MetaPhlAn" in data["error"]["hint"]
    assert any("MetaPhlAn" in f for f in data["error"]["supported"])
    assert "HUMAnN" in captured.err


def test_an_unknown_file_prints_the_supported_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "letter.txt"
    bad.write_text("Dear doctor, my tummy hurts.\n")
    assert main(["analyze", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "supported:" in err and "MetaPhlAn 2/3/4 profile" in err


def test_method_is_taken_only_for_a_table_that_does_not_say_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "genera.csv"
    table.write_text("genus,abundance\nBacteroides,40\nFaecalibacterium,35\nPrevotella,25\n")
    assert main(["analyze", str(table), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["method"] == "unknown"
    assert main(["analyze", str(table), "--json", "--method", "16s"]) == 0
    told = json.loads(capsys.readouterr().out)
    assert told["method"] == "16s" and told["reference_panel"] is not None
    assert "method_from_user" in {c["key"] for c in told["samples"][0]["caveats"]}
    # A MetaPhlAn profile says it is shotgun data: --method 16s does not change that.
    profile = shared_path("corpus", "metaphlan3_SRR1761667_stool.txt")
    assert main(["analyze", str(profile), "--json", "--method", "16s"]) == 0
    assert json.loads(capsys.readouterr().out)["method"] == "shotgun"


def test_shares_in_findings_read_as_plain_percentages(capsys: pytest.CaptureFixture[str]) -> None:
    """A tiny share (Bifidobacterium at a few reads in this Kraken report) is "<0.01%", as in
    the bot's replies, never scientific notation."""
    import re

    report = shared_path("corpus", "kraken_report_official_sample_SIMULATED.kreport")
    lines = [line for line in report.read_text().splitlines() if line.endswith(" Bifidobacterium")]
    root = next(line for line in report.read_text().splitlines() if line.endswith("\troot"))
    # Its reads (second column) against all classified reads: far under 0.01%.
    assert int(lines[0].split("\t")[1]) / int(root.split("\t")[1]) < 1e-4
    assert main(["analyze", str(report)]) == 0
    findings = [line for line in capsys.readouterr().out.splitlines() if "finding " in line]
    assert findings
    for line in findings:
        share = re.search(r" (\S+%)(, percentile \d+)?$", line)
        assert share is not None, line
        assert re.fullmatch(r"<0\.01%|\d+(\.\d+)?%", share.group(1)), line
    bifido = [line for line in findings if "Bifidobacterium" in line]
    assert bifido and "<0.01%" in bifido[0]
