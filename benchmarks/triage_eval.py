"""Triage evaluation on messages nobody on the project wrote: the split, the figures, the misses.

``../shared/data/eval/chat_dev.jsonl`` (700 labelled messages) is split once, by a rule that does
not look at the rules under test: within each (language, tier) stratum the messages are ordered by
the SHA-1 of their text and the first 30% are held out. Tuning looks only at the development part;
the held-out part and ``tests/data/triage_blind_heldout.jsonl`` (written blind from the clinical
sources by a session that never saw the rules) are only ever scored.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_EVAL = (
    Path(os.environ.get("GUTBOT_SHARED_DATA", str(ROOT.parent / "shared" / "data"))) / "eval"
)
CHAT_DEV = SHARED_EVAL / "chat_dev.jsonl"
BLIND = ROOT / "tests" / "data" / "triage_blind_heldout.jsonl"
#: A second blind held-out set, written later the same way (scored before any tuning since).
BLIND_2 = ROOT / "tests" / "data" / "triage_blind_heldout_2.jsonl"
#: A third, written at the end of the second session and scored once before anything else.
BLIND_3 = ROOT / "tests" / "data" / "triage_blind_heldout_3.jsonl"
#: A fourth, written blind in the third session and scored once before that session's tuning.
BLIND_4 = ROOT / "tests" / "data" / "triage_blind_heldout_4.jsonl"
#: A fifth, written blind in the fourth session and scored once after that session's tuning on
#: development set z (0.938 / 0.917 / 0.857 at that first score).
BLIND_5 = ROOT / "tests" / "data" / "triage_blind_heldout_5.jsonl"
#: A sixth, written blind in the fifth session and scored once before that session's tuning on
#: development set aa (0.923 / 0.945 / 0.950, routine raised 3.3%, other languages 9/11).
BLIND_6 = ROOT / "tests" / "data" / "triage_blind_heldout_6.jsonl"
#: A seventh, written blind in the sixth session and scored once before that session's tuning on
#: development set bb (0.969 / 0.909 / 0.883, routine raised 1.7%, other languages 17/18).
BLIND_7 = ROOT / "tests" / "data" / "triage_blind_heldout_7.jsonl"
#: An eighth, written blind in the eighth session and scored once before any change to triage
#: that session (0.985 / 0.982 / 0.933, routine raised 1.1%, other languages 18/18).
BLIND_8 = ROOT / "tests" / "data" / "triage_blind_heldout_8.jsonl"
BLIND_9 = ROOT / "tests" / "data" / "triage_blind_heldout_9.jsonl"
BLIND_10 = ROOT / "tests" / "data" / "triage_blind_heldout_10.jsonl"
BLIND_11 = ROOT / "tests" / "data" / "triage_blind_heldout_11.jsonl"
HELD_OUT_SHARE = 0.3
TIERS = ("emergency", "urgent", "see_doctor", "routine")


@dataclass(frozen=True)
class Row:
    text: str
    tier: str
    flags: tuple[str, ...]
    topic: str
    lang: str


def _rows(path: Path) -> list[Row]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        rows.append(
            Row(
                text=raw["text"],
                tier=raw["tier"],
                flags=tuple(raw.get("flags", ())),
                topic=raw.get("topic", "none"),
                lang=raw.get("lang", "en"),
            )
        )
    return rows


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def split_chat_dev(path: Path = CHAT_DEV) -> tuple[list[Row], list[Row]]:
    """The development part and the held-out part of the shared chat set (fixed by hash)."""
    rows = _rows(path)
    strata: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        strata[(row.lang, row.tier)].append(row)
    held: set[str] = set()
    for members in strata.values():
        ordered = sorted(members, key=lambda r: _digest(r.text))
        held.update(r.text for r in ordered[: round(len(ordered) * HELD_OUT_SHARE)])
    dev = [r for r in rows if r.text not in held]
    return dev, [r for r in rows if r.text in held]


def blind_rows(path: Path = BLIND) -> list[Row]:
    """Messages written blind from the clinical sources (a held-out set of our own)."""
    return _rows(path) if path.exists() else []


@dataclass
class Figures:
    """Recall per tier, over-triage of routine messages, languages, and the misses."""

    n: int
    confusion: dict[str, Counter[str]] = field(default_factory=dict)
    misses: list[tuple[Row, str]] = field(default_factory=list)
    foreign_emergency: tuple[int, int] = (0, 0)

    def recall(self, tier: str) -> float:
        """Share of messages of this tier triaged at this tier or higher."""
        row = self.confusion.get(tier, Counter())
        total = sum(row.values())
        hit = sum(row[t] for t in TIERS[: TIERS.index(tier) + 1])
        return hit / total if total else float("nan")

    def routine_raised(self) -> float:
        """Share of routine messages triaged urgent or emergency."""
        row = self.confusion.get("routine", Counter())
        total = sum(row.values())
        return (row["emergency"] + row["urgent"]) / total if total else float("nan")

    def foreign_recall(self) -> float:
        hit, total = self.foreign_emergency
        return hit / total if total else float("nan")


def score(rows: Iterable[Row], classify: Callable[[str], str]) -> Figures:
    """Run ``classify`` (text to tier) over ``rows``."""
    rows = list(rows)
    figures = Figures(n=len(rows), confusion={t: Counter() for t in TIERS})
    hit = total = 0
    for row in rows:
        got = classify(row.text)
        figures.confusion[row.tier][got] += 1
        if TIERS.index(got) > TIERS.index(row.tier) or (
            row.tier == "routine" and got in ("emergency", "urgent")
        ):
            figures.misses.append((row, got))
        if row.lang != "en" and row.tier == "emergency":
            total += 1
            hit += got == "emergency"
    figures.foreign_emergency = (hit, total)
    return figures


def summary_lines(name: str, figures: Figures) -> list[str]:
    """The figures the triage issue asks for, as printable lines."""
    return [
        f"{name}: {figures.n} messages",
        f"  emergency recall {figures.recall('emergency'):.3f}  urgent-or-higher recall "
        f"{figures.recall('urgent'):.3f}  see-a-doctor-or-higher recall {figures.recall('see_doctor'):.3f}",
        f"  routine raised to urgent/emergency {figures.routine_raised():.1%}  "
        f"emergencies in other languages {figures.foreign_emergency[0]}/{figures.foreign_emergency[1]}",
    ]


def confusion_lines(figures: Figures) -> list[str]:
    """The confusion matrix: rows are labels, columns what triage said."""
    head = "  label \\ got   " + "".join(f"{t:>11}" for t in TIERS)
    lines = [head]
    for tier in TIERS:
        row = figures.confusion.get(tier, Counter())
        lines.append(f"  {tier:<14}" + "".join(f"{row[t]:>11}" for t in TIERS))
    return lines
