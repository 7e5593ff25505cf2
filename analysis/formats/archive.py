"""ZIP archives and paired uploads: a count table joined with its taxonomy (and metadata)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import PurePosixPath

import numpy as np

from analysis.formats.limits import MAX_ARCHIVE_DEPTH, MAX_UNPACKED
from analysis.formats.parts import part_spec, read_count_table, read_metadata, read_taxonomy
from analysis.formats.pieces import CountTable, Metadata, Taxonomy
from analysis.formats.table import make_table
from analysis.model import AnalysisError, Caveat, ParsedTable

__all__ = ["classify", "combine", "join", "parse_single_text", "parse_zip", "read_zip"]

MAX_MEMBERS = 50
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = MAX_UNPACKED
MAX_RATIO = 200
#: The members of a QIIME 2 artifact (.qza) that hold its data.
_QZA_DATA = "data"


def read_zip(data: bytes, depth: int = 0) -> dict[str, bytes]:
    """Members of a ZIP, refusing bombs, oversized members, nested archives and odd paths.

    A QIIME 2 artifact (.qza) is a ZIP with one ``<uuid>/`` folder: only its ``data/`` members
    are results (provenance holds the artifacts it was made from). An artifact inside a ZIP is
    opened too (archive depth 1); anything nested deeper is refused.
    """
    members = _read_members(data)
    roots = {PurePosixPath(n).parts[0] for n in members if len(PurePosixPath(n).parts) > 1}
    if len(roots) == 1 and any(n.endswith("/metadata.yaml") for n in members):
        root = next(iter(roots))
        inside = {n: c for n, c in members.items() if PurePosixPath(n).parts[1:2] == (_QZA_DATA,)}
        if inside:
            return inside
        raise AnalysisError("unknown_format", f"the QIIME 2 artifact {root} holds no data")
    out: dict[str, bytes] = {}
    for name, content in members.items():
        if name.lower().endswith(".qza") and content[:4] == b"PK\x03\x04":
            if depth + 1 > MAX_ARCHIVE_DEPTH:
                raise AnalysisError(
                    "too_deep", "archives are nested too deeply", what="archives inside archives"
                )
            for inner, inner_content in read_zip(content, depth + 1).items():
                out[f"{name}/{inner}"] = inner_content
        elif content[:4] == b"PK\x03\x04":
            raise AnalysisError(
                "too_deep", "a ZIP inside the ZIP is not opened", what="archives inside archives"
            )
        else:
            out[name] = content
    return out


def _read_members(data: bytes) -> dict[str, bytes]:
    """Every member's bytes, within the bounds."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise AnalysisError("corrupt_archive", "the ZIP file cannot be opened") from exc
    files = [i for i in infos if not i.is_dir()]
    if len(files) > MAX_MEMBERS:
        raise AnalysisError(
            "zip_bomb", f"the ZIP holds {len(files)} files; at most {MAX_MEMBERS} are read"
        )
    total = 0
    members: dict[str, bytes] = {}
    for info in files:
        path = PurePosixPath(info.filename)
        if (
            path.is_absolute()
            or ".." in path.parts
            or path.name.startswith("._")
            or "__MACOSX" in path.parts
        ):
            continue
        if path.suffix.lower() in {".zip", ".tar", ".7z"}:
            raise AnalysisError(
                "too_deep",
                "an archive inside the ZIP is not opened",
                what="archives inside archives",
            )
        if info.file_size > MAX_MEMBER_BYTES:
            raise AnalysisError(
                "zip_member_too_large",
                f"{path.name} is {info.file_size:,} bytes unpacked",
                member=path.name,
            )
        if (
            info.compress_size
            and info.file_size / info.compress_size > MAX_RATIO
            and info.file_size > 1_000_000
        ):
            raise AnalysisError(
                "zip_bomb",
                f"{path.name} expands {info.file_size // info.compress_size}-fold",
                member=path.name,
            )
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise AnalysisError("zip_bomb", "the ZIP unpacks to more than 200 MB")
        try:
            with archive.open(info) as handle:
                content = handle.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError) as exc:
            raise AnalysisError(
                "corrupt_archive", f"{path.name} inside the ZIP is damaged"
            ) from exc
        if len(content) > MAX_MEMBER_BYTES:
            raise AnalysisError(
                "zip_member_too_large", f"{path.name} is too large unpacked", member=path.name
            )
        members[str(path)] = content
    if not members:
        raise AnalysisError("unknown_format", "the ZIP holds no readable files")
    return members


#: Reads one complete results file (``analysis.formats.read_table``, passed in by the caller so
#: that this module does not import the package that imports it).
ReadOne = Callable[[bytes, str | None], ParsedTable]


def parse_zip(data: bytes, read_one: ReadOne) -> ParsedTable:
    """A ZIP: one results file, or a table with its taxonomy (and optional metadata)."""
    return combine(read_zip(data), read_one)


def classify(text: str) -> str | None:
    """Which half of an amplicon result a text file is, or None."""
    spec = part_spec(text)
    return None if spec is None else spec.part


