"""Run every benchmark module in turn (``python -m benchmarks``)."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path


def main() -> int:
    """Run each ``benchmarks/bench_*.py`` in its own process and report failures at the end."""
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    failed = []
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        importlib.invalidate_caches()
        result = subprocess.run([sys.executable, "-m", f"benchmarks.{name}"], check=False)
        if result.returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nbenchmarks that failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
