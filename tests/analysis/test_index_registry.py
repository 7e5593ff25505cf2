"""The index registry: the pipeline computes every index listed, in order; each has its words."""

from __future__ import annotations

import pytest

from analysis import analyze, pipeline
from analysis.indices import INDEX_KEYS, INDEX_SPECS, IndexInputs, IndexSpec
from analysis.model import IndexResult
from content.messages import has
from tests.conftest import shared_path


def test_every_index_listed_is_in_the_report_in_order() -> None:
    report = analyze(shared_path("corpus", "metaphlan3_SRR1761667_stool.txt").read_bytes())
    assert tuple(report.samples[0].indices) == INDEX_KEYS
    assert len(set(INDEX_KEYS)) == len(INDEX_KEYS)


def test_a_new_index_is_one_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    def genera_seen(inputs: IndexInputs) -> IndexResult:
        return IndexResult(
            value=float((inputs.genus > 0).sum()),
            applicable=inputs.method == "16s",
            status="indeterminate",
        )

    spec = IndexSpec("genera_seen", genera_seen, axis=(0.0, 500.0))
    monkeypatch.setattr(pipeline, "INDEX_SPECS", (*INDEX_SPECS, spec))
    report = analyze(shared_path("corpus", "ubiome_gut_74607.json").read_bytes())
    sample = report.samples[0]
    result = sample.index("genera_seen")
    assert result.applicable  # a uBiome export is 16S
    assert result.value is not None and result.value >= len(
        [g for g in sample.composition.genus if g != "Other"]
    )
    assert tuple(sample.indices)[-1] == "genera_seen"
    assert sample.index("not_an_index").applicable is False  # as for a stored report without it


@pytest.mark.parametrize("key", INDEX_KEYS)
def test_every_index_has_its_words(key: str) -> None:
    assert has(f"results.index.{key}")
    assert has(f"analysis.chart.index.{key}")
    assert has(f"analysis.index_note.{key}.reading")
