"""Regression floors on the messages triage was developed against (all written by others).

These are development sets: they guard what tuning reached. The held-out part of chat_dev and
tests/data/triage_blind_heldout.jsonl are measured by ``make bench``, never asserted here, so
nothing is tuned to pass them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.triage_eval import _rows, score, split_chat_dev
from content.triage import triage
from tests.conftest import shared_path

DATA = Path(__file__).resolve().parents[2] / "data"


def _level(message: str) -> str:
    return triage(message).level


def test_development_part_of_chat_dev() -> None:
    shared_path("eval", "chat_dev.jsonl")
    dev, held = split_chat_dev()
    assert (len(dev), len(held)) == (489, 211)
    figures = score(dev, _level)
    assert figures.recall("emergency") == 1.0
    assert figures.recall("urgent") >= 0.98
    assert figures.recall("see_doctor") >= 0.97
    assert figures.routine_raised() <= 0.01
    assert figures.foreign_recall() == 1.0


@pytest.mark.parametrize(
    ("name", "tier", "floor"),
    [
        ("triage_blind_dev_a.jsonl", "emergency", 0.98),
        ("triage_blind_dev_a.jsonl", "urgent", 0.98),
        ("triage_blind_dev_b.jsonl", "see_doctor", 0.97),
        ("triage_blind_dev_c.jsonl", "emergency", 0.98),
        ("triage_blind_dev_d.jsonl", "emergency", 0.98),
        ("triage_blind_dev_d.jsonl", "urgent", 0.97),
        ("triage_blind_dev_d.jsonl", "see_doctor", 0.96),
        ("triage_blind_dev_e.jsonl", "emergency", 0.97),
        ("triage_blind_dev_e.jsonl", "urgent", 0.97),
        ("triage_blind_dev_e.jsonl", "see_doctor", 0.95),
        ("triage_blind_dev_g.jsonl", "emergency", 0.98),
        ("triage_blind_dev_g.jsonl", "urgent", 0.97),
        ("triage_blind_dev_f.jsonl", "emergency", 0.97),
        ("triage_blind_dev_f.jsonl", "urgent", 0.97),
        ("triage_blind_dev_f.jsonl", "see_doctor", 0.91),
        ("triage_blind_dev_h.jsonl", "emergency", 0.97),
        ("triage_blind_dev_h.jsonl", "urgent", 0.96),
        ("triage_blind_dev_i.jsonl", "see_doctor", 0.94),
        ("triage_blind_dev_j.jsonl", "emergency", 0.98),
        ("triage_blind_dev_k.jsonl", "emergency", 0.98),
        ("triage_blind_dev_k.jsonl", "urgent", 0.98),
        ("triage_blind_dev_k.jsonl", "see_doctor", 0.97),
        ("triage_blind_dev_z.jsonl", "emergency", 0.98),
        ("triage_blind_dev_z.jsonl", "urgent", 0.98),
        ("triage_blind_dev_z.jsonl", "see_doctor", 0.90),
        ("triage_blind_dev_aa.jsonl", "emergency", 0.97),
        ("triage_blind_dev_aa.jsonl", "urgent", 0.98),
        ("triage_blind_dev_aa.jsonl", "see_doctor", 0.90),
        ("triage_blind_dev_bb.jsonl", "emergency", 0.99),
        ("triage_blind_dev_bb.jsonl", "urgent", 0.97),
        ("triage_blind_dev_bb.jsonl", "see_doctor", 0.90),
        ("triage_blind_dev_cc.jsonl", "emergency", 0.99),
        ("triage_blind_dev_cc.jsonl", "urgent", 0.97),
        ("triage_blind_dev_cc.jsonl", "see_doctor", 0.95),
        ("triage_blind_dev_dd.jsonl", "emergency", 0.97),
        ("triage_blind_dev_dd.jsonl", "urgent", 0.97),
        ("triage_blind_dev_dd.jsonl", "see_doctor", 0.95),
        ("triage_blind_dev_ee.jsonl", "emergency", 0.98),
        ("triage_blind_dev_ee.jsonl", "urgent", 0.98),
        ("triage_blind_dev_ee.jsonl", "see_doctor", 0.95),
        ("triage_blind_dev_ff.jsonl", "emergency", 0.98),
        ("triage_blind_dev_ff.jsonl", "urgent", 0.98),
        ("triage_blind_dev_ff.jsonl", "see_doctor", 0.95),
        ("triage_blind_dev_gg.jsonl", "emergency", 0.98),
        ("triage_blind_dev_gg.jsonl", "urgent", 0.98),
        ("triage_blind_dev_gg.jsonl", "see_doctor", 0.95),
        ("triage_blind_dev_hh.jsonl", "emergency", 0.95),
        ("triage_blind_dev_hh.jsonl", "urgent", 0.94),
        ("triage_blind_dev_hh.jsonl", "see_doctor", 0.94),
    ],
)
def test_blind_development_sets(name: str, tier: str, floor: float) -> None:
    figures = score(_rows(DATA / name), _level)
    assert figures.recall(tier) >= floor
    assert figures.routine_raised() <= 0.09


def test_the_split_is_stable_and_disjoint() -> None:
    shared_path("eval", "chat_dev.jsonl")
    dev, held = split_chat_dev()
    assert not {r.text for r in dev} & {r.text for r in held}
    assert split_chat_dev() == (dev, held)
