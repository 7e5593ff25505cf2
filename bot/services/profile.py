"""The profile facts a user chose to give (/profile), and how triage reads them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from content.triage import UserFacts
from storage import Database
from storage.models import User

#: Age bands offered; triage reads the lower bound (``UserFacts.min_age``).
AGE_BANDS = ("0-17", "18-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80+")
SEXES = ("female", "male", "other")
#: Conditions and medicines that change what triage says (content/triage PROFILE_FACTS).
CONDITIONS = (
    "pregnant",
    "ibd",
    "diabetes",
    "sglt2",
    "chemo",
    "immunosuppressant",
    "anticoagulant",
    "ckd",
    "stoma",
    "nsaid",
    "methotrexate",
    "lithium",
    "clozapine",
    "heart_meds",
)


def user_facts(user: Any) -> UserFacts:
    """The profile facts triage may use (only what the user chose to give)."""
    if isinstance(user, User):
        conditions = conditions_of(user)
    else:  # a Member snapshot carries them already
        conditions = frozenset(getattr(user, "conditions", ()) or ())
    return UserFacts(age=None, age_band=user.age_band, sex=user.sex, conditions=conditions)


def conditions_of(user: User) -> frozenset[str]:
    """The conditions stored for a user (only keys this version knows)."""
    stored = (user.health_facts or {}).get("conditions", [])
    return frozenset(c for c in stored if c in CONDITIONS)


@dataclass(frozen=True)
class Profile:
    """What the user has told the bot about themselves."""

    age_band: str | None
    sex: str | None
    conditions: frozenset[str]

    @property
    def empty(self) -> bool:
        """Nothing given."""
        return self.age_band is None and self.sex is None and not self.conditions


def _profile(user: User) -> Profile:
    return Profile(user.age_band, user.sex, conditions_of(user))


async def read(db: Database, owner: Any) -> Profile | None:
    """The user's profile (None for an unknown user)."""
    async with db.transaction() as session:
        user = await session.get(User, owner.id)
        return None if user is None else _profile(user)


async def change(db: Database, owner: Any, field: str, value: str) -> Profile | None:
    """Set the age band or sex, toggle a condition, or clear everything; the new profile.

    Values outside the offered ones are ignored (a forged button changes nothing).
    """
    async with db.transaction() as session:
        user = await session.get(User, owner.id)
        if user is None:
            return None
        if field == "age" and value in (*AGE_BANDS, "none"):
            user.age_band = None if value == "none" else value
        elif field == "sex" and value in (*SEXES, "none"):
            user.sex = None if value == "none" else value
        elif field == "cond" and value in CONDITIONS:
            chosen = set(conditions_of(user)) ^ {value}
            user.health_facts = {"conditions": sorted(chosen)} if chosen else None
        elif field == "clear":
            user.age_band = user.sex = None
            user.health_facts = None
        return _profile(user)
