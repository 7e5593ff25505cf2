"""A user's stored time zone as a ZoneInfo, never an exception.

A zone name stored by an older version (or one the system's tz database has since dropped) must
not stop the reminders of every user claimed in the same batch: an unknown name reads as UTC.
"""

from __future__ import annotations

import logging
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger("gutbot.zones")


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
