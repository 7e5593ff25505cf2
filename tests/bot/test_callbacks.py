"""Callback codecs: Telegram's 64-byte limit, round trips, and no two families reading one datum."""

from __future__ import annotations

import re
from typing import get_type_hints

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callbacks import (
    CHECKIN,
    FAMILIES,
    FINDING,
    MAX_BYTES,
    QUESTIONNAIRE,
    REMIND_TIME,
    RESULT,
    TOPIC,
    UPLOAD_PICK,
    CallbackDataTooLong,
    Codec,
)

BIG_ID = 10**9 - 1  # the largest row id a field takes (nine digits: a 32-bit column holds it)


def _largest(codec: Codec) -> str:  # type: ignore[type-arg]
    """The longest data the family can produce, written by hand per field type."""
    values = []
    for name, kind in get_type_hints(codec.shape).items():
        allowed = codec.choices.get(name)
        if isinstance(allowed, tuple):
            values.append(max(allowed, key=len))
        elif name == "value" and codec is REMIND_TIME:
            values.append("23:59")
        elif kind is int:
            values.append(-BIG_ID if name == "value" else BIG_ID)
        else:
            values.append("x" * (32 if isinstance(allowed, str) else 48))
    return ":".join([codec.prefix, *map(str, values)])


@pytest.mark.parametrize("codec", FAMILIES, ids=lambda c: c.prefix)
def test_every_family_fits_telegrams_limit_at_its_longest(codec: Codec) -> None:  # type: ignore[type-arg]
    data = _largest(codec)
    assert len(data.encode()) <= MAX_BYTES, data
    assert codec.unpack(data) is not None


def test_packing_refuses_data_over_the_limit() -> None:
    with pytest.raises(CallbackDataTooLong):
        TOPIC.pack("t" * 60)


def test_a_value_outside_its_field_is_refused_when_packed() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        RESULT.pack("delete_everything", 1)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("ci:12:3:-1", (12, 3, -1)),
        ("qn:7:bloating_days:4", (7, "bloating_days", 4)),
        ("res:csv:99", ("csv", 99)),
        ("res:f:5:2", (5, 2)),
        ("up:page:3:1", ("page", 3, 1)),
        ("rt:08:00", ("08:00",)),
        ("topic:symptoms.bloating", ("symptoms.bloating",)),
    ],
)
def test_data_written_by_hand_unpacks_to_its_fields(data: str, expected: tuple) -> None:  # type: ignore[type-arg]
    matches = [c for c in FAMILIES if c.unpack(data) is not None]
    assert len(matches) == 1, f"{data} is read by {[c.prefix for c in matches]}"
    assert tuple(matches[0].unpack(data)) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "data",
    ["ci:1:2", "ci:a:2:3", "res:delete:1", "rt:8:00", "topic:", "up:pick:1", "", "x" * 70],
)
def test_malformed_or_foreign_data_unpacks_to_none(data: str) -> None:
    assert all(c.unpack(data) is None for c in FAMILIES)


@given(st.integers(0, BIG_ID), st.integers(0, 9), st.integers(-1, 10))
def test_checkin_taps_round_trip(entry: int, step: int, value: int) -> None:
    assert CHECKIN.unpack(CHECKIN.pack(entry, step, value)) == (entry, step, value)


@given(
    st.integers(0, BIG_ID), st.from_regex(r"\A[a-z0-9_]{1,32}\Z", fullmatch=True), st.integers(0, 9)
)
def test_questionnaire_taps_round_trip(response: int, item: str, value: int) -> None:
    assert QUESTIONNAIRE.unpack(QUESTIONNAIRE.pack(response, item, value)) == (
        response,
        item,
        value,
    )


def test_each_family_pattern_routes_only_its_own_data() -> None:
    samples = {c.prefix: _largest(c) for c in FAMILIES}
    for codec in FAMILIES:
        for prefix, data in samples.items():
            routed = re.match(codec.pattern, data) is not None
            assert routed == (prefix == codec.prefix), (codec.prefix, data)


def test_finding_and_result_buttons_are_distinct_families() -> None:
    assert RESULT.unpack(FINDING.pack(1, 2)) is None
    assert FINDING.unpack(RESULT.pack("all", 1)) is None
    assert UPLOAD_PICK.unpack("up:pick:1:2") is not None
