"""The doctor's CSV table, worded from content: rows as a spreadsheet reads them."""

from __future__ import annotations

import csv
import io
from datetime import date

from bot.render.tracking import doctor_csv
from bot.services import doctor_export
from bot.services.doctor_export import Day, DoctorExport


def _export() -> DoctorExport:
    unfinished = Day(
        day=date(2026, 11, 2),
        finished=False,
        stool_form=6,
        bowel_movements=4,
        bloating=None,
        pain=None,
        mood=None,
        alarms=("blood",),
        note=None,
        answered=("blood", "black"),
    )
    finished = Day(
        day=date(2026, 11, 3),
        finished=True,
        stool_form=None,  # "no bowel movement today"
        bowel_movements=0,
        bloating=0,
        pain=2,
        mood=4,
        alarms=(),
        note='=HYPERLINK("http://x")',
        answered=("blood", "black", "weight", "fever"),
    )
    test = doctor_export.Test(
        day=date(2026, 11, 4),
        format="MetaPhlAn 3",
        sample="SRR1761667",
        shannon=3.14159,
        indices={"gmhi": -0.5},
    )
    return DoctorExport(
        start=date(2026, 11, 2),
        end=date(2026, 11, 4),
        bristol_counts={6: 1},
        mean_bloating=0.0,
        mean_pain=2.0,
        days_logged=2,
        scores={"phq4": [(5, date(2026, 11, 3))]},
        tests=[test],
        days=[unfinished, finished],
        score_rows=[("phq4", 5, date(2026, 11, 3))],
    )


def test_the_table_has_every_row_in_order_with_its_answers() -> None:
    rows = list(csv.reader(io.StringIO(doctor_csv(_export()).decode("utf-8"))))
    assert rows[0] == [
        "date",
        "record",
        "bristol_type",
        "bowel_movements",
        "bloating_0_10",
        "pain_0_10",
        "mood_1_5",
        "blood",
        "black_stool",
        "weight_loss",
        "fever",
        "score",
        "details",
    ]
    assert all(len(row) == 13 for row in rows)
    # Part-way: blood "yes", black stool "no", the last two never asked (blank).
    assert rows[1][:9] == ["2026-11-02", "check-in (unfinished)", "6", "4", "", "", "", "yes", "no"]
    assert rows[1][9:] == ["", "", "", ""]
    # No bowel movement: no Bristol type but a count of 0; a formula in the note is quoted.
    assert rows[2][:7] == ["2026-11-03", "check-in", "", "0", "0", "2", "4"]
    assert rows[2][7:11] == ["no", "no", "no", "no"]
    assert rows[2][12] == '\'=HYPERLINK("http://x")'
    assert rows[3][:2] == ["2026-11-03", "PHQ-4"] and rows[3][11] == "5"
    assert rows[4][:2] == ["2026-11-04", "microbiome test"]
    assert "3.14" in rows[4][11] and "-0.50" in rows[4][11]
    assert rows[4][12] == "MetaPhlAn 3: SRR1761667"
    assert len(rows) == 5
