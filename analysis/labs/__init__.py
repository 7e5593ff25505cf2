"""Clinical stool panels and lab reports: readers from text, PDF and OCR to a LabPanel."""

from analysis.labs.model import LabPanel, Marker, Range
from analysis.labs.read import read_lab

__all__ = ["LabPanel", "Marker", "Range", "read_lab"]
