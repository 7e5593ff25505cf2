"""PDFs without a text layer (a scan saved as PDF): each page rendered and read like a photo."""

from __future__ import annotations

import io

from analysis.labs.model import LabPanel
from analysis.model import AnalysisError

#: Pages read at most (a stool report has 1-10; more is not one report).
MAX_PAGES = 12
#: Render resolution: about the 1240 x 1754 pixels of an A4 page photo that OCR reads well.
DPI = 150


def merge(pages: list[LabPanel]) -> LabPanel | None:
    """The pages of one report as one panel: markers in page order, the first page's lab,
    test and date (a later page fills a missing date). None without any page read."""
    if not pages:
        return None
    first = pages[0]
    collected = next((p.collected for p in pages if p.collected is not None), None)
    markers = [m for p in pages for m in p.markers]
    total = sum(len(p.markers) for p in pages) or 1
    confidence = sum(p.confidence * len(p.markers) for p in pages) / total
    return first.model_copy(
        update={
            "collected": collected,
            "markers": markers,
            "pages": sum(p.pages for p in pages),
            "confidence": confidence,
            "unread_rows": sum(p.unread_rows for p in pages),
        }
    )


def read_scanned_pdf(data: bytes) -> LabPanel | None:
    """Render each page (at most MAX_PAGES) and read it with OCR; None when no page is a report."""
    import pypdfium2  # type: ignore[import-untyped]

    from analysis.labs.images import read_lab_image

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise AnalysisError("not_a_report", "the PDF could not be opened") from exc
    try:
        count = len(document)
        if count > MAX_PAGES:
            raise AnalysisError("too_many_pages", f"{count} pages", pages=count, limit=MAX_PAGES)
        panels = []
        for index in range(count):
            image = document[index].render(scale=DPI / 72).to_pil()
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, format="PNG")
            try:
                panel = read_lab_image(buffer.getvalue())
            except AnalysisError:
                continue  # a page without results (a cover, references) is skipped
            if panel is not None:
                panels.append(panel)
    finally:
        document.close()
    if not panels:
        raise AnalysisError("scanned_pdf", "no page of the scanned PDF could be read")
    return merge(panels)
