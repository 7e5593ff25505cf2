"""The words of a comparison: tests from different tools get no verdict and no "changed most"."""

from __future__ import annotations

from datetime import datetime

from analysis import analyze
from bot.render.compare import compare_text
from content.messages import text
from tests.conftest import shared_path


def test_one_stool_through_metaphlan_2_and_4_is_not_read_as_a_change() -> None:
    # SRS011061 (HMP stool) profiled by MetaPhlAn 2 and by MetaPhlAn 4 on a toy database: the
    # shares differ because of the tool (Phocaeicola 5% and 34%), not the gut.
    names = (
        "metaphlan2_v2.0_pavian_hmp_SRS011061_stool.profile",
        "metaphlan4_v4.1.1_toyOct22_SRS011061_stool.txt",
    )
    old, new = (analyze(shared_path("wild", n).read_bytes(), n) for n in names)
    reply = compare_text(
        (old, old.samples[0].sample_id, datetime(2025, 3, 1)),
        (new, new.samples[0].sample_id, datetime(2026, 3, 1)),
    )
    assert text("results.compare_taxa_title") not in reply  # no "changed most" list
    assert "Phocaeicola" not in reply and "Bray-Curtis" not in reply
    assert "MetaPhlAn 2" in reply and "MetaPhlAn 4" in reply
    assert f"{old.samples[0].alpha.shannon:.2f} then {new.samples[0].alpha.shannon:.2f}" in reply
    # The same file twice is one tool: compared as usual.
    same = compare_text(
        (old, old.samples[0].sample_id, datetime(2025, 3, 1)),
        (old, old.samples[0].sample_id, datetime(2026, 3, 1)),
    )
    assert text("results.compare_taxa_title") in same


def test_two_tests_of_one_day_are_not_called_a_change_from_that_day_to_itself() -> None:
    name = "metaphlan3_v30_SRS014459_stool_bugs_list.tsv"
    report = analyze(shared_path("wild", name).read_bytes(), name)
    sample = report.samples[0].sample_id
    reply = compare_text(
        (report, sample, datetime(2026, 3, 1, 9)), (report, sample, datetime(2026, 3, 1, 18))
    )
    assert reply.splitlines()[0] == text("results.compare_title_same_day", new_date="01 March 2026")
