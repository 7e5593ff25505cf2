"""Numbers read from messages: ages told another way, lab values against their reference limits."""

from __future__ import annotations

from datetime import date

import pytest

from content.triage.labs import calprotectin, positive_fit
from content.triage.quantities import ages


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("born in 1961. since before easter my stools have been softer", date.today().year - 1961),
        ("my 70th was in may and ever since", 70),
        ("ill be 63 in june. stools have gone narrow", 62.5),
        ("got my bus pass in the spring so yeah 66 now", 66),
        ("i am in my mid-sixties and was previously regular", 65),
        ("bloated every day for 4 months. 58, periods stopped years ago", 58),
        ("mne 62, stul stal zhidkim", 62),
    ],
)
def test_ages_told_another_way(text: str, years: float) -> None:
    found = ages(text)
    assert found, text
    assert found[0].years == years
    assert found[0].own


def test_my_first_time_is_not_an_age() -> None:
    assert ages("my 2nd time trying kefir") == []


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("calpro 250 (ref <50). 19 years old", [250]),
        ("calprotectin 30 (ref <50)", [30]),
        ("my last calprotectin was 40 but the new one on the portal says 520", [40, 520]),
        ("calprotectin >600 on a private stool test", [600]),
        ("calprotectin fell over 3 months", []),
        ("exame de calprotectina fecal deu 280", [280]),
    ],
)
def test_calprotectin_values_but_not_their_reference_limits(text: str, values: list[int]) -> None:
    assert calprotectin(text) == values


@pytest.mark.parametrize(
    ("text", "positive"),
    [
        ("qfit 23", True),
        ("i did the fit my gp gave me and it came back 11", True),
        ("fit came back negative (under 10)", False),
        ("fit result <10, all fine", False),
        ("fit 4", False),
    ],
)
def test_fit_of_10_or_more_is_positive(text: str, positive: bool) -> None:
    assert positive_fit(text) is positive
