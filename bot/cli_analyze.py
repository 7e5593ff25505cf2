"""``gutbot analyze FILE... [--json] [--chart PATH]``: the analysis engine in the terminal."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from analysis import AnalysisError, Report, analyze, plots
from analysis.indices import INDEX_KEYS
from content.analysis_words import caveat_text, chart_words, finding_label, index_note


def _summary(report: Report, path: Path) -> str:
    lines = [f"== {path.name}: {report.format} ({report.method}), {len(report.samples)} sample(s)"]
    if report.profiler_version:
        lines.append(f"   profiler: {report.profiler_version}")
    for sample in report.samples:
        pct = sample.percentiles.shannon
        where = f", percentile {pct:.0f} among healthy people" if pct is not None else ""
        lines.append(f"-- sample {sample.sample_id}: {sample.n_taxa} taxa at {sample.rank} level")
        lines.append(f"   Shannon {sample.alpha.shannon:.2f} (nats){where}")
        for name in INDEX_KEYS:
            index = sample.index(name)
            value = "n/a" if index.value is None else f"{index.value:.3f}"
            lines.append(f"   {name}: {value} [{index.status}] {index_note(name, index)}")
        for finding in sample.findings:
            where = "" if finding.percentile is None else f", percentile {finding.percentile:.0f}"
            lines.append(
                f"   finding {finding.key} ({finding.severity}): {finding_label(finding)}"
                f" {100 * finding.value:.3g}%{where}"
            )
        for caveat in sample.caveats:
            if caveat.key != "single_test":
                lines.append(f"   caveat {caveat.key}: {caveat_text(caveat)}")
    return "\n".join(lines)


def run(argv: list[str]) -> int:
    """Analyse files; returns 0 when every file was read, 1 otherwise."""
    parser = argparse.ArgumentParser(prog="gutbot analyze", description=__doc__)
    parser.add_argument("files", nargs="+", type=Path, help="results files")
    parser.add_argument("--json", action="store_true", help="print the report JSON")
    parser.add_argument("--chart", type=Path, help="write the summary chart PNG here")
    args = parser.parse_args(argv)
    from tqdm import tqdm

    reports: list[dict[str, object]] = []
    failed = 0
    bar = tqdm(
        args.files, desc="analysing", unit="file", file=sys.stderr, disable=len(args.files) < 2
    )
    for path in bar:
        try:
            report = analyze(path.read_bytes(), path.name)
        except OSError as exc:
            tqdm.write(f"gutbot: {path}: cannot read the file ({exc.strerror})", file=sys.stderr)
            failed += 1
            continue
        except AnalysisError as exc:
            tqdm.write(f"gutbot: {path}: {exc.message} [{exc.key}]", file=sys.stderr)
            failed += 1
            continue
        if args.json:
            reports.append(report.model_dump(mode="json"))
        else:
            tqdm.write(_summary(report, path), file=sys.stdout)
        if args.chart is not None:
            samples = report.samples
            chart_bar = tqdm(
                samples, desc="charts", unit="chart", file=sys.stderr, disable=len(samples) < 5
            )
            for i, sample in enumerate(chart_bar):
                target = args.chart
                if len(args.files) > 1 or len(samples) > 1:
                    target = args.chart.with_name(
                        f"{args.chart.stem}-{path.stem}-{i + 1}{args.chart.suffix or '.png'}"
                    )
                target.write_bytes(plots.summary_chart(report, sample.sample_id, chart_words()))
                print(f"chart written to {target}", file=sys.stderr)
    if args.json:
        print(json.dumps(reports[0] if len(reports) == 1 else reports, indent=2))
    return 1 if failed else 0
