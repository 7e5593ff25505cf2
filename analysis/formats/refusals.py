"""Files that look like profiles but are not: each recognised and refused with what it is.

Functional tables (HUMAnN, PICRUSt), QC tables (KneadData), per-read assignments (DIAMOND,
Kraken per-read output) and genome-only profiles without taxon names (KMCP without a taxdump)
are named in the error's key and details, so the message can say what to send instead. So are
old binary Office files (Excel 97-2003 .xls) and password-protected workbooks, by their bytes.
"""

from __future__ import annotations

import re
from typing import NoReturn

from analysis.model import AnalysisError, ParsedTable

_PATHWAY = re.compile(r"^(UNMAPPED|UNINTEGRATED|[A-Z0-9+-]+-PWY|PWY-?\d+|K\d{5}|EC:|\d+\.\d+\.)")
_FUNCTION_HEADERS = ("# pathway", "# gene family", "#pathway", "#gene family", "# gene_family")
_PICRUST_HEADERS = ("pathway", "function", "#otu id\tk0", "ko", "ec", "description")
_READ_ID = re.compile(r"^[A-Za-z0-9_.:/@|-]{8,}$")


def _lines(text: str, count: int = 40) -> list[str]:
    return [ln for ln in text[:40000].split("\n") if ln.strip()][:count]


def sniff_functional(text: str) -> bool:
    """HUMAnN pathway/gene-family tables and PICRUSt outputs: rows are functions, not taxa."""
    lines = _lines(text)
    if not lines:
        return False
    header = lines[0].lower()
    if header.startswith(_FUNCTION_HEADERS):
        return True
    first_cells = [ln.split("\t", 1)[0].strip().strip('"') for ln in lines[1:]]
    functional = sum(1 for c in first_cells if _PATHWAY.match(c) or c.startswith("UniRef"))
    if not first_cells:
        return False
    head_cell = header.split("\t", 1)[0].strip().strip('"')
    return (head_cell in _PICRUST_HEADERS and functional >= 0.5 * len(first_cells)) or (
        functional >= 0.8 * len(first_cells)
    )


def refuse_functional(text: str, filename: str | None = None) -> ParsedTable:
    """Refuse a functional profile."""
    header = text.lstrip()[:200].lower()
    tool = "HUMAnN" if header.startswith("#") or "UNMAPPED" in text[:2000] else "PICRUSt"
    raise AnalysisError(
        "functional_profile",
        f"this is a {tool} functional profile (pathways or gene families), not a taxonomic one",
        tool=tool,
    )


def sniff_qc(text: str) -> bool:
    """KneadData read-count tables (raw / trimmed / decontaminated / final reads per sample)."""
    header = text.split("\n", 1)[0].lower()
    return header.startswith("sample\t") and ("raw" in header and "final" in header)


def refuse_qc(text: str, filename: str | None = None) -> ParsedTable:
    """Refuse a QC table."""
    raise AnalysisError(
        "qc_table",
        "this is a KneadData read-count (quality control) table, not a taxonomic profile",
        tool="KneadData",
    )


def sniff_per_read(text: str) -> bool:
    """One row per read: a read id, a taxid and a score (DIAMOND), or Kraken's C/U lines."""
    lines = _lines(text, 50)
    if len(lines) < 3:
        return False
    diamond = 0
    kraken = 0
    for number, line in enumerate(lines):
        if number == 1 and diamond + kraken == 0:
            return False  # per-read output has no header row
        cells = line.split("\t")
        read_id = cells[0]
        if (
            len(cells) == 3
            and _READ_ID.match(read_id)
            and any(ch.isdigit() for ch in read_id)
            and cells[1].strip().isdigit()
        ):
            try:
                float(cells[2])
            except ValueError:
                continue
            diamond += 1
        elif len(cells) >= 4 and cells[0] in {"C", "U"} and cells[2].strip().split(" ")[0]:
            kraken += 1
    return max(diamond, kraken) >= 0.95 * len(lines)


def refuse_per_read(text: str, filename: str | None = None) -> ParsedTable:
    """Refuse a per-read classification."""
    tool = "Kraken" if text[:2] in {"C\t", "U\t"} else "DIAMOND"
    raise AnalysisError(
        "per_read_assignments",
        f"this is {tool} output with one line per read, not a summarised profile",
        tool=tool,
    )


def sniff_kmcp(text: str) -> bool:
    """A KMCP profile (``ref percentage coverage score ...`` header)."""
    header = text.split("\n", 1)[0].lstrip("#").split("\t")
    return header[:3] == ["ref", "percentage", "coverage"] and "taxname" in header


#: The signature of an OLE2 compound file: Excel 97-2003 (.xls) and other old Office files, and
#: password-protected .xlsx files (encrypted OOXML is an OLE2 file with an EncryptedPackage).
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_BIFF_WORKBOOK = "Workbook".encode("utf-16-le")


def sniff_office_binary(data: bytes) -> bool:
    """An OLE2 compound file (an old binary Office document or an encrypted workbook)."""
    return data[:8] == OLE2_MAGIC


def refuse_office_binary(data: bytes) -> NoReturn:
    """Refuse an .xls workbook or a password-protected one, saying which."""
    if _ENCRYPTED in data:
        raise AnalysisError(
            "encrypted_spreadsheet", "the workbook is protected with a password (encrypted)"
        )
    raise AnalysisError(
        "legacy_spreadsheet",
        "this is an old binary Office file (Excel 97-2003 .xls or similar), not .xlsx",
        what="xls" if _BIFF_WORKBOOK in data else "office",
    )
