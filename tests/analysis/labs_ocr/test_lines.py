"""The readers on lines made by hand: what they mark uncertain, what they never read."""

from __future__ import annotations

from analysis.labs import bioscreen, nutripath, routine_exam
from analysis.labs.images import read_lines
from analysis.labs.ocr import OcrLine, in_rows, same_row


def _at(text: str, x: float, y: float, confidence: float = 0.99, width: float = 0.0) -> OcrLine:
    return OcrLine(text, (x, y, x + (width or 12.0 * len(text)), y + 28.0), confidence)


def _nutripath_page(rows: list[tuple[str, str, str, float]]) -> list[OcrLine]:
    lines = [
        _at("TEST PATIENT", 485, 56),
        _at("NutriPATH", 185, 106),
        _at("Collected : 26-Oct-2010", 483, 124),
        _at("Lab id : 3295480", 483, 187),
        _at("MICROSCOPIC DESCRIPTION", 139, 260),
        _at("Result", 321, 300),
        _at("Range", 466, 300),
        _at("Markers", 578, 300),
    ]
    for n, (label, result, rng, confidence) in enumerate(rows):
        y = 350 + 60 * n
        lines += [_at(label, 134, y), _at(result, 353, y - 4, confidence), _at(rng, 464, y)]
    lines += [
        _at("Page 1 of 7", 64, 1690),
        _at("CDSA 4+", 203, 1690),
        _at("Printed: 08/Mar/11", 985, 1690, width=228),
    ]
    return lines


def test_a_low_confidence_or_unparsed_result_is_uncertain() -> None:
    lines = _nutripath_page(
        [
            ("RBCs (Micro)", "ND", "<+", 0.99),
            ("WBCs (Micro)", "3", "<10", 0.55),
            ("Starch", "2l.4", "<+", 0.97),
        ]
    )
    assert nutripath.matches(lines)
    panel = nutripath.read(lines)
    certain = {m.name: m.certain for m in panel.markers}
    assert certain == {"RBCs (Micro)": True, "WBCs (Micro)": False, "Starch": False}
    assert panel.confidence == 1 / 3
    assert "3295480" not in panel.model_dump_json()


def test_a_label_without_a_result_is_counted_unread() -> None:
    page = _nutripath_page([("RBCs (Micro)", "ND", "<+", 0.99)])
    lines = [*page, _at("Starch", 134, 500), _at("<+", 464, 500)]
    panel = nutripath.read(lines)
    assert [m.name for m in panel.markers] == ["RBCs (Micro)"]
    assert panel.unread_rows == 1


def test_a_misread_parasite_result_is_uncertain_and_unflagged() -> None:
    lines = [
        _at("BIOSCREEN", 187, 78),
        _at("Sample, Patient", 286, 416),
        _at("Parasite", 308, 726),
        _at("Result", 532, 728),
        _at("Giardia intestinalis", 255, 790, width=174),
        _at("DETECTEO", 529, 790, width=100),
        _at("Cryptosporidium", 273, 850, width=156),
        _at("Not Detected", 516, 850, width=130),
    ]
    panel = bioscreen.read(lines)
    giardia, crypto = panel.markers
    assert (giardia.certain, giardia.flag, giardia.qualitative) == (False, "unknown", None)
    assert (crypto.certain, crypto.flag, crypto.key) == (True, "normal", "cryptosporidium")
    assert "sample" not in panel.model_dump_json().lower()


def test_lines_of_no_known_layout_give_no_panel() -> None:
    lines = [_at(f"Shopping list item {n}", 100, 40 * n) for n in range(12)]
    assert read_lines(lines) is None
    assert not routine_exam.matches(lines)


def test_rows_are_grouped_by_height() -> None:
    a, b, c = _at("a", 0, 100), _at("b", 200, 108), _at("c", 0, 140)
    assert same_row(a, b) and not same_row(a, c)
    assert [[line.text for line in row] for row in in_rows([c, b, a])] == [["a", "b"], ["c"]]
