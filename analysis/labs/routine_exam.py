"""A Chinese hospital's routine stool examination (粪便常规), from a photo of the printout.

The table has three columns under ``项目 · 结果 · 参考值`` (item, result, reference). Results are
words (``阴性(-)`` negative, ``阳性(+)`` positive, ``未见异常(-)`` nothing abnormal seen), grades
(``+++``) or descriptions (colour ``黄红色``, consistency ``粘液便``) against a reference in the
same terms (``阴性(-)``, ``黄、棕色``). Marker names are given in English; the result is kept as
printed in ``result_text``. Rows are matched to their label by height, so a tilted photo (which
:func:`analysis.labs.ocr.ocr_lines` deskews) or a cropped reference column still reads.

Nothing outside the table is read: the requesting doctor and the times below it are not.
"""

from __future__ import annotations

import re
from datetime import date

from analysis.labs.model import Flag, LabPanel, Marker, Qualitative, Range
from analysis.labs.ocr import CERTAIN_CONFIDENCE, OcrLine, same_row
from analysis.labs.values import computed_flag, parse_value

__all__ = ["matches", "read"]

#: Items by a pattern on the printed label: (key, English name, section).
_ITEMS: tuple[tuple[str, str | None, str, str], ...] = (
    (r"颜色", None, "Colour", "Macroscopic"),
    (r"性状", None, "Consistency", "Macroscopic"),
    (r"红细胞", "rbc", "RBC (microscopy)", "Microscopy"),
    (r"白细胞", "wbc", "WBC (microscopy)", "Microscopy"),
    (r"吞噬细胞", None, "Macrophages", "Microscopy"),
    (r"上皮细胞", None, "Epithelial cells", "Microscopy"),
    (r"虫卵", "ova_and_parasites", "Ova", "Microscopy"),
    (r"原虫", "protozoa", "Parasitic protozoa", "Microscopy"),
    (r"脂肪", "fat_globules", "Fat globules", "Microscopy"),
    (r"[真霉]菌", None, "Fungi", "Microscopy"),
    (r"[隐潜]血", "occult_blood", "Occult blood", "Chemistry"),
    (r"转铁蛋白", None, "Transferrin", "Chemistry"),
    (r"钙卫蛋白", "calprotectin", "Calprotectin", "Chemistry"),
)

#: Words of a result or a reference, to a qualitative reading.
_WORDS: tuple[tuple[str, Qualitative], ...] = (
    (r"阴性|未见异常|未见|未检出|\(-\)$", "not_detected"),
    (r"阳性|检出|\(\+\)$", "detected"),
    (r"弱阳性|可疑|\(±\)", "equivocal"),
)
_HEADINGS = ("项目", "结果", "参考")
_DATE = re.compile(r"送检时间\s*:?\s*(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})")


def matches(lines: list[OcrLine]) -> bool:
    """Whether the lines are a routine stool examination (its headings and a known item)."""
    text = "".join(line.text for line in lines)
    headings = all(word in text for word in _HEADINGS)
    return headings and sum(bool(re.search(p, text)) for p, *_ in _ITEMS) >= 2


def _clean(text: str) -> str:
    """Unify the dashes OCR reads in ``(-)`` (一, —, －) and drop a cropped bracket."""
    text = re.sub(r"\(\s*[一—–−-]\s*\)", "(-)", text.replace(" ", ""))
    return text.rstrip("(")


def _qualitative(text: str) -> Qualitative | None:
    equivocal = re.search(_WORDS[2][0], text)
    if equivocal:
        return "equivocal"
    for pattern, reading in _WORDS[:2]:
        if re.search(pattern, text):
            return reading
    return None


def _flag(result: str, reference: str | None) -> tuple[Flag, Range | None]:
    if reference is None:
        return "unknown", None
    expected = _qualitative(reference)
    rng = Range(text=reference)
    parsed = parse_value(result)
    got = _qualitative(result) or parsed.qualitative
    if expected is not None and got is not None:
        word = {"detected": "Positive", "not_detected": "Negative", "equivocal": "Equivocal"}
        flag = computed_flag(
            parsed if parsed.read else parse_value(word[got]), Range(text=word[expected])
        )
        return flag, rng
    # A description (colour, consistency) against the listed normal ones: 黄、棕色.
    normal = [w for w in re.split(r"[、,，/;；]", reference) if w]
    if normal and not parsed.read:
        inside = any(result == w or result == w + "色" or result + "色" == w for w in normal)
        return ("normal" if inside else "abnormal"), rng
    return "unknown", rng


def _columns(lines: list[OcrLine]) -> tuple[float, float] | None:
    """Left edges of the result and reference columns, from their headings."""
    result = next((ln for ln in lines if ln.text.replace(" ", "").startswith("结果")), None)
    reference = next((ln for ln in lines if ln.text.replace(" ", "").startswith("参考")), None)
    if result is None or reference is None or reference.x0 <= result.x0:
        return None
    return result.x0 - 0.3 * (result.x1 - result.x0), reference.x0 - 0.3 * (result.x1 - result.x0)


def _collected(lines: list[OcrLine]) -> date | None:
    for line in lines:
        match = _DATE.search(line.text.replace(" ", ""))
        if match:
            try:
                return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                return None
    return None


def read(lines: list[OcrLine]) -> LabPanel:
    """Read the photo's table into a panel (``source="ocr"``).

    Parameters
    ----------
    lines
        The photo's lines, from :func:`analysis.labs.ocr.ocr_lines`.
    """
    markers: list[Marker] = []
    unread = 0
    columns = _columns(lines)
    if columns is not None:
        result_x, reference_x = columns
        for label in (ln for ln in lines if ln.x1 <= result_x + 10):
            item = next((it for it in _ITEMS if re.search(it[0], label.text)), None)
            if item is None:
                continue
            row = sorted(
                (c for c in lines if c.x0 >= result_x and same_row(c, label, 0.6)),
                key=lambda c: c.x0,
            )
            results = [c for c in row if c.x0 < reference_x]
            references = [c for c in row if c.x0 >= reference_x]
            if not results:
                unread += 1
                continue
            result = _clean("".join(c.text for c in results))
            reference = _clean("".join(c.text for c in references)) if references else None
            flag, rng = _flag(result, reference)
            parsed = parse_value(result)
            _, key, name, section = item
            confidence = min(c.confidence for c in [label, *results])
            markers.append(
                Marker(
                    section=section,
                    name=name,
                    result_text=result,
                    qualitative=_qualitative(result) or parsed.qualitative,
                    grade=parsed.grade,
                    range=rng,
                    flag=flag,
                    flag_source="computed" if flag != "unknown" else "none",
                    key=key,
                    certain=confidence >= CERTAIN_CONFIDENCE and flag != "unknown",
                )
            )
    total = len(markers) + unread
    return LabPanel(
        lab="Hospital laboratory (China)",
        test="Routine stool (粪便常规)",
        reader="routine_stool_exam_zh",
        source="ocr",
        collected=_collected(lines),
        markers=markers,
        confidence=sum(m.certain for m in markers) / total if total else 0.0,
        unread_rows=unread,
    )
