"""A generic table is read only when its names are microbes: a table of something else is
refused with what was seen, never analysed as if apples were bacteria."""

from __future__ import annotations

import pytest

from analysis import AnalysisError, analyze


def _refusal(table: str) -> AnalysisError:
    with pytest.raises(AnalysisError) as info:
        analyze(table.encode(), "table.csv")
    return info.value


def test_a_food_diary_table_is_refused_naming_its_columns_and_names() -> None:
    error = _refusal("food,grams\napple,10\nbread,20\nrice,30\nbeans,40\nmilk,5\n")
    assert error.key == "no_taxa_recognised"
    assert error.details["column"] == "food"
    assert error.details["columns"] == "food, grams"
    assert error.details["names"] == "apple, bread, rice, beans, …"


def test_words_that_are_not_taxa_are_refused_even_beside_other() -> None:
    assert _refusal("name,count\nhello,1\nworld,2\nOther,3\n").key == "no_taxa_recognised"


@pytest.mark.parametrize(
    "rows",
    [
        # genus names, species names, bracketed names, a phylum
        ["Bacteroides,40", "Faecalibacterium,30", "Prevotella,30"],
        ["Bacteroides fragilis,50", "[Eubacterium] rectale,30", "Other,20"],
        ["Akkermansia muciniphila,60", "Firmicutes,40"],
    ],
)
def test_tables_of_known_microbes_are_read(rows: list[str]) -> None:
    report = analyze(("name,abundance\n" + "\n".join(rows) + "\n").encode(), "table.csv")
    expected = sum(1 for row in rows if not row.startswith("Other"))
    assert report.samples[0].n_taxa >= expected


def test_a_few_unknown_names_among_known_ones_are_read() -> None:
    rows = [f"Mysterygenus{i},1" for i in range(8)] + ["Bacteroides,50", "Blautia,20", "Dorea,22"]
    report = analyze(("genus,abundance\n" + "\n".join(rows) + "\n").encode(), "table.csv")
    assert report.samples[0].n_taxa == 11
