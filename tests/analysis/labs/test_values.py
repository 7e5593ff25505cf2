"""Result, range and flag cells as the stool-panel reports print them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.labs.model import Range
from analysis.labs.values import (
    Parsed,
    computed_flag,
    grade_level,
    parse_flag,
    parse_number,
    parse_range,
    parse_value,
    undouble,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8.4E7", Parsed(value=84_000_000.0)),
        ("3.5e7", Parsed(value=35_000_000.0)),
        ("1.29e9", Parsed(value=1_290_000_000.0)),
        ("<DL", Parsed(below=True, qualitative="not_detected")),
        ("<dl", Parsed(below=True, qualitative="not_detected")),
        ("< dl", Parsed(below=True, qualitative="not_detected")),
        ("<1.00e3", Parsed(value=1000.0, below=True)),
        ("< 1.00e3", Parsed(value=1000.0, below=True)),
        ("<=2.2E9", Parsed(value=2.2e9, below=True)),
        (">=1.2E6", Parsed(value=1.2e6, above=True)),
        (">750", Parsed(value=750.0, above=True)),
        (">500", Parsed(value=500.0, above=True)),
        ("21.2", Parsed(value=21.2)),
        ("1,574", Parsed(value=1574.0)),
        ("1574", Parsed(value=1574.0)),
        ("2,1", Parsed(value=2.1)),
        ("Negative", Parsed(qualitative="not_detected")),
        ("NNeeggaattiivvee", Parsed(qualitative="not_detected")),
        ("Positive", Parsed(qualitative="detected")),
        ("DETECTED", Parsed(qualitative="detected")),
        ("Not Detected", Parsed(qualitative="not_detected")),
        ("Present", Parsed(qualitative="detected")),
        ("Absent", Parsed(qualitative="not_detected")),
        ("ND", Parsed(qualitative="not_detected")),
        ("NG", Parsed(qualitative="not_detected", grade="NG")),
        ("1+", Parsed(qualitative="detected", grade="1+")),
        ("2+", Parsed(qualitative="detected", grade="2+")),
        ("3+", Parsed(qualitative="detected", grade="3+")),
        ("4+", Parsed(qualitative="detected", grade="4+")),
        ("+++", Parsed(qualitative="detected", grade="+++")),
        ("(+)", Parsed(qualitative="detected")),
        ("(-)", Parsed(qualitative="not_detected")),
        ("Equivocal", Parsed(qualitative="equivocal")),
    ],
)
def test_parse_value_forms(text: str, expected: Parsed) -> None:
    assert parse_value(text) == expected


@pytest.mark.parametrize("text", ["", "  ", "N/A", "Brown", "e7", "1.2.3", "<", "-", "1e999"])
def test_parse_value_unreadable(text: str) -> None:
    assert not parse_value(text).read


@pytest.mark.parametrize(
    ("text", "low", "high", "inclusive"),
    [
        ("3.4E6-1.5E9", 3.4e6, 1.5e9, True),
        ("8.6e5 - 6.2e8", 8.6e5, 6.2e8, True),
        ("<=2.2E9", None, 2.2e9, True),
        (">=1.2E6", 1.2e6, None, True),
        ("< 1.00e3", None, 1000.0, False),
        ("< 173", None, 173.0, False),
        ("> 200", 200.0, None, False),
        ("510 - 2010", 510.0, 2010.0, True),
        ("2-4+", 2.0, 4.0, True),
        ("<+", None, 1.0, False),
        ("<10", None, 10.0, False),
        ("0.9-26.8", 0.9, 26.8, True),
        ("337.0–4433", 337.0, 4433.0, True),
    ],
)
def test_parse_range_forms(
    text: str, low: float | None, high: float | None, inclusive: bool
) -> None:
    parsed = parse_range(text)
    assert parsed is not None
    assert (parsed.low, parsed.high, parsed.inclusive) == (low, high, inclusive)
    assert parsed.text == " ".join(text.replace("–", "-").split())


@pytest.mark.parametrize("text", ["<DL", "Negative", "Not Detected"])
def test_parse_range_words(text: str) -> None:
    assert parse_range(text) == Range(text=text)


@pytest.mark.parametrize("text", ["", "spp.", "9-2", "High", "org/g"])
def test_parse_range_unreadable(text: str) -> None:
    assert parse_range(text) is None


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("H", "high"),
        ("L", "low"),
        ("High", "high"),
        ("Low", "low"),
        ("High ↑", "high"),
        ("Low ↓", "low"),
        ("Out of Range", "abnormal"),
        ("In Range", "normal"),
        ("Normal", "normal"),
        ("IInn RRaannggee", "normal"),
        ("spp.", None),
        ("High ↓", None),
        ("", None),
    ],
)
def test_parse_flag(text: str, flag: str | None) -> None:
    assert parse_flag(text) == flag


@pytest.mark.parametrize(
    ("value", "range_text", "flag"),
    [
        ("8.8E7", "<=8.0E7", "high"),
        ("8.0E7", "<=8.0E7", "normal"),
        ("1.0E3", "< 1.00e3", "high"),
        ("<dl", "< 1.00e3", "normal"),
        ("<1.00e2", "1.0e3 - 5.0e8", "low"),
        ("<1.00e4", "1.0e3 - 5.0e8", "unknown"),
        (">750", "> 200", "normal"),
        ("4225", "510 - 2010", "high"),
        ("40", "< 173", "normal"),
        ("<DL", ">=1.2E6", "low"),
        ("Negative", "Negative", "normal"),
        ("Positive", "Negative", "abnormal"),
        ("Not Detected", "Not Detected", "normal"),
        ("+++", "2-4+", "normal"),
        ("+", "2-4+", "low"),
        ("NG", "<+", "normal"),
        ("1+", "<+", "high"),
        ("9.6", ">13.6", "low"),
        ("Brown", "<10", "unknown"),
    ],
)
def test_computed_flag(value: str, range_text: str, flag: str) -> None:
    assert computed_flag(parse_value(value), parse_range(range_text)) == flag


def test_computed_flag_without_range() -> None:
    assert computed_flag(parse_value("8.4E7"), None) == "unknown"


def test_grade_level() -> None:
    assert [grade_level(g) for g in ("NG", "1+", "4+", "+", "++++", "x")] == [0, 1, 4, 1, 4, None]


# --- round trips --------------------------------------------------------------------------

mantissas = st.decimals(min_value="1.00", max_value="9.99", places=2)
exponents = st.integers(min_value=-3, max_value=15)


@given(mantissas, exponents, st.sampled_from(["e", "E"]))
def test_scientific_notation_round_trip(mantissa: object, exponent: int, e: str) -> None:
    text = f"{mantissa}{e}{exponent}"
    assert parse_value(text) == Parsed(value=float(text))
    assert parse_value(f"<{text}") == Parsed(value=float(text), below=True)
    assert parse_value(f">= {text}") == Parsed(value=float(text), above=True)


@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_separator_round_trip(number: int) -> None:
    assert parse_number(f"{number:,}") == float(number)
    assert parse_number(str(number)) == float(number)


@given(
    st.floats(min_value=0, max_value=1e12, allow_nan=False),
    st.floats(min_value=0, max_value=1e12, allow_nan=False),
    st.sampled_from(["-", " - ", "–", " to "]),
)
def test_between_range_round_trip(a: float, b: float, dash: str) -> None:
    low, high = sorted((a, b))
    parsed = parse_range(f"{low:.3e}{dash}{high:.3e}")
    assert parsed is not None
    assert parsed.low == float(f"{low:.3e}") and parsed.high == float(f"{high:.3e}")
    # Inside the range is normal, beyond either end is not.
    assert parsed.low is not None and parsed.high is not None
    assert computed_flag(Parsed(value=parsed.low), parsed) == "normal"
    assert computed_flag(Parsed(value=parsed.high * 2 + 1), parsed) == "high"


@given(st.sampled_from(["Negative", "Positive", "Not Detected", "Absent", "Present", "In Range"]))
def test_doubled_glyphs_read_as_single(word: str) -> None:
    doubled = " ".join("".join(c * 2 for c in part) for part in word.split())
    assert undouble(doubled) == word
    assert parse_value(doubled) == parse_value(word)
    assert parse_flag(doubled) == parse_flag(word)


@given(st.text(max_size=40))
def test_any_text_is_read_or_refused_quietly(text: str) -> None:
    parsed = parse_value(text)
    assert isinstance(parsed, Parsed)
    parse_range(text)
    parse_flag(text)
    computed_flag(parsed, parse_range(text))
