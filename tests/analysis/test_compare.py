"""Comparing two samples: genus profiles, Bray-Curtis and the largest changes, checked on paper."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from analysis.compare import (
    GenusChange,
    compare_samples,
    diversity_change,
    genus_profile,
    largest_changes,
    profile_bray_curtis,
    sample_genus_profile,
)

FAMILY = ["Bacteria", "Bacteroidota", "Bacteroidia", "Bacteroidales", "Bacteroidaceae"]
FIRMICUTES_FAMILY = ["Bacteria", "Bacillota", "Clostridia", "Eubacteriales", "Oscillospiraceae"]


def _row(abundance: float, lineage: list[str | None] | None) -> dict[str, Any]:
    return {"name": "x", "rank": "species", "abundance": abundance, "lineage": lineage}


def _sample(
    shannon: float, taxa: list[dict[str, Any]], genus: dict[str, float] | None = None
) -> dict[str, Any]:
    return {"alpha": {"shannon": shannon}, "taxa": taxa, "composition": {"genus": genus or {}}}


def test_genus_profile_sums_species_of_one_genus() -> None:
    taxa = [
        _row(0.5, [*FAMILY, "Bacteroides", "Bacteroides fragilis"]),
        _row(0.125, [*FAMILY, "Bacteroides", "Bacteroides ovatus"]),
        _row(0.375, [*FAMILY, "Phocaeicola", None]),
    ]
    assert genus_profile(taxa) == {"Bacteroides": 0.625, "Phocaeicola": 0.375}


def test_genus_profile_pools_rows_without_a_genus() -> None:
    taxa = [
        _row(0.5, [*FAMILY, "Bacteroides", None]),
        _row(0.25, [*FAMILY, None, None]),  # genus unassigned
        _row(0.125, ["Bacteria", "Bacillota"]),  # lineage stops above genus
        _row(0.0625, [*FAMILY, ""]),  # empty genus name
        _row(0.0625, None),  # no lineage at all
    ]
    assert genus_profile(taxa) == {"Bacteroides": 0.5, "(unassigned genus)": 0.5}


def test_genus_profile_of_no_rows_is_empty() -> None:
    assert genus_profile([]) == {}


def test_sample_genus_profile_falls_back_to_the_stored_composition() -> None:
    stored = {"Prevotella": 0.75, "Blautia": 0.25}
    assert sample_genus_profile(_sample(1.0, [], stored)) == stored
    no_taxa_key = {"composition": {"genus": stored}}
    assert sample_genus_profile(no_taxa_key) == stored
    with_taxa = _sample(1.0, [_row(1.0, [*FAMILY, "Bacteroides"])], stored)
    assert sample_genus_profile(with_taxa) == {"Bacteroides": 1.0}


def test_bray_curtis_of_two_three_genus_profiles() -> None:
    old = {"Bacteroides": 0.5, "Prevotella": 0.3, "Blautia": 0.2}
    new = {"Bacteroides": 0.25, "Prevotella": 0.25, "Blautia": 0.5}
    # |0.5-0.25| + |0.3-0.25| + |0.2-0.5| = 0.25 + 0.05 + 0.3 = 0.6, over 1 + 1 = 2
    assert profile_bray_curtis(old, new) == pytest.approx(0.3)
    assert profile_bray_curtis(new, old) == pytest.approx(0.3)


def test_bray_curtis_counts_a_missing_genus_as_zero() -> None:
    old = {"Bacteroides": 0.6, "Prevotella": 0.4}
    new = {"Bacteroides": 0.6, "Blautia": 0.4}
    # 0 + |0.4-0| + |0-0.4| = 0.8, over 2
    assert profile_bray_curtis(old, new) == pytest.approx(0.4)


def test_bray_curtis_of_unnormalised_abundances() -> None:
    # |10-5| + |0-5| = 10, over 10 + 10 = 20
    assert profile_bray_curtis({"A": 10.0, "B": 0.0}, {"A": 5.0, "B": 5.0}) == pytest.approx(0.5)


def test_bray_curtis_bounds() -> None:
    profile = {"Bacteroides": 0.7, "Prevotella": 0.3}
    assert profile_bray_curtis(profile, dict(profile)) == 0.0
    assert profile_bray_curtis({"Bacteroides": 1.0}, {"Prevotella": 1.0}) == 1.0


def test_bray_curtis_of_empty_and_all_zero_profiles_is_zero() -> None:
    assert profile_bray_curtis({}, {}) == 0.0
    assert profile_bray_curtis({"A": 0.0, "B": 0.0}, {"A": 0.0, "C": 0.0}) == 0.0


def test_bray_curtis_against_an_empty_profile_is_one() -> None:
    assert profile_bray_curtis({"A": 0.5, "B": 0.5}, {}) == 1.0


def test_largest_changes_first_with_missing_genera_as_zero() -> None:
    old = {"Bacteroides": 0.5, "Prevotella": 0.3, "Blautia": 0.2}
    new = {"Bacteroides": 0.25, "Prevotella": 0.25, "Akkermansia": 0.5}
    # changes: Akkermansia 0.5, Bacteroides 0.25, Blautia 0.2, Prevotella 0.05
    changes = largest_changes(old, new)
    assert [c.genus for c in changes] == ["Akkermansia", "Bacteroides", "Blautia", "Prevotella"]
    assert changes[0] == GenusChange("Akkermansia", 0.0, 0.5)
    assert changes[2] == GenusChange("Blautia", 0.2, 0.0)


def test_largest_changes_breaks_ties_alphabetically_and_stops_at_the_limit() -> None:
    old = {"Z": 0.25, "M": 0.25, "A": 0.0, "Q": 0.5}
    new = {"Z": 0.0, "M": 0.5, "A": 0.25, "Q": 0.25}
    # every genus changed by 0.25
    assert [c.genus for c in largest_changes(old, new)] == ["A", "M", "Q", "Z"]
    assert [c.genus for c in largest_changes(old, new, limit=2)] == ["A", "M"]


def test_largest_changes_lists_five_by_default() -> None:
    old = {name: 0.0 for name in "ABCDEFG"}
    new = {name: (i + 1) / 28 for i, name in enumerate("ABCDEFG")}
    assert [c.genus for c in largest_changes(old, new)] == ["G", "F", "E", "D", "C"]


def test_largest_changes_of_empty_profiles() -> None:
    assert largest_changes({}, {}) == ()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (2.0, 2.2, "up"),
        (2.0, 1.8, "down"),
        (2.0, 2.1, "unchanged"),
        (2.0, 1.9, "unchanged"),
        (2.0, 2.0, "unchanged"),
    ],
)
def test_diversity_change(old: float, new: float, expected: str) -> None:
    assert diversity_change(old, new) == expected


def test_diversity_change_tolerance_is_inclusive() -> None:
    # 0.25 and 1.25 are exact in binary, so the boundary is hit exactly
    assert diversity_change(1.0, 1.25, tolerance=0.25) == "unchanged"
    assert diversity_change(1.25, 1.0, tolerance=0.25) == "unchanged"
    assert diversity_change(1.0, 1.5, tolerance=0.25) == "up"


def test_compare_samples() -> None:
    old = _sample(
        2.0,
        [
            _row(0.5, [*FAMILY, "Bacteroides", "Bacteroides fragilis"]),
            _row(0.25, [*FAMILY, "Prevotella", None]),
            _row(0.25, ["Bacteria", "Bacillota"]),
        ],
    )
    new = _sample(
        1.5,
        [
            _row(0.25, [*FAMILY, "Bacteroides", "Bacteroides fragilis"]),
            _row(0.75, [*FIRMICUTES_FAMILY, "Faecalibacterium", None]),
        ],
    )
    result = compare_samples(old, new)
    assert (result.shannon_old, result.shannon_new) == (2.0, 1.5)
    assert result.diversity_change == "down"
    # Bacteroides |0.5-0.25| + Prevotella 0.25 + unassigned 0.25 + Faecalibacterium 0.75 = 1.5, over 2
    assert result.bray_curtis == pytest.approx(0.75)
    assert result.changes == (
        GenusChange("Faecalibacterium", 0.0, 0.75),
        GenusChange("(unassigned genus)", 0.25, 0.0),
        GenusChange("Bacteroides", 0.5, 0.25),
        GenusChange("Prevotella", 0.25, 0.0),
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.bray_curtis = 0.0  # type: ignore[misc]


def test_compare_a_sample_with_itself() -> None:
    sample = _sample(1.0, [_row(0.5, [*FAMILY, "Bacteroides"]), _row(0.5, [*FAMILY, "Alistipes"])])
    result = compare_samples(sample, sample)
    assert result.diversity_change == "unchanged"
    assert result.bray_curtis == 0.0
    assert [(c.old, c.new) for c in result.changes] == [(0.5, 0.5), (0.5, 0.5)]


def test_compare_samples_without_taxa_uses_the_stored_composition() -> None:
    old = _sample(1.0, [], {"Bacteroides": 1.0})
    new = _sample(1.0, [], {"Bacteroides": 0.5, "Prevotella": 0.5})
    # |1-0.5| + |0-0.5| = 1, over 2
    assert compare_samples(old, new).bray_curtis == pytest.approx(0.5)


def test_two_kits_from_one_stool_compare_as_no_real_change() -> None:
    # The Thryve replicate pair (same stool, same day): the figures in analysis.compare come
    # from it, so comparing the pair must say "within what the kit varies" everywhere.
    from analysis import analyze
    from analysis.compare import (
        REPLICATE_BRAY_CURTIS,
        compare_samples,
        within_kit_variation,
    )
    from tests.conftest import shared_path

    a, b = (
        analyze(
            shared_path(
                "labs", f"thryve_gut-health-test_2021-06_abundance_profile_DTCsample3{k}.csv"
            ).read_bytes()
        )
        for k in ("a", "b")
    )
    result = compare_samples(
        a.samples[0].model_dump(mode="json"), b.samples[0].model_dump(mode="json")
    )
    assert result.bray_curtis <= REPLICATE_BRAY_CURTIS + 0.0005
    assert result.diversity_change == "unchanged"
    assert all(within_kit_variation(c.old, c.new) for c in result.changes)


@pytest.mark.parametrize(
    ("old", "new", "gap"),
    [
        (("shotgun", "metaphlan3", "v30"), ("shotgun", "metaphlan3", "v30"), None),
        (("shotgun", "metaphlan3", None), ("shotgun", "metaphlan3", "v31"), None),  # unknown
        (("16s", "biom", None), ("shotgun", "metaphlan4", None), "method"),
        (("shotgun", "metaphlan2", None), ("shotgun", "metaphlan4", "vOct22"), "profiler"),
        (("shotgun", "kraken2", None), ("shotgun", "bracken", "S level"), "profiler"),
        (("shotgun", "metaphlan4", "vJan21"), ("shotgun", "metaphlan4", "vOct22"), "version"),
    ],
)
def test_which_tests_can_be_compared_taxon_by_taxon(
    old: tuple[str, str, str | None], new: tuple[str, str, str | None], gap: str | None
) -> None:
    from analysis.compare import comparison_gap

    assert comparison_gap(old, new) == gap
