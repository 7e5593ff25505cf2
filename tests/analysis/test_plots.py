"""Charts are real PNGs of phone size, and say 'not applicable' rather than draw a number."""

from __future__ import annotations

import struct
from datetime import datetime

import pytest

from analysis import analyze, plots
from content.analysis_words import chart_words
from tests.conftest import shared_path

#: Stand-in words: the chart draws whatever words its caller gives (content words them).
WORDS = {key: f"<{key}>" for key in plots.WORDS}


def _size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_summary_chart_is_phone_sized() -> None:
    report = analyze(shared_path("corpus", "metaphlan3_SRR1761667_stool.txt").read_bytes())
    width, height = _size(plots.summary_chart(report, report.samples[0].sample_id, WORDS))
    assert width == 1080 and height > 1000


def test_summary_chart_for_16s_and_progress_chart() -> None:
    report = analyze(shared_path("corpus", "ubiome_gut_74607.json").read_bytes())
    sample = report.samples[0].sample_id
    assert _size(plots.summary_chart(report, sample, WORDS))[0] == 1080
    other = analyze(shared_path("corpus", "ubiome_gut_74607_export.csv").read_bytes())
    png = plots.progress_chart(
        [
            (datetime(2026, 1, 5), report, sample),
            (datetime(2026, 4, 2), other, other.samples[0].sample_id),
        ],
        WORDS,
    )
    assert _size(png)[0] == 1080


def test_a_chart_refuses_to_draw_without_all_its_words() -> None:
    report = analyze(shared_path("corpus", "ubiome_gut_74607.json").read_bytes())
    words = dict(WORDS)
    del words["indices_title"]
    with pytest.raises(ValueError, match="indices_title"):
        plots.summary_chart(report, report.samples[0].sample_id, words)


def test_compare_chart_gives_each_measure_its_own_panel_and_numbers_same_day_tests() -> None:
    first = analyze(shared_path("corpus", "ubiome_gut_74607.json").read_bytes())
    second = analyze(shared_path("corpus", "ubiome_gut_74607_export.csv").read_bytes())
    points = [
        (datetime(2026, 12, 2, 9), first, first.samples[0].sample_id),
        (datetime(2026, 12, 2, 17), second, second.samples[0].sample_id),
    ]
    words = chart_words()  # the real words: the test reads numbers and a date in them
    fig = plots.progress_figure(points, words)
    fig.canvas.draw()
    panels = {ax.get_title(loc="left"): ax for ax in fig.axes}
    shannon = panels[words["shannon"]]
    expected = [first.samples[0].alpha.shannon, second.samples[0].alpha.shannon]
    assert list(shannon.lines[0].get_ydata()) == pytest.approx(expected)
    # Both tests are from one day: the x axis numbers them, the title gives the day.
    assert [t.get_text() for t in shannon.get_xticklabels()] == ["test 1", "test 2"]
    assert "02 Dec 2026" in fig.get_suptitle()
    # No panel mixes measures on a shared 'value' axis.
    assert words["index.gmhi"] in panels and all(ax.get_ylabel() != "value" for ax in fig.axes)


def test_a_huge_taxon_name_is_drawn_cut_and_as_fast_as_a_normal_one() -> None:
    import re
    import time

    text = shared_path("corpus", "metaphlan3_SRR1761667_stool.txt").read_text()
    genus = re.search(r"g__(\w+)", text).group(1)  # type: ignore[union-attr]
    huge = genus + "x" * 100_000
    crafted = text.replace(f"g__{genus}", f"g__{huge}").replace(f"s__{genus}", f"s__{huge}")
    normal, long = analyze(text.encode()), analyze(crafted.encode())
    assert any(len(name) > 100_000 for name in long.samples[0].composition.genus)

    def draw(report) -> float:  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        plots.summary_chart(report, report.samples[0].sample_id, WORDS)
        return time.perf_counter() - start

    draw(normal)  # fonts and caches
    assert draw(long) < 3 * draw(normal) + 0.5
    assert plots._short(huge) == huge[: plots.MAX_NAME - 1] + "…"
    assert plots._short(genus) == genus
