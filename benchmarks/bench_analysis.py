"""Analysis engine figures: time per corpus file and its ratio to a pandas+scikit-bio floor,
500 samples, chart time, peak memory for a 20 MB input. Run: python -m benchmarks.bench_analysis"""

from __future__ import annotations

import io
import math
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "corpus"


def _median_time(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _floor(data: bytes, name: str) -> float:
    """Reading the same table with pandas and computing Shannon with scikit-bio."""
    from skbio.diversity.alpha import shannon

    def run() -> None:
        text = data.decode("utf-8", "replace")
        sep = "," if name.endswith(".csv") else "\t"
        table = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            comment="#",
            header=None,
            on_bad_lines="skip",
        )
        numeric = (
            table.apply(pd.to_numeric, errors="coerce").select_dtypes("number").fillna(0).to_numpy()
        )
        column = numeric[:, -1] if numeric.size else np.ones(1)
        shannon(np.abs(column[column > 0]) + 1e-12, base=math.e)

    return _median_time(run)


def main() -> int:
    from analysis import AnalysisError, analyze, plots

    print(f"{'file':55s} {'samples':>7s} {'analyse s':>10s} {'floor s':>8s} {'ratio':>6s}  target")
    ratios = []
    for path in sorted(CORPUS.iterdir()):
        data = path.read_bytes()
        try:
            report = analyze(data, path.name)
        except AnalysisError:
            continue
        t = _median_time(lambda d=data, n=path.name: analyze(d, n), repeat=3)
        if len(report.samples) == 1:
            floor = _floor(data, path.name)
            ratio = t / floor
            ratios.append(ratio)
            print(f"{path.name[:55]:55s} {1:7d} {t:10.3f} {floor:8.3f} {ratio:6.1f}  <= 5x")
        else:
            print(f"{path.name[:55]:55s} {len(report.samples):7d} {t:10.3f} {'':>8s} {'':>6s}")
    print(f"median ratio for single-sample files: {statistics.median(ratios):.1f}x (target <= 3x)")

    from analysis.reference import panel

    ref = panel("16s")
    genera = ref.distance["matrix"]["genera"]
    rng = np.random.default_rng(1)
    columns = {}
    for i in range(500):
        sample = ref.distance["matrix"]["samples"][
            int(rng.integers(len(ref.distance["matrix"]["samples"])))
        ]
        counts = rng.multinomial(
            5000, np.array([sample.get(g, 0.0) for g in genera]) / max(1e-9, sum(sample.values()))
        )
        columns[f"S{i}"] = counts
    table = pd.DataFrame(columns, index=[f"Bacteria;;;;;{g}" for g in genera])
    table.index.name = "taxon"
    big = table.to_csv().encode()
    t500 = _median_time(lambda: analyze(big, "panel500.csv"), repeat=1)
    print(f"500-sample table (resampled from the 16S panel): {t500:.2f} s (target < 5 s)")

    from content.analysis_words import chart_words

    report = analyze((CORPUS / "metaphlan3_SRR1761667_stool.txt").read_bytes())
    words = chart_words()
    plots.summary_chart(report, report.samples[0].sample_id, words)
    chart = _median_time(lambda: plots.summary_chart(report, report.samples[0].sample_id, words))
    print(f"summary chart: {chart:.3f} s (target < 0.5 s)")

    # The child's own peak resident set (VmHWM, in kB): ru_maxrss would also count the memory of
    # this parent process at the moment the child was spawned.
    code = (
        "import sys; from analysis import analyze; data = open(sys.argv[1], 'rb').read(); "
        "analyze(data, 'big.tsv'); "
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')))"
    )
    # A QIIME 2 collapsed count table of about 20 MB: 24,000 lineages x 400 samples, each sample
    # with 300 taxa present (the sparsity of real 16S tables).
    n_features, n_samples = 24_000, 400
    counts = np.zeros((n_features, n_samples), dtype=np.int64)
    for j in range(n_samples):
        rows = rng.choice(n_features, size=300, replace=False)
        counts[rows, j] = rng.multinomial(20_000, rng.dirichlet(np.full(300, 0.3)))
    ids = [
        f"k__Bacteria;p__Phylum{i % 12};c__C{i % 40};o__O{i % 90};f__F{i % 300};g__Genus{i % 2400};s__sp{i}"
        for i in range(n_features)
    ]
    frame = pd.DataFrame(counts, index=ids, columns=[f"S{j}" for j in range(n_samples)])
    frame.index.name = "#OTU ID"
    big_path = Path("/tmp/gutbot-bench-20mb.tsv")
    with big_path.open("w") as handle:
        handle.write("# Constructed from biom file\n")
        frame.to_csv(handle, sep="\t")
    size_mb = big_path.stat().st_size / 1e6
    out = subprocess.run(
        [sys.executable, "-c", code, str(big_path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if out.returncode != 0:
        print(f"peak memory run failed: {out.stderr.strip().splitlines()[-1:]}")
        return 1
    peak = int(out.stdout.strip().splitlines()[-1]) / 1024
    print(
        f"peak memory analysing a {size_mb:.0f} MB table: {peak:.0f} MB peak resident set of a fresh process (target < 500 MB)"
    )
    big_path.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
