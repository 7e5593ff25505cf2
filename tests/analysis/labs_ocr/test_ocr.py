"""The OCR step's bounds and its verdict on images that hold no report."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from analysis.labs.images import read_lab_image
from analysis.labs.ocr import MAX_BYTES, OcrLine, image_problem, ocr_lines
from analysis.model import AnalysisError


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _bomb(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height pixels, with almost no pixel data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = zlib.compress(b"\0" * 1024, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def _key(data: bytes) -> str:
    with pytest.raises(AnalysisError) as caught:
        read_lab_image(data)
    return caught.value.key


@pytest.mark.parametrize(("width", "height"), [(7000, 7000), (20000, 20000), (100000, 100000)])
def test_a_decompression_bomb_is_refused_before_decoding(width: int, height: int) -> None:
    # The pixel data is truncated: had it been decoded, the key would be image_unreadable.
    with pytest.raises(AnalysisError) as caught:
        ocr_lines(_bomb(width, height))
    assert caught.value.key == "image_too_large"


def test_a_file_over_the_byte_limit_is_refused() -> None:
    with pytest.raises(AnalysisError) as caught:
        ocr_lines(b"\xff\xd8" + b"\0" * MAX_BYTES)
    assert caught.value.key == "image_too_large"


@pytest.mark.parametrize("data", [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n broken"])
def test_bytes_that_are_no_image_are_unreadable(data: bytes) -> None:
    assert _key(data) == "image_unreadable"


def test_a_1x1_image_is_not_a_report() -> None:
    assert ocr_lines(_png(Image.new("RGB", (1, 1), "white"))) == []
    assert _key(_png(Image.new("RGB", (1, 1), "white"))) == "image_not_a_report"


def test_a_blank_page_is_not_a_report() -> None:
    assert _key(_png(Image.new("RGB", (1240, 1754), "white"))) == "image_not_a_report"


def test_a_photo_of_noise_is_unreadable_or_not_a_report() -> None:
    pixels = np.random.default_rng(7).integers(0, 256, (900, 1200, 3), dtype=np.uint8)
    assert _key(_png(Image.fromarray(pixels))) in ("image_unreadable", "image_not_a_report")


def _line(text: str, confidence: float, y: float = 0.0) -> OcrLine:
    return OcrLine(text, (0.0, y, 100.0, y + 20.0), confidence)


def test_image_problem_on_few_or_unsure_lines() -> None:
    sure = [_line(f"Line {n}", 0.98, 30.0 * n) for n in range(10)]
    unsure = [_line(f"Line {n}", 0.4, 30.0 * n) for n in range(10)]
    assert image_problem(sure) is None
    assert image_problem(unsure) == "image_unreadable"
    assert image_problem(sure[:3]) == "image_not_a_report"
    assert image_problem([]) == "image_not_a_report"
    assert image_problem([_line("~", 0.2), _line(".", 0.3)]) == "image_unreadable"


def _page(name: str) -> Image.Image:
    from tests.conftest import shared_path

    return Image.open(shared_path("labs", name))


@pytest.mark.slow
@pytest.mark.parametrize("degrees", [-8, 5])
def test_a_tilted_photo_is_deskewed_and_reads_the_same(degrees: int) -> None:
    from tests.analysis.labs_ocr.expected import PAGES, ROUTINE, score

    tilted = _page(ROUTINE).rotate(degrees, expand=True, fillcolor="white", resample=Image.BICUBIC)
    good, total, certain_wrong = score(read_lab_image(_png(tilted)), PAGES[ROUTINE])
    assert (good, certain_wrong) == (total, 0)


@pytest.mark.slow
def test_a_blurred_results_page_is_unreadable_or_marked_uncertain() -> None:
    from PIL import ImageFilter

    from tests.analysis.labs_ocr.expected import NUTRIPATH, PAGES, score

    for radius in (2, 3, 6):
        blurred = _png(_page(NUTRIPATH.format(1)).filter(ImageFilter.GaussianBlur(radius)))
        try:
            panel = read_lab_image(blurred)
        except AnalysisError as exc:
            key = exc.key
        else:
            key = None
            assert score(panel, PAGES[NUTRIPATH.format(1)])[2] == 0, radius
        assert key in (None, "image_unreadable", "image_not_a_report")
