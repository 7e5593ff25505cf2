"""Turning a typed report (``bot.reports.load_report``) into what the user reads: summary, suggestions, tables, HTML.

One module per concern; the names the rest of the bot uses are re-exported here, so
``from bot import render`` and ``render.summary_text(...)`` work as before.
"""

from bot.render.compare import comparable_gap, compare_text
from bot.render.formatting import INDEX_ORDER, percent
from bot.render.report_html import html_report
from bot.render.summary import (
    DOCTOR_FINDINGS,
    MAX_SUMMARY_FINDINGS,
    all_findings_text,
    explain_text,
    finding_label,
    finding_meaning,
    finding_where,
    no_findings_text,
    result_line,
    suggestions,
    summary_text,
)
from bot.render.tables import taxa_csv
from bot.reports import load_report
from content.analysis_words import format_name, method_name

__all__ = [
    "DOCTOR_FINDINGS",
    "INDEX_ORDER",
    "MAX_SUMMARY_FINDINGS",
    "all_findings_text",
    "comparable_gap",
    "compare_text",
    "explain_text",
    "finding_label",
    "finding_meaning",
    "finding_where",
    "format_name",
    "html_report",
    "load_report",
    "method_name",
    "no_findings_text",
    "percent",
    "result_line",
    "suggestions",
    "summary_text",
    "taxa_csv",
]
