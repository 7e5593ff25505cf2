"""Evidence levels and how to say them in plain words."""

from __future__ import annotations

from typing import Literal

Evidence = Literal["guideline", "randomised_trial", "human_association", "animal_mechanism"]

#: Strongest first.
ORDER: tuple[Evidence, ...] = (
    "guideline",
    "randomised_trial",
    "human_association",
    "animal_mechanism",
)


def evidence_label(level: str) -> str:
    """The plain-language label of an evidence level (from the messages file)."""
    from content.messages import text

    if level not in ORDER:
        raise KeyError(f"unknown evidence level {level!r}")
    return text(f"questions.evidence.{level}")
