"""GMHI and GMWI2 against the authors' own outputs; distance to healthy."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import analyze
from analysis.formats import read_table
from analysis.indices.distance import distance_to_healthy
from analysis.indices.gmhi import gmhi
from analysis.indices.gmwi2 import REJECT_BAND, gmwi2
from tests.conftest import shared_path


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            "corpus/metaphlan2_merged_species_GMHI_25samples.csv",
            "expected/metaphlan2_GMHI_25samples_expected.csv",
        ),
        (
            "expected/gmhi_validation50_metaphlan2_species.csv",
            "expected/gmhi_validation50_expected_GMHI.csv",
        ),
    ],
)
def test_gmhi_matches_published_values(table: str, expected: str) -> None:
    parsed = read_table(shared_path(*table.split("/")).read_bytes(), table)
    golden = pd.read_csv(shared_path(*expected.split("/")), index_col=0)["GMHI"]
    assert parsed.clades is not None
    assert len(golden) == parsed.clades.shape[1]
    for sample, value in golden.items():
        result = gmhi(parsed.clades[str(sample)], profiler=parsed.format)
        assert result.applicable
        assert result.value == pytest.approx(value, abs=1e-9)
        expected_status = (
            "healthy" if value > 0 else "non_healthy" if value < 0 else "indeterminate"
        )
        assert result.status == expected_status


def test_gmhi_through_analyze() -> None:
    path = shared_path("corpus", "metaphlan2_merged_species_GMHI_25samples.csv")
    report = analyze(path.read_bytes(), path.name)
    golden = pd.read_csv(
        shared_path("expected", "metaphlan2_GMHI_25samples_expected.csv"), index_col=0
    )["GMHI"]
    for sample in report.samples:
        assert sample.index("gmhi").value == pytest.approx(golden[sample.sample_id], abs=1e-9)


def _official() -> list[str]:
    folder = shared_path("expected", "gmwi2", "official_output")
    return sorted(p.name.removesuffix("_GMWI2.txt") for p in folder.glob("*_GMWI2.txt"))


@pytest.mark.parametrize("name", _official())
def test_gmwi2_matches_the_official_tool(name: str) -> None:
    profile = shared_path("expected", "gmwi2", "profiles", f"{name}_metaphlan.txt")
    parsed = read_table(profile.read_bytes(), profile.name)
    sample = str(parsed.values.columns[0])
    assert parsed.clades is not None
    result = gmwi2(
        parsed.clades[sample],
        unknown_pct=100 * parsed.unclassified.get(sample, 0.0),
        profiler_version=parsed.profiler_version,
    )
    expected = float(
        shared_path("expected", "gmwi2", "official_output", f"{name}_GMWI2.txt").read_text()
    )
    assert result.value == pytest.approx(expected, abs=1e-9)
    taxa_file = shared_path("expected", "gmwi2", "official_output").joinpath(
        f"{name}_GMWI2_taxa.txt"
    )
    if taxa_file.exists():
        official = pd.read_csv(taxa_file, sep="\t")
        assert len(result.drivers) == len(official)
    if abs(expected) < REJECT_BAND:
        assert result.status == "indeterminate"


def test_gmwi2_example_through_analyze() -> None:
    path = shared_path("corpus", "metaphlan3_SRR1761667_stool.txt")
    report = analyze(path.read_bytes(), path.name)
    assert report.samples[0].index("gmwi2").value == pytest.approx(1.4017773651306447, abs=1e-12)
    assert report.samples[0].index("gmwi2").status == "healthy"


def test_indices_do_not_apply_to_16s() -> None:
    path = shared_path("corpus", "ubiome_gut_74607.json")
    sample = analyze(path.read_bytes(), path.name).samples[0]
    assert sample.index("gmhi").status == "not_applicable"
    assert sample.index("gmhi").value is None
    assert sample.index("gmwi2").status == "not_applicable"
    assert sample.index("distance_to_healthy").applicable


def test_distance_to_healthy_tells_typical_from_odd() -> None:
    typical = distance_to_healthy(
        pd.Series(
            {
                "Bacteroides": 0.3,
                "Faecalibacterium": 0.1,
                "Prevotella": 0.05,
                "Alistipes": 0.05,
                "Roseburia": 0.05,
                "(unassigned)": 0.45,
            }
        ),
        method="shotgun",
    )
    odd = distance_to_healthy(
        pd.Series({"Escherichia": 0.9, "Enterococcus": 0.1}), method="shotgun"
    )
    assert typical.status == "healthy"
    assert odd.status == "non_healthy"
    assert odd.value is not None and typical.value is not None and odd.value > typical.value
    assert (
        distance_to_healthy(pd.Series({"Bacteroides": 1.0}), method="unknown").status
        == "not_applicable"
    )


def _profiles() -> list[str]:
    folder = shared_path("expected", "gmwi2", "profiles")
    return sorted(p.name.removesuffix("_metaphlan.txt") for p in folder.glob("*_metaphlan.txt"))


def _gmwi2_by_hand(text: str) -> float:
    """GMWI2 as its paper and tool define it, read from the profile text with nothing of ours:
    relative abundance = value / (100 - UNKNOWN), present above 1e-5, the sum of the shared
    model's coefficients of the clades present."""
    coefficients = {}
    model = shared_path("reference", "GMWI2_model_coefficients_nonzero.tsv").read_text()
    for line in model.splitlines()[1:]:
        taxon, value = line.split("\t")
        coefficients[taxon] = float(value)
    rows = [ln.split("\t") for ln in text.splitlines() if ln and not ln.startswith("#")]
    unknown = sum(float(r[2]) for r in rows if r[0] == "UNKNOWN")
    return sum(coefficients.get(r[0], 0.0) for r in rows if float(r[2]) / (100.0 - unknown) > 1e-5)


def test_the_hand_reading_agrees_with_the_official_tool_where_its_output_is_kept() -> None:
    for name in _official():
        text = shared_path("expected", "gmwi2", "profiles", f"{name}_metaphlan.txt").read_text()
        expected = float(
            shared_path("expected", "gmwi2", "official_output", f"{name}_GMWI2.txt").read_text()
        )
        assert _gmwi2_by_hand(text) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("name", _profiles())
def test_gmwi2_of_every_profile_through_analyze(name: str) -> None:
    """All 45 profiles are read (none refused) and score what the formula gives."""
    path = shared_path("expected", "gmwi2", "profiles", f"{name}_metaphlan.txt")
    report = analyze(path.read_bytes(), path.name)
    assert len(report.samples) == 1
    assert report.samples[0].index("gmwi2").value == pytest.approx(
        _gmwi2_by_hand(path.read_text()), abs=1e-9
    )
