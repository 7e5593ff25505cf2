"""Turning a stored report (JSON) into what the user reads: summary, suggestions, tables, HTML.

One module per concern; the names the rest of the bot uses are re-exported here, so
``from bot import render`` and ``render.summary_text(...)`` work as before.
"""

from bot.render.compare import compare_text
from bot.render.formatting import (
    FORMAT_NAMES,
    INDEX_ORDER,
    METHOD_NAMES,
    format_name,
    method_name,
    percent,
)
from bot.render.report_html import html_report
from bot.render.summary import (
    DOCTOR_FINDINGS,
    MAX_SUMMARY_FINDINGS,
    all_findings_text,
    explain_text,
    finding_label,
    finding_meaning,
    finding_where,
    result_line,
    suggestions,
    summary_text,
)
from bot.render.tables import taxa_csv
from bot.services.results import sample_of

__all__ = [
    "DOCTOR_FINDINGS",
    "FORMAT_NAMES",
    "INDEX_ORDER",
    "MAX_SUMMARY_FINDINGS",
    "METHOD_NAMES",
    "all_findings_text",
    "compare_text",
    "explain_text",
    "finding_label",
    "finding_meaning",
    "finding_where",
    "format_name",
    "html_report",
    "method_name",
    "percent",
    "result_line",
    "sample_of",
    "suggestions",
    "summary_text",
    "taxa_csv",
]
