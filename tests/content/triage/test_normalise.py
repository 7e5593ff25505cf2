"""Spelling tolerance, numbers with units, durations, ages and sex in the forms people write."""

from __future__ import annotations

import pytest

from content.triage import age_from_text, quantities, sexes
from content.triage.normalise import fold, numbers_to_digits


def _read(message: str) -> str:
    return numbers_to_digits(fold(message))


@pytest.mark.parametrize(
    ("message", "celsius"),
    [
        ("temp of 38.6", 38.6),
        ("102F", 38.9),
        ("fever 39,4", 39.4),
        ("39.8 degrees", 39.8),
        ("running 101.5", 38.6),
    ],
)
def test_temperatures(message: str, celsius: float) -> None:
    assert max(quantities.temperatures(_read(message))) == pytest.approx(celsius, abs=0.05)


@pytest.mark.parametrize(
    ("message", "days"),
    [
        ("for 2 and a half days", 2.5),
        ("for 48 hours", 2.0),
        ("since last Tuesday", 7.0),
        ("day four of this", 4.0),
        ("for three weeks", 21.0),
        ("since about august", 60.0),
        ("for weeks", 14.0),
    ],
)
def test_durations(message: str, days: float) -> None:
    assert max(quantities.durations(_read(message))) == pytest.approx(days)


@pytest.mark.parametrize(
    ("message", "age"),
    [
        ("62F", 62),
        ("female 56", 56),
        ("im sixty", 60),
        ("I'm 63 and worried", 63),
        ("34M. Pain", 34),
    ],
)
def test_own_ages(message: str, age: int) -> None:
    assert age_from_text(message) == age


@pytest.mark.parametrize(
    ("message", "years"),
    [
        ("my mum (81)", 81),
        ("my mother (71)", 71),
        ("dad's 74", 74),
        ("an 8-month-old", 0.667),
        ("my 3 week old", 0.058),
    ],
)
def test_other_peoples_ages(message: str, years: float) -> None:
    found = quantities.ages(_read(message))
    assert [a.own for a in found] == [False]
    assert found[0].years == pytest.approx(years, abs=0.01)


def test_sex() -> None:
    assert sexes.sex(_read("62F with bloating")) == "female"
    assert sexes.sex(_read("male 40")) == "male"


@pytest.mark.parametrize(
    "message",
    [
        "i keep vomitting blod",
        "diarhea for 5 days",
        "bloody diarrhea and a temprature of 39",
        "cant breath",
    ],
)
def test_misspelt_alarms_are_read(message: str) -> None:
    from content.triage import triage

    assert triage(message).level in ("emergency", "urgent")


def test_real_words_are_not_corrected_into_alarms() -> None:
    from content.triage import triage

    assert (
        triage("I want to paint my kitchen, any tips for bloating after lunch?").level == "routine"
    )
