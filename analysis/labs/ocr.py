"""Text lines of a photographed or scanned lab report, by OCR (RapidOCR, PP-OCRv6 on ONNX Runtime).

One engine reads Latin and Chinese script alike: RapidOCR 3 ships the PP-OCRv6 "small"
detection and recognition models inside its wheel, and they are loaded from there by path, so
nothing is ever downloaded at run time. The models are loaded once per process (the first call
costs about a second; a 1240 x 1754 page then takes 2-5 s on two cores).

The work is bounded before any pixel is decoded: more than :data:`MAX_BYTES` bytes or
:data:`MAX_PIXELS` pixels (read from the image header) is refused. Phone photos are turned
upright by their EXIF orientation, and a tilted photo is deskewed in coordinates: the median
slope of the text lines found is undone on the boxes, so a row of a table shares one height.

:func:`image_problem` says when the lines read are too few or too unsure to be a report, as a key
the bot words (``"image_unreadable"``, ``"image_not_a_report"``).
"""

from __future__ import annotations

import io
import logging
import math
import statistics
import unicodedata
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from analysis.model import AnalysisError

__all__ = [
    "MAX_BYTES",
    "MAX_PIXELS",
    "OcrLine",
    "image_problem",
    "ocr_lines",
]

#: Bytes of an image file read at most (Telegram's download limit for a bot is 20 MB).
MAX_BYTES = 20_000_000
#: Pixels of an image decoded at most (a 12 MP phone photo is well inside; a bomb is not).
MAX_PIXELS = 40_000_000
#: Images smaller than this on a side hold no readable report.
MIN_SIDE = 32
#: Fewer lines than this: not a report (a lab report page has dozens).
MIN_LINES = 6
#: Mean confidence of the lines under this: too blurred to read.
MIN_MEAN_CONFIDENCE = 0.75
#: Skew (degrees) under which boxes are left as the engine gave them.
MIN_SKEW = 0.5

# Detection keeps boxes down to this score: the default 0.5 loses a lone "+" in a table cell.
_BOX_THRESHOLD = 0.3

logging.getLogger("RapidOCR").setLevel(logging.ERROR)


@dataclass(frozen=True)
class OcrLine:
    """One line of text as OCR read it.

    Attributes
    ----------
    text
        The text, NFKC-normalised (full-width ``：`` and ``（－）`` become ``:`` and ``(-)``).
    box
        ``(x0, y0, x1, y1)`` in pixels of the upright, deskewed page (y grows downwards).
    confidence
        The recogniser's score for the line, 0-1.
    """

    text: str
    box: tuple[float, float, float, float]
    confidence: float

    @property
    def x0(self) -> float:
        return self.box[0]

    @property
    def y0(self) -> float:
        return self.box[1]

    @property
    def x1(self) -> float:
        return self.box[2]

    @property
    def y1(self) -> float:
        return self.box[3]

    @property
    def cx(self) -> float:
        return (self.box[0] + self.box[2]) / 2

    @property
    def cy(self) -> float:
        return (self.box[1] + self.box[3]) / 2

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]


def _models_dir() -> Path:
    import rapidocr

    return Path(rapidocr.__file__).resolve().parent / "models"


@cache
def engine() -> Any:
    """The OCR engine, built once per process from the models inside the rapidocr wheel."""
    from rapidocr import RapidOCR

    models = _models_dir()
    paths = {
        "Det.model_path": models / "PP-OCRv6_det_small.onnx",
        "Rec.model_path": models / "PP-OCRv6_rec_small.onnx",
        "Cls.model_path": models / "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
    }
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise AnalysisError("ocr_unavailable", "OCR models are missing.", missing=missing)
    params: dict[str, Any] = {key: str(path) for key, path in paths.items()}
    params.update({"Global.log_level": "error", "Det.box_thresh": _BOX_THRESHOLD})
    return RapidOCR(params=params)


