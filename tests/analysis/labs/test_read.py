"""The entry point: bytes to a panel or None, and the PDF extraction's bounds.

The hostile and odd PDFs are built here, byte by byte, by ``_pdf``; none is a stored file.
"""

from __future__ import annotations

import os
import time
import zlib

import pytest

from analysis.labs import read_lab
from analysis.labs.keys import clean_name, marker_key, no_verdict
from analysis.labs.pdf import MAX_PAGES, extract_pdf, is_pdf
from analysis.model import AnalysisError
from tests.conftest import shared_path


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (numbered from 1, the first the catalog) with a valid xref."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _pages(contents: list[bytes], *, compress: bool = False) -> bytes:
    """A PDF with one page per content stream, all in Helvetica."""
    n = len(contents)
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
    ]
    font = 3 + 2 * n
    for i in range(n):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (3 + n + i, font)
        )
    for content in contents:
        data = zlib.compress(content) if compress else content
        extra = b" /Filter /FlateDecode" if compress else b""
        objects.append(b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return _pdf(objects)


def _text_page(rows: list[tuple[int, int, str]]) -> bytes:
    """A content stream printing each (x, y, text) in 10 pt Helvetica."""
    ops = [b"BT /F1 10 Tf"]
    for x, y, text in rows:
        ops.append(b"1 0 0 1 %d %d Tm (%s) Tj" % (x, y, text.encode("latin-1")))
    ops.append(b"ET")
    return b"\n".join(ops)


#: An unknown lab's panel, laid out in columns (name, result, range and unit).
_PANEL_ROWS = [
    (72, 700, "Faecal Inflammation Panel"),
    (72, 680, "Calprotectin"),
    (260, 680, "62.0"),
    (360, 680, "<50 ug/g"),
    (72, 660, "Lactoferrin"),
    (260, 660, "4.1"),
    (360, 660, "<7.2 ug/g"),
    (72, 640, "Pancreatic Elastase 1"),
    (260, 640, ">500"),
    (360, 640, ">200 ug/g"),
    (72, 620, "Occult blood"),
    (260, 620, "Negative"),
]


def test_a_text_pdf_is_read_by_layout() -> None:
    data = _pages([_text_page(_PANEL_ROWS)])
    document = extract_pdf(data)
    assert document is not None
    assert document.text.splitlines()[1] == "Calprotectin  62.0  <50 ug/g"
    panel = read_lab(data, "results.pdf")
    assert panel is not None and panel.source == "pdf_text" and panel.reader == "generic"
    assert [(m.name, m.result_text, m.flag, m.key) for m in panel.markers] == [
        ("Calprotectin", "62.0", "high", "calprotectin"),
        ("Lactoferrin", "4.1", "normal", "lactoferrin"),
        ("Pancreatic Elastase 1", ">500", "normal", "elastase"),
        ("Occult blood", "Negative", "unknown", "occult_blood"),
    ]
    assert {m.section for m in panel.markers} == {"Faecal Inflammation Panel"}


# --- what is not a panel, or not readable: None or an AnalysisError with a key --------------


def _none_or_keyed_error(data: bytes) -> AnalysisError | None:
    """Read the bytes: None, or the error raised, which must carry one of the PDF keys."""
    error: AnalysisError | None = None
    panel = None
    try:
        panel = read_lab(data, "upload.pdf")
    except AnalysisError as exc:
        error = exc
    assert panel is None
    if error is not None:
        assert error.key in ("lab_pdf_unreadable", "lab_pdf_too_large"), error.key
    return error


@pytest.mark.parametrize(
    "data",
    [
        b"",
        os.urandom(4096),
        b"\xff\xd8\xff\xe0" + os.urandom(2048),  # a JPEG: OCR's input
        b"\x89PNG\r\n\x1a\n" + os.urandom(2048),
        "名前 检查 结果".encode("utf-16"),
    ],
    ids=["empty", "random", "jpeg", "png", "utf16"],
)
def test_what_is_not_text_gives_none(data: bytes) -> None:
    assert read_lab(data, None) is None


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n" + os.urandom(20_000),
        b"%PDF-1.7\n%%EOF\n",
        _pages([_text_page(_PANEL_ROWS)])[:200],
        _pages([b""]),  # an empty page
        _pages([b"0 0 612 792 re f\n" * 50]),  # drawing only: a scan's shape, no text layer
        _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]),
    ],
    ids=["garbage", "header-only", "truncated", "empty-page", "no-text-layer", "no-pages"],
)
def test_a_broken_or_empty_pdf_gives_none_or_a_keyed_error(data: bytes) -> None:
    assert is_pdf(data)
    _none_or_keyed_error(data)


def test_a_pdf_without_a_text_layer_is_left_to_ocr() -> None:
    assert read_lab(_pages([b"q 612 0 0 792 0 0 cm 0 0 1 1 re f Q"]), "scan.pdf") is None


_CATALOG = b"<< /Type /Catalog /Pages 2 0 R /Extra "
_NO_PAGES = b"<< /Type /Pages /Kids [] /Count 0 >>"


def _kids(count: int, claimed: int) -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + b"3 0 R " * count + b"] /Count %d >>" % claimed,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        ]
    )


