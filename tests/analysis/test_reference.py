"""The committed reference tables are what the build script makes from the shared data."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from analysis.reference import REFERENCE_DIR, panel
from tests.conftest import ROOT, shared_path


def _builder():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "build_reference", ROOT / "scripts" / "build_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rebuilt_tables_equal_the_committed_ones() -> None:
    tables = _builder().build_all(Path(shared_path()))
    for name, table in tables.items():
        committed = json.loads((REFERENCE_DIR / name).read_text())
        assert json.loads(json.dumps(table)) == committed, name


@pytest.mark.parametrize(
    ("method", "expected"),
    [("shotgun", [0.99, 1.84, 2.43, 2.83, 3.20]), ("16s", [2.21, 2.55, 2.74, 2.91, 3.15])],
)
def test_shannon_distribution_matches_the_analysis_notes(
    method: str, expected: list[float]
) -> None:
    quantiles = panel(method).shannon_quantiles()  # type: ignore[arg-type]
    assert [round(quantiles[q], 2) for q in (5, 25, 50, 75, 95)] == expected


def test_percentiles_behave() -> None:
    ref = panel("16s")
    assert ref.percentile("Bacteroides", 0.0, "genus") == pytest.approx(0.0, abs=1)
    assert ref.percentile("Bacteroides", 0.9, "genus") == 100.0
    median = ref.quantiles("Bacteroides", "genus")
    assert median is not None
    assert ref.percentile("Bacteroides", median[50], "genus") == pytest.approx(50, abs=2)
    assert ref.percentile("No such genus", 0.1, "genus") is None
    assert ref.n_samples == 282 and panel("shotgun").n_samples == 118


def _by_hand(entry: dict[str, object], value: float) -> float:
    """A percentile from the panel file's grid, by linear interpolation written out here."""
    grid = [float(g) for g in entry["grid"]]  # type: ignore[attr-defined]
    absent = 1.0 - float(entry["prevalence"])  # type: ignore[arg-type]
    if value <= 0:
        return 100 * absent / 2
    if value >= grid[-1]:
        return 100.0
    j = max(i for i, g in enumerate(grid) if g <= value)
    below = j + (value - grid[j]) / (grid[j + 1] - grid[j])
    return max(below, 100 * absent)


def test_percentiles_of_many_taxa_read_each_taxon_grid() -> None:
    """Several taxa and samples in one call: each number is where the value falls in that
    taxon's own grid in the panel file, and a taxon the panel does not know gives NaN."""
    ref = panel("shotgun")
    data = json.loads((REFERENCE_DIR / "panel_shotgun.json").read_text())["taxa"]
    taxa = [
        ("Bacteroides", "genus"),
        ("No such genus", "genus"),
        ("Faecalibacterium", "genus"),
        ("Akkermansia", "genus"),
    ]
    values = np.array(
        [
            [0.0, 0.2, 0.05, 0.0],
            [0.31, 0.0, 0.0, 0.004],
            [0.99, 0.1, 0.5, 1e-6],
        ]
    )
    out = ref.percentiles_of(taxa, values)
    assert out.shape == (4, 3)
    assert np.isnan(out[1]).all()
    for k, (taxon, rank) in enumerate(taxa):
        if taxon == "No such genus":
            continue
        for j in range(3):
            expected = _by_hand(data[rank][taxon], float(values[j, k]))
            assert out[k, j] == pytest.approx(expected, abs=0.051), (taxon, values[j, k])
