"""Turning a stored report (JSON) into what the user reads: summary, suggestions, tables, HTML."""

from __future__ import annotations

import base64
import csv
import html
import io
from datetime import datetime
from typing import Any

from content.messages import text

FORMAT_NAMES = {
    "metaphlan2": "MetaPhlAn 2 profile",
    "metaphlan3": "MetaPhlAn 3 profile",
    "metaphlan4": "MetaPhlAn 4 profile",
    "kraken2_report": "Kraken2 report",
    "bracken": "Bracken table",
    "qiime2_tsv": "QIIME 2 table",
    "biom_json": "BIOM 1.0 table",
    "biom_hdf5": "BIOM 2.1 table",
    "mothur": "mothur table",
    "dada2": "DADA2 table",
    "motus_cami": "mOTUs profile",
    "ubiome_json": "uBiome export",
    "ubiome_csv": "uBiome export",
    "generic_table": "table",
}
METHOD_NAMES = {
    "shotgun": "shotgun metagenomics",
    "16s": "16S sequencing",
    "unknown": "method unknown",
}
INDEX_ORDER = ("gmhi", "gmwi2", "distance_to_healthy")
MAX_SUMMARY_FINDINGS = 3


def format_name(fmt: str) -> str:
    """A readable name for a format id."""
    return FORMAT_NAMES.get(fmt, fmt)


def percent(value: float) -> str:
    """A relative abundance (0-1) as a short percentage."""
    pct = value * 100
    if pct == 0:
        return "0%"
    if pct < 0.01:
        return "<0.01%"
    if pct < 1:
        return f"{pct:.2f}%"
    return f"{pct:.1f}%"


def sample_of(report: dict[str, Any], sample_id: str | None = None) -> dict[str, Any]:
    """The sample with this id (or the first) from a report JSON."""
    samples = report["samples"]
    if sample_id is None:
        return dict(samples[0])
    for sample in samples:
        if sample["sample_id"] == sample_id:
            return dict(sample)
    raise KeyError(sample_id)


def finding_label(finding: dict[str, Any]) -> str:
    """A short name for a finding: the taxon and its direction."""
    direction = {"low": "low", "high": "high", "present": "detected"}[finding["direction"]]
    return f"{finding['taxon']} {direction}"


def finding_where(finding: dict[str, Any]) -> str:
    """Where a finding's value falls among healthy people."""
    pct = finding.get("percentile")
    if finding["direction"] == "present" or pct is None:
        return text("results.finding_where_present")
    if finding["direction"] == "low":
        return text("results.finding_where", above=100 - float(pct))
    return text("results.finding_where_high", below=float(pct))


def _meaning(key: str) -> str:
    from content import meaning_for_finding

    try:
        return meaning_for_finding(key)
    except KeyError:
        return ""


def _index_value(name: str, value: float) -> str:
    return f"{value:.2f}" if name != "distance_to_healthy" else f"{value:.2f} (Bray-Curtis)"


