"""Format detection and dispatch: bytes in, one ``ParsedTable`` out (content decides, not names).

The formats and their detection order live in :mod:`analysis.formats.registry`; this module
opens containers (gzip, ZIP, HDF5), decodes text and hands it to the registry.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Callable

from analysis.formats import archive, refusals, spreadsheet
from analysis.formats.limits import MAX_UNPACKED, check_json_depth, check_text_shape
from analysis.formats.registry import SUPPORTED_FORMATS, detect_json, detect_text
from analysis.formats.text import decode, looks_binary
from analysis.model import AnalysisError, ParsedTable

__all__ = ["MAX_UNPACKED", "SUPPORTED_FORMATS", "read_files", "read_table"]

#: gzip inside gzip is unpacked this many times at most.
MAX_GZIP_DEPTH = 2


def _gunzip(data: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            out = handle.read(MAX_UNPACKED + 1)
    except (OSError, EOFError) as exc:
        raise AnalysisError("corrupt_archive", "the gzip file is damaged") from exc
    if len(out) > MAX_UNPACKED:
        raise AnalysisError("too_large", "the gzip file unpacks to more than 200 MB")
    return out


def _json(text: str, filename: str | None) -> ParsedTable:
    check_json_depth(text)
    try:
        obj = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise AnalysisError(
            "unknown_format", "the file starts like JSON but is not valid JSON"
        ) from exc
    spec = detect_json(obj)
    if spec is None:
        raise AnalysisError(
            "unknown_format",
            "this JSON file is not a BIOM table or uBiome export",
            supported=SUPPORTED_FORMATS,
            seen="JSON",
        )
    return spec.parse(obj, filename)


def read_table(data: bytes, filename: str | None = None, *, _depth: int = 0) -> ParsedTable:
    """Detect the format of ``data`` and parse it.

    Parameters
    ----------
    data
        The file's bytes.
    filename
        The file's name, used only as a hint (and for a sample name when the file has none).

    Raises
    ------
    AnalysisError
        With a stable key for every kind of bad input.
    """
    if not data or not data.strip():
        raise AnalysisError("empty_file", "the file is empty")
    if data[:2] == b"\x1f\x8b":
        if _depth >= MAX_GZIP_DEPTH:
            raise AnalysisError("unknown_format", "the file is compressed too many times")
        inner_name = filename[:-3] if filename and filename.endswith(".gz") else filename
        return read_table(_gunzip(data), inner_name, _depth=_depth + 1)
    if data[:4] == b"PK\x03\x04":
        if spreadsheet.is_workbook(data):  # an .xlsx is a ZIP: its first sheet is the table
            return _guard(lambda: spreadsheet.read_workbook(data, filename, _parse_text))
        return _guard(lambda: archive.parse_zip(data, read_table))
    if data[:4] == b"\x89HDF":
        from analysis.formats import biom

        return _guard(lambda: archive.join(biom.parse_biom_hdf5(data), None, None, []))
    if refusals.sniff_office_binary(data):  # an old .xls, or a password-protected workbook
        refusals.refuse_office_binary(data)
    if looks_binary(data):
        raise AnalysisError(
            "binary_file", "the file is binary, not a results table", supported=SUPPORTED_FORMATS
        )
    text, caveats = decode(data)
    table = _parse_text(text, filename)
    table.caveats.extend(caveats)
    return table


def read_files(files: dict[str, bytes]) -> ParsedTable:
    """Several uploads that belong together (a count table and its taxonomy, maybe metadata)."""
    return _guard(lambda: archive.combine(files, read_table))


#: What a parser raises when a file looks like its format but is damaged inside.
_DAMAGE = (
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    ZeroDivisionError,
    OverflowError,
    StopIteration,
)


def _guard(parse: Callable[[], ParsedTable]) -> ParsedTable:
    try:
        return parse()
    except AnalysisError:
        raise
    except _DAMAGE as exc:
        raise AnalysisError(
            "malformed_file", f"the file is damaged inside ({type(exc).__name__})"
        ) from exc


def _parse_text(text: str, filename: str | None) -> ParsedTable:
    try:
        return _dispatch_text(text, filename)
    except AnalysisError:
        raise
    except _DAMAGE as exc:
        raise AnalysisError(
            "malformed_file",
            f"the file looks like a known format but is damaged inside ({type(exc).__name__})",
        ) from exc


def _seen(text: str) -> dict[str, str]:
    """What the file looked like: its first line and row count (for a truthful refusal)."""
    lines = [ln for ln in text.split("\n", 50) if ln.strip()]
    first = lines[0][:120] if lines else ""
    return {"first_line": first, "rows": str(max(0, text.count("\n")))}


def _dispatch_text(text: str, filename: str | None) -> ParsedTable:
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return _json(stripped, filename)
    check_text_shape(text)
    spec = detect_text(text)
    if spec.id != "generic_table":
        return spec.parse(text, filename)
    try:
        return spec.parse(text, filename)
    except AnalysisError as exc:
        if exc.key in {"no_taxonomy", "unknown_format"} and "supported" not in exc.details:
            raise AnalysisError(
                "unknown_format",
                "the format of this file is not one gutbot reads",
                supported=SUPPORTED_FORMATS,
                **_seen(text),
            ) from exc
        raise