def _need(table: CountTable) -> AnalysisError:
    return AnalysisError(
        "needs_companion_file",
        "this count table names its features by id only; the taxonomy file is needed too",
        have=table.kind,
        need="taxonomy",
    )


def join(
    table: CountTable, taxonomy: Taxonomy | None, metadata: Metadata | None, caveats: list[Caveat]
) -> ParsedTable:
    """Name a count table's features with its taxonomy and build the ParsedTable."""
    values = table.values
    if values.isna().to_numpy().any():
        values = values.fillna(0.0)
    if table.inline_lineages is not None:
        lineages = list(table.inline_lineages)
    elif taxonomy is not None:
        lookup = taxonomy.lineages
        missing = [i for i in values.index if i not in lookup]
        if len(missing) == len(values.index):
            raise AnalysisError(
                "no_taxonomy", "none of the table's feature ids are in the taxonomy file"
            )
        if missing:
            caveats.append(Caveat("unmatched_features", {"count": len(missing)}))
        empty = (None,) * 7
        lineages = [lookup.get(i, empty) for i in values.index]
    else:
        raise _need(table)
    method = "16s"
    kind = "counts"
    ids = list(values.index)
    clades = None
    if (
        ids
        and all(str(i).startswith(("s__", "k__")) for i in ids[:50])
        and float(values.sum().max()) <= 105
    ):
        # MetaPhlAn output stored as BIOM (American Gut shotgun): keep clades for the indices.
        method, kind = "shotgun", "percent"
        clades = values.copy()
    elif float(values.sum().max()) <= 1.05 and not bool(np.all(np.mod(values.to_numpy(), 1) == 0)):
        # The cheap test first: the whole-number test needs a table-sized temporary.
        kind = "fraction"
    metadata_rows = metadata.rows if metadata is not None else {}
    sample_metadata = {
        str(s): metadata_rows[str(s)] for s in values.columns if str(s) in metadata_rows
    }
    return make_table(
        fmt=table.fmt,
        method=method,  # type: ignore[arg-type]
        profiler_version=table.profiler_version,
        values=values,
        lineages=lineages,
        value_kind=kind,  # type: ignore[arg-type]
        caveats=caveats,
        read_depth={str(s): float(v) for s, v in values.sum().items()} if kind == "counts" else {},
        sample_metadata=sample_metadata,
        clades=clades,
    )


def parse_single_text(text: str, filename: str | None) -> ParsedTable | None:
    """One amplicon file on its own: complete tables parse, halves ask for the other half."""
    kind = classify(text)
    if kind is None:
        return None
    if kind == "metadata":
        raise AnalysisError("metadata_only", "this is a sample metadata file, not results")
    if kind == "taxonomy":
        raise AnalysisError(
            "needs_companion_file",
            "this is a taxonomy file; the count table (feature table) is needed too",
            have="taxonomy",
            need="feature table",
        )
    table, caveats = read_count_table(text)
    return join(table, None, None, caveats)


def combine(files: dict[str, bytes], read_one: ReadOne) -> ParsedTable:
    """Several files that belong together (a ZIP's members, or two uploads).

    The one function that puts the halves of a result together: count tables (any
    :data:`~analysis.formats.parts.PART_SPECS` count table, or BIOM), a taxonomy and a metadata
    sheet; a complete results file among them is read with ``read_one``.
    """
    from analysis.formats.text import decode, looks_binary

    tables: list[tuple[CountTable, list[Caveat]]] = []
    taxonomy: Taxonomy | None = None
    metadata: Metadata | None = None
    complete: list[tuple[str, bytes]] = []
    expanded: dict[str, bytes] = {}
    for name, content in files.items():
        if content[:4] == b"PK\x03\x04":  # an uploaded .qza or ZIP among the parts
            expanded.update({f"{name}/{k}": v for k, v in read_zip(content).items()})
        else:
            expanded[name] = content
    for name, content in sorted(expanded.items()):
        if content[:4] == b"\x89HDF":
            from analysis.formats.biom import parse_biom_hdf5

            tables.append((parse_biom_hdf5(content), []))
            continue
        if looks_binary(content) or content[:2] == b"\x1f\x8b":
            complete.append((name, content))
            continue
        text, _ = decode(content)
        kind = classify(text)
        if kind == "count_table":
            tables.append(read_count_table(text))
        elif kind == "taxonomy":
            taxonomy = read_taxonomy(text)
        elif kind == "metadata":
            metadata = read_metadata(text)
        else:
            complete.append((name, content))
    if tables:
        table, caveats = tables[0]
        if len(tables) > 1:
            caveats.append(Caveat("several_tables"))
        return join(table, taxonomy, metadata, caveats)
    if complete:
        name, content = complete[0]
        return read_one(content, PurePosixPath(name).name)
    if taxonomy is not None:
        raise AnalysisError(
            "needs_companion_file",
            "only a taxonomy file was found",
            have="taxonomy",
            need="feature table",
        )
    if metadata is not None:
        raise AnalysisError("metadata_only", "only a sample metadata file was found")
    raise AnalysisError("unknown_format", "nothing in the archive is a results file")