def _open(data: bytes) -> Any:
    """Decode the image after checking its size from the header; upright, RGB."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(data) > MAX_BYTES:
        raise AnalysisError(
            "image_too_large", "The image file is too large.", size=len(data), limit=MAX_BYTES
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise AnalysisError(
                "image_too_large", "The image has too many pixels.", limit=MAX_PIXELS
            ) from exc
        except (UnidentifiedImageError, OSError, ValueError) as exc:
            raise AnalysisError(
                "image_unreadable", "The image could not be decoded.", reason=type(exc).__name__
            ) from exc
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise AnalysisError(
                "image_too_large",
                "The image has too many pixels.",
                pixels=width * height,
                limit=MAX_PIXELS,
            )
        try:
            image.load()
            return ImageOps.exif_transpose(image).convert("RGB")
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise AnalysisError(
                "image_too_large", "The image has too many pixels.", limit=MAX_PIXELS
            ) from exc
        except (OSError, ValueError, SyntaxError) as exc:  # truncated or corrupt data
            raise AnalysisError(
                "image_unreadable", "The image could not be decoded.", reason=type(exc).__name__
            ) from exc


def _skew(quads: list[list[tuple[float, float]]]) -> float:
    """Median slope (radians) of the top edges of boxes clearly wider than tall."""
    angles = []
    for quad in quads:
        (ax, ay), (bx, by) = quad[0], quad[1]
        width = math.hypot(bx - ax, by - ay)
        tall = math.hypot(quad[3][0] - ax, quad[3][1] - ay)
        if width > 3 * tall and bx > ax:
            angles.append(math.atan2(by - ay, bx - ax))
    return statistics.median(angles) if len(angles) >= 3 else 0.0


def _upright_box(
    quad: list[tuple[float, float]], angle: float, centre: tuple[float, float]
) -> tuple[float, float, float, float]:
    cos, sin = math.cos(-angle), math.sin(-angle)
    cx, cy = centre
    xs, ys = [], []
    for x, y in quad:
        dx, dy = x - cx, y - cy
        xs.append(cx + dx * cos - dy * sin)
        ys.append(cy + dx * sin + dy * cos)
    return (min(xs), min(ys), max(xs), max(ys))


def ocr_lines(image: bytes) -> list[OcrLine]:
    """Read the text lines of an image file (JPEG, PNG, WebP...).

    Parameters
    ----------
    image
        The file's bytes.

    Returns
    -------
    list[OcrLine]
        Top to bottom, then left to right; empty when nothing legible was found.

    Raises
    ------
    AnalysisError
        ``image_too_large`` (over :data:`MAX_BYTES` or :data:`MAX_PIXELS`, checked before
        decoding), ``image_unreadable`` (not an image, or a corrupt one), ``ocr_unavailable``
        (the OCR models are not installed).
    """
    picture = _open(image)
    width, height = picture.size
    if min(width, height) < MIN_SIDE:
        return []
    result = engine()(picture)
    if result.txts is None or result.boxes is None or result.scores is None:
        return []
    quads = [[(float(x), float(y)) for x, y in box] for box in result.boxes]
    angle = _skew(quads)
    if abs(math.degrees(angle)) < MIN_SKEW:
        angle = 0.0
    centre = (width / 2, height / 2)
    lines = []
    for quad, text, score in zip(quads, result.txts, result.scores, strict=True):
        clean = " ".join(unicodedata.normalize("NFKC", str(text)).split())
        if clean:
            lines.append(OcrLine(clean, _upright_box(quad, angle, centre), float(score)))
    lines.sort(key=lambda line: (line.y0, line.x0))
    return lines


def image_problem(lines: list[OcrLine]) -> str | None:
    """Why these lines cannot be a report, as a key; None when they may be one.

    Parameters
    ----------
    lines
        What :func:`ocr_lines` read.

    Returns
    -------
    str | None
        ``"image_not_a_report"`` when fewer than :data:`MIN_LINES` lines hold text (a blank
        page, a photo of something else); ``"image_unreadable"`` when there are lines but
        their mean confidence is under :data:`MIN_MEAN_CONFIDENCE` (blur, glare, noise).
    """
    legible = [line for line in lines if sum(c.isalnum() for c in line.text) >= 2]
    if not legible and lines:
        return "image_unreadable"
    if len(legible) < MIN_LINES:
        return "image_not_a_report"
    if statistics.fmean(line.confidence for line in legible) < MIN_MEAN_CONFIDENCE:
        return "image_unreadable"
    return None


# --- layout helpers shared by the OCR readers ----------------------------------------------------

#: A cell read with less confidence than this gives a marker marked ``certain=False``.
CERTAIN_CONFIDENCE = 0.8


def same_row(a: OcrLine, b: OcrLine, tolerance: float = 0.5) -> bool:
    """Whether two lines sit on one table row: centres closer than ``tolerance`` line heights."""
    height = max(min(a.height, b.height), 1.0)
    return abs(a.cy - b.cy) <= tolerance * height


def in_rows(lines: list[OcrLine], tolerance: float = 0.5) -> list[list[OcrLine]]:
    """Lines grouped into rows (by centre height), each row left to right, rows top to bottom."""
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda item: item.cy):
        if rows and same_row(rows[-1][0], line, tolerance):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(row, key=lambda item: item.x0) for row in rows]


def page_width(lines: list[OcrLine]) -> float:
    """The page's width as far as the text shows (the rightmost edge of any line)."""
    return max((line.x1 for line in lines), default=1.0)
