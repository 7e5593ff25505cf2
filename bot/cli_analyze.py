"""``gutbot analyze FILE... [--json] [--chart PATH] [--method 16s|shotgun]``: the analysis
engine in the terminal.

Files that are halves of one result (a count table and its taxonomy, e.g.
``gutbot analyze table.qza taxonomy.qza``) are read together. ``--method`` says how a table
that does not say so itself was sequenced (as the bot's 16S / shotgun buttons do).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from analysis import SUPPORTED_FORMATS, AnalysisError, Report, analyze, analyze_files, plots
from analysis.indices import INDEX_KEYS
from analysis.model import Method
from bot.render.formatting import percent
from content.analysis_words import caveat_text, chart_words, finding_label, index_note
from content.messages import has, text


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
                f" {percent(finding.value)}{where}"
            )
        for caveat in sample.caveats:
            if caveat.key != "single_test":
                lines.append(f"   caveat {caveat.key}: {caveat_text(caveat)}")
    return "\n".join(lines)


def _hint(error: AnalysisError) -> str:
    """The words a user of the bot would get for this error (what to send instead)."""
    key = f"upload.error.{error.key}"
    values = {k: v for k, v in error.details.items() if isinstance(v, (str, int, float))}
    try:
        return text(key, **values) if has(key) else text("upload.error.generic")
    except (KeyError, IndexError):  # a message whose placeholder the error did not fill
        return text("upload.error.generic")


def _error_object(name: str, error: AnalysisError) -> dict[str, Any]:
    details = {
        k: v if isinstance(v, (str, int, float, bool, list)) else str(v)
        for k, v in error.details.items()
    }
    return {
        "file": name,
        "error": {
            "key": error.key,
            "message": error.message,
            "hint": _hint(error),
            "details": details,
            "supported": SUPPORTED_FORMATS,
        },
    }


def _report_error(name: str, error: AnalysisError, write: Any) -> None:
    write(f"gutbot: {name}: {error.message} [{error.key}]", file=sys.stderr)
    write(f"  {_hint(error)}", file=sys.stderr)
    if error.key in {"unknown_format", "binary_file", "empty_file", "needs_companion_file"}:
        write(f"  supported: {'; '.join(SUPPORTED_FORMATS)}", file=sys.stderr)


Result = Report | AnalysisError | OSError


def _read_all(paths: list[Path], method: Method | None = None) -> list[tuple[Path, Result]]:
    """Analyse each file; the halves of a result (each needing the other) are read together."""
    results: list[tuple[Path, Result]] = []
    halves: dict[Path, bytes] = {}
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            results.append((path, exc))
            continue
        try:
            results.append((path, analyze(data, path.name, method)))
        except AnalysisError as exc:
            if exc.key == "needs_companion_file":
                halves[path] = data
            else:
                results.append((path, exc))
    if len(halves) >= 2:
        first = next(iter(halves))
        try:
            report = analyze_files({p.name: d for p, d in halves.items()}, method)
            results.append((first, report))
        except AnalysisError as exc:
            results.append((first, exc))
    elif halves:
        path, data = next(iter(halves.items()))
        try:
            analyze(data, path.name)
        except AnalysisError as exc:
            results.append((path, exc))
    return results


def run(argv: list[str]) -> int:
    """Analyse files; returns 0 when every file was read, 1 otherwise."""
    parser = argparse.ArgumentParser(prog="gutbot analyze", description=__doc__)
    parser.add_argument(
        "files", nargs="+", type=Path, help="results files (or a count table and its taxonomy)"
    )
    parser.add_argument("--json", action="store_true", help="print the report JSON")
    parser.add_argument("--chart", type=Path, help="write the summary chart PNG here")
    parser.add_argument(
        "--method",
        choices=("16s", "shotgun"),
        help="how the sample was sequenced, for a table that does not say so itself",
    )
    args = parser.parse_args(argv)
    from tqdm import tqdm

    outputs: list[dict[str, object]] = []
    failed = 0
    results = _read_all(list(args.files), args.method)
    bar = tqdm(results, desc="reporting", unit="file", file=sys.stderr, disable=len(results) < 2)
    for path, result in bar:
        if isinstance(result, OSError):
            tqdm.write(f"gutbot: {path}: cannot read the file ({result.strerror})", file=sys.stderr)
            failed += 1
            continue
        if isinstance(result, AnalysisError):
            _report_error(str(path), result, tqdm.write)
            if args.json:
                outputs.append(_error_object(str(path), result))
            failed += 1
            continue
        report = result
        if args.json:
            outputs.append(report.model_dump(mode="json"))
        else:
            tqdm.write(_summary(report, path), file=sys.stdout)
        if args.chart is not None:
            _charts(report, path, args.chart, several=len(args.files) > 1)
    if args.json and outputs:
        print(json.dumps(outputs[0] if len(outputs) == 1 else outputs, indent=2))
    return 1 if failed else 0


def _charts(report: Report, path: Path, chart: Path, *, several: bool) -> None:
    from tqdm import tqdm

    samples = report.samples
    chart_bar = tqdm(
        samples, desc="charts", unit="chart", file=sys.stderr, disable=len(samples) < 5
    )
    for i, sample in enumerate(chart_bar):
        target = chart
        if several or len(samples) > 1:
            target = chart.with_name(f"{chart.stem}-{path.stem}-{i + 1}{chart.suffix or '.png'}")
        target.write_bytes(plots.summary_chart(report, sample.sample_id, chart_words()))
        print(f"chart written to {target}", file=sys.stderr)
