"""Every key analysis can return has words in content, and the words carry the numbers."""

from __future__ import annotations

import ast
from pathlib import Path

from analysis.model import CaveatModel, Finding, IndexResult
from analysis.plots import WORDS
from content.analysis_words import (
    caveat_key,
    caveat_text,
    chart_words,
    finding_label,
    format_name,
    index_note,
    method_name,
)
from content.messages import has

ANALYSIS = Path(__file__).resolve().parents[2] / "analysis"


def _calls(name: str) -> list[ast.Call]:
    found = []
    for path in ANALYSIS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == name:
                found.append(node)
    return found


def _caveats_in_source() -> set[str]:
    """(key, variant) of every caveat analysis can make, read from the source itself."""
    keys = set()
    for call in [*_calls("Caveat"), *_calls("add")]:
        if not call.args or not isinstance(call.args[0], ast.Constant):
            continue
        key = call.args[0].value
        variants = [k.value for k in call.keywords if k.arg == "variant"]
        for k in call.keywords:  # Caveat(key, params={"variant": "16s"})
            if k.arg == "params" and isinstance(k.value, ast.Dict):
                variants += [
                    v
                    for d, v in zip(k.value.keys, k.value.values, strict=True)
                    if isinstance(d, ast.Constant) and d.value == "variant"
                ]
        for variant in variants or [None]:
            if isinstance(variant, ast.Constant):
                keys.add(f"{key}_{variant.value}")
            elif variant is None:
                keys.add(key)
            else:  # a variant computed at run time: every index name
                keys |= {f"{key}_{name}" for name in ("gmhi", "gmwi2")}
    return keys


def test_every_caveat_analysis_can_make_has_words() -> None:
    keys = _caveats_in_source()
    assert len(keys) > 15  # the scan sees the caveats (a broken scan would see none)
    missing = [k for k in keys if not has(f"analysis.caveat.{k}")]
    assert not missing


def test_every_index_reason_has_words() -> None:
    reasons = set()
    for path in (ANALYSIS / "indices").glob("*.py"):
        index = {"gmhi.py": "gmhi", "gmwi2.py": "gmwi2", "distance.py": "distance_to_healthy"}
        if path.name not in index:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "reason":
                assert isinstance(node.value, ast.Constant)
                reasons.add(f"{index[path.name]}.{node.value.value}")
    assert len(reasons) >= 8
    assert not [r for r in reasons if not has(f"analysis.index_note.{r}")]


def test_numbers_are_worded_by_content() -> None:
    assert caveat_text(CaveatModel(key="host_reads_removed", params={"reads": 1234567})) == (
        "1,234,567 human (host) reads were left out of the percentages."
    )
    assert caveat_text(CaveatModel(key="high_unclassified", params={"share": 0.42})).startswith(
        "42% of the sample"
    )
    site = CaveatModel(key="not_stool", params={"site": "tongue", "variant": "site"})
    assert caveat_key(site) == "analysis.caveat.not_stool_site"
    assert "'tongue'" in caveat_text(site)


def test_an_approximate_index_says_why_before_how_to_read_it() -> None:
    result = IndexResult(
        value=0.4,
        applicable=True,
        status="healthy",
        reason="reading",
        params={"profiler": "metaphlan4", "renamed": 12},
        approximate=True,
    )
    note = index_note("gmhi", result)
    assert note.startswith("approximate: GMHI was built on MetaPhlAn 2")
    assert "this MetaPhlAn 4 profile was matched" in note  # the format id is worded
    assert "(12 species under a newer name)" in note and "Above 0 is more typical" in note


def test_an_old_sentence_is_used_only_when_the_words_cannot_be_filled() -> None:
    # Version 1 stored a sentence and no numbers: the words need {reads}, so the sentence shows.
    old = CaveatModel(key="low_read_depth", detail="only 900 reads: numbers are less certain")
    assert caveat_text(old) == "Only 900 reads: numbers are less certain."
    old_index = IndexResult(value=None, applicable=False, status="not_applicable", note="old")
    assert index_note("gmhi", old_index) == "old"


def test_names_and_chart_words() -> None:
    assert format_name("metaphlan3") == "MetaPhlAn 3 profile"
    assert format_name("some_future_format") == "some_future_format"
    assert method_name("16s") == "16S sequencing"
    assert set(chart_words()) == set(WORDS)
    finding = Finding(
        key="low_bifidobacterium",
        taxon="Bifidobacterium",
        value=0.001,
        percentile=5,
        direction="low",
        topics=[],
        severity="notable",
    )
    assert finding_label(finding) == "Bifidobacterium low"
