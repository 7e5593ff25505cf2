"""Lab panels from text documents: per document, markers read exactly against the hand-written
readings in tests/analysis/labs/, and seconds per page on this machine (best of three runs).
Run: python -m benchmarks.bench_labs"""

from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABS = ROOT.parent / "shared" / "data" / "labs"
RUNS = 3


def _documents() -> list[tuple[str, list[tuple[object, ...]]]]:
    from tests.analysis.labs import test_biohm, test_genova, test_gi_map

    return [
        (test_gi_map.FILE_2024, test_gi_map.EXPECTED_2024),
        (test_gi_map.FILE_2025, test_gi_map.EXPECTED_2025),
        (test_gi_map.FILE_2018, test_gi_map.EXPECTED_2018),
        (test_genova.FILE, test_genova.EXPECTED),
        (test_biohm.FILE, test_biohm.EXPECTED),
    ]


def lab_figures() -> list[str]:
    """One line per document: reader, markers exact / expected (share), unread rows, s/page."""
    from analysis.labs import read_lab
    from tests.analysis.labs.expected import exact

    rows = [
        f"{'document':72s} {'reader':18s} {'exact':>9s} {'share':>7s} {'unread':>6s} {'s/page':>7s}"
    ]
    for name, expected in _documents():
        data = (LABS / name).read_bytes()
        best, panel = float("inf"), None
        for _ in range(RUNS):
            start = time.perf_counter()
            panel = read_lab(data, name)
            best = min(best, time.perf_counter() - start)
        if panel is None:
            rows.append(f"{name:72s} {'none':18s} {0:>4d}/{len(expected):<4d}")
            continue
        good = exact(panel, expected)
        rows.append(
            f"{name:72s} {panel.reader:18s} {good:>4d}/{len(expected):<4d} "
            f"{good / len(expected):>7.1%} {panel.unread_rows:>6d} {best / panel.pages:>7.3f}"
        )
    return rows


def main() -> int:
    if not LABS.is_dir():
        print(f"skipped: {LABS} not found")
        return 0
    for row in lab_figures():
        print(row, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
