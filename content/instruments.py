"""Symptom instruments: the Bristol scale, an IBS-SSS-style severity score, and PHQ-4.

Scoring only; the wording lives in ``content/messages/checkin.toml``. IBS-SSS (Francis, Morris &
Whorwell 1997, doi:10.1046/j.1365-2036.1997.142318000.x) is licensed, so its items are paraphrased
and the score is labelled "IBS-SSS-style". PHQ-4 (Kroenke et al. 2009,
doi:10.1176/appi.psy.50.6.613) may be used word for word.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Bristol stool form types (Lewis & Heaton 1997, doi:10.3109/00365529709011203).
BRISTOL_TYPES = tuple(range(1, 8))


@dataclass(frozen=True)
class Item:
    """One question: its key, its answers (value shown -> value stored), and an optional gate."""

    key: str
    answers: tuple[int, ...]
    gate_for: tuple[str, ...] = ()


# IBS-SSS-style: two yes/no gates (1 = yes, 0 = no) and five 0-10 items scored x10 (0-100 each).
IBS_SSS_ITEMS: tuple[Item, ...] = (
    Item("has_pain", (1, 0), gate_for=("pain_severity", "pain_days")),
    Item("pain_severity", tuple(range(11))),
    Item("pain_days", tuple(range(11))),
    Item("has_bloating", (1, 0), gate_for=("bloating_severity",)),
    Item("bloating_severity", tuple(range(11))),
    Item("bowel_dissatisfaction", tuple(range(11))),
    Item("life_interference", tuple(range(11))),
)
IBS_SSS_SCORED = (
    "pain_severity",
    "pain_days",
    "bloating_severity",
    "bowel_dissatisfaction",
    "life_interference",
)

PHQ4_ITEMS: tuple[Item, ...] = (
    Item("nervous", (0, 1, 2, 3)),
    Item("worrying", (0, 1, 2, 3)),
    Item("interest", (0, 1, 2, 3)),
    Item("down", (0, 1, 2, 3)),
)

INSTRUMENTS: dict[str, tuple[Item, ...]] = {"ibs_sss": IBS_SSS_ITEMS, "phq4": PHQ4_ITEMS}

#: A rise of this many IBS-SSS points is clinically meaningful (Francis 1997).
IBS_SSS_MEANINGFUL_CHANGE = 50


def next_item(instrument: str, answers: dict[str, int]) -> Item | None:
    """The next question to ask, skipping items a 'no' gate answered; None when complete."""
    skipped: set[str] = set()
    for item in INSTRUMENTS[instrument]:
        if item.key in answers or item.key in skipped:
            if item.gate_for and answers.get(item.key) == 0:
                skipped.update(item.gate_for)
            continue
        return item
    return None


def ibs_sss_total(answers: dict[str, int]) -> int:
    """Total 0-500: each scored item 0-10 times ten; gated items count 0 after a 'no'."""
    total = 0
    for key in IBS_SSS_SCORED:
        value = answers.get(key, 0)
        if not 0 <= value <= 10:
            raise ValueError(f"{key} must be 0-10, got {value}")
        total += value * 10
    if answers.get("has_pain") == 0:
        total -= 10 * (answers.get("pain_severity", 0) + answers.get("pain_days", 0))
    if answers.get("has_bloating") == 0:
        total -= 10 * answers.get("bloating_severity", 0)
    return total


def ibs_sss_band(total: int) -> str:
    """Severity band: remission (<75), mild (75-175), moderate (175-300), severe (>300)."""
    if total < 75:
        return "remission"
    if total < 175:
        return "mild"
    if total <= 300:
        return "moderate"
    return "severe"


@dataclass(frozen=True)
class Phq4Result:
    """PHQ-4 total (0-12) with its two subscales and screens."""

    total: int
    anxiety: int
    depression: int

    @property
    def band(self) -> str:
        """none (0-2), mild (3-5), moderate (6-8), severe (9-12)."""
        if self.total <= 2:
            return "none"
        if self.total <= 5:
            return "mild"
        if self.total <= 8:
            return "moderate"
        return "severe"

    @property
    def anxiety_positive(self) -> bool:
        """GAD-2 subscale of 3 or more."""
        return self.anxiety >= 3

    @property
    def depression_positive(self) -> bool:
        """PHQ-2 subscale of 3 or more."""
        return self.depression >= 3


def phq4_score(answers: dict[str, int]) -> Phq4Result:
    """Score PHQ-4 from its four answers (each 0-3)."""
    for item in PHQ4_ITEMS:
        value = answers[item.key]
        if value not in item.answers:
            raise ValueError(f"{item.key} must be 0-3, got {value}")
    anxiety = answers["nervous"] + answers["worrying"]
    depression = answers["interest"] + answers["down"]
    return Phq4Result(total=anxiety + depression, anxiety=anxiety, depression=depression)
