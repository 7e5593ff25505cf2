"""Time zones typed at /remind: offsets only where a real zone exists, stored names never fatal."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.timezones import parse_timezone
from storage.schedule import next_local_time, zone


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("UTC+2", "Etc/GMT-2"),  # Etc signs are inverted
        ("utc-5", "Etc/GMT+5"),
        ("UTC-12", "Etc/GMT+12"),
        ("UTC+14", "Etc/GMT-14"),
        ("UTC", "UTC"),
        ("London", "Europe/London"),
    ],
)
def test_offsets_and_cities_become_real_zones(typed: str, expected: str) -> None:
    assert parse_timezone(typed) == expected
    ZoneInfo(expected)  # it exists


@pytest.mark.parametrize("typed", ["UTC-13", "UTC-14", "UTC+15", "UTC+5:30", "Atlantis"])
def test_offsets_no_zone_has_are_refused(typed: str) -> None:
    assert parse_timezone(typed) is None


def test_a_stored_zone_that_does_not_exist_reads_as_utc() -> None:
    # Stored before offsets were checked: it must not break every reminder in the batch.
    assert zone("Etc/GMT+13") == ZoneInfo("UTC")
    assert zone(None) == ZoneInfo("UTC")
    after = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    assert next_local_time(after, "20:00", "Etc/GMT+13") == datetime(2026, 12, 2, 20, 0, tzinfo=UTC)