def summary_text(report: dict[str, Any], sample_id: str) -> str:
    """The one-screen summary of one sample."""
    sample = sample_of(report, sample_id)
    rank_word = {"species": "results.rank_species", "genus": "results.rank_genus"}.get(
        sample["rank"], "results.rank_other"
    )
    lines = [
        text(
            "results.read_line",
            format=format_name(report["format"]),
            method=METHOD_NAMES.get(report["method"], report["method"]),
            sample=sample["sample_id"],
            n_taxa=sample["n_taxa"],
            rank_word=text(rank_word),
        )
    ]
    shannon = sample["alpha"]["shannon"]
    pct = sample.get("percentiles", {}).get("shannon")
    reference = sample.get("percentiles", {}).get("reference") or report.get("reference_panel")
    where = (
        text("results.diversity_where", percentile=pct, reference=reference)
        if pct is not None
        else text("results.diversity_unknown")
    )
    lines += ["", text("results.diversity", shannon=shannon, where=where)]
    lines += ["", text("results.indices_title")]
    for name in INDEX_ORDER:
        index = sample["indices"][name]
        label = text(f"results.index.{name}")
        if index["applicable"] and index["value"] is not None:
            status = text(f"results.status.{index['status']}")
            lines.append(
                text(
                    "results.index_line",
                    name=label,
                    value=_index_value(name, index["value"]),
                    status=status,
                )
            )
        else:
            lines.append(text("results.index_na", name=label, note=index["note"]))
    findings = sample.get("findings", [])
    lines.append("")
    if findings:
        lines.append(text("results.findings_title"))
        for finding in findings[:MAX_SUMMARY_FINDINGS]:
            lines.append(
                text(
                    "results.finding_line",
                    label=finding_label(finding),
                    value_pct=percent(finding["value"]),
                    where=finding_where(finding),
                    meaning=_meaning(finding["key"]),
                ).rstrip()
            )
    else:
        lines.append(text("results.no_findings"))
    caveats = sample.get("caveats", []) or report.get("caveats", [])
    if caveats:
        lines += ["", text("results.caveats_title")]
        lines += [text("results.caveat_line", detail=c["detail"]) for c in caveats[:3]]
    lines += ["", text("results.footer")]
    return "\n".join(lines)


#: Findings that call for "talk to your doctor" next to the suggestions.
DOCTOR_FINDINGS = frozenset(
    {"c_difficile_detected", "enterobacteriaceae_bloom", "proteobacteria_bloom", "klebsiella_high"}
)


def suggestions(
    report: dict[str, Any], sample_id: str, *, symptoms_flagged: bool = False
) -> tuple[str, list[tuple[str, str]]]:
    """'What may help': up to three suggestions tied to the findings, and their topic buttons."""
    from content import evidence_label, helps_for_findings

    sample = sample_of(report, sample_id)
    keys = [f["key"] for f in sample.get("findings", [])]
    helps = helps_for_findings(keys)[:3]
    lines = [text("results.suggestions_title")]
    buttons: list[tuple[str, str]] = []
    for help_item in helps:
        lines.append(
            text(
                "results.suggestion_line",
                text=help_item.text,
                evidence=evidence_label(help_item.evidence),
            )
        )
        topic_id = help_item.topic_id
        if all(data != f"topic:{topic_id}" for _, data in buttons):
            from content import get_topic

            buttons.append(
                (
                    text("results.buttons.read_topic", title=get_topic(topic_id).title),
                    f"topic:{topic_id}",
                )
            )
    if not helps:
        lines = [text("results.no_suggestions")]
    notable = any(
        f["key"] in DOCTOR_FINDINGS and f["severity"] == "notable"
        for f in sample.get("findings", [])
    )
    if notable or symptoms_flagged:
        lines += ["", text("results.doctor")]
    return "\n".join(lines), buttons


def all_findings_text(report: dict[str, Any], sample_id: str) -> str:
    """Every finding with its numbers and meaning."""
    sample = sample_of(report, sample_id)
    findings = sample.get("findings", [])
    if not findings:
        return text("results.no_findings")
    lines = [text("results.all_findings_title", sample=sample["sample_id"])]
    for finding in findings:
        lines.append(
            text(
                "results.finding_line",
                label=finding_label(finding),
                value_pct=percent(finding["value"]),
                where=finding_where(finding),
                meaning=_meaning(finding["key"]),
            ).rstrip()
        )
    return "\n".join(lines)


def explain_text(
    report: dict[str, Any], sample_id: str, index: int, *, tested_on: datetime
) -> tuple[str, list[str]]:
    """A finding's topic explanation with this user's numbers, and its related topic ids."""
    from content import get_topic, topics_for_finding

    sample = sample_of(report, sample_id)
    finding = sample["findings"][index]
    topic_ids = list(finding.get("topics") or topics_for_finding(finding["key"]))
    topic = get_topic(topic_ids[0])
    reference = (
        sample.get("percentiles", {}).get("reference") or report.get("reference_panel") or "-"
    )
    lines = [
        text("results.explain_title", label=finding_label(finding)),
        text(
            "results.explain_numbers",
            value_pct=percent(finding["value"]),
            where=finding_where(finding),
            reference=reference,
            date=tested_on.strftime("%d %B %Y"),
        ),
        "",
        _meaning(finding["key"]),
        "",
        topic.short,
        "",
        text("results.explain_unknown"),
    ]
    return "\n".join(line for line in lines if line is not None), topic_ids