def _flate_bomb(size: int) -> bytes:
    """One page whose content inflates to ``size`` bytes of spaces (compressed in chunks)."""
    packer = zlib.compressobj(9)
    chunk = b" " * 1_000_000
    data = b"".join(packer.compress(chunk) for _ in range(size // len(chunk))) + packer.flush()
    page = _pages([b""])
    return page.replace(
        b"<< /Length 0 >>\nstream\n",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data,
        1,
    )


_GLYPHS = b"1 0 0 1 9 9 Tm (AAAAAAAAAA) Tj\n"
#: Built when a test asks (some are tens of megabytes).
_HOSTILE = {
    "nested-arrays": lambda: _pdf([_CATALOG + b"[" * 100_000 + b"]" * 100_000 + b" >>", _NO_PAGES]),
    "nested-dicts": lambda: _pdf(
        [_CATALOG + b"<< /A " * 50_000 + b">> " * 50_000 + b">>", _NO_PAGES]
    ),
    "a-billion-pages": lambda: _kids(90_000, 10**9),
    "a-million-page-references": lambda: _kids(1_000_000, 10**6),
    "flate-bomb": lambda: _flate_bomb(200_000_000),
    "path-flood": lambda: _pages([b"1 2 m 3 4 l S\n" * 1_000_000]),
    "glyph-flood": lambda: _pages([b"BT /F1 1 Tf " + _GLYPHS * 60_000 + b"ET"]),
    "forty-dense-pages": lambda: _pages([b"BT /F1 1 Tf " + _GLYPHS * 1_400 + b"ET"] * 40),
}


@pytest.mark.parametrize("name", list(_HOSTILE))
def test_a_hostile_pdf_is_bounded(name: str) -> None:
    data = _HOSTILE[name]()
    started = time.perf_counter()
    error = _none_or_keyed_error(data)
    assert time.perf_counter() - started < 5.0
    if name in ("flate-bomb", "glyph-flood", "a-million-page-references"):
        assert error is not None and error.key == "lab_pdf_too_large"


def test_pages_beyond_the_limit_are_not_opened() -> None:
    rows = [_text_page(_PANEL_ROWS)] * (MAX_PAGES + 5)
    document = extract_pdf(_pages(rows))
    assert document is not None
    assert (len(document.pages), document.page_count, document.truncated) == (MAX_PAGES, 35, True)


def test_text_is_bounded() -> None:
    started = time.perf_counter()
    big = b"Calprotectin  62.0  ug/g  <50\n" * 200_000  # 6 MB of rows
    panel = read_lab(big, "big.txt")
    assert panel is not None and len(panel.markers) <= 40_000
    assert time.perf_counter() - started < 20.0


def test_the_filename_does_not_decide() -> None:
    text = shared_path("labs", "dsl_gi-map_2024-12_anonymised_pdftext_lamtha.txt").read_bytes()
    panel = read_lab(text, "report.pdf")
    assert panel is not None and panel.reader == "gi_map"


# --- keys ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Calprotectin", "calprotectin"),
        ("Lactoferrin", "lactoferrin"),
        ("Occult Blood - FIT", "occult_blood"),
        ("Pancreatic Elastase 1", "elastase"),
        ("Elastase-1", "elastase"),
        ("Zonulin", "zonulin"),
        ("Secretory IgA", "secretory_iga"),
        ("β-Glucuronidase", "b_glucuronidase"),
        ("b-Glucuronidase", "b_glucuronidase"),
        ("C. difficile Toxin A", "c_difficile_toxin_a"),
        ("Clostridioides difficile Toxin B", "c_difficile_toxin_b"),
        ("Salmonella", "salmonella"),
        ("Enteroinvasive E. coli/Shigella", "shigella"),
        ("Campylobacter", "campylobacter"),
        ("Shiga-like Toxin E. coli stx1", "stec"),
        ("E. coli O157", "stec"),
        ("Enterohemorrhagic E. coli", "stec"),
        ("E. coli - EPEC/EHEC", "epec_ehec"),
        ("Enterotoxigenic E. coli LT/ST", "etec"),
        ("Giardia", "giardia"),
        ("Giardia lamblia", "giardia"),
        ("Cryptosporidium", "cryptosporidium"),
        ("Entamoeba histolytica", "entamoeba_histolytica"),
        ("Helicobacter pylori", "h_pylori"),
        ("H. pylori antigen", "h_pylori"),
        ("Norovirus GI/II", "norovirus"),
        ("Adenovirus 40/41", "adenovirus"),
        ("Rotavirus", "rotavirus"),
        ("Blastocystis hominis", "blastocystis"),
        ("Eosinophil Activation Protein (EDN, EPX)", "eosinophil_protein_x"),
        ("隐血", "occult_blood"),
        ("Entamoeba coli", None),
        ("Virulence Factor, cagA", None),
        ("Clarithromycin", None),
        ("Bacteroides fragilis", None),
        ("Clostridium difficile", None),
        ("Lactobacillus spp.", None),
    ],
)
def test_marker_keys(name: str, key: str | None) -> None:
    assert marker_key(name) == key


def test_ratios_get_no_verdict() -> None:
    assert no_verdict("Firmicutes/Bacteroidetes (F/B Ratio)")
    assert no_verdict("Firmicutes:Bacteroidetes Ratio")
    assert not no_verdict("Calprotectin")


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("Cryptosporidium◆", "Cryptosporidium"),
        ("Color††", "Color"),
        ("Lithocholic Acid*", "Lithocholic Acid"),
        (
            "Eosinophil Activation Protein Eosinophil Activation Protein (EDN, (EDN, EPX) EPX)",
            "Eosinophil Activation Protein (EDN, EPX)",
        ),
        ("Shiga-like Toxin E. coli stx1", "Shiga-like Toxin E. coli stx1"),
    ],
)
def test_clean_name(printed: str, name: str) -> None:
    assert clean_name(printed) == name
