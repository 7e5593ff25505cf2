"""OCR of lab-report photos and scans: per image, markers read right against the hand-written
readings (tests/analysis/labs_ocr/expected.py), wrong values shown as certain, and seconds per
page on this machine (target: under 10 s). Run: python -m benchmarks.bench_labs_ocr"""

from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABS = ROOT.parent / "shared" / "data" / "labs"
TARGET_SECONDS = 10.0


def ocr_figures() -> list[str]:
    """One line per image: markers right / total, certain-but-wrong count, seconds per page."""
    from analysis.labs.images import read_lines
    from analysis.labs.ocr import engine, ocr_lines
    from tests.analysis.labs_ocr.expected import PAGES, score

    start = time.perf_counter()
    engine()
    rows = [f"model load: {time.perf_counter() - start:.2f} s (once per process)"]
    rows.append(f"{'image':58s} {'right':>7s} {'certain wrong':>13s} {'s/page':>7s}  target")
    for name, expected in sorted(PAGES.items()):
        data = (LABS / name).read_bytes()
        start = time.perf_counter()
        lines = ocr_lines(data)
        seconds = time.perf_counter() - start
        good, total, certain_wrong = score(read_lines(lines), expected)
        ok = seconds < TARGET_SECONDS and certain_wrong == 0 and good >= 0.95 * total
        rows.append(
            f"{name:58s} {good:>3d}/{total:<3d} {certain_wrong:>13d} {seconds:>7.2f}  "
            f"{'ok' if ok else 'MISSED'}"
        )
    return rows


def main() -> int:
    if not LABS.is_dir():
        print(f"skipped: {LABS} not found")
        return 0
    for row in ocr_figures():
        print(row, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
