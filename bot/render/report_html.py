"""A self-contained HTML report of one sample, with the chart embedded."""

from __future__ import annotations

import base64
import html
from datetime import datetime

from analysis.model import IndexResult, Report
from bot.render.formatting import INDEX_ORDER, percent
from bot.render.summary import finding_label, finding_meaning, finding_where, summary_text
from content.analysis_words import caveat_text, format_name, index_note
from content.messages import text

_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:52rem;margin:1rem auto;padding:0 1rem;"
    "line-height:1.5;color:#1a1a1a}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}"
    "td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}"
    "img{max-width:100%;height:auto}.note{color:#555;font-size:.9rem}"
)


def html_report(report: Report, sample_id: str, chart_png: bytes, *, tested_on: datetime) -> bytes:
    """A self-contained HTML report with the chart embedded."""
    sample = report.sample(sample_id)
    esc = html.escape
    chart = base64.b64encode(chart_png).decode("ascii")
    summary = esc(summary_text(report, sample_id)).replace("\n", "<br>")
    rows = "".join(_index_row(name, sample.index(name)) for name in INDEX_ORDER)
    findings = "".join(
        f"<tr><td>{esc(finding_label(f))}</td><td>{percent(f.value)}</td>"
        f"<td>{esc(finding_where(f))}</td><td>{esc(finding_meaning(f.key))}</td></tr>"
        for f in sample.findings
    )
    genera = "".join(
        f"<tr><td>{esc(name)}</td><td>{percent(value)}</td></tr>"
        for name, value in sample.composition.genus.items()
    )
    caveats = "".join(f"<li>{esc(caveat_text(c))}</li>" for c in sample.caveats)
    title = text("results.html.title")
    tested = tested_on.strftime("%d %B %Y")
    meta = (
        f"{esc(sample.sample_id)} · {esc(format_name(report.format))} · "
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
        f"<title>{esc(title)} – {esc(sample.sample_id)}</title>",
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


def _index_row(name: str, index: IndexResult) -> str:
    value = "" if index.value is None else f"{index.value:.3f}"
    label = html.escape(text(f"results.index.{name}"))
    status = html.escape(text(f"results.status.{index.status}"))
    note = html.escape(index_note(name, index))
    return f"<tr><td>{label}</td><td>{value}</td><td>{status}</td><td>{note}</td></tr>"


def _header_row(*keys: str) -> str:
    cells = "".join(f"<th>{html.escape(text(f'results.html.col_{key}'))}</th>" for key in keys)
    return f"<tr>{cells}</tr>"
