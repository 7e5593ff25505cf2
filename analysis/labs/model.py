"""What a lab report says, as data: a :class:`LabPanel` of :class:`Marker` rows.

A clinical stool panel (GI-MAP, GI Effects, a CDSA, a parasite PCR, a routine stool exam)
reports targeted markers against the lab's own reference ranges. It is a different kind of
result from a microbiome profile: no diversity, no index, no healthy-panel comparison. The
readers in this package turn a document's text into a panel; they never write a sentence a
person reads (``content`` words every key) and never keep personal details printed on the
report (name, date of birth, address, accession or kit numbers are not fields here).

``panel.model_dump(mode="json")`` is the stable form ``storage`` keeps.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: How a marker's result compares with the lab's range, as the report prints it (or, when the
#: report prints no flag, as the value and range say: "computed").
Flag = Literal["high", "low", "normal", "abnormal", "unknown"]

#: "printed": the report's own flag; "computed": value against the printed range; "none".
FlagSource = Literal["printed", "computed", "none"]

#: A qualitative result, normalised: "detected" covers Positive / DETECTED / Present / (+);
#: "not_detected" covers Negative / Not Detected / Absent / ND / <DL / NG / (-).
Qualitative = Literal["detected", "not_detected", "equivocal"]

#: How the text was got: from a PDF's text layer, a text extraction, or OCR of an image.
Source = Literal["pdf_text", "text", "ocr", "spreadsheet"]

#: Version of the lab-panel readers stored with every panel (bump when a reading changes).
LABS_VERSION = "1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Range(_Model):
    """The lab's reference range as printed: ``low``-``high``, ``<= high``, ``>= low``...

    ``text`` is the range exactly as printed (for display: "8.6e5 - 6.2e8", "<DL", "2-4+");
    ``low`` and ``high`` are numbers when the range has them (None: open on that side);
    ``inclusive`` is False for a strict "<" or ">".
    """

    text: str
    low: float | None = None
    high: float | None = None
    inclusive: bool = True


class Marker(_Model):
    """One reported analyte.

    ``value`` is the number when the result is numeric (``8.4E7`` -> 84000000.0); ``below``
    / ``above`` say the number is a detection limit ("<1.00e3", ">750"); ``qualitative``
    holds a normalised non-numeric result, ``grade`` a culture or semi-quantitative grade as
    printed ("1+", "4+", "+++", "NG"); ``result_text`` is the result exactly as printed.
    ``certain`` is False when a reader (OCR above all) could not confirm the reading: such a
    value is shown as "read as ..., please check", never as a fact.
    """

    section: str
    name: str
    result_text: str
    value: float | None = None
    below: bool = False
    above: bool = False
    qualitative: Qualitative | None = None
    grade: str | None = None
    unit: str | None = None
    range: Range | None = None
    flag: Flag = "unknown"
    flag_source: FlagSource = "none"
    #: The marker's key in content when the reader knows it (e.g. "calprotectin",
    #: "elastase", "occult_blood", "c_difficile_toxin_b", "giardia"); None otherwise.
    key: str | None = None
    certain: bool = True


class LabPanel(_Model):
    """A lab report read: which lab and test, when collected, and its markers in report order.

    ``reader`` names the reader that read it (e.g. ``"gi_map"``, ``"genova_gi_effects"``,
    ``"generic"``); ``confidence`` is that reader's own share of rows it could read whole
    (1.0 for a known layout read completely; lower for the generic reader or OCR).
    """

    kind: Literal["lab_panel"] = "lab_panel"
    version: str = LABS_VERSION
    lab: str
    test: str
    reader: str
    source: Source
    collected: date | None = None
    markers: list[Marker] = Field(default_factory=list)
    pages: int = 1
    confidence: float = 1.0
    #: Row texts the reader saw but could not read as a marker (counted, not kept: they may
    #: hold personal details).
    unread_rows: int = 0

    def outside_range(self) -> list[Marker]:
        """Markers the report (or their value against its range) puts outside the range."""
        return [m for m in self.markers if m.flag in ("high", "low", "abnormal")]
