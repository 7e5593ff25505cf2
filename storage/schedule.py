"""Local time for a user, pure: their zone, their clock time's next instant, quiet hours.

A zone name stored by an older version (or one the system's tz database has since dropped) must
not stop the reminders of every user claimed in the same batch: an unknown name reads as UTC.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger("gutbot.schedule")

#: Quiet hours a user has not chosen (set by /remind, honoured by every follow-up).
DEFAULT_QUIET = ("22:00", "07:00")


@cache
def zone(name: str | None) -> ZoneInfo:
    """``ZoneInfo(name)``; UTC for None, an empty name or a name the tz database lacks."""
    if not name:
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone stored; UTC is used instead")
        return ZoneInfo("UTC")


def next_local_time(
    after: datetime, at: str, zone_name: str | None, *, quiet: tuple[str, str] | None = None
) -> datetime:
    """The next UTC instant after ``after`` when the user's clock shows ``at`` (HH:MM).

    Computed in the user's zone, so 20:00 stays 20:00 across daylight-saving changes; a local
    time that does not exist on a change day moves forward by the gap, one that exists twice
    takes the first. A time inside quiet hours moves to their end.
    """
    tz = zone(zone_name)
    hour, minute = (int(p) for p in at.split(":"))
    local_after = after.astimezone(tz)
    day: date = local_after.date()
    for _ in range(3):
        candidate = datetime.combine(day, time(hour, minute), tzinfo=tz)
        # Round-trip through UTC: a non-existent wall time comes back shifted forward.
        candidate = candidate.astimezone(ZoneInfo("UTC")).astimezone(tz)
        candidate = _outside_quiet(candidate, quiet, tz)
        if candidate > local_after:
            return candidate.astimezone(ZoneInfo("UTC"))
        day = day + timedelta(days=1)
    raise AssertionError("no local time found within three days")


def outside_quiet(
    moment: datetime, zone_name: str | None, quiet: tuple[str, str] | None
) -> datetime:
    """``moment`` (UTC), or the end of the user's quiet hours when it falls inside them."""
    tz = zone(zone_name)
    return _outside_quiet(moment.astimezone(tz), quiet, tz).astimezone(ZoneInfo("UTC"))


def in_quiet(at: str, quiet: tuple[str, str] | None) -> bool:
    """Whether the clock time ``at`` (HH:MM) lies inside the quiet hours."""
    if not quiet:
        return False
    start, end, clock = _clock(quiet[0]), _clock(quiet[1]), _clock(at)
    return (start <= clock < end) if start < end else (clock >= start or clock < end)


def local_day(moment: datetime, zone_name: str | None) -> date:
    """The user's calendar day at ``moment``."""
    return moment.astimezone(zone(zone_name)).date()


def _clock(text: str) -> time:
    hour, minute = text.split(":")
    return time(int(hour), int(minute))


def _outside_quiet(moment: datetime, quiet: tuple[str, str] | None, tz: ZoneInfo) -> datetime:
    if not quiet:
        return moment
    start = _clock(quiet[0])
    end = _clock(quiet[1])
    clock = moment.timetz().replace(tzinfo=None)
    inside = (start <= clock < end) if start < end else (clock >= start or clock < end)
    if not inside:
        return moment
    end_day = moment.date() if clock < end else moment.date() + timedelta(days=1)
    return datetime.combine(end_day, end, tzinfo=tz)
