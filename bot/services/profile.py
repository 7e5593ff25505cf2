"""The profile facts a user chose to give, as triage reads them."""

from __future__ import annotations

from typing import Any

from content.triage import UserFacts


def user_facts(user: Any) -> UserFacts:
    """The profile facts triage may use (only what the user chose to give)."""
    return UserFacts(age=None, age_band=user.age_band, sex=user.sex)
