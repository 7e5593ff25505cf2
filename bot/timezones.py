"""Turning what a user types (a city, a UTC offset) or a shared location into an IANA time zone."""

from __future__ import annotations

import re
from functools import cache
from zoneinfo import available_timezones

# Common ways people name places that are not the zone's own city.
ALIASES = {
    "uk": "Europe/London",
    "england": "Europe/London",
    "scotland": "Europe/London",
    "wales": "Europe/London",
    "ireland": "Europe/Dublin",
    "germany": "Europe/Berlin",
    "france": "Europe/Paris",
    "spain": "Europe/Madrid",
    "italy": "Europe/Rome",
    "netherlands": "Europe/Amsterdam",
    "new york": "America/New_York",
    "nyc": "America/New_York",
    "boston": "America/New_York",
    "washington": "America/New_York",
    "miami": "America/New_York",
    "chicago": "America/Chicago",
    "texas": "America/Chicago",
    "dallas": "America/Chicago",
    "houston": "America/Chicago",
    "denver": "America/Denver",
    "los angeles": "America/Los_Angeles",
    "la": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "california": "America/Los_Angeles",
    "india": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "china": "Asia/Shanghai",
    "beijing": "Asia/Shanghai",
    "japan": "Asia/Tokyo",
    "australia": "Australia/Sydney",
    "kyiv": "Europe/Kyiv",
    "kiev": "Europe/Kyiv",
    "moscow": "Europe/Moscow",
    "brazil": "America/Sao_Paulo",
}
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(00|30|45))?$")


@cache
def _by_city() -> dict[str, str]:
    out: dict[str, str] = {}
    for zone in available_timezones():
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/")):
            out.setdefault(zone.rsplit("/", 1)[-1].replace("_", " ").lower(), zone)
    return out


def parse_timezone(text: str) -> str | None:
    """An IANA zone for a city/country name, a zone name, or a UTC offset; None if unknown."""
    raw = text.strip().lower()
    if not raw:
        return None
    if raw in {"utc", "gmt", "z"}:
        return "UTC"
    match = _OFFSET.match(raw.replace(" ", ""))
    if match:
        sign, hours, minutes = match.groups()
        if minutes and minutes != "00":
            return None  # Etc zones are whole hours; ask for a city instead
        value = int(hours)
        if value > 14:
            return None
        # Etc/GMT signs are inverted: UTC+2 is Etc/GMT-2. The Etc zones run from UTC-12 to
        # UTC+14 only: "UTC-13" names no zone, so the user is asked for a city instead.
        name = "UTC" if value == 0 else f"Etc/GMT{'-' if sign == '+' else '+'}{value}"
        return name if name in available_timezones() else None
    for zone in available_timezones():
        if zone.lower() == raw:
            return zone
    if raw in ALIASES:
        return ALIASES[raw]
    return _by_city().get(raw)


def timezone_from_location(latitude: float, longitude: float) -> str:
    """A whole-hour zone from longitude (15 degrees an hour); no daylight-saving rules."""
    offset = max(-12, min(14, round(longitude / 15)))
    return "UTC" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"