def taxa_csv(report: dict[str, Any], sample_id: str) -> bytes:
    """Every taxon with abundance (%) and reference percentile, as CSV."""
    sample = sample_of(report, sample_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "taxon",
            "rank",
            "lineage",
            "relative_abundance_percent",
            "count",
            "healthy_reference_percentile",
        ]
    )
    for row in sorted(sample.get("taxa", []), key=lambda r: -r["abundance"]):
        lineage = "; ".join(name for name in row.get("lineage", []) if name)
        writer.writerow(
            [
                row["name"],
                row["rank"],
                lineage,
                f"{row['abundance'] * 100:.6g}",
                "" if row.get("count") is None else f"{row['count']:.10g}",
                "" if row.get("percentile") is None else f"{row['percentile']:.1f}",
            ]
        )
    return buffer.getvalue().encode("utf-8")


def html_report(
    report: dict[str, Any], sample_id: str, chart_png: bytes, *, tested_on: datetime
) -> bytes:
    """A self-contained HTML report with the chart embedded."""
    sample = sample_of(report, sample_id)
    esc = html.escape
    chart = base64.b64encode(chart_png).decode("ascii")
    summary = esc(summary_text(report, sample_id)).replace("\n", "<br>")
    rows = "".join(_index_row(name, sample["indices"][name]) for name in INDEX_ORDER)
    findings = "".join(
        f"<tr><td>{esc(finding_label(f))}</td><td>{percent(f['value'])}</td>"
        f"<td>{esc(finding_where(f))}</td><td>{esc(_meaning(f['key']))}</td></tr>"
        for f in sample.get("findings", [])
    )
    genera = "".join(
        f"<tr><td>{esc(name)}</td><td>{percent(value)}</td></tr>"
        for name, value in sample["composition"]["genus"].items()
    )
    caveats = "".join(f"<li>{esc(c['detail'])}</li>" for c in sample.get("caveats", []))
    title = text("results.html.title")
    tested = tested_on.strftime("%d %B %Y")
    meta = (
        f"{esc(sample['sample_id'])} · {esc(format_name(report['format']))} · "
        f"{esc(text('results.html.tested', date=tested))}"
    )
    alt = esc(text("results.html.chart_alt"))
    head_indices = _header_row("index", "value", "status", "note")
    head_findings = _header_row("finding", "abundance", "among_healthy", "meaning")
    head_genera = _header_row("genus", "abundance")
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)} – {esc(sample['sample_id'])}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="note">{meta}</p>',
        f"<p>{summary}</p>",
        f'<img alt="{alt}" src="data:image/png;base64,{chart}">',
        f"<h2>{esc(text('results.html.indices'))}</h2>",
        f"<table>{head_indices}{rows}</table>",
        f"<h2>{esc(text('results.html.findings'))}</h2>",
        f"<table>{head_findings}{findings}</table>",
        f"<h2>{esc(text('results.html.genera'))}</h2>",
        f"<table>{head_genera}{genera}</table>",
        f"<h2>{esc(text('results.caveats_title'))}</h2><ul>{caveats}</ul>",
        f'<p class="note">{esc(text("results.footer"))}</p>',
        "</body></html>",
    ]
    return "\n".join(parts).encode("utf-8")


_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:52rem;margin:1rem auto;padding:0 1rem;"
    "line-height:1.5;color:#1a1a1a}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}"
    "td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}"
    "img{max-width:100%;height:auto}.note{color:#555;font-size:.9rem}"
)


