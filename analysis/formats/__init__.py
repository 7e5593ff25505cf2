"""Format detection and dispatch: bytes in, one ``ParsedTable`` out (content decides, not names)."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Callable

from analysis.formats import archive, bracken, cami, generic, kraken, metaphlan, ubiome
from analysis.formats.text import decode, looks_binary
from analysis.model import AnalysisError, ParsedTable

MAX_UNPACKED = 200 * 1024 * 1024

SUPPORTED_FORMATS: list[str] = [
    "MetaPhlAn 2, 3 or 4 profile (single or merged)",
    "Kraken2 report",
    "Bracken output or report",
    "QIIME 2 feature table with taxonomy.tsv (or a ZIP of both)",
    "BIOM 1.0 (JSON) or 2.1 (HDF5) table",
    "mothur .shared with .cons.taxonomy",
    "DADA2 sequence table with its taxonomy",
    "mOTUs / CAMI profile",
    "uBiome JSON or CSV export",
    "CSV/TSV of taxon names with abundances or counts",
]


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
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnalysisError(
            "unknown_format", "the file starts like JSON but is not valid JSON"
        ) from exc
    if ubiome.sniff_json(obj):
        return ubiome.parse_json(obj, filename)
    from analysis.formats import biom

    if biom.is_biom_json(obj):
        return archive.join(biom.parse_biom_json(obj), None, None, [])
    raise AnalysisError(
        "unknown_format",
        "this JSON file is not a BIOM table or uBiome export",
        supported=SUPPORTED_FORMATS,
    )


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
        if _depth > 2:
            raise AnalysisError("unknown_format", "the file is compressed too many times")
        inner_name = filename[:-3] if filename and filename.endswith(".gz") else filename
        return read_table(_gunzip(data), inner_name, _depth=_depth + 1)
    if data[:4] == b"PK\x03\x04":
        return _guard(lambda: archive.parse_zip(data))
    if data[:4] == b"\x89HDF":
        from analysis.formats import biom

        return _guard(lambda: archive.join(biom.parse_biom_hdf5(data), None, None, []))
    if looks_binary(data):
        raise AnalysisError(
            "binary_file", "the file is binary, not a results table", supported=SUPPORTED_FORMATS
        )
    text, caveats = decode(data)
    table = _parse_text(text, filename)
    table.caveats.extend(caveats)
    return table


#: What a parser raises when a file looks like its format but is damaged inside.
_DAMAGE = (
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    ZeroDivisionError,
    OverflowError,
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


def _dispatch_text(text: str, filename: str | None) -> ParsedTable:
    stripped = text.lstrip()
    table: ParsedTable | None
    if stripped.startswith(("{", "[")):
        table = _json(stripped, filename)
    elif cami.sniff(text):
        table = cami.parse(text, filename)
    elif bracken.sniff(text):
        table = bracken.parse(text, filename)
    elif kraken.sniff(text):
        table = kraken.parse(text, filename)
    elif ubiome.sniff_csv(text):
        table = ubiome.parse_csv(text, filename)
    elif metaphlan.sniff(text):
        table = metaphlan.parse(text, filename)
    else:
        table = archive.parse_single_text(text, filename)
        if table is None:
            try:
                table = generic.parse(text, filename)
            except AnalysisError as exc:
                if exc.key in {"no_taxonomy", "unknown_format"} and "supported" not in exc.details:
                    raise AnalysisError(
                        "unknown_format",
                        "the format of this file is not one gutbot reads",
                        supported=SUPPORTED_FORMATS,
                    ) from exc
                raise
    return table
