"""The entry point: a lab report's bytes to a :class:`LabPanel`, or None for OCR to try.

``read_lab`` recognises a PDF by its header and reads its text layer by layout
(:mod:`analysis.labs.pdf`, bounded in pages, characters and drawing); other bytes are read as
text when they decode as text. The lab is recognised by fingerprints in the text (each reader's
``matches``), falling back to the generic line reader. Markers with clinical weight get their
``key`` from :mod:`analysis.labs.keys`.

None means "no lab panel in this text": an image, a scanned PDF without a text layer (OCR's job),
or text with fewer than three markers. A PDF that cannot be read raises
:class:`~analysis.model.AnalysisError` with a key, never anything else.
"""

from __future__ import annotations

from analysis.labs import biohm, generic, genova, gi_map
from analysis.labs.keys import marker_key
from analysis.labs.model import LabPanel, Source
from analysis.labs.pdf import PdfDocument, extract_pdf, is_pdf

__all__ = ["MAX_TEXT_CHARS", "read_lab", "with_keys"]

#: Characters of plain text read at most (a long report's text is under 100,000).
MAX_TEXT_CHARS = 1_000_000

#: File signatures of images: OCR's input, never text.
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"II*\x00", b"MM\x00*", b"RIFF", b"BM")


def _decode(data: bytes) -> str | None:
    """The bytes as text, or None when they are binary."""
    head = data[:4096]
    if data.startswith(_IMAGE_MAGIC) or b"\x00" in head:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data[: MAX_TEXT_CHARS * 4].decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(c.isprintable() or c in "\t\r\n" for c in text[:4096])
        if printable < 0.95 * min(len(text), 4096):
            return None
        return text[:MAX_TEXT_CHARS]
    return None


def with_keys(panel: LabPanel) -> LabPanel:
    """The panel with each marker's content key set from its printed name (see ``keys``).

    Parameters
    ----------
    panel
        A panel as a reader returned it.
    """
    markers = [m.model_copy(update={"key": m.key or marker_key(m.name)}) for m in panel.markers]
    return panel.model_copy(update={"markers": markers})


def _read_text(text: str, source: Source, document: PdfDocument | None) -> LabPanel | None:
    pages = document.page_count if document is not None else 1
    if gi_map.matches(text):
        panel = gi_map.read(text, source=source)
        return panel if document is None else panel.model_copy(update={"pages": pages})
    if document is not None and genova.matches(text):
        return genova.read(document)
    if biohm.matches(text):
        return biohm.read(text, source=source, pages=pages if document is not None else None)
    return generic.read(text, source=source, pages=pages)


def read_lab(data: bytes, filename: str | None = None) -> LabPanel | None:
    """Read a lab report (PDF or text) into a panel.

    Parameters
    ----------
    data
        The file's bytes.
    filename
        The name it was sent with (not trusted: the bytes decide the format).

    Returns
    -------
    LabPanel | None
        None when there is no lab panel to read here (an image or a scan: OCR's turn; text
        with fewer than three markers).

    Raises
    ------
    AnalysisError
        ``lab_pdf_unreadable`` / ``lab_pdf_too_large`` for a PDF that cannot be read safely.
    """
    del filename  # the content decides; a ".pdf" that is a photo is a photo
    if not data:
        return None
    document: PdfDocument | None = None
    source: Source = "text"
    if is_pdf(data):
        document = extract_pdf(data)
        if document is None:
            return None
        text, source = document.text, "pdf_text"
    else:
        decoded = _decode(data)
        if decoded is None:
            return None
        text = decoded
    panel = _read_text(text, source, document)
    if panel is None or not panel.markers:
        return None
    return with_keys(panel)
