"""The analysis engine: results files in, reports and charts out. Pure: no I/O beyond arguments."""

from analysis import plots
from analysis.formats import SUPPORTED_FORMATS
from analysis.model import AnalysisError, Report
from analysis.pipeline import analyze, analyze_files

__all__ = [
    "SUPPORTED_FORMATS",
    "AnalysisError",
    "Report",
    "analyze",
    "analyze_files",
    "plots",
]
