"""Helpers for the triage tests: the tier and reasons of a message."""

from __future__ import annotations

from content.triage import LEVELS, Triage, UserFacts, triage


def level_of(message: str, facts: UserFacts | None = None) -> str:
    """The tier triage gives ``message``."""
    return triage(message, facts).level


def at_least(result: Triage, level: str) -> bool:
    """Whether ``result`` is ``level`` or more urgent."""
    return LEVELS.index(result.level) <= LEVELS.index(level)
