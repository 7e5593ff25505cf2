"""Lab panels in words: marker explanations validated, advice tiers from the markers, no verdict
where the direction does not count (a low calprotectin is good news)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.labs.model import LabPanel, Marker, Range
from content.labs import GROUPS, explained_groups, marker_file, panel_advice
from content.messages import ContentError, text


def _marker(name: str, key: str | None, **fields: object) -> Marker:
    return Marker(
        section="s", name=name, result_text=str(fields.pop("shown", "x")), key=key, **fields
    )  # type: ignore[arg-type]


def _panel(*markers: Marker) -> LabPanel:
    return LabPanel(lab="Lab", test="Panel", reader="test", source="text", markers=list(markers))


def test_every_marker_group_has_cited_words() -> None:
    words = marker_file()
    assert set(GROUPS.values()) <= set(words.markers)
    for info in words.markers.values():
        assert info.cites and info.what and info.outside
    for citation in words.citations:
        assert citation.doi or citation.pmid


def test_a_file_citing_an_unknown_source_stops_start_up(tmp_path: Path) -> None:
    source = marker_file.__wrapped__  # type: ignore[attr-defined]
    broken = tmp_path / "lab_markers.toml"
    broken.write_text(
        '[markers.calprotectin]\nname = "C"\nwhat = "w"\noutside = "o"\n'
        'evidence = "guideline"\ncites = ["nobody"]\ntier = "see_doctor"\n',
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match=r"lab_markers\.toml"):
        source(broken)


def test_a_pathogen_detected_asks_for_advice_today() -> None:
    panel = _panel(
        _marker("Campylobacter", "campylobacter", qualitative="detected", flag="abnormal"),
        _marker(
            "Calprotectin",
            "calprotectin",
            value=380.0,
            flag="high",
            range=Range(text="<173", high=173),
        ),
    )
    advice = panel_advice(panel)
    assert advice.tier == "urgent"
    assert [c.marker.name for c in advice.concerns] == ["Campylobacter", "Calprotectin"]


def test_a_low_calprotectin_or_a_high_elastase_is_no_concern() -> None:
    panel = _panel(
        _marker("Calprotectin", "calprotectin", value=5.0, flag="low"),
        _marker("Elastase-1", "elastase", value=750.0, above=True, flag="high"),
        _marker("Giardia", "giardia", qualitative="not_detected", flag="normal"),
    )
    assert panel_advice(panel).tier == "routine"
    assert explained_groups(panel) == []


def test_low_elastase_and_occult_blood_ask_for_a_doctor() -> None:
    panel = _panel(
        _marker("Pancreatic Elastase 1", "elastase", value=120.0, flag="low"),
        _marker("Occult blood", "occult_blood", qualitative="detected", flag="unknown"),
    )
    assert panel_advice(panel).tier == "see_doctor"
    assert explained_groups(panel) == ["elastase", "occult_blood"]


def test_bacteria_out_of_range_share_the_commensal_note_and_ask_nothing() -> None:
    panel = _panel(_marker("Lactobacillus spp.", None, value=1.29e9, flag="high"))
    assert panel_advice(panel).tier == "routine"
    assert explained_groups(panel) == ["commensal"]


def test_the_reply_puts_advice_first_and_says_indices_do_not_apply() -> None:
    from bot.render.labs import panel_messages

    panel = _panel(
        _marker(
            "Clostridioides difficile Toxin B",
            "c_difficile_toxin_b",
            qualitative="detected",
            flag="abnormal",
            shown="2.1e4",
        ),
        _marker("Akkermansia muciniphila", None, value=1.0, flag="low", shown="<dl", certain=False),
    )
    first, reading = panel_messages(panel)
    assert first.startswith("⚠️") and "Clostridioides difficile Toxin B" in first
    assert text("labs.not_indices") in reading
    assert "please check" in reading  # the uncertain reading is never shown as a fact
    assert "doi.org/10.1093/cid/cix1085" in reading