def _index_row(name: str, index: dict[str, Any]) -> str:
    value = "" if index["value"] is None else f"{index['value']:.3f}"
    label = html.escape(text(f"results.index.{name}"))
    status = html.escape(text(f"results.status.{index['status']}"))
    note = html.escape(index["note"])
    return f"<tr><td>{label}</td><td>{value}</td><td>{status}</td><td>{note}</td></tr>"


def _header_row(*keys: str) -> str:
    cells = "".join(f"<th>{html.escape(text(f'results.html.col_{key}'))}</th>" for key in keys)
    return f"<tr>{cells}</tr>"


def genus_profile(sample: dict[str, Any]) -> dict[str, float]:
    """Relative abundance by genus from a sample's taxa table (unassigned genera pooled)."""
    totals: dict[str, float] = {}
    for row in sample.get("taxa", []):
        lineage = row.get("lineage") or []
        genus = lineage[5] if len(lineage) > 5 and lineage[5] else "(unassigned genus)"
        totals[genus] = totals.get(genus, 0.0) + float(row["abundance"])
    if not totals:
        totals = {k: float(v) for k, v in sample["composition"]["genus"].items()}
    return totals


def _fmt_index(index: dict[str, Any]) -> str:
    if not index["applicable"] or index["value"] is None:
        return text("results.status.not_applicable")
    return f"{index['value']:.2f}"


def compare_text(
    old: tuple[dict[str, Any], str, datetime],
    new: tuple[dict[str, Any], str, datetime],
) -> str:
    """Side by side: diversity, indices, Bray-Curtis between the samples, taxa that changed most."""
    import pandas as pd

    from analysis.metrics import bray_curtis

    (old_report, old_id, old_date), (new_report, new_id, new_date) = old, new
    a, b = sample_of(old_report, old_id), sample_of(new_report, new_id)
    fmt = "%d %B %Y"
    lines = [
        text(
            "results.compare_title",
            old_date=old_date.strftime(fmt),
            new_date=new_date.strftime(fmt),
        )
    ]
    if old_report["method"] != new_report["method"]:
        lines.append(
            text(
                "results.compare_method_differs",
                old_method=METHOD_NAMES.get(old_report["method"], old_report["method"]),
                new_method=METHOD_NAMES.get(new_report["method"], new_report["method"]),
            )
        )
    old_h, new_h = a["alpha"]["shannon"], b["alpha"]["shannon"]
    change = (
        text("results.up")
        if new_h > old_h + 0.05
        else (text("results.down") if new_h < old_h - 0.05 else text("results.unchanged"))
    )
    lines.append(text("results.compare_diversity", old=old_h, new=new_h, change=change))
    for name in INDEX_ORDER:
        lines.append(
            text(
                "results.compare_index",
                name=text(f"results.index.{name}"),
                old=_fmt_index(a["indices"][name]),
                new=_fmt_index(b["indices"][name]),
            )
        )
    ga, gb = genus_profile(a), genus_profile(b)
    genera = sorted(set(ga) | set(gb))
    sa = pd.Series([ga.get(g, 0.0) for g in genera], index=genera)
    sb = pd.Series([gb.get(g, 0.0) for g in genera], index=genera)
    lines.append(text("results.compare_distance", value=bray_curtis(sa, sb)))
    changes = sorted(genera, key=lambda g: -abs(gb.get(g, 0.0) - ga.get(g, 0.0)))[:5]
    lines += ["", text("results.compare_taxa_title")]
    for genus in changes:
        lines.append(
            text(
                "results.compare_taxon",
                name=genus,
                old=percent(ga.get(genus, 0.0)),
                new=percent(gb.get(genus, 0.0)),
            )
        )
    return "\n".join(lines)


def result_line(report: dict[str, Any], sample_id: str, created: datetime) -> str:
    """One line of /results: date, format and headline numbers."""
    sample = sample_of(report, sample_id)
    pct = sample.get("percentiles", {}).get("shannon")
    return text(
        "results.list_line",
        date=created.strftime("%d %b %Y"),
        format=format_name(report["format"]),
        shannon=f"{sample['alpha']['shannon']:.2f}",
        percentile="" if pct is None else f"(p{pct:.0f})",
    ).rstrip()
